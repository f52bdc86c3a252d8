// Housekeeping rules (`rule ACCOUNT FOLDER PATTERN ACTION`), run by tern
// sync --rules before it syncs: each rule's matching messages are changed in
// the local store exactly as the reader's keys would change them (a move is
// a durable copy into the other folder and a deletion; a deletion marks the
// message and the purge removes its file), so the sync that follows carries
// them to the server like any action, through the same queue; with
// --dry-run they are only listed. Mail is never removed before its copy is
// stored.
#include <algorithm>
#include <iostream>

#include "cli/cli.hpp"
#include "core/error.hpp"
#include "store/index_view.hpp"
#include "store/mailbox.hpp"

namespace tern {
namespace {

std::string describe(const Rule& r) {
    std::string action;
    switch (r.action) {
        case Rule::Action::Delete: action = "delete"; break;
        case Rule::Action::Move: action = "move to " + r.target; break;
        case Rule::Action::Copy: action = "copy to " + r.target; break;
        case Rule::Action::Read: action = "mark read"; break;
        case Rule::Action::Flag: action = "flag"; break;
    }
    return r.account + " " + r.folder + " " + r.pattern + ": " + action;
}

}  // namespace

int apply_rules(const Config& config, const std::vector<const Account*>& accounts, const EnvLookup& env, bool dry_run) {
    AccountIndexes indexes(env);
    int failed = 0;
    for (const Rule& rule : config.rules) {
        const Account* account = config.find_account(rule.account);
        if (std::find(accounts.begin(), accounts.end(), account) == accounts.end()) continue;
        try {
            Mailbox box({{account, rule.folder}}, indexes, config);
            std::vector<std::size_t> rows;
            for (const auto r : box.matching(rule.pattern)) {
                const Flags f = box.row(r).flags;
                const bool done_already = f.has(Flags::Trashed) || (rule.action == Rule::Action::Read && f.has(Flags::Seen)) ||
                                          (rule.action == Rule::Action::Flag && f.has(Flags::Flagged));
                if (!done_already) rows.push_back(r);
            }
            std::cout << "rule " << describe(rule) << ": " << rows.size() << (rows.size() == 1 ? " message" : " messages")
                      << (dry_run ? " would be changed" : "") << "\n";
            if (dry_run) {
                IndexLineFormatter format;
                std::size_t n = 0;
                for (const auto r : rows) {
                    std::string line;
                    format.append(line, box.row(r), IndexEntry{r, {}}, ++n);
                    std::cout << "  " << line << "\n";
                }
                continue;
            }
            box.begin_action(describe(rule));
            for (const auto r : rows) {
                std::optional<std::string> problem;
                const Flags f = box.row(r).flags;
                switch (rule.action) {
                    case Rule::Action::Delete: problem = box.set_flags(r, f.with(Flags::Trashed)); break;
                    case Rule::Action::Move: problem = box.copy_to(r, {account, rule.target}, true); break;
                    case Rule::Action::Copy: problem = box.copy_to(r, {account, rule.target}, false); break;
                    case Rule::Action::Read: problem = box.set_flags(r, f.with(Flags::Seen)); break;
                    case Rule::Action::Flag: problem = box.set_flags(r, f.with(Flags::Flagged)); break;
                }
                if (problem) {
                    std::cerr << "tern sync: " << rule.defined_at << ": rule: " << *problem << "\n";
                    ++failed;
                    break;
                }
            }
            if (rule.action == Rule::Action::Delete || rule.action == Rule::Action::Move) box.purge();
        } catch (const Failure& f) {
            std::cerr << "tern sync: " << rule.defined_at << ": rule: " << f.error().summary << "\n";
            if (f.kind() == ErrorKind::Usage) return kExitUsage;  // a bad pattern: the config needs fixing
            ++failed;
        }
    }
    return failed ? kExitFailure : kExitOk;
}

}  // namespace tern
