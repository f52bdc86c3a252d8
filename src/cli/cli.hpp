// The command line: `tern [OPTIONS] [COMMAND [ARGS]]`. Each command is a
// function in its own file, listed in one table in cli.cpp.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "mime/mailto.hpp"
#include "mime/message.hpp"
#include "util/paths.hpp"

namespace tern {

// Exit status contract: 0 success, 1 a failure the message explains, 2 bad
// usage or config.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct CliContext {
    std::string config_path;  // -F, else the XDG default
    bool config_given = false;  // -F was used
    std::vector<std::string> args;  // after the command name
    EnvLookup env;
};

// The mail reader lives in ui/, beside cli/: main.cpp hands it in, so that
// `tern` without a command starts it.
struct ReaderRequest {
    std::string account;  // -a
    std::string folder;   // -f
    std::optional<MailtoRequest> mailto;  // tern mailto:...: a message begun at once
};
using ReaderEntry = std::function<int(const Config&, const EnvLookup&, const ReaderRequest&)>;

int run_cli(int argc, char** argv, const ReaderEntry& reader);

// The accounts named (all of them when none is); nothing, after a message
// on stderr, when a name is unknown.
std::optional<std::vector<const Account*>> named_accounts(const Config& config, const std::vector<std::string>& names,
                                                          std::string_view command);

// The account of -a NAME (the default one when `name` is empty); nothing,
// after a message on stderr, when there is no such account.
const Account* chosen_account(const Config& config, const std::string& name, std::string_view command);

// A message as the pager shows it (headers of header_display, the body
// rendered, HTML through mailcap), a line per line; `config` may be null.
std::string render_for_pager(const Message& message, const CliContext& ctx, const Config* config);

// tern sync --rules: the config's housekeeping rules for these accounts (listed only, with dry_run).
int apply_rules(const Config& config, const std::vector<const Account*>& accounts, const EnvLookup& env, bool dry_run);
// tern sync --undo-rules: what the rules did and no sync has carried yet, undone.
int undo_rules(const std::vector<const Account*>& accounts, const EnvLookup& env);
// After an account's successful sync the rules' changes are on the server: nothing is left to undo.
void forget_rule_undo(const EnvLookup& env, const std::string& account);

int cmd_check(const CliContext& ctx);
int cmd_render(const CliContext& ctx);
int cmd_import_muttrc(const CliContext& ctx);
int cmd_ls(const CliContext& ctx);
int cmd_sync(const CliContext& ctx);
int cmd_send(const CliContext& ctx);
int cmd_show(const CliContext& ctx);
int cmd_setup(const CliContext& ctx);

}  // namespace tern
