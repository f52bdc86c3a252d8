// The index database: folders with their sync state, and per message the
// parsed header fields the index shows, its maildir file and flags; plus the
// durable op queue and outbox tables the sync engine will use. The schema
// carries a version (PRAGMA user_version) and migrates forward on open.
// Everything but the op queue and outbox can be rebuilt from the maildirs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/flags.hpp"
#include "mime/headers.hpp"
#include "store/autocrypt_peers.hpp"
#include "store/message_row.hpp"
#include "store/sqlite.hpp"
#include "util/paths.hpp"

namespace tern {

// The files of a folder as the index knows them, in 24 bytes a file: a
// scan holds them while it reads the directories, beside the reader's rows
// (at a million files their keys and names took 110 MB, these 25 MB). A
// key and a file name are held as 64-bit hashes (util/hash64), sorted by
// the key's. Keys whose hashes meet are kept whole, so find() is exact for
// every key the index knows; a key it does not know can still meet one's
// hash (about one in 2^44 at a million files), so a caller confirms the
// key from the index before acting on an entry whose file name differs.
class KnownFiles {
public:
    struct Entry {
        std::uint64_t key_hash = 0;
        std::uint64_t file_hash = 0;  // of "cur/NAME" relative to the folder's maildir
        std::int64_t id : 55 = 0;
        std::uint64_t flags : 8 = 0;     // Flags::bits()
        std::uint64_t mirrored : 1 = 0;  // an IMAP message's copy (a UID)
    };
    static std::uint64_t hash(std::string_view key_or_file);
    // Each file once, sorted by key_hash.
    const std::vector<Entry>& entries() const { return entries_; }
    // The entry of a key, or nullptr (see above for a key not known).
    const Entry* find(std::string_view key) const;

private:
    friend class IndexDb;
    std::vector<Entry> entries_;
    std::vector<std::pair<std::string, std::size_t>> same_hash_;  // keys whose hashes meet: key, entry; sorted
};

// Where a message's file is, as a folder scan compares it.
struct MessageLocation {
    std::int64_t id = 0;
    std::string key;   // maildir key (the file name before ":2,")
    std::string file;  // "cur/NAME" relative to the folder's maildir
    Flags flags;
    std::int64_t uidvalidity = 0;  // IMAP: the server's message it mirrors (0: none)
    std::uint32_t uid = 0;
};

// The index fields of a message, from its parsed headers or its header
// block (pure).
MessageRow summarize(const Headers& headers);
MessageRow summarize_headers(std::string_view header_bytes);

class IndexDb {
public:
    static constexpr int kSchemaVersion = 18;

    // Opens or creates the database and brings its schema up to date.
    // A file that is not a database is moved aside (see moved_aside()) and
    // a new one is made, to be filled from the maildirs.
    explicit IndexDb(const std::string& path);
    // Where an account's index lives: $XDG_DATA_HOME/tern/index/ACCOUNT.sqlite
    // (the folder is made 0700 when missing; throws Failure(Io) when it cannot be).
    static std::string path_for(const EnvLookup& env, const std::string& account);
    IndexDb(const IndexDb&) = delete;  // cached statements point at db_
    IndexDb& operator=(const IndexDb&) = delete;

