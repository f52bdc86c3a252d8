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

// How a refresh wrote the snapshot (for tests and benchmarks).
struct SnapshotRefresh {
    bool patched = false;        // from the old snapshot, threading again only what changed (store/thread_patch)
    std::size_t rethreaded = 0;  // the rows it threaded again
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
bool refresh_folder_snapshot(IndexDb& index, std::int64_t folder_id, const std::string& sort, const std::string& sort_aux,
                             const std::function<bool()>& stop = {}, bool wait_for_lock = true, SnapshotRefresh* how = nullptr);

}  // namespace tern
