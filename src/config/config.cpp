#include "config/config.hpp"

namespace tern {

const Account* Config::find_account(std::string_view name) const {
    for (const auto& a : accounts)
        if (a.name == name) return &a;
    return nullptr;
}

const Account* Config::default_account() const {
    if (!options.default_account.empty())
        if (const Account* a = find_account(options.default_account)) return a;
    return accounts.empty() ? nullptr : &accounts.front();
}

std::vector<std::string> Config::account_names() const {
    std::vector<std::string> names;
    for (const auto& a : accounts) names.push_back(a.name);
    return names;
}

}  // namespace tern
