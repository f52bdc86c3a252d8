// tern check [ACCOUNT...]: the "test account settings" button. One line per
// step on stdout; for each failing account one line on stderr that says what
// failed and what to do. Exit 0 only when every step of every account passed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "cli/cli.hpp"
#include "config/config_edit.hpp"
#include "config/parser.hpp"
#include "util/files.hpp"
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

namespace {

// tern check --trust ACCOUNT: show each server's certificate and pin its key
// into the account block (an explicit act: tern never trusts a key by itself).
int trust(const CliContext& ctx, const std::string& name) {
    const Config config = load_config(ctx.config_path, ctx.env);
    const Account* account = chosen_account(config, name, "check --trust");
    if (!account) return kExitUsage;
    std::vector<std::pair<std::string, std::string>> pins;
    for (const Service service : {Service::Receive, Service::Send}) {
        if (service == Service::Send && !account->send) continue;
        const ServerUrl& url = service == Service::Send ? *account->send : account->receive;
        std::cout << (service == Service::Send ? "send " : "receive ") << url.scheme() << "://" << url.host_port() << "\n";
        const auto t = probe_certificate(*account, service);
        if (!t || t->key_pin.empty()) {
            std::cerr << "tern check --trust: no TLS handshake with " << url.host_port()
                      << ": nothing to trust (check that the server runs: tern check " << account->name << ")\n";
            return kExitFailure;
        }
        std::cout << "    subject      " << t->subject << "\n    issuer       " << t->issuer << "\n    valid        " << t->not_before
                  << " to " << t->not_after << "\n    SHA-256      " << t->fingerprint << "\n    key          " << t->key_pin << "\n";
        pins.emplace_back(service == Service::Send ? "send_pinned_key" : "pinned_key", "\"" + t->key_pin + "\"");  // quoted: base64 may end in "="
    }
    // the account's own file (it may come from a `source`d one), at its own line
    const std::string& at = account->defined_at;
    const auto colon = at.rfind(':');
    const std::string file = at.substr(0, colon);
    const std::size_t line = colon == std::string::npos ? 0 : std::stoul(at.substr(colon + 1));
    int err = 0;
    auto text = read_file(file, &err);
    if (!text) {
        std::cerr << "tern check --trust: cannot read " << file << ": " << std::strerror(err) << "\n";
        return kExitFailure;
    }
    auto edited = set_account_keys(*text, line, pins);
    if (!edited) {
        std::cerr << "tern check --trust: cannot find the end of account " << account->name << " in " << file
                  << "; add these lines to it by hand:\n";
        for (const auto& [k, v] : pins) std::cerr << "    " << k << " = " << v << "\n";
        return kExitFailure;
    }
    parse_config(*edited, file, ctx.env, real_config_files());  // never write a file tern cannot read
    struct stat st {};
    const mode_t mode = ::stat(file.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0600;  // the file keeps its mode
    if (const int werr = write_file_atomic(file, *edited, mode)) {
        std::cerr << "tern check --trust: cannot write " << file << ": " << std::strerror(werr) << " (nothing was changed)\n";
        return kExitFailure;
    }
    std::cout << "Trusted: the key" << (pins.size() > 1 ? "s are" : " is") << " pinned in " << file << " (account " << account->name
              << "); a different key from now on is an error.\n\n";
    CliContext again = ctx;
    again.args = {account->name};
    return cmd_check(again);
}

}  // namespace

int cmd_check(const CliContext& ctx) {
    if (!ctx.args.empty() && ctx.args[0] == "--trust") {
        if (ctx.args.size() != 2) {
            std::cerr << "tern check: --trust takes one account (usage: tern check --trust ACCOUNT)\n";
            return kExitUsage;
        }
        return trust(ctx, ctx.args[1]);
    }
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
