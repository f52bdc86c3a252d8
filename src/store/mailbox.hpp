// An open mailbox: one folder of one account, or the unified inbox (every
// account's INBOX together). It holds the rows from the index database in
// index order, the limit, tags and collapsed threads, and carries out the
// triage actions on the local store at once: flags are maildir renames
// (which the next sync takes to the server), a deletion is the T flag until
// purge, a save is a durable copy plus a deletion, as in mutt. Every action
// can be undone until the mailbox is purged. The reader works through it,
// and so do the housekeeping rules of tern sync --rules. A folder's rows
// (and, for the configured sort, their order) come from its snapshot
// (store/folder_snapshot) while the database says it is current, else from
// the database, threaded here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "store/index_db.hpp"
#include "store/index_view.hpp"
#include "store/maildir.hpp"
#include "store/pattern.hpp"
#include "util/paths.hpp"

namespace tern {

struct SnapshotSeed;

// The index databases of the accounts, one connection each, opened when first asked for.
class AccountIndexes {
public:
    explicit AccountIndexes(EnvLookup env) : env_(std::move(env)) {}
    IndexDb& of(const Account& account);

private:
    EnvLookup env_;
    std::map<std::string, std::unique_ptr<IndexDb>> open_;
};

struct FolderRef {
    const Account* account = nullptr;
    std::string folder;  // local name: "INBOX", "Lists/rust"
    bool operator==(const FolderRef& o) const { return account == o.account && folder == o.folder; }
};

// The folders of an account that exist here (maildirs under its root), INBOX first.
std::vector<std::string> local_folders(const Account& account);

class Mailbox {
public:
    // Where the folders' maildirs are scanned into the index: here, on
    // every load (tern ls, the rules), or by someone else (the reader's
    // store worker), so that loading only reads the database: a scan and its
    // writes never run on the reader's UI thread.
    enum class Scan { Here, Elsewhere };
    // Opens the folders (with Scan::Here, scans their maildirs into the
    // index). Throws Failure(NotFound) when a folder has no maildir here.
    Mailbox(std::vector<FolderRef> folders, AccountIndexes& indexes, const Config& config, Scan scan = Scan::Here);

    std::string name() const;  // "work/INBOX", or "unified inbox"
    const std::vector<FolderRef>& folders() const { return refs_; }
    bool unified() const { return refs_.size() > 1; }

    // Reads the maildirs again (new mail, other programs' changes), keeping
    // the current message, tags and the limit. With Scan::Elsewhere it only
    // reads the rows from the database again; `scanned`: a scan of every
    // folder finished since the purge of this mailbox (its purged rows are
    // then gone from the database too).
    void reload(bool scanned = false);
    // Whether the database has rows newer than the ones shown (a write
    // since they were read: a sync, the store worker's scan).
    bool behind();

    // With Scan::Elsewhere, a load that read a folder's rows from the
    // database (no usable snapshot) and ordered them leaves a seed for its
    // snapshot (store/folder_snapshot): the store worker writes the
    // snapshot from it instead of ordering every row again. Taken once.
    std::shared_ptr<const SnapshotSeed> take_snapshot_seed() { return std::move(seed_); }
    // The store worker wrote the snapshot from the seed with that
    // fingerprint, at `generation`: when the rows shown are still the ones
    // that seed was made of, they are that generation's (no reload).
    void snapshot_seeded(std::uint64_t fingerprint, std::int64_t generation);

    // What the index shows, in order.
    std::size_t size() const { return shown_.size(); }
    const MessageRow& row_at(std::size_t pos) const { return rows_[entry_at(pos).row]; }
    const IndexEntry& entry_at(std::size_t pos) const { return ordered_[shown_[pos]]; }
    std::size_t row_index(std::size_t pos) const { return entry_at(pos).row; }
    bool tagged(std::size_t pos) const { return tags_[row_index(pos)]; }
    std::size_t hidden_under(std::size_t pos) const;  // a collapsed thread's other messages
    // The position of a row (by its index), or nothing when limited out or hidden.
    std::optional<std::size_t> position_of_row(std::size_t row) const;

    struct Counts {
        std::size_t total = 0, unread = 0, deleted = 0, tagged = 0, flagged = 0, shown = 0;
    };
    Counts counts() const;

    // sort and sort_aux as mutt names them ("reverse-date", "threads")
    const std::string& sort() const { return sort_; }
    void set_sort(std::string sort);
    bool threaded() const;

    // The limit (mutt's `l`): an empty text shows everything. Throws Failure(Usage) on a bad pattern.
    void set_limit(const std::string& pattern);
    const std::string& limit() const { return limit_text_; }
    bool limit_searches_text() const { return limit_ && limit_->uses_message_text(); }
    // The rows (indexes) a pattern matches, in index order (tag-pattern, delete-pattern, search).
    std::vector<std::size_t> matching(const std::string& pattern);
    // For each of `rows`, whether it matches: one pass of one matcher.
    std::vector<bool> matches(const Pattern& pattern, const std::vector<std::size_t>& rows);
    // Whether the last pattern (limit, search, tag-pattern) read message
    // text (~h ~b ~B): with Scan::Elsewhere the full-text index is filled in
    // the background, and only the store worker knows how far it got.
    bool searched_text() const { return searched_text_; }

    // Threads: the positions of the thread (or subthread) around `pos`.
    std::vector<std::size_t> thread_rows(std::size_t pos, bool subthread_only) const;
    std::optional<std::size_t> thread_start(std::size_t pos, int direction) const;  // next/previous thread
    std::optional<std::size_t> parent_of(std::size_t pos) const;
    void toggle_collapse(std::size_t pos);
    void toggle_collapse_all();
    bool collapsed(std::size_t pos) const;

