// tern show [-a ACCOUNT] [FOLDER] N [-l PATTERN]: message N of a folder's
// index (numbered as `tern ls` with the same limit numbers it), as the pager
// shows it. A message whose body is not kept here (cache_bodies) is fetched
// from the server first, without marking it read, and kept from then on.
#include <iostream>
#include <variant>

#include "cli/cli.hpp"
#include "cli/folder_listing.hpp"
#include "sync/body_fetch.hpp"

namespace tern {
namespace {

constexpr const char* kUsage = "usage: tern show [-a ACCOUNT] [FOLDER] N [-l PATTERN]";

}  // namespace

int cmd_show(const CliContext& ctx) {
    ListingRequest request;
    request.command = "show";
    std::vector<std::string> words;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if ((a == "-a" || a == "-l") && i + 1 < ctx.args.size()) (a == "-a" ? request.account_name : request.pattern) = ctx.args[++i];
        else if (!a.empty() && a[0] != '-') words.push_back(a);
        else {
            std::cerr << "tern show: unexpected '" << a << "' (" << kUsage << ")\n";
            return kExitUsage;
        }
    }
    if (words.empty() || words.size() > 2) {
        std::cerr << "tern show: name the message by its number in tern ls (" << kUsage << ")\n";
        return kExitUsage;
    }
    if (words.size() == 2) request.folder = words[0];
    std::size_t number = 0;
    try {
        number = std::stoul(words.back());
    } catch (const std::exception&) {
        number = 0;
    }
    if (number == 0 || words.back().find_first_not_of("0123456789") != std::string::npos) {
        std::cerr << "tern show: '" << words.back() << "' is not a message number (" << kUsage << ")\n";
        return kExitUsage;
    }
    auto listed = list_folder(ctx, request);
    if (const int* status = std::get_if<int>(&listed)) return *status;
    FolderListing& listing = std::get<FolderListing>(listed);
    if (number > listing.shown.size()) {
        std::cerr << "tern show: " << listing.folder << " has " << listing.shown.size() << " messages" << (request.pattern.empty() ? "" : " matching")
                  << ", not " << number << "\n";
        return kExitFailure;
    }
    const MessageRow& row = listing.rows[listing.shown[number - 1].row];
    const Message message = fetch_body_on_demand(*listing.account, ctx.env, *listing.index, listing.folder, row.id);
    std::cout << render_for_pager(message, ctx, &listing.config) << std::flush;
    return std::cout ? kExitOk : kExitFailure;
}

}  // namespace tern
