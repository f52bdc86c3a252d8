#include "ui/folder_order.hpp"

#include <algorithm>

namespace tern {

std::vector<std::string> order_folders(std::vector<std::string> folders, std::string_view account, const std::vector<std::string>& mailboxes) {
    std::vector<std::string> out;
    for (const auto& m : mailboxes) {
        std::string_view name = m;
        const std::string prefix = std::string(account) + "/";
        if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
        const auto it = std::find(folders.begin(), folders.end(), name);
        if (it == folders.end()) continue;  // another account's, or not here (yet)
        out.push_back(std::move(*it));
        folders.erase(it);
    }
    out.insert(out.end(), std::make_move_iterator(folders.begin()), std::make_move_iterator(folders.end()));
    return out;
}

}  // namespace tern
