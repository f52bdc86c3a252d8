#include "util/paths.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace tern {

EnvLookup process_env() {
    return [](const std::string& name) -> std::optional<std::string> {
        if (const char* v = std::getenv(name.c_str())) return std::string(v);
        return std::nullopt;
    };
}

std::string home_dir(const EnvLookup& env) {
    if (auto h = env("HOME"); h && !h->empty()) return *h;
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
    return "/";
}

std::string default_config_path(const EnvLookup& env) {
    if (auto x = env("XDG_CONFIG_HOME"); x && !x->empty() && (*x)[0] == '/') return *x + "/tern/config";
    return home_dir(env) + "/.config/tern/config";
}

std::string default_data_dir(const EnvLookup& env) {
    if (auto x = env("XDG_DATA_HOME"); x && !x->empty() && (*x)[0] == '/') return *x + "/tern";
    return home_dir(env) + "/.local/share/tern";
}

std::string expand_tilde(const std::string& path, const EnvLookup& env) {
    if (path == "~") return home_dir(env);
    if (path.rfind("~/", 0) == 0) return home_dir(env) + path.substr(1);
    return path;
}

std::string dir_name(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

}  // namespace tern
