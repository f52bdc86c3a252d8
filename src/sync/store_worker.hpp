// The reader's store worker: one thread that brings the open folders' rows
// in the index database in line with their maildirs (scan_folder) and then
// fills the full-text index (index_message_text), so that neither ever runs
// on the UI thread. It has its own database connections; it reports
// progress and the end of each job as events (Scanned, TextIndexed) on the
// reader's queue, and the reader re-reads the rows it shows when a scan
// committed something. After a scan it brings the folder's snapshot (rows
// and thread order, store/folder_snapshot) in line with the database, so
// that the reader's next read of the folder is the snapshot's. Jobs run in
// the order asked, except that a snapshot from the reader's own order goes
// first (a text pass yields to it between two batches); a folder asked for
// twice runs once, and stopping ends a long job between two batches (what
// it committed stays; the next scan goes on from there).
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "sync/worker.hpp"
#include "util/paths.hpp"

namespace tern {

struct SnapshotSeed;

class StoreWorker {
public:
    // `sort` and `sort_aux`: the order the folders' snapshots keep (the
    // configured one, as a folder opens)
    StoreWorker(EnvLookup env, EventQueue& events, std::string sort, std::string sort_aux);
    ~StoreWorker();  // ends the job under way at its next batch, joins
    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    // Scans the folder's maildir into the index, then indexes the text of
    // the messages that have none yet.
    void scan(const Account& account, std::string folder);
    // Writes the folder's snapshot from the order the reader made of the
    // rows it read from the database (Mailbox::take_snapshot_seed), before
    // a scan asked after it (which then leaves the snapshot to this job).
    void snapshot(const Account& account, std::string folder, std::shared_ptr<const SnapshotSeed> seed);

private:
    // Snapshot: the folder's snapshot, when the scan could not start it (a
    // sync held the write lock), or from a reader's seed
    enum class Job { Scan, IndexText, Snapshot };
    struct Command {
        Job job = Job::Scan;
        Account account;
        std::string folder;
        std::shared_ptr<const SnapshotSeed> seed{};  // Snapshot: the reader's order
        bool deferred = false;  // the seed's job found the write lock held: behind the others, not before them
    };
    void run();
    void push(Command command);
    void execute(const Command& command);
    void defer(const Command& command);  // a seeded Snapshot job, the write lock held: again behind the others
    bool stopping();
    // a Snapshot job with a seed waiting, for that folder (none given: for any)
    bool seed_queued(const std::string* account = nullptr, const std::string* folder = nullptr);
    const EnvLookup env_;
    const std::string sort_, sort_aux_;
    EventQueue& events_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Command> commands_;
    bool stopping_ = false;
    // per "account/folder": the ids up to which a text pass looked (this thread's only)
    std::map<std::string, std::int64_t> text_done_through_;
    std::thread thread_;
};

}  // namespace tern
