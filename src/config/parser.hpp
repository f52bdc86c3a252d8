// Reads the config file format (see man/tern.5) into a Config. Every mistake
// becomes "file:line: what is wrong (valid: ...)"; all mistakes of a file are
// collected so that one run shows them all.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/error.hpp"
#include "util/paths.hpp"

namespace tern {

class ConfigErrors : public Failure {
public:
    explicit ConfigErrors(std::vector<std::string> lines);
    const std::vector<std::string>& lines() const { return lines_; }

private:
    std::vector<std::string> lines_;
};

// What the parser needs from the file system, injected so that unit tests run
// on strings.
struct ConfigFiles {
    // Contents of a file, or nullopt with the reason in `error`.
    std::function<std::optional<std::string>(const std::string& path, std::string& error)> read;
    // Whether a file can be read; the reason in `error` when not.
    std::function<bool(const std::string& path, std::string& error)> readable;
    // What a command prints (mutt's `source "command|"`), or nullopt with the
    // reason in `error` (it could not start, failed, or took too long).
    std::function<std::optional<std::string>(const std::string& command, std::string& error)> run;
};

ConfigFiles real_config_files();

// Parses `text` as the file `path`. Throws ConfigErrors.
Config parse_config(std::string_view text, const std::string& path, const EnvLookup& env, const ConfigFiles& files);

// A config command (set, bind, color, source) typed at the reader's ':'
// prompt, applied over `base`. Throws ConfigErrors ("command: ...").
Config apply_config_line(Config base, std::string_view line, const EnvLookup& env, const ConfigFiles& files);

// Reads and parses the file at `path`. Throws ConfigErrors (a missing file is
// one of them, with a hint on how to make one).
Config load_config(const std::string& path, const EnvLookup& env);

}  // namespace tern
