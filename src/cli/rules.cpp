// Housekeeping rules (`rule ACCOUNT FOLDER PATTERN ACTION`), run by tern
// sync --rules before it syncs: each rule's matching messages are changed in
// the local store exactly as the reader's keys would change them (a move is
// a durable copy into the other folder and a deletion), so the sync that
// follows carries them to the server like any action, through the same
// queue; with --dry-run they are only listed. Until that sync has carried
// an account's changes (the server unreachable, say), they can be undone:
// purged files are held aside, not removed, and a journal says what was done
// (tern sync --undo-rules). Mail is never removed before its copy is stored.
#include <algorithm>
#include <iostream>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cli/cli.hpp"
#include "core/error.hpp"
#include "store/maildir.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
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

std::string journal_path(const EnvLookup& env, const std::string& account) {
    return default_data_dir(env) + "/" + account + ".rules-undo";
}
std::string hold_dir(const EnvLookup& env, const std::string& account) { return default_data_dir(env) + "/rules-held/" + account; }

// Appends lines to the account's journal, durably, before the sync can carry them.
void journal(const EnvLookup& env, const std::string& account, const std::string& lines) {
    if (lines.empty()) return;
    const std::string path = journal_path(env, account);
    make_private_dirs(dir_name(path));
    if (const int err = append_file(path, lines, 0600))
        throw Failure(ErrorKind::Io, "cannot write " + path + ": " + std::strerror(err) + " (a full disk?)");
}

}  // namespace

void forget_rule_undo(const EnvLookup& env, const std::string& account) {
    std::error_code ec;
    std::filesystem::remove(journal_path(env, account), ec);
    std::filesystem::remove_all(hold_dir(env, account), ec);
}

int undo_rules(const std::vector<const Account*>& accounts, const EnvLookup& env) {
    AccountIndexes indexes(env);
    int failed = 0;
    for (const Account* account : accounts) {
        auto text = read_file(journal_path(env, account->name));
        if (!text || text->empty()) {
            std::cout << account->name << ": nothing to undo (the rules' changes were synced, or no rule changed anything)\n";
            continue;
        }
        std::vector<std::string> lines = split(*text, '\n');
        std::size_t restored = 0, removed = 0, reflagged = 0;
        IndexDb& index = indexes.of(*account);
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) {  // newest first
            const auto f = split(*it, '\t');
            if (f.empty() || f[0].empty()) continue;
            try {
                if (f[0] == "held" && f.size() == 6) {
                    if (::rename(f[5].c_str(), f[4].c_str()) != 0) throw Failure(ErrorKind::Io, "cannot put back " + f[4] + ": " + std::strerror(errno));
                    index.drop_ops_for(std::stoll(f[1]), std::stoll(f[2]), static_cast<std::uint32_t>(std::stoul(f[3])));
                    ++restored;
                } else if (f[0] == "copy" && f.size() == 2) {
                    if (::unlink(f[1].c_str()) == 0) ++removed;
                } else if (f[0] == "flags" && f.size() == 4) {
                    Maildir md(f[1], false);
                    for (const auto& e : md.list())
                        if (e.key == f[2]) {
                            md.set_flags(e, Flags::from_maildir(f[3]));
                            ++reflagged;
                        }
                }
            } catch (const std::exception& e) {
                std::cerr << "tern sync: --undo-rules: " << account->name << ": " << e.what() << "\n";
                ++failed;
            }
        }
        if (!failed) forget_rule_undo(env, account->name);
        std::cout << account->name << ": undone: " << restored << " messages put back, " << removed << " copies removed, " << reflagged
                  << " flags restored\n";
    }
    return failed ? kExitFailure : kExitOk;
}

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
                    format.append(line, box.row(r), IndexEntry{static_cast<std::uint32_t>(r), {}}, ++n);
                    std::cout << "  " << line << "\n";
                }
                continue;
            }
            box.begin_action(describe(rule));
            std::string lines;  // for the journal
            for (const auto r : rows) {
                if (rule.action == Rule::Action::Read || rule.action == Rule::Action::Flag)
                    lines += "flags\t" + account->maildir + "/" + rule.folder + "\t" +
                             parse_maildir_name(box.path_of(r).substr(box.path_of(r).rfind('/') + 1)).key + "\t" +
                             box.row(r).flags.to_maildir() + "\n";
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
            // purged files are held aside, not removed, until the sync has carried the change
            const Mailbox::HeldPurge held = box.purge_holding(hold_dir(env, account->name));
            for (const auto& h : held.held)
                lines += "held\t" + std::to_string(h.folder_id) + "\t" + std::to_string(h.uidvalidity) + "\t" + std::to_string(h.uid) + "\t" +
                         h.original + "\t" + h.held + "\n";
            for (const auto& c : held.copies) lines += "copy\t" + c + "\n";
            journal(env, account->name, lines);
        } catch (const Failure& f) {
            std::cerr << "tern sync: " << rule.defined_at << ": rule: " << f.error().summary << "\n";
            if (f.kind() == ErrorKind::Usage) return kExitUsage;  // a bad pattern: the config needs fixing
            ++failed;
        }
    }
    return failed ? kExitFailure : kExitOk;
}

}  // namespace tern
