// tern ls [-a ACCOUNT] [FOLDER] [-l PATTERN]: the index lines of a cached
// folder, as the index screen shows them (sorted and threaded by the config's
// sort and sort_aux, limited by a mutt pattern), read from the local store
// only: no network.
#include <iostream>
#include <variant>

#include "cli/cli.hpp"
#include "cli/folder_listing.hpp"

namespace tern {

int cmd_ls(const CliContext& ctx) {
    ListingRequest request;
    request.command = "ls";
    bool have_folder = false;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if ((a == "-a" || a == "-l") && i + 1 < ctx.args.size()) {
            (a == "-a" ? request.account_name : request.pattern) = ctx.args[++i];
        } else if (!a.empty() && a[0] != '-' && !have_folder) {
            request.folder = a;
            have_folder = true;
        } else {
            std::cerr << "tern ls: unexpected '" << a << "' (usage: tern ls [-a ACCOUNT] [FOLDER] [-l PATTERN])\n";
            return kExitUsage;
        }
    }
    auto listed = list_folder(ctx, request);
    if (const int* status = std::get_if<int>(&listed)) return *status;
    const FolderListing& listing = std::get<FolderListing>(listed);
    // written in blocks: a 100,000-line folder is not held twice in memory
    std::string out;
    std::size_t number = 0;
    IndexLineFormatter formatter(listing.my_addresses);
    for (const IndexEntry& e : listing.shown) {
        formatter.append(out, listing.rows[e.row], e, ++number);
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
