// A cached folder's index as `tern ls` prints it and `tern show` numbers it:
// the folder scanned into the index database, its rows sorted and threaded
// by the config's sort and sort_aux, limited by a mutt pattern. Local store
// only: no network.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mime/address.hpp"
#include "cli/cli.hpp"
#include "store/index_db.hpp"
#include "store/index_view.hpp"

namespace tern {

struct ListingRequest {
    std::string command;       // "ls", for messages
    std::string account_name;  // empty: the default account
    std::string folder = "INBOX";
    std::string pattern;       // empty: every message
};

struct FolderListing {
    Config config;
    const Account* account = nullptr;  // in config
    std::string folder;
    std::unique_ptr<IndexDb> index;
    std::int64_t folder_id = 0;
    std::vector<MessageRow> rows;
    std::vector<IndexEntry> shown;  // in index order, limited; number N is shown[N - 1]
    AddressSet my_addresses;
};

// The listing, or the exit status after a message on stderr.
std::variant<FolderListing, int> list_folder(const CliContext& ctx, const ListingRequest& request);

}  // namespace tern
