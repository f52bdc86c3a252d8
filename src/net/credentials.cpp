#include "net/credentials.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include "core/error.hpp"
#include "util/files.hpp"
#include "util/netrc.hpp"
#include "util/strings.hpp"
#include "util/subprocess.hpp"

namespace tern {
namespace {

// Password commands may ask a pinentry or a keyring; give them time.
constexpr std::chrono::seconds kCommandTimeout{120};

Secret secret_from_command(const std::string& option, const std::string& command, const std::string& account) {
    CommandResult r;
    try {
        r = run_shell_command(command, kCommandTimeout);
    } catch (const std::system_error& e) {
        throw Failure(ErrorKind::Io, "account " + account + ": " + option + " could not be run: " + e.what());
    }
    std::string out = std::move(r.out);
    const std::string where = "account " + account + ": " + option;
    if (r.timed_out) {
        wipe(out);
        throw Failure(ErrorKind::Auth, where + " did not finish within " + std::to_string(kCommandTimeout.count()) +
                                           " s: run it by hand to see what it waits for");
    }
    if (r.exit_status != 0) {
        wipe(out);
        std::string msg = where + " failed (exit status " + std::to_string(r.exit_status) + ")";
        if (const auto e = first_line(r.err); !e.empty()) msg += ": " + e;
        throw Failure(ErrorKind::Auth, msg + "; run it by hand to check it prints the secret");
    }
    const auto end = out.find_first_of("\r\n");
    Secret secret(out.substr(0, end));
    wipe(out);
    if (secret.empty()) throw Failure(ErrorKind::Auth, where + " printed nothing; its first line must be the secret");
    return secret;
}

Credentials from_netrc(const std::string& host, const std::string& user, const std::string& account,
                       const std::string& option_hint, const EnvLookup& env) {
    const std::string path = home_dir(env) + "/.netrc";
    const std::string missing = "account " + account + ": no password for " + user + "@" + host + ": set " +
                                option_hint + ", or add 'machine " + host + " login " + user +
                                " password ...' to ~/.netrc";
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw Failure(ErrorKind::Auth, missing);
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        throw Failure(ErrorKind::Auth, path + " can be read by other users; protect it with: chmod 600 " + path);
    int err = 0;
    std::optional<std::string> text = read_file(path, &err);
    if (!text) throw Failure(ErrorKind::Auth, "cannot read " + path + ": " + std::strerror(err));
    auto entries = parse_netrc(*text);
    wipe(*text);
    auto entry = find_netrc_entry(entries, host, user);
    if (!entry || entry->password.empty()) throw Failure(ErrorKind::Auth, missing);
    Credentials c;
    c.user = user;
    c.password = entry->password;
    c.source = "~/.netrc";
    return c;
}

}  // namespace

Credentials obtain_credentials(const Account& account, Service service, const EnvLookup& env) {
    const bool send = service == Service::Send;
    const ServerUrl& url = send ? *account.send : account.receive;
    Credentials c;
    c.user = send ? account.send_user : account.receive_user;
    if (!account.oauth2_token_command.empty()) {
        c.bearer = secret_from_command("oauth2_token_command", account.oauth2_token_command, account.name);
        c.source = "oauth2_token_command";
        return c;
    }
    if (send && !account.send_password_command.empty()) {
        c.password = secret_from_command("send_password_command", account.send_password_command, account.name);
        c.source = "send_password_command";
        return c;
    }
    if (!account.password_command.empty()) {
        c.password = secret_from_command("password_command", account.password_command, account.name);
        c.source = "password_command";
        return c;
    }
    return from_netrc(url.host, c.user, account.name, send ? "send_password_command or password_command" : "password_command", env);
}

}  // namespace tern
