// The accounts a command names on its command line, shared by the commands
// that take ACCOUNT... (check, sync) or -a ACCOUNT (ls, send).
#include <iostream>

#include "cli/cli.hpp"
#include "util/strings.hpp"

namespace tern {

const Account* chosen_account(const Config& config, const std::string& name, std::string_view command) {
    const Account* account = name.empty() ? config.default_account() : config.find_account(name);
    if (!account) std::cerr << "tern " << command << ": unknown account '" << name << "' (valid: " << join(config.account_names(), ", ") << ")\n";
    return account;
}

std::optional<std::vector<const Account*>> named_accounts(const Config& config, const std::vector<std::string>& names,
                                                          std::string_view command) {
    std::vector<const Account*> accounts;
    for (const auto& n : names) {
        const Account* a = config.find_account(n);
        if (!a) {
            std::cerr << "tern " << command << ": unknown account '" << n << "' (valid: " << join(config.account_names(), ", ") << ")\n";
            return std::nullopt;
        }
        accounts.push_back(a);
    }
    if (accounts.empty())
        for (const auto& a : config.accounts) accounts.push_back(&a);
    return accounts;
}

}  // namespace tern
