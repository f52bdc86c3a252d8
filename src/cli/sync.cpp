// tern sync [ACCOUNT...] [--folder F] [--rebuild] [--verbose]: the headless
// mirror, for cron. On a terminal it shows progress and a line per folder
// that changed; otherwise it is quiet unless --verbose. Exit 1 with one line on
// stderr per failed account; the other accounts still sync.
#include <unistd.h>

#include <iostream>
#include <optional>
#include <system_error>

#include "cli/cli.hpp"
#include "config/parser.hpp"
#include "net/credentials.hpp"
#include "net/imap_connection.hpp"
#include "store/index_db.hpp"
#include "sync/imap_sync.hpp"
#include "util/files.hpp"
#include "util/lock_file.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

constexpr const char* kUsage = "usage: tern sync [ACCOUNT...] [--folder F] [--rebuild] [--verbose]";

std::string folder_summary(const FolderSyncResult& r) {
    if (r.unchanged) return "unchanged (" + std::to_string(r.total) + " messages)";
    std::vector<std::string> parts;
    if (r.fetched) parts.push_back(std::to_string(r.fetched) + " new");
    if (r.removed) parts.push_back(std::to_string(r.removed) + " removed");
    if (r.flags_to_local) parts.push_back(std::to_string(r.flags_to_local) + " flag changes from the server");
    if (r.flags_to_server) parts.push_back(std::to_string(r.flags_to_server) + " flag changes to the server");
    if (parts.empty()) parts.push_back("no changes");
    return join(parts, ", ") + " (" + std::to_string(r.total) + " messages)";
}

// Syncs one account; returns the one-line failure, or nothing.
std::optional<std::string> sync_account(const Account& account, const CliContext& ctx, const SyncOptions& options, bool verbose) {
    if (account.receive.protocol != Protocol::Imap)
        return "account " + account.name + ": POP3 download is not built yet; only IMAP accounts sync for now";
    const bool tty = ::isatty(STDERR_FILENO);
    try {
        const std::string dir = default_data_dir(ctx.env);
        if (const int err = make_private_dirs(dir)) throw std::system_error(err, std::generic_category(), "cannot make " + dir);
        auto lock = LockFile::try_lock(dir + "/" + account.name + ".lock");
        if (!lock) return "account " + account.name + ": another tern is syncing it; try again when it is done";
        IndexDb index(IndexDb::path_for(ctx.env, account.name));
        if (options.rebuild) index.forget_account(account.name);
        SessionCapture capture;
        ImapConnection conn(endpoint_for(account, Service::Receive, obtain_credentials(account, Service::Receive, ctx.env)), capture);
        const auto listener = [&](const SyncEvent& e) {
            if (e.kind == SyncEvent::Kind::Progress && tty)
                std::cerr << "\r  " << e.folder << ": fetching " << e.done << "/" << e.total << "\x1b[K" << std::flush;
            if (e.kind == SyncEvent::Kind::FolderDone) {
                if (tty) std::cerr << "\r\x1b[K" << std::flush;
                const bool changed = !e.result.unchanged && (e.result.fetched || e.result.removed || e.result.flags_to_local ||
                                                             e.result.flags_to_server);
                if (verbose || (tty && changed)) std::cout << account.name << " " << e.folder << ": " << folder_summary(e.result) << "\n";
            }
        };
        sync_imap_account(account, conn, index, options, listener);
        conn.logout();
        return std::nullopt;
    } catch (const Failure& f) {
        if (tty) std::cerr << "\r\x1b[K";
        return "account " + account.name + ": " + f.error().summary;
    } catch (const std::system_error& e) {
        return "account " + account.name + ": " + e.what();
    }
}

}  // namespace

int cmd_sync(const CliContext& ctx) {
    SyncOptions options;
    bool verbose = false;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if (a == "--folder" && i + 1 < ctx.args.size()) options.only_folder = ctx.args[++i];
        else if (a == "--rebuild") options.rebuild = true;
        else if (a == "--verbose") verbose = true;
        else if (!a.empty() && a[0] != '-') names.push_back(a);
        else {
            std::cerr << "tern sync: unexpected '" << a << "' (" << kUsage << ")\n";
            return kExitUsage;
        }
    }
    const Config config = load_config(ctx.config_path, ctx.env);
    const auto accounts = named_accounts(config, names, "sync");
    if (!accounts) return kExitUsage;
    int failed = 0;
    for (const Account* a : *accounts) {
        if (const auto failure = sync_account(*a, ctx, options, verbose)) {
            std::cerr << "tern sync: " << *failure << "\n";
            ++failed;
        }
    }
    return failed ? kExitFailure : kExitOk;
}

}  // namespace tern
