#include "cli/cli.hpp"

#include <clocale>
#include <cstring>
#include <iostream>
#include <optional>
#include <string_view>

#include "config/parser.hpp"
#include "core/error.hpp"
#include "net/curl.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

struct Command {
    std::string_view name;
    int (*run)(const CliContext&);
    std::string_view usage;
    std::string_view summary;
    bool network;  // libcurl is set up (OpenSSL loaded) only for commands that talk to servers
};

constexpr Command kCommands[] = {
    {"check", cmd_check, "check [ACCOUNT...] | check --trust ACCOUNT",
     "test account settings: resolve, connect, TLS, login for receive and send", true},
    {"render", cmd_render, "render FILE.eml|-", "print a message as the pager shows it", false},
    {"ls", cmd_ls, "ls [-a ACCOUNT] [FOLDER] [-l PATTERN]", "print the index lines of a cached folder", false},
    {"show", cmd_show, "show [-a ACCOUNT] [FOLDER] N [-l PATTERN]",
     "print message N of a folder's index as the pager shows it (its body fetched when not kept)", true},
    {"sync", cmd_sync, "sync [ACCOUNT...] [--folder F] [--rebuild] [--verbose] [--watch]",
     "mirror IMAP and download POP3 accounts into the local maildirs, send the outbox (for cron)", true},
    {"setup", cmd_setup, "setup [--address ADDR ...]",
     "add an account: finds the servers, writes the config block, checks it", true},
    {"import-muttrc", cmd_import_muttrc, "import-muttrc [MUTTRC] [-o CONFIG]",
     "write a tern config from a muttrc; list, file:line, each line not carried over and why", false},
    {"send", cmd_send, "send [-a ACCOUNT] [-t] [--sign] [--encrypt] [--smime] [--sign-as KEY] [--autocrypt] [RECIPIENT...] < MESSAGE",
     "send a message (queued in the outbox when the server cannot be reached)", true},
};

void print_help(std::ostream& out) {
    out << "usage: tern [-F CONFIG] [-a ACCOUNT] [-f FOLDER]   start the mail reader\n"
           "       tern [-F CONFIG] [-a ACCOUNT] mailto:ADDRESS[?subject=...]   start it with a message to ADDRESS begun\n";
    for (const auto& c : kCommands) out << "       tern [-F CONFIG] " << c.usage << "\n";
    out << "       tern --help | --version\n\ncommands:\n";
    for (const auto& c : kCommands) out << "  " << c.name << "\t" << c.summary << "\n";
    out << "\noptions:\n"
           "  -F CONFIG   config file (default: $XDG_CONFIG_HOME/tern/config, ~/.config/tern/config)\n"
           "  -a ACCOUNT  account to open (default: the first in the config)\n"
           "  -f FOLDER   folder to open (default: INBOX)\n"
           "\nSee tern(1) and tern(5).\n";
}

int usage_error(const std::string& msg) {
    std::cerr << "tern: " << msg << " (see tern --help)\n";
    return kExitUsage;
}

}  // namespace

int run_cli(int argc, char** argv, const ReaderEntry& reader) {
    std::setlocale(LC_ALL, "");
    CliContext ctx;
    ctx.env = process_env();
    ctx.config_path = default_config_path(ctx.env);
    const Command* command = nullptr;
    std::optional<MailtoRequest> mailto;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            print_help(std::cout);
            return kExitOk;
        }
        if (a == "--version" || a == "-v") {
            std::cout << "tern " << TERN_VERSION << " (" << curl_version() << ")\n";
            return kExitOk;
        }
        if (a == "-F") {
            if (++i >= argc) return usage_error("-F needs a file name");
            ctx.config_path = argv[i];
            ctx.config_given = true;
            continue;
        }
        if (!command && (a == "-a" || a == "-f")) {
            if (++i >= argc) return usage_error(std::string(a) + " needs a value");
            ctx.args.emplace_back(a);
            ctx.args.emplace_back(argv[i]);
            continue;
        }
        if (!command && a.size() >= 7 && iequals(a.substr(0, 7), "mailto:")) {  // the system's mail handler
            std::string problem;
            mailto = parse_mailto(a, problem);
            if (!mailto) return usage_error(problem);
            continue;
        }
        if (!command && !a.empty() && a[0] != '-') {
            for (const auto& c : kCommands)
                if (c.name == a) command = &c;
            if (!command) return usage_error("unknown command '" + std::string(a) + "'");
            continue;
        }
        if (!command) return usage_error("unknown option '" + std::string(a) + "'");
        ctx.args.emplace_back(a);
    }
    try {
        if (!command) {
            ReaderRequest request;
            request.mailto = mailto;
            for (std::size_t i = 0; i + 1 < ctx.args.size(); i += 2) (ctx.args[i] == "-a" ? request.account : request.folder) = ctx.args[i + 1];
            const Config config = load_config(ctx.config_path, ctx.env);
            CurlGlobal curl;
            return reader(config, ctx.env, request);
        }
        if (mailto) return usage_error("a mailto: address starts the mail reader; it does not go with tern " + std::string(command->name));
        std::optional<CurlGlobal> curl;
        if (command->network) curl.emplace();
        return command->run(ctx);
    } catch (const ConfigErrors& e) {  // each mistake of the file on its own line, file:line first
        for (const auto& line : e.lines()) std::cerr << line << "\n";
        return kExitUsage;
    } catch (const Failure& f) {
        std::cerr << "tern: " << f.error().summary << "\n";
        return f.kind() == ErrorKind::Config || f.kind() == ErrorKind::Usage ? kExitUsage : kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "tern: internal error: " << e.what() << "\n";
        return kExitFailure;
    }
}

}  // namespace tern
