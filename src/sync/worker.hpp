// One worker thread per account: it owns the account's connection and its
// own index database handle, takes commands from a queue and reports
// progress, results and failures as events, so that the UI never waits on
// the network and `tern sync` can sync every account at once. Nothing here
// prints; the consumer decides what to show.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "net/imap_connection.hpp"
#include "sync/imap_sync.hpp"
#include "util/fd.hpp"
#include "util/paths.hpp"

namespace tern {

struct WorkerEvent {
    // Scanned, TextIndexed: the reader's store worker (store_worker.hpp); Saved: the reader's
    // attachment saver (ui/attachment_saver.hpp), `folder` then the file saved to
    enum class Kind { Sync, Failed, Done, BodyFetched, Scanned, TextIndexed, Saved } kind = Kind::Done;
    std::string account;
    SyncEvent sync;     // Sync: progress or a folder's result
    std::string error;  // Failed, BodyFetched: one line that says what failed and what to do (empty: it worked)
    std::string folder;       // BodyFetched: the local folder
    std::int64_t message = 0;  // BodyFetched: the row's id in the account's index
    // Scanned, TextIndexed: how far a folder's scan or text indexing got; `finished` on its last event,
    // `changed` when the scan found the maildir changed (rows added, renamed or removed)
    std::size_t done = 0, total = 0;
    bool finished = false, changed = false;
    std::string notice{};  // Scanned: a problem that stopped nothing (the folder's snapshot not written)
    // Scanned: the snapshot was written from the reader's seed with this
    // fingerprint, at this generation (Mailbox::snapshot_seeded)
    std::optional<std::uint64_t> seed_fingerprint{};
    std::int64_t seed_generation = 0;
};

// Events from all workers to one consumer. wake_fd() becomes readable when
// an event is waiting, so a UI can poll() it next to the terminal.
class EventQueue {
public:
    EventQueue();
    void push(WorkerEvent event);
    std::optional<WorkerEvent> try_pop();
    WorkerEvent pop();  // waits
    int wake_fd() const { return read_end_.get(); }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<WorkerEvent> events_;
    UniqueFd read_end_, write_end_;
};

// Syncs one account on the calling thread: lock, index, connection, mirror.
// Returns the one-line failure, or nothing.
std::optional<std::string> sync_account(const Account& account, const EnvLookup& env, const SyncOptions& options,
                                        const SyncListener& listener);

// Waits for new mail in an account's INBOX: IDLE (RFC 2177) on a connection
// of its own, kept open from one wait to the next (one login, not one per
// wait), where the server offers it; else, and for POP3, just the time (the
// next sync polls).
class NewMailWatcher {
public:
    NewMailWatcher(const Account& account, const EnvLookup& env) : account_(account), env_(env) {}
    // Waits at most `seconds`; false when `stop_fd` turned readable. Throws
    // Failure when the server cannot be reached (the next wait reconnects).
    bool wait(int seconds, int stop_fd);

private:
    const Account& account_;
    const EnvLookup& env_;
    SessionCapture capture_;
    std::optional<ImapConnection> conn_;
};

class AccountWorker {
public:
    AccountWorker(Account account, EnvLookup env, EventQueue& events);
    ~AccountWorker();  // lets the sync under way finish, drops queued ones, joins
    AccountWorker(const AccountWorker&) = delete;
    AccountWorker& operator=(const AccountWorker&) = delete;

    // Queues a sync; its events end with Done (after Failed when it failed).
    // While the worker watches, a queued sync starts at once.
    void sync_now(SyncOptions options);
    // Fetches the body of a message known here by its headers only
    // (fetch_body_on_demand); reported by a BodyFetched event.
    void fetch_body(std::string folder, std::int64_t id);
    // Syncs, then waits for new mail (IDLE, at most `interval` seconds) and
    // syncs again, until the worker is destroyed; each sync's events end
    // with Done. A failure is reported and retried after the interval.
    void watch(SyncOptions options, int interval);

private:
    struct Command {
        SyncOptions options;
        int watch_interval = 0;  // 0: sync once
        std::string fetch_folder;  // non-empty: fetch one body instead of syncing
        std::int64_t fetch_id = 0;
    };
    void run();
    void push(Command command);
    // Runs queued body fetches; true when a sync was asked for too.
    bool run_pending_while_watching();
    void fetch(const Command& command);
    const Account account_;
    const EnvLookup env_;
    EventQueue& events_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Command> commands_;
    bool stopping_ = false;
    UniqueFd stop_read_, stop_write_;  // wakes a wait for new mail when the worker stops or a command comes
    std::thread thread_;
};

}  // namespace tern
