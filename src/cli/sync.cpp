// tern sync [ACCOUNT...] [--folder F] [--rebuild] [--verbose]: the headless
// mirror (IMAP) or download (POP3), after sending what waits in the outbox, for cron; every account on its own worker thread, at once. On a
// terminal it shows progress and a line per folder that changed; otherwise
// it is quiet unless --verbose. Exit 1 with one line on stderr per failed
// account; the other accounts still sync. --watch keeps syncing: again when
// IDLE reports new mail in INBOX, else every check_interval.
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "cli/cli.hpp"
#include "config/parser.hpp"
#include "core/error.hpp"
#include "store/folder_snapshot.hpp"
#include "store/index_db.hpp"
#include "sync/worker.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

constexpr const char* kUsage = "usage: tern sync [ACCOUNT...] [--folder F] [--rebuild] [--verbose] [--watch] [--rules [--dry-run]] [--undo-rules]";

std::string folder_summary(const FolderSyncResult& r) {
    const std::string counts = " (" + std::to_string(r.total) + " messages, " + std::to_string(r.unseen) + " unread" +
                               (r.resynced ? "; changes told by QRESYNC)" : ")");
    if (r.unchanged) return "unchanged" + counts;
    std::vector<std::string> parts;
    if (r.fetched) parts.push_back(std::to_string(r.fetched) + " new" + (r.headers_only ? " (" + std::to_string(r.headers_only) + " headers only)" : ""));
    if (r.removed) parts.push_back(std::to_string(r.removed) + " removed");
    if (r.uploaded) parts.push_back(std::to_string(r.uploaded) + " uploaded");
    if (r.deleted_on_server) parts.push_back(std::to_string(r.deleted_on_server) + " deleted on the server");
    if (r.not_deleted_on_server)
        parts.push_back(std::to_string(r.not_deleted_on_server) + " files gone here at once: fetched again, not deleted on the server");
    if (r.flags_to_local) parts.push_back(std::to_string(r.flags_to_local) + " flag changes from the server");
    if (r.flags_to_server) parts.push_back(std::to_string(r.flags_to_server) + " flag changes to the server");
    for (const auto& note : r.notes) parts.push_back(note);
    if (parts.empty()) parts.push_back("no changes");
    return join(parts, ", ") + counts;
}

// The folders that changed and that the reader keeps a snapshot of (it
// opened them): the snapshot is made current here, in the background job,
// so that the reader's next open reads it instead of the database.
void refresh_snapshots(const Config& config, const EnvLookup& env, const std::string& account, const std::set<std::string>& folders) {
    if (folders.empty()) return;
    try {
        IndexDb index(IndexDb::path_for(env, account));
        for (const auto& folder : folders) {
            const auto id = index.find_folder_id(account, folder);
            struct stat st {};
            if (!id || ::stat(folder_snapshot_path(index.path(), *id).c_str(), &st) != 0) continue;
            refresh_folder_snapshot(index, *id, config.options.sort, config.options.sort_aux);
        }
    } catch (const Failure& f) {
        // the reader reads the database instead: slower, nothing lost
        std::cerr << "tern sync: " << account << ": " << f.error().summary << " (the reader opens from the index database)\n";
    }
}

}  // namespace

int cmd_sync(const CliContext& ctx) {
    SyncOptions options;
    bool verbose = false, watch = false, rules = false, dry_run = false, undo = false;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if (a == "--folder" && i + 1 < ctx.args.size()) options.only_folder = ctx.args[++i];
        else if (a == "--rebuild") options.rebuild = true;
        else if (a == "--verbose") verbose = true;
        else if (a == "--watch") watch = true;
        else if (a == "--rules") rules = true;
        else if (a == "--dry-run") dry_run = true;
        else if (a == "--undo-rules") undo = true;
        else if (!a.empty() && a[0] != '-') names.push_back(a);
        else {
            std::cerr << "tern sync: unexpected '" << a << "' (" << kUsage << ")\n";
            return kExitUsage;
        }
    }
    const Config config = load_config(ctx.config_path, ctx.env);
    const auto accounts = named_accounts(config, names, "sync");
    if (!accounts) return kExitUsage;
    if (dry_run && !rules) {
        std::cerr << "tern sync: --dry-run shows what --rules would do; give both (" << kUsage << ")\n";
        return kExitUsage;
    }
    if (undo) return undo_rules(*accounts, ctx.env);  // no sync: that is what the undo is for
    int rules_rc = kExitOk;
    if (rules) {
        if (config.rules.empty()) std::cout << "no rules in " << config.path << " (see tern(5), rule)\n";
        rules_rc = apply_rules(config, *accounts, ctx.env, dry_run);
        if (dry_run || rules_rc == kExitUsage) return rules_rc;
    }
    // every account on its own worker thread, at once; this thread shows the events
    const bool tty = ::isatty(STDERR_FILENO);
    EventQueue events;
    std::vector<std::unique_ptr<AccountWorker>> workers;
    for (const Account* a : *accounts) {
        workers.push_back(std::make_unique<AccountWorker>(*a, ctx.env, events));
        // --watch: again on new mail (IDLE) or every check_interval, until killed (every step is crash-safe)
        if (watch) workers.back()->watch(options, config.options.check_interval > 0 ? config.options.check_interval : 60);
        else workers.back()->sync_now(options);
    }
    if (watch) verbose = false;  // a line per folder that changed, and failures: a log, not a report
    int failed = 0;
    std::set<std::string> failed_now;  // accounts whose sync under way has failed
    std::map<std::string, std::set<std::string>> changed;  // per account: the folders the sync under way changed
    for (std::size_t running = workers.size(); running > 0;) {
        const WorkerEvent e = events.pop();
        if (e.kind == WorkerEvent::Kind::Done) {
            if (!watch) --running;
            // a sync that reached the server has carried what the rules did: nothing is left to undo
            if (!failed_now.erase(e.account)) {
                forget_rule_undo(ctx.env, e.account);
                refresh_snapshots(config, ctx.env, e.account, changed[e.account]);  // a failed one has said why already
            }
            changed.erase(e.account);
        } else if (e.kind == WorkerEvent::Kind::Failed) {
            failed_now.insert(e.account);
            if (tty) std::cerr << "\r\x1b[K";
            std::cerr << "tern sync: " << e.error << "\n";
            ++failed;
        } else if (e.sync.kind == SyncEvent::Kind::Progress && tty) {
            std::cerr << "\r  " << e.account << " " << e.sync.folder << ": fetched " << e.sync.done << "/" << e.sync.total << "\x1b[K"
                      << std::flush;
        } else if (e.sync.kind == SyncEvent::Kind::Notice) {
            if (tty) std::cerr << "\r\x1b[K" << std::flush;
            if (e.sync.warning) std::cerr << "tern sync: " << e.account << " " << e.sync.text << "\n";
            else if (verbose || tty || watch) std::cout << e.account << " " << e.sync.text << std::endl;
        } else if (e.sync.kind == SyncEvent::Kind::FolderDone) {
            const FolderSyncResult& r = e.sync.result;
            if (r.changed()) changed[e.account].insert(r.folder);
            if (tty) std::cerr << "\r\x1b[K" << std::flush;
            if (verbose || ((tty || watch) && r.changed())) std::cout << e.account << " " << r.folder << ": " << folder_summary(r) << std::endl;
        }
    }
    return failed || rules_rc != kExitOk ? kExitFailure : kExitOk;
}

}  // namespace tern