    // A folder's id, made when it has none yet (a write).
    std::int64_t folder_id(std::string_view account, std::string_view folder);
    // Only reads: nothing when the folder was never scanned or synced.
    std::optional<std::int64_t> find_folder_id(std::string_view account, std::string_view folder);
    // The folder's generation (see migration 16): a snapshot of its rows made
    // at begin_snapshot's generation is current while this is the same (the
    // first write since moves it on). Nothing when there is no such folder.
    std::optional<std::int64_t> folder_generation(std::int64_t folder_id);
    // Before the rows are read for a snapshot (a write): the generation the
    // snapshot will carry; it moves on when a row was written since the last,
    // or when the folder's moves (below) are forgotten, which this does.
    // Without `wait`, a write lock held elsewhere is Failure(Busy) at once.
    std::optional<std::int64_t> begin_snapshot(std::int64_t folder_id, bool wait = true);
    // The messages whose flags or new/-or-cur/ changed (update_location)
    // since the folder's snapshot began, as they are now, in id order: they
    // do not move the generation on, the reader applies them to the
    // snapshot's rows instead (schema 18).
    struct Moved {
        std::int64_t id;
        Flags flags;
        bool in_new, in_cur;
    };
    std::vector<Moved> snapshot_moves(std::int64_t folder_id);
    std::size_t count_snapshot_moves(std::int64_t folder_id);
    const std::string& path() const { return db_.path(); }
    // The folder's rows, without their file names: a folder of 100,000 is
    // held in memory while it is open, and the name (55 bytes a row) is
    // wanted for the few messages opened or changed; file_of gives it.
    std::vector<MessageRow> messages(std::int64_t folder_id);
    // Each of the folder's rows as messages() reads them, in id order, one
    // at a time (each may keep it); false when `each` said stop.
    // RowText::Order: without From, To and Cc (what ordering by threads,
    // date or size reads, for the store worker's snapshot).
    enum class RowText { All, Order };
    bool for_each_message(std::int64_t folder_id, const std::function<bool(MessageRow&&)>& each, RowText text = RowText::All);
    // "cur/NAME" of a message as the last scan saw it; empty when only its headers are here.
    std::string file_of(std::int64_t id);
    // What the folder's maildir directories looked like at the last scan.
    std::string scan_stamp(std::int64_t folder_id);
    void set_scan_stamp(std::int64_t folder_id, std::string_view stamp);
    std::vector<MessageLocation> locations(std::int64_t folder_id);
    // The folder's messages that have a file here, for a scan.
    KnownFiles known_files(std::int64_t folder_id);
    std::optional<MessageLocation> location(std::int64_t id);
    // A message known by its headers only now has its file (fetched on demand).
    void set_body_file(std::int64_t id, std::string_view key, std::string_view file);
    // Inserts a row under its maildir key and returns its id; its text for
    // ~h ~b ~B follows with set_search_text.
    std::int64_t insert(std::int64_t folder_id, std::string_view key, const MessageRow& row);
    // The same, unless the folder has a row under that key already: then nothing.
    std::optional<std::int64_t> insert_new(std::int64_t folder_id, std::string_view key, const MessageRow& row);
    // The folder's messages whose text is not in the full-text index yet:
    // at most `limit` of them with ids above `after`, in id order (a big
    // folder is indexed a batch at a time, never listed whole).
    std::vector<MessageLocation> without_search_text(std::int64_t folder_id, std::int64_t after = 0, std::size_t limit = SIZE_MAX);
    std::size_t count_without_search_text(std::int64_t folder_id);
    std::int64_t newest_id(std::int64_t folder_id);  // the folder's highest row id, 0 when it has none
    void update_location(std::int64_t id, std::string_view file, Flags flags);
    void remove(std::int64_t id);
    // The full-text index (FTS5, trigrams) of each message's decoded header
    // lines and body text: ~h ~b ~B search it offline. Replaces both.
    // The body text is kept deflated beside the index (schema 17).
    void set_search_text(std::int64_t id, std::string_view header_text, std::string_view body_text);
    std::string body_text(std::int64_t id);
    // The header block of a message kept as headers only, until
    // set_search_text indexes it (index_message_text does).
    void keep_header_block(std::int64_t id, std::string_view header);
    std::optional<std::string> header_block(std::int64_t id);
    std::string header_text(std::int64_t id);
    // Ids of messages whose `part` ('h' headers, 'b' body, 'B' either)
    // contains `text`, ignoring case (substrings, as mutt's patterns mean
    // them; header lines fold ASCII case only, as the patterns' own check
    // does, bodies other letters' case too);
    // nullopt for fewer than three bytes, which trigrams cannot answer.
    std::optional<std::vector<std::int64_t>> search_text(std::string_view text, char part);
    // IMAP: what the server said of the folder at the last sync.
    struct SyncState {
        std::int64_t uidvalidity = 0, uidnext = 0, highest_modseq = 0;
    };
    SyncState sync_state(std::int64_t folder_id);
    void set_sync_state(std::int64_t folder_id, const SyncState& state);
    // Flags on their way to the server: the bits `mask` of a STORE sent (or
    // about to be) that sets them to `value`. Recorded before the STORE and
    // cleared with the flags agreed after it, so a sync killed in between
    // tells at its next run whether the server took the change.
    struct FlagPush {
        Flags mask, value;
    };
    // The folder's messages that mirror one on the server (UIDVALIDITY and
    // UID known), with the flags both sides had at the last sync.
    struct Mirrored {
        std::int64_t id = 0;
        std::uint32_t uid = 0;
        std::string key, file;
        Flags flags;         // the file's, now
        Flags server_flags;  // what the server and the file agreed on last
        std::optional<FlagPush> pushing;
    };
    std::vector<Mirrored> mirrored(std::int64_t folder_id, std::int64_t uidvalidity);
    // The folder's messages that mirror nothing on the server (not yet uploaded).
    struct LocalOnly {
        std::int64_t id = 0;
        std::string key, file, message_id;
        Flags flags;
        std::int64_t received = 0;
        std::int64_t size = 0;  // of the file, in bytes
        bool carried = false;   // a copy on the server was sent for it (set_carried)
    };
    std::vector<LocalOnly> local_only(std::int64_t folder_id);
    // Records, before the command goes out, that a message only here is
    // being copied into its folder on the server: a sync killed before the
    // new UID is recorded must not copy it twice (the folder's own sync then
    // finds the server's copy by its bytes, or uploads it).
    void set_carried(std::int64_t id);
    // How many of the folder's messages are unread (no S flag).
    std::size_t unseen_count(std::int64_t folder_id);
    // How many messages the folder has, and how many of them are unread.
    struct FolderCounts {
        std::size_t total = 0, unread = 0;
    };
    FolderCounts folder_counts(std::int64_t folder_id);
    bool has_uid(std::int64_t folder_id, std::int64_t uidvalidity, std::uint32_t uid);
    // The messages with that Message-ID that mirror one on the server, in
    // any folder of the account but `except_folder`.
    struct ServerCopy {
        std::int64_t folder_id = 0, uidvalidity = 0;
        std::uint32_t uid = 0;
        std::string file;  // relative to its folder's maildir; empty for headers only
    };
    std::vector<ServerCopy> server_copies(std::string_view account, std::string_view message_id, std::int64_t except_folder);
    // Both record the flags agreed with the server and clear a FlagPush.
    void set_server_state(std::int64_t id, std::int64_t uidvalidity, std::uint32_t uid, Flags server_flags);
    void set_server_flags(std::int64_t id, Flags server_flags);
    void set_flags_pushing(std::int64_t id, const FlagPush& push);
    // The durable op queue: what the server still has to be told. An
    // operation stays until the sync that carries it out removes it.
    struct QueuedOp {
        std::int64_t id = 0;
        std::int64_t folder_id = 0;
        std::string kind;  // "expunge"
        std::int64_t uidvalidity = 0;
        std::uint32_t uid = 0;
        // what the message was here, so a move (its file arrived in another folder) or, after the
        // server renumbered the folder, its server copy is told from another message of that
        // Message-ID: empty and 0 when unknown (operations queued before tern recorded them)
        std::string message_id;
        std::int64_t size = 0;  // of its file
        std::string key;        // its maildir key
    };
    void queue_op(std::int64_t folder_id, std::string_view kind, std::int64_t uidvalidity, std::uint32_t uid,
                  std::string_view message_id = "", std::int64_t size = 0, std::string_view key = "");
    // The Message-ID and file size of a message's row, for queue_op.
    struct Identity {
        std::string message_id;
        std::int64_t size = 0;
    };
    Identity identity(std::int64_t id);
    std::vector<QueuedOp> queued_ops(std::int64_t folder_id);
    void drop_op(std::int64_t id);
    // Drops the folder's queued operations for one server message (an undone deletion).
    void drop_ops_for(std::int64_t folder_id, std::int64_t uidvalidity, std::uint32_t uid);
    // The local folder the server gave a role ("sent", "drafts", "trash"),
    // as the last sync saw it; empty when none is known.
    std::string role_folder(std::string_view account, std::string_view role);
    void set_role_folder(std::string_view account, std::string_view role, std::string_view folder);
    // Drops every row and sync state of an account's folders (tern sync
    // --rebuild): the maildirs and the server fill them again; files that
    // carry their UID (",U=N") are matched to the server's messages.
    void forget_account(std::string_view account);
    Database& db() { return db_; }
    // Where a damaged database file was moved before a new one was made;
    // empty when the file was fine.
    const std::string& moved_aside() const { return moved_aside_; }

