// tern setup: an account in a minute. Asks for the name and address (and
// little else), finds the servers (the provider table, SRV records, the
// usual host names), offers IMAP or POP3, writes a commented account block
// into the config (never a password: a password_command, or an
// oauth2_token_command where the provider wants OAuth2), then runs tern
// check on it. `tern setup --address ...` does the same without questions.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include "cli/cli.hpp"
#include "config/parser.hpp"
#include "config/providers.hpp"
#include "net/discovery.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

constexpr const char* kUsage =
    "usage: tern setup [--address ADDR [--name NAME] [--account NAME] [--protocol imap|pop3] [--user LOGIN]\n"
    "                  [--password-command CMD | --oauth2-token-command CMD] [--ca-file FILE] [--no-check]]";

struct SetupAnswers {
    std::string name, address, account, protocol = "imap", user, password_command, oauth2_command, ca_file;
    bool check = true;
};

// A question on stdout, the answer from stdin; Enter takes the default.
std::string ask(const std::string& question, const std::string& fallback) {
    std::cout << question;
    if (!fallback.empty()) std::cout << " [" << fallback << "]";
    std::cout << ": " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) throw Failure(ErrorKind::Usage, "setup: no answer (standard input ended); for scripts: tern setup --address ...");
    line = std::string(trim(line));
    return line.empty() ? fallback : line;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string account_name_for(const std::string& address) {
    std::string domain = address_domain(address);
    const auto dot = domain.find('.');
    std::string n = dot == std::string::npos ? domain : domain.substr(0, dot);
    std::string out;
    for (char c : n)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') out += c;
    return out.empty() ? "mail" : out;
}

std::string account_block(const SetupAnswers& a, const Discovery& d) {
    const std::string from = a.name.empty() ? a.address : a.name + " <" + a.address + ">";
    std::string b = "\n# " + a.account + ": written by tern setup";
    if (d.provider) b += " (" + d.provider->name + ")";
    b += "; see tern(5) for every key\naccount " + a.account + " {\n";
    b += "    from             = " + quoted(from) + "\n";
    b += "    receive          = " + d.receive->url(a.user) + "\n";
    if (d.send) b += "    send             = " + d.send->url(a.user) + "\n";
    if (!a.oauth2_command.empty()) {
        b += "    # an OAuth2 access token, printed by this command (see tern(5), OAUTH2)\n";
        b += "    oauth2_token_command = " + quoted(a.oauth2_command) + "\n";
    } else {
        if (d.provider && !d.provider->password_note.empty()) b += "    # " + d.provider->name + " wants " + d.provider->password_note + "\n";
        b += "    # the first line this command prints is the password; tern never stores it\n";
        b += "    password_command = " + quoted(a.password_command) + "\n";
    }
    if (!a.ca_file.empty()) b += "    ca_file          = " + a.ca_file + "\n";
    if (a.protocol == "pop3") b += "    leave_on_server  = yes    # yes | no | 30d: when downloaded mail leaves the server\n";
    b += "}\n";
    return b;
}

}  // namespace

