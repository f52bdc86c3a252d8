#include "cli/folder_listing.hpp"

#include "crypto/gpgme_backend.hpp"

#include <sys/stat.h>

#include <ctime>
#include <iostream>

#include "config/parser.hpp"
#include "mime/address.hpp"
#include "store/folder_scan.hpp"
#include "store/maildir.hpp"
#include "store/pattern.hpp"

namespace tern {

std::variant<FolderListing, int> list_folder(const CliContext& ctx, const ListingRequest& request) {
    const std::string who = "tern " + request.command;
    std::optional<Pattern> limit;
    if (!request.pattern.empty()) {
        try {
            limit = parse_pattern(request.pattern, static_cast<std::int64_t>(std::time(nullptr)));
        } catch (const Failure& f) {
            std::cerr << who << ": -l: " << f.error().summary << "\n";
            return kExitUsage;
        }
    }
    FolderListing out;
    out.config = load_config(ctx.config_path, ctx.env);
    out.account = chosen_account(out.config, request.account_name, request.command);
    if (!out.account) return kExitUsage;
    const std::string& folder = request.folder;
    out.folder = folder;
    if (folder.find("..") != std::string::npos || (!folder.empty() && folder[0] == '/')) {
        std::cerr << who << ": bad folder name '" << folder << "'\n";
        return kExitUsage;
    }
    const std::string path = out.account->maildir + "/" + folder;
    struct stat st {};
    if (::stat((path + "/cur").c_str(), &st) != 0) {
        std::cerr << who << ": no cached folder '" << folder << "' for account " << out.account->name << " (looked in " << path
                  << "): run tern sync first, or check the folder name\n";
        return kExitFailure;
    }
    const Maildir maildir(path, false);
    out.index = std::make_unique<IndexDb>(IndexDb::path_for(ctx.env, out.account->name));
    IndexDb& index = *out.index;
    if (!index.moved_aside().empty())
        std::cerr << who << ": the index database was damaged; it was moved to " << index.moved_aside()
                  << " and is being rebuilt from the maildir\n";
    out.folder_id = index.folder_id(out.account->name, folder);
    scan_folder(index, out.folder_id, maildir);
    if (limit && limit->uses_message_text()) index_message_text(index, out.folder_id, maildir, index_decryptor(*out.account).get());  // ~h ~b ~B need every message in the index
    out.rows = index.messages(out.folder_id);
    MatchContext match;
    match.my_addresses = AddressSet({}, out.config.options.alternates);
    match.lists = AddressSet({}, out.config.options.lists);
    match.subscribed = AddressSet({}, out.config.options.subscribe);
    for (const auto& a : parse_address_list(out.account->from)) match.my_addresses.add(a.email);
    match.message_text = [&index](const MessageRow& r, char part) {
        if (part == 'h') return index.header_text(r.id);
        if (part == 'b') return index.body_text(r.id);
        return index.header_text(r.id) + "\n" + index.body_text(r.id);
    };
    match.search_text = [&index](std::string_view literal, char part) { return index.search_text(literal, part); };
    std::optional<PatternMatcher> matcher;
    if (limit) matcher.emplace(*limit, match);
    for (const IndexEntry& e : order_index(out.rows, out.config.options.sort, out.config.options.sort_aux))
        if (!matcher || matcher->matches(out.rows[e.row])) out.shown.push_back(e);
    out.my_addresses = std::move(match.my_addresses);
    return out;
}

}  // namespace tern
