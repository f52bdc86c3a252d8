// tern ls [-a ACCOUNT] [FOLDER]: the index lines of a cached folder, as the
// index screen shows them (sorted and threaded by the config's sort and
// sort_aux), read from the local store only: no network.
#include <sys/stat.h>

#include <iostream>

#include "cli/cli.hpp"
#include "config/parser.hpp"
#include "store/folder_scan.hpp"
#include "store/index_db.hpp"
#include "store/index_view.hpp"
#include "store/maildir.hpp"
#include "util/strings.hpp"

namespace tern {

std::string index_db_path(const EnvLookup& env, const std::string& account) {
    const std::string dir = default_data_dir(env) + "/index";
    std::string partial;
    for (const auto& part : split(dir, '/')) {
        if (part.empty()) continue;
        partial += "/" + part;
        ::mkdir(partial.c_str(), 0700);
    }
    return dir + "/" + account + ".sqlite";
}

int cmd_ls(const CliContext& ctx) {
    std::string account_name, folder = "INBOX", pattern;
    bool have_folder = false;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if ((a == "-a" || a == "-l") && i + 1 < ctx.args.size()) {
            (a == "-a" ? account_name : pattern) = ctx.args[++i];
        } else if (!a.empty() && a[0] != '-' && !have_folder) {
            folder = a;
            have_folder = true;
        } else {
            std::cerr << "tern ls: unexpected '" << a << "' (usage: tern ls [-a ACCOUNT] [FOLDER] [-l PATTERN])\n";
            return kExitUsage;
        }
    }
    if (!pattern.empty()) {
        std::cerr << "tern ls: -l: limiting by pattern is not available yet in this version\n";
        return kExitUsage;
    }
    Config config;
    try {
        config = load_config(ctx.config_path, ctx.env);
    } catch (const ConfigErrors& e) {
        for (const auto& line : e.lines()) std::cerr << line << "\n";
        return kExitUsage;
    }
    const Account* account = account_name.empty() ? config.default_account() : config.find_account(account_name);
    if (!account) {
        std::cerr << "tern ls: unknown account '" << account_name << "' (valid: " << join(config.account_names(), ", ") << ")\n";
        return kExitUsage;
    }
    if (folder.find("..") != std::string::npos || (!folder.empty() && folder[0] == '/')) {
        std::cerr << "tern ls: bad folder name '" << folder << "'\n";
        return kExitUsage;
    }
    const std::string path = account->maildir + "/" + folder;
    struct stat st {};
    if (::stat((path + "/cur").c_str(), &st) != 0) {
        std::cerr << "tern ls: no cached folder '" << folder << "' for account " << account->name << " (looked in " << path
                  << "): run tern sync first, or check the folder name\n";
        return kExitFailure;
    }
    const Maildir maildir(path, false);
    IndexDb index(index_db_path(ctx.env, account->name));
    if (!index.moved_aside().empty())
        std::cerr << "tern ls: the index database was damaged; it was moved to " << index.moved_aside()
                  << " and is being rebuilt from the maildir\n";
    const std::int64_t folder_id = index.folder_id(account->name, folder);
    scan_folder(index, folder_id, maildir);
    const std::vector<MessageRow> rows = index.messages(folder_id);
    std::string out;
    std::size_t number = 0;
    for (const IndexEntry& e : order_index(rows, config.options.sort, config.options.sort_aux)) {
        out += format_index_line(rows[e.row], e, ++number);
        out += '\n';
    }
    std::cout << out << std::flush;
    return kExitOk;
}

}  // namespace tern
