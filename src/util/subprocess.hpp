// Runs a user's shell command (password_command and friends) and captures what
// it prints. The command gets /dev/null as stdin and our environment as it is:
// nothing secret is ever put into a child's argv or environment.
#pragma once

#include <chrono>
#include <string>

namespace tern {

struct CommandResult {
    int exit_status = -1;     // exit code, or 128 + signal number
    bool timed_out = false;
    std::string out;          // stdout
    std::string err;          // stderr (first 4 KiB)
};

// Runs `/bin/sh -c command`. Throws std::system_error only when the shell
// cannot be started; a failing command is reported through the result.
CommandResult run_shell_command(const std::string& command, std::chrono::milliseconds timeout);

}  // namespace tern

namespace tern {

// Runs `/bin/sh -c command` on the caller's terminal (an editor, a pager, a
// pipe's reader) and waits for it. With `input`, the command reads it on its
// standard input instead of the terminal. Returns the exit status (128 +
// signal when killed); throws std::system_error when it cannot be started.
int run_in_terminal(const std::string& command, const std::string* input = nullptr);

// `text` single-quoted for /bin/sh, so any file name is one word.
std::string shell_quote(const std::string& text);

}  // namespace tern

namespace tern {

// Starts `/bin/sh -c command` without waiting for it (a notification
// helper): stdin and stdout are /dev/null, it is not our child for long
// (double fork), so it can neither block nor leave a zombie.
void spawn_detached(const std::string& command);

}  // namespace tern
