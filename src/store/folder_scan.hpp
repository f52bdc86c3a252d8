// Brings a folder's rows in the index database in line with its maildir:
// new files are summarised from their headers (only the header block is
// read), renamed ones (flag changes by tern or another program) updated,
// vanished ones dropped. Body text for the full-text index is a second,
// slower pass (index_message_text) that ~h ~b ~B need and that runs later,
// in the background.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "mime/crypto_backend.hpp"
#include "mime/message.hpp"
#include "store/index_db.hpp"
#include "store/maildir.hpp"

namespace tern {

struct ScanResult {
    std::size_t added = 0, updated = 0, removed = 0, unchanged = 0;
    bool skipped = false;  // the maildir had not changed since the last scan
    // IMAP mirrors: files of server messages deleted here (by tern, mutt, ...)
    // are queued as expunges for the server; when most of a folder vanished
    // at once (a lost or moved maildir, not a deletion) nothing is queued
    // and the sync fetches them again
    std::size_t expunges_queued = 0, vanished_not_propagated = 0;
    bool stopped = false;  // ScanControl::stop asked it to end early: what was added is kept, nothing removed yet
    bool changed() const { return added || updated || removed; }
};

// For a scan or an indexing pass on a worker: it commits in batches, tells
// how far it got after each, and ends early between two when asked to.
struct ScanControl {
    std::function<void(std::size_t done, std::size_t total)> progress;
    std::function<bool()> stop;
    // index_message_text: the messages up to this id have been looked at by
    // an earlier pass (new messages get higher ids), and after the pass the
    // last id it looked at; a folder of a million is then not walked whole
    // again for each new message
    std::int64_t* text_done_through = nullptr;
};

// Without `control`, in one transaction. With it, new messages go in
// newest first (maildir names begin with their delivery time), the first
// batch small, so that a reader showing the folder meanwhile has its
// recent mail at once; removals and the scan stamp come in the last batch.
ScanResult scan_folder(IndexDb& index, std::int64_t folder_id, const Maildir& maildir, const ScanControl* control = nullptr);

// Puts the header and body text of every message of the folder that has
// none yet into the full-text index; returns how many. Commits every few
// hundred messages, so an interrupted pass keeps what it did. `decrypt`
// (index_decrypted): the plaintext of encrypted mail is indexed too.
std::size_t index_message_text(IndexDb& index, std::int64_t folder_id, const Maildir& maildir, CryptoBackend* decrypt = nullptr,
                               const ScanControl* control = nullptr);

// Records a message that was just delivered into the folder's maildir (or,
// with `file` empty, is known by its header block only): its row and its
// text for ~h ~b ~B, all from one parse. Returns the row's id.
// `defer_header` (a header-only message's header block) keeps the block for
// index_message_text instead of indexing its text now.
// The message a delivery just stored, read to be indexed (a big one mapped:
// its text is read, not its attachments). Throws Failure(Io).
Message delivered_message(const Maildir& maildir, const MaildirEntry& entry);

std::int64_t index_delivered(IndexDb& index, std::int64_t folder_id, const Message& message, std::string_view key, std::string_view file,
                             Flags flags, std::int64_t size, std::int64_t received, std::string_view defer_header = "",
                             CryptoBackend* decrypt = nullptr);

// The text of a message's readable body parts, as ~b searches it: none of an
// encrypted part's unless `decrypt` is given (index_decrypted).
std::string body_text(const Message& message, CryptoBackend* decrypt = nullptr);
// Its header lines with encoded words decoded, as ~h searches them.
std::string header_text(const Message& message);

}  // namespace tern
