#include "util/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>

#include "util/fd.hpp"

extern char** environ;

namespace tern {
namespace {

struct Pipe {
    UniqueFd read, write;
};

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "cannot create a pipe");
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// posix_spawn file actions, freed once.
class SpawnActions {
public:
    SpawnActions() { posix_spawn_file_actions_init(&a_); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&a_); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    posix_spawn_file_actions_t* get() { return &a_; }

private:
    posix_spawn_file_actions_t a_;
};

}  // namespace

CommandResult run_shell_command(const std::string& command, std::chrono::milliseconds timeout) {
    Pipe out = make_pipe();
    Pipe err = make_pipe();
    SpawnActions actions;
    posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(actions.get(), out.write.get(), 1);
    posix_spawn_file_actions_adddup2(actions.get(), err.write.get(), 2);

    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, "/bin/sh", actions.get(), nullptr, const_cast<char**>(argv), environ);
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "cannot run /bin/sh");
    out.write.reset();
    err.write.reset();

    CommandResult result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool out_open = true, err_open = true;
    char buf[4096];
    while (out_open || err_open) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd fds[2] = {{out_open ? out.read.get() : -1, POLLIN, 0}, {err_open ? err.read.get() : -1, POLLIN, 0}};
        const int n = ::poll(fds, 2, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        for (int i = 0; i < 2; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got <= 0) {
                (i == 0 ? out_open : err_open) = false;
            } else if (i == 0) {
                result.out.append(buf, static_cast<std::size_t>(got));
            } else if (result.err.size() < 4096) {
                result.err.append(buf, static_cast<std::size_t>(got));
            }
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) result.exit_status = 128 + WTERMSIG(status);
    return result;
}

}  // namespace tern

namespace tern {

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

int run_in_terminal(const std::string& command, const std::string* input) {
    std::optional<Pipe> in;
    if (input) in = make_pipe();
    SpawnActions actions;
    if (in) {
        posix_spawn_file_actions_adddup2(actions.get(), in->read.get(), 0);
    }
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, "/bin/sh", actions.get(), nullptr, const_cast<char* const*>(argv), environ);
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "cannot start /bin/sh");
    if (in) {
        in->read.reset();
        // a reader that stops early (a pager quit at once) must not kill us with SIGPIPE
        struct sigaction ignore {}, old {};
        ignore.sa_handler = SIG_IGN;
        ::sigaction(SIGPIPE, &ignore, &old);
        std::size_t off = 0;
        while (off < input->size()) {
            const ssize_t n = ::write(in->write.get(), input->data() + off, input->size() - off);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            off += static_cast<std::size_t>(n);
        }
        in->write.reset();
        ::sigaction(SIGPIPE, &old, nullptr);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace tern

namespace tern {

void spawn_detached(const std::string& command) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "cannot start a command");
    if (pid == 0) {
        // the middle child: start the command in a new session and leave at once
        ::setsid();
        const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            ::dup2(null, 0);
            ::dup2(null, 1);
            ::dup2(null, 2);
        }
        const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
        pid_t grandchild = 0;
        const int rc = posix_spawn(&grandchild, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ);
        ::_exit(rc == 0 ? 0 : 127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace tern