    // An account's Autocrypt state, or that of the account a folder belongs
    // to (each kept while the database is open).
    AutocryptPeers& autocrypt(const std::string& account);
    AutocryptPeers& autocrypt_of_folder(std::int64_t folder_id);

private:
    void migrate();
    // Statements run once per message are prepared once per IndexDb.
    Statement& cached(std::optional<Statement>& slot, std::string_view sql);
    std::string moved_aside_;
    Database db_;
    std::string stored_text(std::optional<Statement>& slot, std::string_view sql, std::int64_t id);
    // Takes a message's text out of the full-text index and its stores.
    void drop_search_text(std::int64_t id);
    // The body text kept beside the index; nullopt when none was kept.
    std::optional<std::string> stored_body_text(std::int64_t id);
    // Every write to a row's shown fields (those IndexDb::messages reads)
    // calls one of these: the folder's snapshot is stale from then on.
    void folder_changed(std::int64_t folder_id);
    void message_changed(std::int64_t id);
    void message_moved(std::int64_t id);  // update_location's: see snapshot_moves
    std::optional<Statement> mark_folder_, mark_message_, mark_moved_;
    std::optional<Statement> insert_row_, insert_new_row_, insert_body_, delete_body_, select_body_, insert_body_text_, delete_body_text_, insert_header_, delete_header_, select_header_, select_file_,
        insert_block_, delete_block_;
    std::map<std::int64_t, std::string> folder_accounts_;
    std::map<std::string, std::unique_ptr<AutocryptPeers>, std::less<>> autocrypt_;
};

}  // namespace tern
