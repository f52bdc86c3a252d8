#include "sync/worker.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>

#include <system_error>

#include "net/credentials.hpp"
#include "net/imap_connection.hpp"
#include "store/index_db.hpp"
#include "sync/body_fetch.hpp"
#include "sync/outbox.hpp"
#include "sync/pop3_sync.hpp"
#include "util/files.hpp"
#include "util/lock_file.hpp"

namespace tern {

EventQueue::EventQueue() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw std::system_error(errno, std::generic_category(), "cannot make a pipe");
    read_end_.reset(fds[0]);
    write_end_.reset(fds[1]);
}

void EventQueue::push(WorkerEvent event) {
    {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
    }
    ready_.notify_one();
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(write_end_.get(), &byte, 1);  // a full pipe is awake enough
}

std::optional<WorkerEvent> EventQueue::try_pop() {
    std::lock_guard lock(mutex_);
    if (events_.empty()) {
        char drain[64];
        while (::read(read_end_.get(), drain, sizeof drain) > 0) {
        }
        return std::nullopt;
    }
    WorkerEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
}

WorkerEvent EventQueue::pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !events_.empty(); });
    WorkerEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
}

namespace {

// What an outbox drain did, a line each; the bool says it went wrong.
std::vector<std::pair<std::string, bool>> outbox_lines(const OutboxReport& r) {
    std::vector<std::pair<std::string, bool>> lines;
    if (r.sent) lines.emplace_back("outbox: " + std::to_string(r.sent) + " sent", false);
    for (const auto& n : r.notes) lines.emplace_back("outbox: " + n, true);
    if (r.unreachable) lines.emplace_back("outbox: " + std::to_string(r.queued) + " waiting: " + r.unreachable->summary, true);
    return lines;
}

}  // namespace

std::optional<std::string> sync_account(const Account& account, const EnvLookup& env, const SyncOptions& options,
                                        const SyncListener& listener) {
    try {
        const std::string dir = default_data_dir(env);
        if (const int err = make_private_dirs(dir)) throw std::system_error(err, std::generic_category(), "cannot make " + dir);
        auto lock = LockFile::try_lock(dir + "/" + account.name + ".lock");
        if (!lock) return "account " + account.name + ": another tern is syncing it; try again when it is done";
        IndexDb index(IndexDb::path_for(env, account.name));  // this thread's own connection to the database
        if (options.rebuild) index.forget_account(account.name);
        // mail waiting to go first: its Sent copies then reach an IMAP server in this same sync
        if (account.send && outbox_size(account, index) > 0) {
            const OutboxReport sent = drain_outbox(account, env, index, OnRefusal::KeepAsDraft);
            for (const auto& [line, warning] : outbox_lines(sent))
                if (listener) listener({SyncEvent::Kind::Notice, "", 0, 0, {}, line, warning});
        }
        const Endpoint endpoint = endpoint_for(account, Service::Receive, obtain_credentials(account, Service::Receive, env));
        if (account.receive.protocol == Protocol::Pop3) {
            if (!options.only_folder.empty() && options.only_folder != "INBOX")
                return "account " + account.name + ": a POP3 account has only INBOX, not '" + options.only_folder + "'";
            sync_pop3_account(account, endpoint, index, listener);
            return std::nullopt;
        }
        SessionCapture capture;
        ImapConnection conn(endpoint, capture);
        sync_imap_account(account, conn, index, options, listener);
        conn.logout();
        return std::nullopt;
    } catch (const Failure& f) {
        const std::string prefix = "account " + account.name + ": ";
        return f.error().summary.rfind(prefix, 0) == 0 ? f.error().summary : prefix + f.error().summary;
    } catch (const std::system_error& e) {
        return "account " + account.name + ": " + e.what();
    }
}

bool NewMailWatcher::wait(int seconds, int stop_fd) {
    const auto just_wait = [&] {
        pollfd p{stop_fd, POLLIN, 0};
        return ::poll(&p, 1, seconds * 1000) == 0;
    };
    if (account_.receive.protocol != Protocol::Imap) return just_wait();
    try {
        if (!conn_) {
            capture_ = SessionCapture();
            conn_.emplace(endpoint_for(account_, Service::Receive, obtain_credentials(account_, Service::Receive, env_)), capture_);
            if (conn_->has_capability("IDLE")) conn_->run_ok("EXAMINE INBOX", "EXAMINE INBOX");
        }
        if (!conn_->has_capability("IDLE")) return just_wait();
        return conn_->idle(seconds, stop_fd) != ImapConnection::IdleEnd::Stopped;
    } catch (const Failure&) {
        conn_.reset();  // dropped or refused: the next wait connects again
        throw;
    }
}

