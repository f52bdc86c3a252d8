// tern import-muttrc [FILE] [-o OUT]: a muttrc turned into a tern config
// (config/muttrc_import does the work). The config goes to standard output
// or to OUT (made 0600, never over an existing file); each line not carried
// over goes to standard error with its file:line and why.
#include <sys/stat.h>

#include <cstring>
#include <iostream>

#include "cli/cli.hpp"
#include "config/muttrc_import.hpp"
#include "util/files.hpp"

namespace tern {

int cmd_import_muttrc(const CliContext& ctx) {
    std::string input, output;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if (a == "-o") {
            if (++i >= ctx.args.size()) {
                std::cerr << "tern import-muttrc: -o needs a file name (usage: tern import-muttrc [MUTTRC] [-o CONFIG])\n";
                return kExitUsage;
            }
            output = ctx.args[i];
        } else if (input.empty() && !a.empty() && a[0] != '-') {
            input = a;
        } else {
            std::cerr << "tern import-muttrc: unexpected '" << a << "' (usage: tern import-muttrc [MUTTRC] [-o CONFIG])\n";
            return kExitUsage;
        }
    }
    const ConfigFiles files = real_config_files();
    if (input.empty()) {
        for (const auto& candidate : muttrc_locations(ctx.env)) {
            std::string err;
            if (files.readable(candidate, err)) {
                input = candidate;
                break;
            }
        }
        if (input.empty()) {
            std::cerr << "tern import-muttrc: no muttrc found (looked for ~/.muttrc, ~/.mutt/muttrc, $XDG_CONFIG_HOME/mutt/muttrc): name one\n";
            return kExitFailure;
        }
    }
    std::string err;
    if (!files.readable(input, err)) {
        std::cerr << "tern import-muttrc: cannot read " << input << ": " << err << "\n";
        return kExitFailure;
    }
    if (!output.empty()) {
        struct stat st {};
        if (::stat(output.c_str(), &st) == 0) {
            std::cerr << "tern import-muttrc: " << output << " exists; it is not overwritten (choose another name, or move it away)\n";
            return kExitFailure;
        }
    }
    const MuttrcImport result = import_muttrc(input, ctx.env, files);
    for (const auto& line : result.not_carried) std::cerr << line << "\n";
    if (output.empty()) {
        std::cout << result.config;
    } else if (const int e = write_file_atomic(output, result.config, 0600); e != 0) {
        std::cerr << "tern import-muttrc: cannot write " << output << ": " << std::strerror(e) << "\n";
        return kExitFailure;
    }
    if (result.accounts == 0)
        std::cerr << "tern import-muttrc: no account came from the muttrc (no imaps:// or pops:// folder): add one with tern setup, or by hand\n";
    std::cerr << "tern import-muttrc: " << result.carried << " line(s) carried over, " << result.not_carried.size()
              << " not (listed above" << (output.empty() ? "" : " and at the end of " + output) << ")\n";
    return kExitOk;
}

}  // namespace tern
