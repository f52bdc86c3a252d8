// The IMAP commands a mirror needs, typed: LIST with SPECIAL-USE roles,
// SELECT with its sync state, a whole folder's UIDs and flags in one
// command, messages in one UID FETCH with BODY.PEEK (nothing is marked
// read), STORE, APPEND. Each is one round trip on an open ImapConnection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/flags.hpp"
#include "net/imap_connection.hpp"

namespace tern {

struct ImapFolder {
    std::string name;       // UTF-8, hierarchy delimiter as the server has it
    std::string wire_name;  // modified UTF-7, as the server sent it
    char delimiter = '/';   // '\0' for a flat namespace
    std::vector<std::string> attributes;  // "\HasChildren", "\Sent", ...
    std::string role;       // "inbox", "sent", "drafts", "trash", "junk", "archive" or ""
    bool selectable = true;
    bool subscribed = false;
    // The personal namespace's prefix that name starts with ("INBOX." on a Cyrus
    // without altnamespace, as Debian ships it), else "": the local tree leaves it out.
    std::string prefix;
};

// The personal namespace (RFC 2342) where its prefix is not empty: the
// prefix a folder made here needs on the server ("INBOX.") and its delimiter.
struct PersonalNamespace {
    std::string prefix;
    char delimiter = '/';
};
PersonalNamespace personal_namespace(ImapConnection& conn);

// Every folder (LIST "" "*", with RETURN (SUBSCRIBED SPECIAL-USE) as
// offered; without LIST-EXTENDED, LSUB says which are subscribed).
// Names under the personal namespace's prefix carry it in ImapFolder::prefix.
std::vector<ImapFolder> list_folders(ImapConnection& conn, const PersonalNamespace& personal);
std::vector<ImapFolder> list_folders(ImapConnection& conn);

// CREATE (and SUBSCRIBE) a folder named with '/' between levels, as the
// local tree has it, under the personal namespace's prefix; its delimiter
// replaces '/'. An existing folder is no error.
void create_folder(ImapConnection& conn, const std::string& name, const PersonalNamespace& personal);

struct SelectedFolder {
    std::uint32_t uidvalidity = 0;
    std::uint32_t uidnext = 0;
    std::uint64_t exists = 0;
    std::uint64_t highest_modseq = 0;  // 0: the server does not keep one (no CONDSTORE)
    // QRESYNC: what changed since the state the caller knew, in the SELECT's
    // own answer: UIDs expunged since, and the flags of messages changed or
    // added since (resynced false: the server sent no such report)
    bool resynced = false;
    std::vector<std::uint32_t> vanished;
    std::vector<std::pair<std::uint32_t, Flags>> changed;
};

// What a client knew of a folder at its last sync, for QRESYNC.
struct KnownFolderState {
    std::uint32_t uidvalidity = 0;
    std::uint64_t modseq = 0;
};

// SELECT (or EXAMINE when read_only); with CONDSTORE offered, asks for it;
// with `known` and QRESYNC offered, asks for the changes since (RFC 7162).
SelectedFolder select_folder(ImapConnection& conn, const ImapFolder& folder, bool read_only,
                             std::optional<KnownFolderState> known = std::nullopt);

// IMAP flags <-> maildir flags (\Seen S, \Answered R, \Flagged F, \Deleted T,
// \Draft D, $Forwarded P); other keywords are not kept.
Flags flags_from_imap(const std::vector<std::string>& flags);
std::string flags_to_imap(Flags flags);  // "\Seen \Flagged", space separated

// "1:3,7,9:10" for a sorted or unsorted list of UIDs.
std::string uid_set(std::vector<std::uint32_t> uids);
// "1:3,7" -> 1 2 3 7, in the order written (COPYUID pairs them by position);
// nothing for a set that is not one, or one of more than a million UIDs (pure).
std::optional<std::vector<std::uint32_t>> parse_uid_set(std::string_view set);

// The UID and flags of every message of the selected folder, in one command.
void fetch_all_flags(ImapConnection& conn, const std::function<void(std::uint32_t uid, Flags flags)>& each);

// Whole messages (BODY.PEEK[]; with headers_only BODY.PEEK[HEADER], its
// section then "BODY[HEADER]") with UID, FLAGS, INTERNALDATE and
// RFC822.SIZE, in one command over `uids`.
void fetch_messages(ImapConnection& conn, std::string_view uids, bool headers_only, const std::function<void(const FetchData&)>& each);

// The size (RFC822.SIZE) of each of the selected folder's messages `uids`,
// by UID, in one command: what tells the messages to fetch whole from those
// to fetch in pieces.
std::vector<std::pair<std::uint32_t, std::uint64_t>> fetch_sizes(ImapConnection& conn, std::string_view uids);

// One message of any size in bounded memory: BODY.PEEK[]<offset.piece>, one
// piece a command, each handed to `sink` as it comes (as the server sends
// it: CRLF, which may be cut between two pieces). Returns the message's UID,
// FLAGS, INTERNALDATE and RFC822.SIZE (no section), or nothing when the
// server no longer has it (then what `sink` was given is not the message).
// `sink` returning false stops it after that piece (its FETCH is read whole).
std::optional<FetchData> fetch_message_in_pieces(ImapConnection& conn, std::uint32_t uid, std::size_t piece,
                                                 const std::function<bool(std::string_view)>& sink);

// One message of the selected folder (BODY.PEEK[], as the server sends it);
// nothing when the server no longer has it.
std::optional<std::string> fetch_message(ImapConnection& conn, std::uint32_t uid);

// UIDs of the selected folder's messages matching SEARCH criteria.
std::vector<std::uint32_t> uid_search(ImapConnection& conn, std::string_view criteria);

// UIDs of the selected folder's messages that arrived on or after the day of `epoch` (UID SEARCH SINCE).
std::vector<std::uint32_t> search_since(ImapConnection& conn, std::int64_t epoch);

// UID STORE +FLAGS.SILENT / -FLAGS.SILENT.
void store_flags(ImapConnection& conn, std::string_view uids, bool add, Flags flags);

// APPEND with flags and an INTERNALDATE; `bytes` may have LF line ends
// (sent as CRLF). Returns the new message's UIDVALIDITY and UID when the
// server says (UIDPLUS's APPENDUID).
struct AppendedUid {
    std::uint32_t uidvalidity = 0, uid = 0;
};
// `wire_size` is crlf_size(bytes), which the caller has counted already;
// `sent` (optional) hears each piece of `bytes` once it is sent: a mapped
// file gives its pages back there.
std::optional<AppendedUid> append_message(ImapConnection& conn, const ImapFolder& folder, std::string_view bytes, std::uint64_t wire_size,
                                          Flags flags, std::int64_t internal_date, const std::function<void(std::string_view)>& sent = {});

// What tells one message of a folder from another without its body: its
// Message-ID (empty when it has none), its size with CRLF line ends
// (RFC822.SIZE) and its flags.
struct MessageIdentity {
    std::uint32_t uid = 0;
    std::string message_id;
    std::uint64_t size = 0;
    Flags flags;
};
// Of the selected folder's messages `uids`, in one UID FETCH.
std::vector<MessageIdentity> fetch_identities(ImapConnection& conn, std::string_view uids = "1:*");

// Where messages went by UID MOVE or UID COPY, when the server says so
// (UIDPLUS's COPYUID): the destination's UIDVALIDITY and, per source UID,
// the destination UID.
struct CopiedUids {
    std::uint32_t uidvalidity = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> uids;
};
// Moves (keep_source false: UID MOVE, else COPY, \Deleted and UID EXPUNGE)
// or copies the selected folder's messages `uids` into `destination`.
std::optional<CopiedUids> transfer_messages(ImapConnection& conn, const std::vector<std::uint32_t>& uids, const ImapFolder& destination,
                                            bool keep_source);

// UIDs of the selected folder's messages with this Message-ID.
std::vector<std::uint32_t> search_message_id(ImapConnection& conn, std::string_view message_id);

// "22-Nov-2026 23:30:00 +0000"
std::string imap_date(std::int64_t epoch);

}  // namespace tern
