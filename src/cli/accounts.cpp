// The accounts a command names on its command line, shared by the commands
// that take ACCOUNT... (check, sync).
#include <iostream>

#include "cli/cli.hpp"
#include "util/strings.hpp"

namespace tern {

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
