// Where tern's files live (XDG base directories) and ~ expansion.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace tern {

// Looks up an environment variable; injected so that parsers stay pure.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment, read through getenv.
EnvLookup process_env();

std::string home_dir(const EnvLookup& env);
// $XDG_CONFIG_HOME/tern/config, else ~/.config/tern/config.
std::string default_config_path(const EnvLookup& env);
// $XDG_DATA_HOME/tern, else ~/.local/share/tern.
std::string default_data_dir(const EnvLookup& env);
// "~" and "~/x" become the home directory; other text is returned as is.
std::string expand_tilde(const std::string& path, const EnvLookup& env);
// The directory part of a path ("." when there is none).
std::string dir_name(const std::string& path);

}  // namespace tern