int cmd_setup(const CliContext& ctx) {
    SetupAnswers a;
    bool interactive = true;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& o = ctx.args[i];
        const auto value = [&](std::string& into) {
            if (i + 1 >= ctx.args.size()) throw Failure(ErrorKind::Usage, "setup: " + o + " needs a value (" + kUsage + ")");
            into = ctx.args[++i];
        };
        if (o == "--address") value(a.address), interactive = false;
        else if (o == "--name") value(a.name);
        else if (o == "--account") value(a.account);
        else if (o == "--protocol") value(a.protocol);
        else if (o == "--user") value(a.user);
        else if (o == "--password-command") value(a.password_command);
        else if (o == "--oauth2-token-command") value(a.oauth2_command);
        else if (o == "--ca-file") value(a.ca_file);
        else if (o == "--no-check") a.check = false;
        else {
            std::cerr << "tern setup: unexpected '" << o << "'\n" << kUsage << "\n";
            return kExitUsage;
        }
    }
    // an existing config must stay valid, and a name must not be taken twice
    std::optional<Config> existing;
    if (::access(ctx.config_path.c_str(), F_OK) == 0) existing = load_config(ctx.config_path, ctx.env);
    if (interactive) {
        std::cout << "tern setup: a new account in " << ctx.config_path << " (Enter takes the [default]).\n";
        a.name = ask("Your name", a.name);
        a.address = ask("Your address", a.address);
    }
    if (a.address.find('@') == std::string::npos || address_domain(a.address).empty()) {
        std::cerr << "tern setup: '" << a.address << "' is not a mail address (e.g. alice@example.com)\n";
        return kExitUsage;
    }
    if (interactive) {
        std::cout << "\nIMAP or POP3?\n"
                     "  imap  keeps folders and flags the same on every device (mail stays on the server)\n"
                     "  pop3  downloads mail to this machine and can free the server's space\n";
        a.protocol = ask("Receive with", "imap");
    }
    if (a.protocol != "imap" && a.protocol != "pop3") {
        std::cerr << "tern setup: --protocol '" << a.protocol << "' (valid: imap, pop3)\n";
        return kExitUsage;
    }
    std::cout << "Looking for the servers of " << address_domain(a.address) << " ...\n" << std::flush;
    const Discovery d = discover_servers(a.address, a.protocol, ctx.env);
    for (const auto& line : d.log) std::cout << "  " << line << "\n";
    if (!d.receive) {
        std::cerr << "tern setup: no " << (a.protocol == "pop3" ? "POP3" : "IMAP") << " server found for " << address_domain(a.address)
                  << "; ask your provider for its server names and write the account by hand (see config.example)\n";
        return kExitFailure;
    }
    if (!d.send) std::cout << "  (no SMTP server found: the account can read mail; add send = ... to send)\n";
    const std::string default_user = d.provider && d.provider->login_is_local_part ? a.address.substr(0, a.address.find('@')) : a.address;
    if (a.account.empty()) a.account = account_name_for(a.address);
    if (interactive) {
        a.account = ask("Account name (for -a and the config)", a.account);
        a.user = ask("Login name", a.user.empty() ? default_user : a.user);
    } else if (a.user.empty()) {
        a.user = default_user;
    }
    if (existing && existing->find_account(a.account)) {
        std::cerr << "tern setup: " << ctx.config_path << " already has an account '" << a.account << "'; choose another with --account\n";
        return kExitUsage;
    }
    const bool oauth = d.provider && d.provider->oauth2_required;
    if (a.password_command.empty() && a.oauth2_command.empty()) {
        if (oauth) {
            std::cout << "\n" << d.provider->name << " wants OAuth2: give a command that prints an access token (see tern(5), OAUTH2).\n";
            a.oauth2_command = interactive ? ask("Token command", "oauth2-helper " + a.address) : "";
            if (a.oauth2_command.empty()) {
                std::cerr << "tern setup: " << d.provider->name << " needs --oauth2-token-command\n";
                return kExitUsage;
            }
        } else {
            if (d.provider) std::cout << "\n" << d.provider->name << " wants " << d.provider->password_note << ".\n";
            std::cout << "tern keeps no password: it runs a command that prints it, e.g.\n"
                         "  pass show mail/" << a.address << "            (pass)\n"
                         "  secret-tool lookup mail " << a.address << "   (the desktop keyring)\n";
            const std::string fallback = "pass show mail/" + a.address;
            a.password_command = interactive ? ask("Password command", fallback) : fallback;
        }
    }
    if (interactive && !d.provider)
        a.ca_file = ask("CA certificate file, for a server with a CA of its own (Enter: the system's)", a.ca_file);
    const std::string block = account_block(a, d);
    // written with the rest of the file kept: read, append, replace atomically
    std::string text;
    if (existing) {
        int err = 0;
        auto old = read_file(ctx.config_path, &err);
        if (!old) throw Failure(ErrorKind::Io, "setup: cannot read " + ctx.config_path + ": " + std::strerror(err));
        text = *old;
        if (!text.empty() && text.back() != '\n') text += '\n';
    } else {
        text = "# tern configuration (see tern(5) and config.example)\n";
        if (const int err = make_private_dirs(dir_name(ctx.config_path)))
            throw Failure(ErrorKind::Io, "setup: cannot make " + dir_name(ctx.config_path) + ": " + std::strerror(err));
    }
    text += block;
    parse_config(text, ctx.config_path, ctx.env, real_config_files());  // never write a file tern cannot read
    if (const int err = write_file_atomic(ctx.config_path, text, 0600))
        throw Failure(ErrorKind::Io, "setup: cannot write " + ctx.config_path + ": " + std::strerror(err) + " (nothing was changed)");
    std::cout << "\nWrote account " << a.account << " to " << ctx.config_path << ":\n" << block;
    if (!a.check) return kExitOk;
    std::cout << "\nChecking it (tern check " << a.account << "):\n" << std::flush;
    CliContext check = ctx;
    check.args = {a.account};
    const int rc = cmd_check(check);
    if (rc != kExitOk)
        std::cout << "\nThe account is written; fix what failed above in " << ctx.config_path
                  << " (a wrong password: the password_command; an unknown CA: ca_file = ...), then run tern check " << a.account
                  << " again.\n";
    return rc;
}

}  // namespace tern