    // Tagging.
    void set_tag(std::size_t row, bool on);
    void clear_tags();
    std::vector<std::size_t> tagged_rows() const;

    // Triage, by row index. Each returns an error line, or nothing.
    std::optional<std::string> set_flags(std::size_t row, Flags flags, bool record_undo = true);
    std::optional<std::string> copy_to(std::size_t row, const FolderRef& target, bool then_delete);
    // Starts an undo group: the actions until the next one are undone together.
    void begin_action(std::string description);
    // Undoes the last group; its description, or nothing when there is none.
    std::optional<std::string> undo();

    // Removes the files of messages marked deleted (mutt's purge on sync or
    // quit); returns how many. Undo cannot go back past a purge.
    std::size_t purge();

    // A purge that keeps what it takes away, for an undo after the process
    // ends (tern sync --undo-rules): files go to `hold_dir` (same file
    // system: a rename) instead of being removed, and the copies this
    // mailbox made are listed too.
    struct Held {
        std::string original;  // where the file was
        std::string held;      // where it is now
        std::int64_t folder_id = 0, uidvalidity = 0;
        std::uint32_t uid = 0;  // the server message it mirrors (0: none)
    };
    struct HeldPurge {
        std::vector<Held> held;
        std::vector<std::string> copies;  // files this mailbox delivered into other folders
    };
    HeldPurge purge_holding(const std::string& hold_dir);

    // Where a row's message is: the folder, its maildir file (empty when
    // only the headers are kept here) and its id in that account's index.
    FolderRef folder_of(std::size_t row) const { return refs_[sources_[row]]; }
    std::string path_of(std::size_t row) const;
    IndexDb& index_of(std::size_t row) const;
    const MessageRow& row(std::size_t row) const { return rows_[row]; }
    // A row's identity across reloads (its folder and its id in that index).
    struct RowKey {
        std::size_t source = 0;
        std::int64_t id = 0;
    };
    RowKey key_of(std::size_t row) const { return {sources_[row], rows_[row].id}; }
    std::optional<std::size_t> row_of(const RowKey& key) const { return find_row(key.source, key.id); }

private:
    struct Source {
        FolderRef ref;
        std::string root;
        std::int64_t folder_id = 0;
        IndexDb* index = nullptr;
        bool text_indexed = false;  // every message's text is in the full-text index (since the last load)
        std::int64_t generation = 0;  // the folder's generation in the index when its rows were read
    };
    std::int64_t folder_id_of(Source& s);
    void ensure_text_indexed();
    struct UndoStep {
        enum class Kind { Flags, RemoveCopy } kind = Kind::Flags;
        std::size_t source = 0;
        std::int64_t id = 0;     // Flags: the row, by its id in its source
        Flags flags;             // Flags: what it had before
        std::string copy_root;   // RemoveCopy: where the copy went
        MaildirEntry copy;
    };
    struct UndoGroup {
        std::string description;
        std::vector<UndoStep> steps;
    };
    void load();
    // `ready`: the rows' order for this sort when it is known (a folder
    // snapshot's), else they are ordered here
    void rebuild_order(std::vector<IndexEntry> ready = {});
    void rebuild_shown();
    std::optional<std::size_t> find_row(std::size_t source, std::int64_t id) const;
    MatchContext match_context();
    // For k in [0, count): whether rows_[row_of(k)] matches, each with its own tag for ~T.
    std::vector<std::uint8_t> match_rows(const Pattern& p, std::size_t count, const std::function<std::size_t(std::size_t)>& row_of);
    std::optional<MaildirEntry> entry_of(std::size_t row) const;

    const Config& config_;
    AccountIndexes& indexes_;
    std::vector<FolderRef> refs_;
    std::vector<Source> sourcelist_;
    std::vector<MessageRow> rows_;
    std::vector<std::uint16_t> sources_;  // per row: its Source
    std::vector<bool> tags_;
    std::vector<bool> limited_;           // per row: matches the limit
    std::vector<IndexEntry> ordered_;     // every row in index order
    std::vector<std::uint32_t> shown_;    // into ordered_: limited, collapsed threads folded
    std::vector<std::uint32_t> thread_of_;  // per ordered_ entry: the position of its thread's root in ordered_
    std::vector<bool> collapsed_roots_;   // per row: its thread is collapsed (rows that are roots)
    std::string sort_, limit_text_;
    std::optional<Pattern> limit_;
    std::vector<UndoGroup> undo_;
    AddressSet my_addresses_;  // the accounts' From addresses and alternates, for ~P
    Scan scan_;
    bool searched_text_ = false;
    // the thread order while another sort is shown (set_sort), for the way back
    struct KeptOrder {
        std::string sort, sort_aux;
        std::vector<IndexEntry> ordered;
        std::vector<std::uint32_t> thread_of;
    };
    std::optional<KeptOrder> threads_kept_;
    // Scan::Elsewhere: rows purged here that the database keeps until the store worker's next scan
    std::vector<RowKey> purged_;
    // Rows renamed here (a flag is part of a maildir name) whose new name the
    // database may not have yet: the rows do not carry their file names
    // (IndexDb::messages), and the store worker's scan writes the new one.
    std::map<std::pair<std::size_t, std::int64_t>, std::string> renamed_;
    std::string file_of(std::size_t row) const;
    void forget_renames_scanned();
    std::shared_ptr<const SnapshotSeed> seed_;
    std::optional<std::uint64_t> seeded_fingerprint_;  // of the rows shown, when they made a seed
};

}  // namespace tern
