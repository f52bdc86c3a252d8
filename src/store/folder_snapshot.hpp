// A folder's rows and thread order as one file beside the index database,
// written by the reader's store worker and read by the reader as it opens
// the folder: reading a million rows out of SQLite and threading them takes
// seconds, reading them back from this file a fraction of that.
//
// It is a cache, never the truth. It carries the folder's generation (a
// number the index database moves on with the first write to the folder's
// rows after a snapshot began; it starts random, so a rebuilt database does
// not meet an old file's number by chance) and is used only while the
// database still has that generation. A change of flags only (a message
// read, flagged, or moved from new/ to cur/) leaves the generation as it
// was: the database lists those messages (IndexDb::snapshot_moves) and the
// reader takes their flags onto the snapshot's rows (apply_snapshot_moves).
// A missing, older, truncated or damaged file is simply not used: the rows
// are then read from the database.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/message_row.hpp"
#include "store/threading.hpp"

namespace tern {

class IndexDb;

struct FolderSnapshot {
    std::int64_t generation = 0;
    std::vector<MessageRow> rows;  // as IndexDb::messages gives them: by id, no file names
    // The order of `rows` for this sort (mutt's names, e.g. "threads" and
    // "last-date-received"); empty when read for another sort.
    std::string sort, sort_aux;
    std::vector<ThreadRow> order;
};

// Where the snapshot of a folder of the database at `db_path` lives.
std::string folder_snapshot_path(const std::string& db_path, std::int64_t folder_id);

// Writes the snapshot (a temporary file renamed over the old one), mode
// 0600; not fsynced: a cache whose checksum finds what a crash left half
// written. Returns 0 or the errno of the step that failed.
int write_folder_snapshot(const std::string& path, const FolderSnapshot& snapshot);

// The file's generation and sort, or nothing when there is no readable snapshot.
struct FolderSnapshotHeader {
    std::int64_t generation = 0;
    std::string sort, sort_aux;
};
std::optional<FolderSnapshotHeader> read_folder_snapshot_header(const std::string& path);

// The snapshot when it has `generation`; the order only when it was made
// for `sort` and `sort_aux`. Nothing when the file is missing, of another
// generation, or not whole (every length is checked against the file).
std::optional<FolderSnapshot> read_folder_snapshot(const std::string& path, std::int64_t generation,
                                                   const std::string& sort, const std::string& sort_aux);

// Takes the flags of the messages changed since the snapshot began
// (IndexDb::snapshot_moves) onto its rows (in id order, as read). Returns
// how many rows it changed.
std::size_t apply_snapshot_moves(IndexDb& index, std::int64_t folder_id, std::vector<MessageRow>& rows);

// Past this many moves the snapshot is written again (applying them costs
// the reader a query and a lookup each as it opens).
constexpr std::size_t kSnapshotMovesMax = 20000;

// What a reader that read a folder's rows from the database (it had no
// usable snapshot) and ordered them hands its store worker: that order, and
// a fingerprint of what it was made from. The worker writes the snapshot
// from the database's rows and this order, having checked the rows are the
// ones the order was made from, instead of reading and ordering a million
// rows a second time beside the reader's (the two together peaked at 553 MB).
struct SnapshotSeed {
    std::string sort, sort_aux;
    std::uint64_t fingerprint = 0;  // RowsFingerprint of the rows, in id order
    std::vector<ThreadRow> order;   // an entry a row
};

// A hash of rows given in id order, every field the reader holds (the
// flags and the place too: a reader told its rows are the snapshot's must
// not keep flags that a sync changed meanwhile).
class RowsFingerprint {
public:
    void add(const MessageRow& row);
    std::uint64_t value() const { return hash_; }

private:
    std::uint64_t hash_ = 0;
};

SnapshotSeed make_snapshot_seed(const std::vector<MessageRow>& rows, const std::vector<ThreadRow>& order, std::string sort,
                                std::string sort_aux);

// How a refresh wrote the snapshot (for tests and benchmarks).
struct SnapshotRefresh {
    bool patched = false;        // from the old snapshot, threading again only what changed (store/thread_patch)
    std::size_t rethreaded = 0;  // the rows it threaded again
    bool seeded = false;         // from a reader's order (SnapshotSeed)
    std::int64_t generation = 0; // the one the snapshot carries
};

// Brings the folder's snapshot in line with the database: when its
// generation or sort differs, or it has more than kSnapshotMovesMax moves, reads the rows, orders them for `sort` and
// `sort_aux` and writes it. In a threaded folder with a snapshot there for
// the same sort, and up to 50,000 rows changed, it patches that one's
// order instead: a few new messages in a folder of a million cost the
// worker 13 bytes a row, not a second copy of the rows. Returns whether it wrote one. When the rows
// change while they are read, it writes nothing (the next call does it).
// Throws Failure(Io) when the file cannot be written (a full disk): the
// reader then reads the database, as without a snapshot. `stop` is asked
// between its steps (and as it writes): true gives up, writing nothing (a
// reader quitting does not wait seconds for a million rows). Starting a
// snapshot takes the database's write lock a moment (IndexDb::begin_snapshot):
// without `wait_for_lock`, a lock held elsewhere is Failure(Busy) at once.
// With a `seed` (of this sort), the snapshot is written from it, else
// patched, but the whole folder is not threaded here: when the database's
// rows are not the ones the seed was made from (more were scanned in since),
// the reader that handed it reads them again after the scan and hands a
// newer one, and threading them here beside its rows is what the seed is
// there to spare.
bool refresh_folder_snapshot(IndexDb& index, std::int64_t folder_id, const std::string& sort, const std::string& sort_aux,
                             const std::function<bool()>& stop = {}, bool wait_for_lock = true, SnapshotRefresh* how = nullptr,
                             const SnapshotSeed* seed = nullptr);

}  // namespace tern
