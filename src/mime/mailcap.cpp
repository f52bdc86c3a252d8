#include "mime/mailcap.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <chrono>

#include "util/fd.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/subprocess.hpp"

namespace tern {
namespace {

// Splits a mailcap line at ';' that is not escaped with '\'.
std::vector<std::string> fields_of(std::string_view line) {
    std::vector<std::string> out(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == ';') {
            out.back() += ';';
            ++i;
        } else if (line[i] == ';') {
            out.emplace_back();
        } else {
            out.back() += line[i];
        }
    }
    for (auto& f : out) f = std::string(trim(f));
    return out;
}

std::string shell_quote(std::string_view s) {
    std::string out = "'";
    for (const char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

}  // namespace

std::vector<MailcapEntry> parse_mailcap(std::string_view text) {
    std::vector<MailcapEntry> entries;
    std::string logical;
    for (auto line : split(text, '\n')) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line.back() == '\\') {  // continued on the next line
            line.pop_back();
            logical += line;
            continue;
        }
        logical += line;
        const std::string l(trim(logical));
        logical.clear();
        if (l.empty() || l[0] == '#') continue;
        const auto f = fields_of(l);
        if (f.size() < 2 || f[0].empty()) continue;
        MailcapEntry e;
        e.type = to_lower(f[0]);
        if (e.type.find('/') == std::string::npos) e.type += "/*";
        e.command = f[1];
        for (std::size_t i = 2; i < f.size(); ++i) {
            const auto eq = f[i].find('=');
            const std::string key = to_lower(trim(f[i].substr(0, eq)));
            const std::string value = eq == std::string::npos ? "" : std::string(trim(f[i].substr(eq + 1)));
            if (key == "copiousoutput") e.copiousoutput = true;
            else if (key == "needsterminal") e.needsterminal = true;
            else if (key == "test") e.test = value;
            else if (key == "nametemplate") e.nametemplate = value;
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

std::vector<std::string> mailcap_paths(const EnvLookup& env) {
    if (auto m = env("MAILCAPS")) return split(*m, ':');
    return {home_dir(env) + "/.mailcap", "/etc/mailcap"};
}

bool mailcap_type_matches(std::string_view entry, std::string_view type) {
    if (iequals(entry, type)) return true;
    const auto slash = entry.find('/');
    return slash != std::string_view::npos && entry.substr(slash + 1) == "*" &&
           iequals(entry.substr(0, slash + 1), type.substr(0, std::min(type.size(), slash + 1)));
}

std::string expand_mailcap_command(std::string_view command, std::string_view file, const ContentType& type) {
    std::string out;
    bool used_file = false;
    for (std::size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (c == '\\' && i + 1 < command.size()) {
            out += command[++i];
        } else if (c == '%' && i + 1 < command.size()) {
            const char n = command[i + 1];
            if (n == 's') {
                out += shell_quote(file);
                used_file = true;
                ++i;
            } else if (n == 't') {
                out += shell_quote(type.full());
                ++i;
            } else if (n == '{') {
                const auto close = command.find('}', i + 2);
                if (close == std::string_view::npos) {
                    out += c;
                    continue;
                }
                const std::string name = to_lower(command.substr(i + 2, close - i - 2));
                const std::string* v = type.params.get(name);
                out += shell_quote(v ? *v : "");
                i = close;
            } else if (n == '%') {
                out += '%';
                ++i;
            } else {
                out += c;
            }
        } else {
            out += c;
        }
    }
    // RFC 1524: without %s the data is given on standard input
    if (!used_file) out += " < " + shell_quote(file);
    return out;
}

MailcapViewer MailcapViewer::from_files(const EnvLookup& env) {
    std::vector<MailcapEntry> all;
    for (const auto& path : mailcap_paths(env)) {
        const auto text = read_file(path);
        if (!text) continue;
        for (auto& e : parse_mailcap(*text)) all.push_back(std::move(e));
    }
    return MailcapViewer(std::move(all));
}

std::optional<std::string> MailcapViewer::render(const ContentType& type, std::string_view data) const {
    using namespace std::chrono_literals;
    for (const auto& e : entries_) {
        if (!e.copiousoutput || e.needsterminal || !mailcap_type_matches(e.type, type.full())) continue;
        // a private temporary file, named as the entry wants (for the extension)
        std::string suffix;
        if (const auto pct = e.nametemplate.find("%s"); pct != std::string::npos) suffix = e.nametemplate.substr(pct + 2);
        if (suffix.find('/') != std::string::npos || suffix.size() > 16) suffix.clear();
        const char* tmpdir = std::getenv("TMPDIR");
        std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/tern-view-XXXXXX" + suffix;
        UniqueFd fd(::mkstemps(path.data(), static_cast<int>(suffix.size())));  // mode 0600
        if (!fd) return std::nullopt;
        bool written = true;
        for (std::size_t off = 0; off < data.size();) {
            const ssize_t n = ::write(fd.get(), data.data() + off, data.size() - off);
            if (n <= 0) {
                written = false;
                break;
            }
            off += static_cast<std::size_t>(n);
        }
        fd.reset();
        std::optional<std::string> result;
        if (written) {
            bool test_ok = true;
            if (!e.test.empty()) test_ok = run_shell_command(expand_mailcap_command(e.test, path, type), 10s).exit_status == 0;
            if (test_ok) {
                CommandResult r = run_shell_command(expand_mailcap_command(e.command, path, type), 30s);
                if (r.exit_status == 0 && !r.timed_out) result = std::move(r.out);
            }
        }
        ::unlink(path.c_str());
        if (result) return result;
    }
    return std::nullopt;
}

}  // namespace tern
