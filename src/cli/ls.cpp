// tern ls [-a ACCOUNT] [FOLDER] [-l PATTERN]: the index lines of a cached
// folder, as the index screen shows them (sorted and threaded by the config's
// sort and sort_aux, limited by a mutt pattern), read from the local store
// only: no network.
#include <sys/stat.h>

#include <ctime>
#include <iostream>
#include <optional>
#include <cstring>

#include "cli/cli.hpp"
#include "config/parser.hpp"
#include "mime/address.hpp"
#include "mime/headers.hpp"
#include "store/folder_scan.hpp"
#include "store/index_db.hpp"
#include "store/index_view.hpp"
#include "store/maildir.hpp"
#include "store/pattern.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace tern {

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
    std::optional<Pattern> limit;
    if (!pattern.empty()) {
        try {
            limit = parse_pattern(pattern, static_cast<std::int64_t>(std::time(nullptr)));
        } catch (const Failure& f) {
            std::cerr << "tern ls: -l: " << f.error().summary << "\n";
            return kExitUsage;
        }
    }
    const Config config = load_config(ctx.config_path, ctx.env);
    const Account* account = chosen_account(config, account_name, "ls");
    if (!account) return kExitUsage;
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
    IndexDb index(IndexDb::path_for(ctx.env, account->name));
    if (!index.moved_aside().empty())
        std::cerr << "tern ls: the index database was damaged; it was moved to " << index.moved_aside()
                  << " and is being rebuilt from the maildir\n";
    const std::int64_t folder_id = index.folder_id(account->name, folder);
    scan_folder(index, folder_id, maildir);
    if (limit && limit->uses_message_text()) index_message_text(index, folder_id, maildir);  // ~h ~b ~B need every message in the index
    const std::vector<MessageRow> rows = index.messages(folder_id);
    MatchContext match;
    for (const auto& a : parse_address_list(account->from)) match.my_addresses.push_back(a.email);
    match.message_text = [&path, &index](const MessageRow& r, char part) {
        if (part == 'h') return index.header_text(r.id);
        if (part == 'b') return index.body_text(r.id);
        return index.header_text(r.id) + "\n" + index.body_text(r.id);
    };
    match.search_text = [&index](std::string_view literal, char part) { return index.search_text(literal, part); };
    std::optional<PatternMatcher> matcher;
    if (limit) matcher.emplace(*limit, match);
    // written in blocks: a 100,000-line folder is not held twice in memory
    std::string out;
    std::size_t number = 0;
    IndexLineFormatter formatter(match.my_addresses);
    for (const IndexEntry& e : order_index(rows, config.options.sort, config.options.sort_aux)) {
        if (matcher && !matcher->matches(rows[e.row])) continue;
        formatter.append(out, rows[e.row], e, ++number);
        out += '\n';
        if (out.size() >= 1 << 16) {
            std::cout << out;
            out.clear();
        }
    }
    std::cout << out << std::flush;
    return std::cout ? kExitOk : kExitFailure;
}

}  // namespace tern