AccountWorker::AccountWorker(Account account, EnvLookup env, EventQueue& events)
    : account_(std::move(account)), env_(std::move(env)), events_(events) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw std::system_error(errno, std::generic_category(), "cannot make a pipe");
    stop_read_.reset(fds[0]);
    stop_write_.reset(fds[1]);
    thread_ = std::thread([this] { run(); });
}

AccountWorker::~AccountWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(stop_write_.get(), &byte, 1);
    thread_.join();
}

void AccountWorker::push(Command command) {
    {
        std::lock_guard lock(mutex_);
        commands_.push_back(std::move(command));
    }
    wake_.notify_one();
    const char byte = 1;  // ends a wait for new mail, so the command runs now
    [[maybe_unused]] const ssize_t n = ::write(stop_write_.get(), &byte, 1);
}

void AccountWorker::sync_now(SyncOptions options) { push({std::move(options), 0, "", 0}); }

void AccountWorker::watch(SyncOptions options, int interval) { push({std::move(options), std::max(interval, 1), "", 0}); }

void AccountWorker::fetch_body(std::string folder, std::int64_t id) { push({{}, 0, std::move(folder), id}); }

void AccountWorker::fetch(const Command& command) {
    WorkerEvent e{WorkerEvent::Kind::BodyFetched, account_.name, {}, "", command.fetch_folder, command.fetch_id};
    try {
        IndexDb index(IndexDb::path_for(env_, account_.name));
        fetch_body_on_demand(account_, env_, index, command.fetch_folder, command.fetch_id);
    } catch (const Failure& f) {
        e.error = f.error().summary;
    } catch (const std::exception& ex) {
        e.error = ex.what();
    }
    events_.push(std::move(e));
}

bool AccountWorker::run_pending_while_watching() {
    char drain[64];
    while (::read(stop_read_.get(), drain, sizeof drain) > 0) {
    }
    bool sync_asked = false;
    for (;;) {
        Command c;
        {
            std::lock_guard lock(mutex_);
            // a watch is left for the main loop: it is what the worker does next
            if (stopping_ || commands_.empty() || commands_.front().watch_interval > 0) return sync_asked;
            c = std::move(commands_.front());
            commands_.pop_front();
        }
        if (!c.fetch_folder.empty()) fetch(c);
        else sync_asked = true;  // the watch syncs everything next anyway
    }
}

void AccountWorker::run() {
    const auto stopping = [this] {
        std::lock_guard lock(mutex_);
        return stopping_;
    };
    for (;;) {
        Command command;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !commands_.empty(); });
            if (stopping_) return;  // what was under way has finished; queued syncs are dropped
            command = std::move(commands_.front());
            commands_.pop_front();
        }
        if (!command.fetch_folder.empty()) {
            fetch(command);
            continue;
        }
        const auto forward = [this](const SyncEvent& e) { events_.push({WorkerEvent::Kind::Sync, account_.name, e, "", "", 0}); };
        NewMailWatcher watcher(account_, env_);
        for (;;) {
            // while watching, syncs asked for meanwhile are covered by this one (each sync_now is its own sync otherwise)
            if (command.watch_interval > 0) run_pending_while_watching();
            const auto failure = sync_account(account_, env_, command.options, forward);
            if (failure) events_.push({WorkerEvent::Kind::Failed, account_.name, {}, *failure, "", 0});
            events_.push({WorkerEvent::Kind::Done, account_.name, {}, "", "", 0});
            if (command.watch_interval <= 0 || stopping()) break;
            bool keep_going = true;
            if (failure) {  // retried after the interval, unless stopped first; a command ends the wait
                pollfd p{stop_read_.get(), POLLIN, 0};
                ::poll(&p, 1, command.watch_interval * 1000);
                keep_going = !stopping();
            } else {
                try {
                    // new mail, the interval, a command or the end: a command is run, then the watch syncs again
                    while (!watcher.wait(command.watch_interval, stop_read_.get())) {
                        if (stopping()) {
                            keep_going = false;
                            break;
                        }
                        if (run_pending_while_watching()) break;
                    }
                } catch (const Failure& f) {
                    // the watch connection failed: said like a failed sync, and the next sync tries again
                    events_.push({WorkerEvent::Kind::Failed, account_.name, {}, "account " + account_.name + ": " + f.error().summary, "", 0});
                    events_.push({WorkerEvent::Kind::Done, account_.name, {}, "", "", 0});
                    pollfd p{stop_read_.get(), POLLIN, 0};
                    ::poll(&p, 1, command.watch_interval * 1000);
                    keep_going = !stopping();
                }
            }
            if (!keep_going) break;
        }
    }
}

}  // namespace tern
