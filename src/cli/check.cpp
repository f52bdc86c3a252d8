// tern check [ACCOUNT...]: the "test account settings" button. One line per
// step on stdout; for each failing account one line on stderr that says what
// failed and what to do. Exit 0 only when every step of every account passed.
#include <iostream>

#include "cli/cli.hpp"
#include "config/parser.hpp"
#include "net/account_check.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

const char* status_word(StepStatus s) {
    switch (s) {
    case StepStatus::Ok: return "ok  ";
    case StepStatus::Warning: return "warn";
    case StepStatus::Failed: return "FAIL";
    }
    return "?";
}

}  // namespace

int cmd_check(const CliContext& ctx) {
    std::vector<std::string> names;
    for (const auto& a : ctx.args) {
        if (!a.empty() && a[0] == '-') {
            std::cerr << "tern check: unknown option '" << a << "' (usage: tern check [ACCOUNT...])\n";
            return kExitUsage;
        }
        names.push_back(a);
    }
    const Config config = load_config(ctx.config_path, ctx.env);
    const auto accounts = named_accounts(config, names, "check");
    if (!accounts) return kExitUsage;

    int failed = 0;
    for (const Account* a : *accounts) {
        std::cout << "account " << a->name << "\n";
        std::string current_service;
        std::string first_failure;
        const bool ok = check_account(*a, ctx.env, [&](const CheckStep& s) {
            if (s.service != current_service) {
                current_service = s.service;
                const ServerUrl& url = s.service == "send" ? *a->send : a->receive;
                const std::string& user = s.service == "send" ? a->send_user : a->receive_user;
                std::cout << "  " << s.service << " " << url.scheme() << "://" << user << "@" << url.host_port() << "\n";
            }
            std::cout << "    " << status_word(s.status) << "  " << s.name;
            for (std::size_t pad = s.name.size(); pad < 9; ++pad) std::cout << ' ';
            std::cout << s.detail << "\n" << std::flush;
            if (s.status == StepStatus::Failed && first_failure.empty())
                first_failure = s.service + " " + s.name + " failed: " + s.detail;
        });
        if (!ok) {
            ++failed;
            std::cerr << "tern: account " << a->name << ": " << first_failure << "\n";
        }
    }
    if (failed == 0) std::cout << "all checks passed\n";
    return failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace tern
