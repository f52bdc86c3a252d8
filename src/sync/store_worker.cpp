#include "sync/store_worker.hpp"

#include <sys/stat.h>

#include <chrono>

#include "core/error.hpp"
#include "crypto/gpgme_backend.hpp"
#include "store/folder_scan.hpp"
#include "store/folder_snapshot.hpp"

namespace tern {

StoreWorker::StoreWorker(EnvLookup env, EventQueue& events, std::string sort, std::string sort_aux)
    : env_(std::move(env)), sort_(std::move(sort)), sort_aux_(std::move(sort_aux)), events_(events) {
    thread_ = std::thread([this] { run(); });
}

StoreWorker::~StoreWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        commands_.clear();
    }
    wake_.notify_all();
    thread_.join();
}

void StoreWorker::scan(const Account& account, std::string folder) { push({Job::Scan, account, std::move(folder)}); }

void StoreWorker::snapshot(const Account& account, std::string folder, std::shared_ptr<const SnapshotSeed> seed) {
    push({Job::Snapshot, account, std::move(folder), std::move(seed)});
}

void StoreWorker::push(Command command) {
    {
        std::lock_guard lock(mutex_);
        for (auto& c : commands_)
            if (c.job == command.job && c.account.name == command.account.name && c.folder == command.folder) {
                if (command.seed) c.seed = std::move(command.seed), c.deferred = command.deferred;  // the newer rows' (the older one's memory back)
                return;
            }
        // the reader's order first: it is memory held until written, and a text pass yields to it
        if (command.seed && !command.deferred) commands_.push_front(std::move(command));
        else commands_.push_back(std::move(command));
    }
    wake_.notify_all();
}

bool StoreWorker::seed_queued(const std::string* account, const std::string* folder) {
    std::lock_guard lock(mutex_);
    for (const auto& c : commands_)
        if (c.job == Job::Snapshot && c.seed && !c.deferred && (!account || (c.account.name == *account && c.folder == *folder)))
            return true;
    return false;
}

void StoreWorker::defer(const Command& command) {
    {
        // alone in the queue, it is tried again in a second, not at once
        std::unique_lock lock(mutex_);
        if (commands_.empty()) wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || !commands_.empty(); });
        if (stopping_) return;
    }
    Command later = command;
    later.deferred = true;
    push(std::move(later));
}

bool StoreWorker::stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void StoreWorker::run() {
    for (;;) {
        Command command;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !commands_.empty(); });
            if (stopping_) return;
            command = std::move(commands_.front());
            commands_.pop_front();
        }
        execute(command);
    }
}

namespace {
std::string snapshot_notice(const Failure& f) { return f.error().summary + " (the folder opens from the index database, more slowly)"; }
}  // namespace

void StoreWorker::execute(const Command& command) {
    const Account& account = command.account;
    const std::string root = account.maildir + "/" + command.folder;
    struct stat st {};
    WorkerEvent event;
    // the snapshot job ends as a scan does: the reader then reads the rows again if it is behind
    event.kind = command.job == Job::IndexText ? WorkerEvent::Kind::TextIndexed : WorkerEvent::Kind::Scanned;
    event.account = account.name;
    event.folder = command.folder;
    ScanControl control;
    // a text pass takes minutes at a million messages: a reader's order for a snapshot waiting behind it
    // goes first (the pass goes on after it from what it committed)
    bool yielded = false;
    control.stop = [this, &command, &yielded] { return stopping() || (command.job == Job::IndexText && (yielded = seed_queued())); };
    control.progress = [&](std::size_t done, std::size_t total) {
        WorkerEvent e = event;
        e.done = done;
        e.total = total;
        events_.push(std::move(e));
    };
    bool snapshot_later = false;
    // A sync writing a big batch can hold the database's write lock past the
    // busy timeout: the job is then tried again (a scan and an indexing pass
    // both go on from what they committed), and the reader says why it waits.
    for (;;) {
        try {
            if (::stat((root + "/cur").c_str(), &st) != 0) break;  // no maildir (yet): nothing to do
            // this thread's own connection: the reader's never waits on these writes
            IndexDb index(IndexDb::path_for(env_, account.name));
            const std::int64_t folder_id = index.folder_id(account.name, command.folder);
            const Maildir maildir(root, false);
            if (command.job == Job::Scan) {
                const ScanResult result = scan_folder(index, folder_id, maildir, &control);
                if (result.stopped) return;
                event.changed = result.changed();
                // The snapshot at once, so that the reader's reload after
                // this scan reads it, unless a sync holds the write lock
                // that starting one takes: then after the text pass, not
                // before it (the reader's ~b waits for that one's progress).
                // Not when the reader handed its own order for it: that job
                // comes next (the reader reads the rows again after this scan
                // when it changed them, and hands a newer one).
                try {
                    if (!seed_queued(&account.name, &command.folder))
                        refresh_folder_snapshot(index, folder_id, sort_, sort_aux_, [this] { return stopping(); }, false);
                } catch (const Failure& f) {
                    if (f.kind() != ErrorKind::Busy) event.notice = snapshot_notice(f);
                    else snapshot_later = true;
                }
                if (stopping()) return;
            } else if (command.job == Job::Snapshot) {
                try {
                    SnapshotRefresh how;
                    // a reader's seed does not wait for a sync's write lock here, ahead of the scan and
                    // the text pass (whose progress is what a ~b asked meanwhile reports): it goes behind them
                    refresh_folder_snapshot(index, folder_id, sort_, sort_aux_, [this] { return stopping(); }, !command.seed, &how,
                                            command.seed.get());
                    if (how.seeded) event.seed_fingerprint = command.seed->fingerprint, event.seed_generation = how.generation;
                } catch (const Failure& f) {
                    if (f.kind() == ErrorKind::Busy && command.seed) return defer(command);
                    if (f.kind() == ErrorKind::Busy) throw;
                    event.notice = snapshot_notice(f);
                }
                if (stopping()) return;
            } else {
                control.text_done_through = &text_done_through_[account.name + "/" + command.folder];
                index_message_text(index, folder_id, maildir, index_decryptor(account).get(), &control);
                if (stopping()) return;
                if (yielded) return push({Job::IndexText, account, command.folder});
            }
            break;
        } catch (const Failure& f) {
            if (stopping()) return;
            if (f.kind() != ErrorKind::Busy) {
                event.error = f.error().summary;
                break;
            }
            WorkerEvent waiting = event;
            waiting.error = "waiting for the index database (a sync is writing to it)";
            events_.push(std::move(waiting));
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
            if (stopping_) return;
        }
    }
    event.finished = true;
    events_.push(event);
    if (command.job == Job::Scan && event.error.empty()) push({Job::IndexText, account, command.folder});
    if (snapshot_later && event.error.empty()) push({Job::Snapshot, account, command.folder});
}

}  // namespace tern
