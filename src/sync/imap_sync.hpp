// The IMAP mirror: every folder of an account into its own maildir under
// the account's maildir root, and the index database, over one connection
// and one login. Per folder, in this order, so nothing is lost at any step:
//   1. a scan of the local maildir picks up what other programs changed;
//      files of server messages deleted here become queued expunges, which
//      go to the server (to Trash, or \Deleted + UID EXPUNGE) after SELECT,
//      and messages that exist only here are appended;
//   2. SELECT; with CONDSTORE, an unchanged HIGHESTMODSEQ/UIDNEXT/count and
//      no local change end the folder here (one round trip);
//   3. the UIDs and flags of all messages in one UID FETCH;
//   4. flags merged three ways per flag against what both sides agreed on
//      last (a local change, by tern or by mutt renaming the file, wins over
//      no change; the server's change applies otherwise), pushed with STORE
//      and renamed locally;
//   5. new messages in one UID FETCH of BODY.PEEK[] (nothing is marked
//      read), each fsynced into the maildir before its row is committed;
//   6. messages expunged on the server removed locally.
// After a UIDVALIDITY change the folder is fetched again and only then are
// the old copies removed. Reports progress as events; prints nothing.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "net/imap_mailbox.hpp"
#include "store/index_db.hpp"

namespace tern {

struct FolderSyncResult {
    std::string folder;  // local name: "INBOX", "Lists/rust"
    std::size_t fetched = 0, removed = 0, flags_to_local = 0, flags_to_server = 0, total = 0;
    std::size_t unseen = 0;  // the folder's messages without \Seen, after the sync
    std::size_t deleted_on_server = 0;      // deleted here, so moved to Trash or expunged there
    std::size_t uploaded = 0;               // only here, so appended there
    std::size_t headers_only = 0;           // of the fetched: outside cache_bodies, so without a body here
    std::size_t not_deleted_on_server = 0;  // most of the folder's files vanished at once: fetched again instead
    bool unchanged = false;  // settled by SELECT alone
    bool resynced = false;   // changes told by SELECT (QRESYNC), no listing of all flags
    std::vector<std::string> notes;  // what the user should know (POP3: messages left on the server)

    // Something moved either way (what a log of changes shows).
    bool changed() const {
        return fetched || removed || flags_to_local || flags_to_server || deleted_on_server || uploaded || not_deleted_on_server ||
               !notes.empty();
    }
};

struct SyncEvent {
    enum class Kind { FolderStarted, Progress, FolderDone, Notice } kind = Kind::FolderStarted;
    std::string folder;
    std::size_t done = 0, total = 0;  // Progress: messages fetched of this folder's new ones
    FolderSyncResult result;          // FolderDone
    std::string text;                 // Notice: one line (the outbox: sent, queued, refused)
    bool warning = false;             // Notice: something went wrong that the user must hear of
};
using SyncListener = std::function<void(const SyncEvent&)>;

struct SyncOptions {
    std::string only_folder;  // empty: every folder
    bool rebuild = false;     // forget the sync state: compare everything again
};

// The local folder (relative to the account's maildir) for a server folder:
// the hierarchy delimiter becomes '/', and names that could leave the root
// ("..", a leading '.', '/' inside a name) are made harmless.
std::string local_folder_name(const ImapFolder& folder);

// Mirrors the folders of an IMAP account. Throws Failure (network, login,
// protocol, disk) with a one-line message; what was stored stays stored.
std::vector<FolderSyncResult> sync_imap_account(const Account& account, ImapConnection& conn, IndexDb& index,
                                                const SyncOptions& options, const SyncListener& listener);

}  // namespace tern
