#include "config/parser.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "config/lexer.hpp"
#include "config/mutt_commands.hpp"
#include "config/vocabulary.hpp"
#include "util/files.hpp"
#include "util/subprocess.hpp"
#include "util/strings.hpp"

namespace tern {

ConfigErrors::ConfigErrors(std::vector<std::string> lines)
    : Failure(ErrorKind::Config, join(lines, "\n")), lines_(std::move(lines)) {}

ConfigFiles real_config_files() {
    ConfigFiles f;
    f.read = [](const std::string& path, std::string& error) -> std::optional<std::string> {
        int err = 0;
        auto text = read_file(path, &err);
        if (!text) error = std::strerror(err);
        return text;
    };
    f.readable = [](const std::string& path, std::string& error) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || ::access(path.c_str(), R_OK) != 0) {
            error = std::strerror(errno);
            return false;
        }
        if (!S_ISREG(st.st_mode)) {
            error = "not a regular file";
            return false;
        }
        return true;
    };
    f.run = [](const std::string& command, std::string& error) -> std::optional<std::string> {
        try {
            const CommandResult r = run_shell_command(command, std::chrono::seconds(10));
            if (r.timed_out) error = "it took longer than 10 seconds";
            else if (r.exit_status != 0) error = "it exited with status " + std::to_string(r.exit_status) +
                                                 (r.err.empty() ? std::string() : ": " + std::string(trim(first_line(r.err))));
            else return r.out;
        } catch (const std::exception& e) {
            error = e.what();
        }
        return std::nullopt;
    };
    return f;
}

namespace {

constexpr std::array<std::string_view, 35> kGlobalOptions = {
    "alias_file", "alternative_order", "attribution", "autocrypt", "autocrypt_prefer_encrypt", "beep_new", "check_interval", "connect_timeout",
    "crypt_autoencrypt", "crypt_autosign", "crypt_opportunistic_encrypt", "crypt_replyencrypt", "crypt_use_gpgme", "default_account",
    "delete", "editor", "forward_format", "header_display", "index_decrypted", "index_format", "new_mail_command",
    "pgp_default_key", "pgp_self_encrypt", "query_command", "reverse_name", "sidebar_visible", "sidebar_width",
    "sig_dashes", "signature", "smime_default_key", "smime_is_default", "sort", "sort_aux",
    "timeout", "url_command"};

// yes/no options: mutt's `set NAME`, `set noNAME`, `unset NAME` work for these too
constexpr std::array<std::string_view, 12> kBooleanOptions = {"autocrypt", "autocrypt_prefer_encrypt", "beep_new", "crypt_autoencrypt", "crypt_autosign", "crypt_opportunistic_encrypt",
                                                              "crypt_replyencrypt", "index_decrypted", "reverse_name", "sidebar_visible",
                                                              "sig_dashes", "smime_is_default"};

// The crypt options an account may set for itself (same names as the global ones).
constexpr std::array<std::string_view, 9> kCryptOptions = {"autocrypt", "autocrypt_prefer_encrypt", "crypt_autoencrypt", "crypt_autosign", "crypt_opportunistic_encrypt", "crypt_replyencrypt",
                                                           "pgp_default_key", "smime_default_key", "smime_is_default"};

bool is_crypt_option(std::string_view name) { return std::find(kCryptOptions.begin(), kCryptOptions.end(), name) != kCryptOptions.end(); }

// The yes/no field behind a boolean option's name.
bool& boolean_field(GlobalOptions& o, std::string_view name) {
    if (name == "beep_new") return o.beep_new;
    if (name == "reverse_name") return o.reverse_name;
    if (name == "sidebar_visible") return o.sidebar_visible;
    if (name == "crypt_autoencrypt") return o.crypt.autoencrypt;
    if (name == "crypt_autosign") return o.crypt.autosign;
    if (name == "crypt_opportunistic_encrypt") return o.crypt.opportunistic_encrypt;
    if (name == "crypt_replyencrypt") return o.crypt.replyencrypt;
    if (name == "smime_is_default") return o.crypt.smime_is_default;
    if (name == "index_decrypted") return o.index_decrypted;
    if (name == "autocrypt") return o.crypt.autocrypt;
    if (name == "autocrypt_prefer_encrypt") return o.crypt.autocrypt_prefer_encrypt;
    return o.sig_dashes;
}

// An account's override of a crypt option.
void set_crypt_override(CryptOverrides& o, std::string_view name, const std::string& value) {
    const bool yes = value == "yes";
    if (name == "crypt_autoencrypt") o.autoencrypt = yes;
    else if (name == "crypt_autosign") o.autosign = yes;
    else if (name == "crypt_opportunistic_encrypt") o.opportunistic_encrypt = yes;
    else if (name == "crypt_replyencrypt") o.replyencrypt = yes;
    else if (name == "smime_is_default") o.smime_is_default = yes;
    else if (name == "autocrypt") o.autocrypt = yes;
    else if (name == "autocrypt_prefer_encrypt") o.autocrypt_prefer_encrypt = yes;
    else if (name == "pgp_default_key") o.pgp_default_key = value;
    else if (name == "smime_default_key") o.smime_default_key = value;
}

bool is_boolean_option(std::string_view name) {
    return std::find(kBooleanOptions.begin(), kBooleanOptions.end(), name) != kBooleanOptions.end();
}

constexpr std::array<std::string_view, 33> kAccountOptions = {
    "archive", "autocrypt", "autocrypt_prefer_encrypt", "ca_file", "cache_bodies", "connect_timeout", "crypt_autoencrypt", "crypt_autosign", "crypt_opportunistic_encrypt",
    "crypt_replyencrypt", "drafts", "from", "index_decrypted", "junk",
    "leave_on_server", "maildir", "max_download_size", "oauth2_token_command", "password_command", "pgp_default_key", "pinned_key", "receive", "send",
    "send_password_command", "send_pinned_key", "send_user", "sent", "signature", "smime_default_key", "smime_is_default", "timeout", "trash", "user"};

constexpr std::array<std::string_view, 14> kSortMethods = {
    "date", "date-sent", "date-received", "from", "label", "mailbox-order", "score",
    "size", "spam", "subject", "threads", "to", "unsorted", "flagged"};

constexpr std::array<std::string_view, 8> kOwnCommands = {"set", "unset", "account", "bind", "macro", "color", "source", "rule"};

std::vector<std::string_view> all_commands() {
    std::vector<std::string_view> v(kOwnCommands.begin(), kOwnCommands.end());
    for (const auto n : mutt_command_names()) v.push_back(n);
    return v;
}

std::string list(std::span<const std::string_view> names) {
    std::vector<std::string> v(names.begin(), names.end());
    return join(v, ", ");
}

std::string unknown(std::string_view what, std::string_view word, std::span<const std::string_view> choices) {
    std::string msg = "unknown " + std::string(what) + " '" + std::string(word) + "'";
    if (auto c = closest(word, choices)) msg += ", did you mean '" + std::string(*c) + "'?";
    return msg + " (valid: " + list(choices) + ")";
}

// "2000", "500K", "20M", "1G" → bytes (K = 1024).
std::optional<std::uint64_t> parse_size(std::string_view s) {
    std::uint64_t mult = 1;
    if (!s.empty()) {
        const char u = static_cast<char>(s.back() | 0x20);
        if (u == 'k' || u == 'm' || u == 'g') {
            mult = u == 'k' ? 1024 : u == 'm' ? 1024 * 1024 : 1024ull * 1024 * 1024;
            s.remove_suffix(1);
        }
    }
    if (s.empty() || s.size() > 12) return std::nullopt;
    std::uint64_t n = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n * mult;
}

// "60", "60s", "5m", "2h" → seconds.
std::optional<int> parse_seconds(std::string_view s) {
    int mult = 1;
    if (!s.empty() && (s.back() == 's' || s.back() == 'm' || s.back() == 'h')) {
        mult = s.back() == 's' ? 1 : s.back() == 'm' ? 60 : 3600;
        s.remove_suffix(1);
    }
    int n = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || n < 0 || n > 10'000'000) return std::nullopt;
    return n * mult;
}

// "30d" → 30.
std::optional<int> parse_days(std::string_view s) {
    if (s.size() < 2 || s.back() != 'd') return std::nullopt;
    int n = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size() - 1, n);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() - 1 || n < 1 || n > 100000) return std::nullopt;
    return n;
}

bool looks_like_address(std::string_view s) {
    auto addr = s;
    if (const auto lt = s.rfind('<'); lt != std::string_view::npos) {
        const auto gt = s.find('>', lt);
        if (gt == std::string_view::npos || !trim(s.substr(gt + 1)).empty()) return false;
        addr = s.substr(lt + 1, gt - lt - 1);
    }
    addr = trim(addr);
    const auto at = addr.rfind('@');
    return at != std::string_view::npos && at > 0 && at + 1 < addr.size() &&
           addr.find_first_of(" \t<>") == std::string_view::npos;
}

// The account block being read. At namespace scope, not nested in Parser:
// clang cannot default-construct a nested class with member initialisers
// before the enclosing class is complete (optional::emplace() in Parser).
struct OpenAccount {
    Account account;
    bool has_receive = false;
    std::string receive_user_option, send_user_option;
    std::string default_account_at;
    std::optional<bool> index_decrypted;
};

class Parser {
public:
    Parser(const EnvLookup& env, const ConfigFiles& files) : env_(env), files_(files) {}

    Config run(std::string_view text, const std::string& path) {
        config_.path = path;
        parse_file(text, path);
        finish();
        if (!errors_.empty()) throw ConfigErrors(errors_);
        return std::move(config_);
    }

    // One line typed at the reader's ':' prompt, applied over a config.
    Config apply(Config base, std::string_view line) {
        config_ = std::move(base);
        const std::string text(line);
        const std::string where = "command";
        if (!text.empty() && lex_starts_account(text)) error(where, "accounts are defined in the config file, not at the prompt");
        else parse_line(text, where, config_.path);
        if (!errors_.empty()) throw ConfigErrors(errors_);
        return std::move(config_);
    }

private:
    static bool lex_starts_account(const std::string& text) {
        const auto start = text.find_first_not_of(" \t");
        return start != std::string::npos && text.compare(start, 8, "account ") == 0;
    }

    void error(const std::string& where, const std::string& msg) { errors_.push_back(where + ": " + msg); }

    // "file:12" → 12; "command" (the ':' prompt) → 0
    static std::size_t line_of(const std::string& where) {
        const auto colon = where.rfind(':');
        std::size_t n = 0;
        if (colon != std::string::npos) std::from_chars(where.data() + colon + 1, where.data() + where.size(), n);
        return n;
    }

    void parse_file(std::string_view text, const std::string& path) {
        if (std::find(include_stack_.begin(), include_stack_.end(), path) != include_stack_.end()) {
            error(include_stack_.back() + ":" + std::to_string(source_line_), "source loop: " + path + " is already being read");
            return;
        }
        if (include_stack_.size() > 16) {
            error(path, "sources nested more than 16 deep");
            return;
        }
        include_stack_.push_back(path);
        std::size_t line_no = 0, pos = 0;
        std::string pending;  // a line continued with a trailing backslash
        std::size_t pending_start = 0;
        while (pos <= text.size()) {
            auto end = text.find('\n', pos);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(pos, end - pos);
            pos = end + 1;
            ++line_no;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (pending.empty()) pending_start = line_no;
            if (!line.empty() && line.back() == '\\' && (line.size() < 2 || line[line.size() - 2] != '\\')) {
                pending.append(line.substr(0, line.size() - 1));
                if (pos <= text.size()) continue;
            } else {
                pending.append(line);
            }
            parse_line(pending, path + ":" + std::to_string(pending_start), path);
            pending.clear();
            if (end == text.size()) break;
        }
        if (account_ && account_file_ == path) {
            error(account_->account.defined_at, "account " + account_->account.name + " is not closed: add a line with '}'");
            account_.reset();
        }
        include_stack_.pop_back();
    }

    void parse_line(const std::string& line, const std::string& where, const std::string& path) {
        if (!account_ && line.find(';') != std::string::npos) {  // mutt's "set x = 1; set y = 2"
            const auto commands = split_config_commands(line);
            if (commands.size() > 1) {
                for (const auto& c : commands) parse_line(c, where, path);
                return;
            }
        }
        std::vector<Word> words;
        try {
            // '=' is a word of its own only where it separates a name from its value
            words = lex_config_line(line, env_, false);
            if (account_ || (!words.empty() && (words[0].is("set") || words[0].is("account"))))
                words = lex_config_line(line, env_, true);
        } catch (const std::invalid_argument& e) {
            error(where, e.what());
            return;
        }
        if (words.empty()) return;
        if (account_) {
            account_line(words, where);
            return;
        }
        const Word& cmd = words[0];
        if (cmd.is("set")) set_line(words, where);
        else if (cmd.is("account")) account_start(words, where, path);
        else if (cmd.is("bind")) bind_line(words, where);
        else if (cmd.is("macro")) macro_line(words, where);
        else if (cmd.is("rule")) rule_line(words, where);
        else if (cmd.is("color")) color_line(words, where);
        else if (cmd.is("source")) source_line(words, where, path);
        else if (cmd.is("unset")) unset_line(words, where);
        else if (!cmd.quoted && is_mutt_command(cmd.text)) apply_mutt_command(words, where, config_, errors_);
        else if (cmd.is("}")) error(where, "'}' without an open account block");
        else error(where, unknown("command", cmd.text, all_commands()));
    }

    // set NAME = VALUE [NAME = VALUE ...]
    void set_line(const std::vector<Word>& w, const std::string& where) {
        if (w.size() < 2) {
            error(where, "set needs an option: set NAME = VALUE (valid: " + list(kGlobalOptions) + ")");
            return;
        }
        for (std::size_t i = 1; i < w.size();) {
            if (i + 1 >= w.size() || !w[i + 1].is("=")) {
                // mutt's `set NAME` and `set noNAME` for a yes/no option
                const std::string& n = w[i].text;
                if (is_boolean_option(n)) global_option(n, "yes", where);
                else if (n.rfind("no", 0) == 0 && is_boolean_option(n.substr(2))) global_option(n.substr(2), "no", where);
                else if (n.rfind("inv", 0) == 0 && is_boolean_option(n.substr(3))) global_option(n.substr(3), boolean_value(n.substr(3)) ? "no" : "yes", where);
                else return error(where, "set " + n + ": missing '= VALUE'");
                ++i;
                continue;
            }
            if (i + 2 >= w.size()) return error(where, "set " + w[i].text + ": missing the value after '='");
            global_option(w[i].text, w[i + 2].text, where);
            i += 3;
        }
    }

    bool boolean_value(const std::string& name) { return boolean_field(config_.options, name); }

    // unset NAME...: a yes/no option becomes no, a text option its default
    void unset_line(const std::vector<Word>& w, const std::string& where) {
        if (w.size() < 2) return error(where, "write it as: unset NAME (e.g. unset sig_dashes)");
        const GlobalOptions defaults;
        for (std::size_t i = 1; i < w.size(); ++i) {
            const std::string& n = w[i].text;
            if (is_boolean_option(n)) global_option(n, "no", where);
            else if (n == "signature") config_.options.signature.clear();
            else if (n == "forward_format") config_.options.forward_format.clear();
            else if (n == "attribution") config_.options.attribution = defaults.attribution;
            else error(where, "unset " + n + ": only yes/no options, signature, attribution and forward_format can be unset (valid yes/no options: " + list(kBooleanOptions) + ")");
        }
    }

    void global_option(const std::string& name, const std::string& value, const std::string& where) {
        auto& o = config_.options;
        if (name == "editor") {
            o.editor = value;
        } else if (name == "sort" || name == "sort_aux") {
            std::string method = value;
            if (method.rfind("reverse-", 0) == 0) method = method.substr(8);
            if (method.rfind("last-", 0) == 0) method = method.substr(5);
            if (std::find(kSortMethods.begin(), kSortMethods.end(), method) == kSortMethods.end()) {
                error(where, name + ": " + unknown("sort method", value, kSortMethods) + ", each may have a reverse- prefix");
                return;
            }
            (name == "sort" ? o.sort : o.sort_aux) = value;
        } else if (name == "check_interval" || name == "connect_timeout" || name == "timeout") {
            auto secs = parse_seconds(value);
            const int min = name == "check_interval" ? 0 : 1;
            if (!secs || *secs < min) {
                error(where, name + ": '" + value + "' is not a duration (valid: seconds, e.g. 60, 90s, 5m" +
                                 (min == 0 ? ", or 0 for never)" : ")"));
                return;
            }
            (name == "check_interval" ? o.check_interval : name == "connect_timeout" ? o.connect_timeout : o.timeout) = *secs;
        } else if (name == "alternative_order") {
            std::vector<std::string> types = split_words(value);
            for (const auto& t : types) {
                const auto slash = t.find('/');
                if (slash == std::string::npos || slash == 0 || slash + 1 == t.size() || t.find('/', slash + 1) != std::string::npos) {
                    error(where, "alternative_order: '" + t + "' is not a MIME type (e.g. text/plain, text/html, text/*)");
                    return;
                }
            }
            if (types.empty()) {
                error(where, "alternative_order: give at least one MIME type (e.g. \"text/plain text/html\")");
                return;
            }
            o.alternative_order = types;
        } else if (name == "header_display") {
            std::vector<std::string> names = split_words(value);
            for (const auto& n : names) {
                if (n.find_first_of(":") != std::string::npos) {
                    error(where, "header_display: '" + n + "': write header names without ':' (e.g. \"From To Date Subject\")");
                    return;
                }
            }
            o.header_display = names;
        } else if (name == "index_format") {
            if (value.empty()) {
                error(where, "index_format: give a format (e.g. \"%4C %Z %{%b %d} %-15.15L (%4c) %s\"; see tern(5))");
                return;
            }
            o.index_format = value;
        } else if (name == "alias_file") {
            o.alias_file = value.empty() ? value : expand_tilde(value, env_);
        } else if (name == "query_command") {
            o.query_command = value;
        } else if (name == "new_mail_command") {
            o.new_mail_command = value;
        } else if (is_boolean_option(name)) {
            if (value != "yes" && value != "no") {
                error(where, name + ": '" + value + "' (valid: yes, no)");
                return;
            }
            boolean_field(o, name) = value == "yes";
        } else if (name == "signature") {
            // a file, or a command whose output is the signature when it ends in '|'
            o.signature = value.empty() || value.back() == '|' ? value : expand_tilde(value, env_);
        } else if (name == "url_command") {
            o.url_command = value;
        } else if (name == "pgp_default_key" || name == "smime_default_key") {
            (name == "pgp_default_key" ? o.crypt.pgp_default_key : o.crypt.smime_default_key) = value;
        } else if (name == "crypt_use_gpgme" || name == "pgp_self_encrypt") {
            // mutt's; tern always uses GPGME and always encrypts to you as well
            if (value != "yes") error(where, name + ": tern always " + (name == "crypt_use_gpgme" ? "uses GPGME" : "encrypts to your own key too (so Sent stays readable)") + "; only yes is valid");
        } else if (name == "attribution") {
            o.attribution = value;
        } else if (name == "forward_format") {
            o.forward_format = value;
        } else if (name == "sidebar_width") {
            int n = 0;
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || p != value.data() + value.size() || n < 8 || n > 100) {
                error(where, "sidebar_width: '" + value + "' is not a width (valid: 8 to 100 columns)");
                return;
            }
            o.sidebar_width = n;
        } else if (name == "delete") {
            if (value != "yes" && value != "no" && value != "ask-yes" && value != "ask-no") {
                error(where, "delete: '" + value + "' (valid: yes, no, ask-yes, ask-no)");
                return;
            }
            o.purge = value;
        } else if (name == "default_account") {
            o.default_account = value;
            default_account_at_ = where;
        } else {
            error(where, unknown("option", name, kGlobalOptions));
        }
    }

    void account_start(const std::vector<Word>& w, const std::string& where, const std::string& path) {
        if (w.size() != 3 || !w[2].is("{")) {
            error(where, "write an account as: account NAME {   (then one 'key = value' per line and a closing '}')");
            if (w.size() >= 2 && w.back().is("{")) {
                // keep reading its lines so that the rest of the file is not misread
            } else {
                return;
            }
        }
        const std::string& name = w[1].text;
        bool ok_name = !name.empty() && name != "{";
        for (const char c : name) ok_name = ok_name && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
        if (!ok_name) error(where, "account name '" + name + "' may use only letters, digits, '-', '_' and '.'");
        for (const auto& a : config_.accounts)
            if (a.name == name) error(where, "duplicate account '" + name + "' (first defined at " + a.defined_at + ")");
        account_.emplace();
        account_->account.name = name;
        account_->account.defined_at = where;
        account_->account.connect_timeout = config_.options.connect_timeout;
        account_->account.timeout = config_.options.timeout;
        account_file_ = path;
        account_config_dir_ = dir_name(path);
    }

    void account_line(const std::vector<Word>& w, const std::string& where) {
        if (w.size() == 1 && w[0].is("}")) {
            account_end();
            return;
        }
        if (w[0].is("account")) {
            error(where, "account " + account_->account.name + " (" + account_->account.defined_at +
                             ") is still open: close it with '}' first");
            return;
        }
        if (w.size() < 3 || !w[1].is("=")) {
            error(where, "expected 'key = value' inside account " + account_->account.name + " (valid keys: " +
                             list(kAccountOptions) + ")");
            return;
        }
        if (w.size() > 3) {
            error(where, w[0].text + ": the value has spaces; put it in quotes: " + w[0].text + " = \"" +
                             w[2].text + " " + w[3].text + (w.size() > 4 ? " ..." : "") + "\"");
            return;
        }
        account_option(w[0].text, w[2].text, where);
    }

    std::string path_value(const std::string& value) const {
        std::string p = expand_tilde(value, env_);
        if (!p.empty() && p[0] != '/') p = account_config_dir_ + "/" + p;
        return p;
    }

    void account_option(const std::string& key, const std::string& value, const std::string& where) {
        Account& a = account_->account;
        auto need_nonempty = [&] {
            if (value.empty()) error(where, key + ": empty value");
            return !value.empty();
        };
        if (key == "from") {
            if (!looks_like_address(value)) {
                error(where, "from: '" + value + "' is not a mail address (e.g. from = \"Alice Example <alice@example.com>\")");
                return;
            }
            a.from = value;
        } else if (key == "receive") {
            std::string err;
            auto url = parse_server_url(value, {"imap", "imaps", "pop3", "pop3s"}, err);
            if (!url) {
                error(where, "receive: " + err);
                return;
            }
            a.receive = *url;
            account_->has_receive = true;
        } else if (key == "send") {
            std::string err;
            auto url = parse_server_url(value, {"smtp", "smtps"}, err);
            if (!url) {
                error(where, "send: " + err);
                return;
            }
            a.send = *url;
        } else if (key == "user") {
            if (need_nonempty()) account_->receive_user_option = value;
        } else if (key == "send_user") {
            if (need_nonempty()) account_->send_user_option = value;
        } else if (key == "password_command") {
            if (need_nonempty()) a.password_command = value;
        } else if (key == "send_password_command") {
            if (need_nonempty()) a.send_password_command = value;
        } else if (key == "oauth2_token_command") {
            if (need_nonempty()) a.oauth2_token_command = value;
        } else if (key == "pinned_key" || key == "send_pinned_key") {
            // sha256// and the base64 of a 32-byte hash: 44 characters ending in '='
            const bool ok = value.rfind("sha256//", 0) == 0 && value.size() == 52 && value.back() == '=' &&
                            value.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", 8) == std::string::npos;
            if (!ok) {
                error(where, key + ": '" + value + "' is not a key pin (tern check --trust ACCOUNT writes it: sha256//BASE64)");
                return;
            }
            (key == "pinned_key" ? a.pinned_key : a.send_pinned_key) = value;
        } else if (key == "ca_file") {
            if (!need_nonempty()) return;
            const std::string p = path_value(value);
            std::string err;
            if (!files_.readable(p, err)) {
                error(where, "ca_file: cannot read " + p + ": " + err);
                return;
            }
            a.ca_file = p;
        } else if (key == "maildir") {
            if (need_nonempty()) a.maildir = path_value(value);
        } else if (key == "signature") {
            if (need_nonempty()) a.signature = path_value(value);
        } else if (key == "sent" || key == "drafts" || key == "trash" || key == "junk" || key == "archive") {
            if (!need_nonempty()) return;
            auto& r = a.roles;
            (key == "sent" ? r.sent : key == "drafts" ? r.drafts : key == "trash" ? r.trash : key == "junk" ? r.junk : r.archive) = value;
        } else if (key == "leave_on_server") {
            const std::string v = to_lower(value);
            if (v == "yes") a.leave_on_server = {LeaveOnServer::Mode::Forever, 0};
            else if (v == "no") a.leave_on_server = {LeaveOnServer::Mode::Never, 0};
            else if (auto d = parse_days(v)) a.leave_on_server = {LeaveOnServer::Mode::Days, *d};
            else error(where, "leave_on_server: bad value '" + value + "' (valid: yes, no, or a number of days like 30d)");
        } else if (key == "cache_bodies") {
            const std::string v = to_lower(value);
            if (v == "all") a.cache_bodies = {CacheBodies::Mode::All, 0};
            else if (v == "opened") a.cache_bodies = {CacheBodies::Mode::Opened, 0};
            else if (auto d = parse_days(v)) a.cache_bodies = {CacheBodies::Mode::Days, *d};
            else error(where, "cache_bodies: bad value '" + value + "' (valid: all, opened, or a number of days like 30d)");
        } else if (key == "max_download_size") {
            auto bytes = parse_size(value);
            if (!bytes) {
                error(where, "max_download_size: '" + value + "' is not a size (valid: bytes, or with K or M, e.g. 500K, 20M; 0 = no limit)");
                return;
            }
            a.max_download_size = *bytes;
        } else if (key == "index_decrypted") {
            if (value != "yes" && value != "no") {
                error(where, key + ": '" + value + "' (valid: yes, no)");
                return;
            }
            account_->index_decrypted = value == "yes";
        } else if (is_crypt_option(key)) {
            if (key.find("_key") == std::string::npos && value != "yes" && value != "no") {
                error(where, key + ": '" + value + "' (valid: yes, no)");
                return;
            }
            set_crypt_override(a.crypt, key, value);
        } else if (key == "connect_timeout" || key == "timeout") {
            auto secs = parse_seconds(value);
            if (!secs || *secs < 1) {
                error(where, key + ": '" + value + "' is not a duration (valid: seconds, e.g. 30, 90s, 2m)");
                return;
            }
            (key == "timeout" ? a.timeout : a.connect_timeout) = *secs;
        } else {
            error(where, unknown("account key", key, kAccountOptions));
        }
    }

    void account_end() {
        Account& a = account_->account;
        const std::string& where = a.defined_at;
        if (!account_->has_receive) {
            error(where, "account " + a.name + ": missing receive (e.g. receive = imaps://alice@imap.example.com)");
        } else {
            a.receive_user = !a.receive.user.empty() ? a.receive.user : account_->receive_user_option;
            if (!a.receive.user.empty() && !account_->receive_user_option.empty() &&
                a.receive.user != account_->receive_user_option)
                error(where, "account " + a.name + ": user '" + account_->receive_user_option +
                                 "' differs from the user in receive '" + a.receive.user + "'; keep one");
            if (a.receive_user.empty())
                error(where, "account " + a.name + ": no user name: put it in the URL (" + a.receive.scheme() +
                                 "://alice@" + a.receive.host + ") or set user = alice");
            if (a.receive.protocol == Protocol::Imap && a.leave_on_server.mode != LeaveOnServer::Mode::Forever)
                error(where, "account " + a.name + ": leave_on_server is for POP3 accounts; IMAP keeps mail on the server");
            if (a.receive.protocol == Protocol::Imap && a.max_download_size != 0)
                error(where, "account " + a.name + ": max_download_size is for POP3 accounts; for IMAP use cache_bodies");
        }
        if (a.send) {
            a.send_user = !a.send->user.empty() ? a.send->user
                          : !account_->send_user_option.empty() ? account_->send_user_option
                                                               : a.receive_user;
            if (a.from.empty())
                error(where, "account " + a.name + ": send is set but from is missing (e.g. from = \"Alice <alice@example.com>\")");
        } else if (!account_->send_user_option.empty() || !a.send_password_command.empty()) {
            error(where, "account " + a.name + ": send_user/send_password_command given but no send URL");
        }
        if (!a.oauth2_token_command.empty() && !a.password_command.empty())
            error(where, "account " + a.name + ": set either password_command or oauth2_token_command, not both");
        if (a.maildir.empty()) a.maildir = default_data_dir(env_) + "/" + a.name;
        index_decrypted_.push_back(account_->index_decrypted);  // resolved in finish(): a later `set` counts too
        config_.accounts.push_back(std::move(a));
        account_.reset();
    }

    // bind MENU[,MENU...] KEY FUNCTION
    // rule ACCOUNT FOLDER PATTERN... delete|read|flag|move FOLDER|copy FOLDER
    void rule_line(const std::vector<Word>& w, const std::string& where) {
        constexpr const char* kForm = "write it as: rule ACCOUNT FOLDER PATTERN ACTION (actions: delete, read, flag, move FOLDER, copy FOLDER)";
        if (w.size() < 5) {
            error(where, kForm);
            return;
        }
        Rule r;
        r.account = w[1].text;
        r.folder = w[2].text;
        r.defined_at = where;
        std::size_t pattern_end = w.size() - 1;
        const Word& last = w.back();
        const Word& before = w[w.size() - 2];
        if (before.is("move") || before.is("copy")) {
            r.action = before.is("move") ? Rule::Action::Move : Rule::Action::Copy;
            r.target = last.text;
            pattern_end = w.size() - 2;
        } else if (last.is("delete")) {
            r.action = Rule::Action::Delete;
        } else if (last.is("read")) {
            r.action = Rule::Action::Read;
        } else if (last.is("flag")) {
            r.action = Rule::Action::Flag;
        } else {
            error(where, "rule: '" + last.text + "' is not an action (valid: delete, read, flag, move FOLDER, copy FOLDER)");
            return;
        }
        for (std::size_t i = 3; i < pattern_end; ++i) {
            if (!r.pattern.empty()) r.pattern += ' ';
            // a word that was quoted goes back in quotes, so "~s \"a b\"" stays one term
            r.pattern += w[i].quoted && w[i].text.find(' ') != std::string::npos ? "\"" + w[i].text + "\"" : w[i].text;
        }
        if (r.pattern.empty()) {
            error(where, kForm);
            return;
        }
        if (r.folder.find("..") != std::string::npos || r.target.find("..") != std::string::npos) {
            error(where, "rule: a folder name cannot contain '..'");
            return;
        }
        config_.rules.push_back(std::move(r));
    }

    void bind_line(const std::vector<Word>& w, const std::string& where) {
        if (w.size() != 4) {
            error(where, "write a binding as: bind MENU KEY FUNCTION (e.g. bind index D delete-thread)");
            return;
        }
        const std::string& key = w[2].text;
        if (!parse_key_sequence(key)) {
            error(where, "bind: bad key '" + key + "' (e.g. d, gg, \\Cd, ^D, <esc>x, <pagedown>, <f5>)");
            return;
        }
        for (const auto& menu : split(w[1].text, ',')) {
            const auto menus = menu_names();
            if (std::find(menus.begin(), menus.end(), menu) == menus.end()) {
                error(where, "bind: " + unknown("menu", menu, menus));
                continue;
            }
            if (!is_function(menu, w[3].text)) {
                const auto fns = functions_for(menu);
                std::string msg = "bind: unknown function '" + w[3].text + "' in menu " + menu;
                if (auto c = closest(w[3].text, fns)) msg += ", did you mean '" + std::string(*c) + "'?";
                error(where, msg + " (see the FUNCTIONS section of tern(1))");
                continue;
            }
            config_.bindings.push_back({menu, key, w[3].text, where});
        }
    }

    // macro MENU[,MENU...] KEY SEQUENCE [DESCRIPTION]
    void macro_line(const std::vector<Word>& w, const std::string& where) {
        if (w.size() != 4 && w.size() != 5) {
            error(where, "write a macro as: macro MENU KEY SEQUENCE [DESCRIPTION] (e.g. macro index A \"<save-message>=Archive<enter>\" \"archive\")");
            return;
        }
        const std::string& key = w[2].text;
        if (!parse_key_sequence(key)) {
            error(where, "macro: bad key '" + key + "' (e.g. d, gg, \\Cd, ^D, <esc>x, <pagedown>, <f5>)");
            return;
        }
        for (const auto& menu : split(w[1].text, ',')) {
            const auto menus = menu_names();
            if (std::find(menus.begin(), menus.end(), menu) == menus.end()) {
                error(where, "macro: " + unknown("menu", menu, menus));
                continue;
            }
            std::string bad;
            auto steps = parse_macro_sequence(w[3].text, menu, &bad);
            if (!steps) {
                if (bad.empty()) {
                    error(where, "macro: bad key sequence '" + w[3].text + "'");
                    continue;
                }
                std::string msg = "macro: '<" + bad + ">' is neither a key nor a function of menu " + menu;
                if (auto c = closest(bad, functions_for(menu))) msg += ", did you mean '<" + std::string(*c) + ">'?";
                error(where, msg + " (keys: <enter> <esc> <tab> <space> <up> <pagedown> <f5> ...; functions: tern(1))");
                continue;
            }
            config_.macros.push_back({menu, key, w[3].text, w.size() == 5 ? w[4].text : std::string(), where, std::move(*steps)});
        }
    }

    // color OBJECT [ATTRIBUTE...] FOREGROUND BACKGROUND [PATTERN]
    void color_line(const std::vector<Word>& w, const std::string& where) {
        if (w.size() < 4) {
            error(where, "write a color as: color OBJECT FOREGROUND BACKGROUND (e.g. color index_new brightwhite default)");
            return;
        }
        const auto objects = color_objects();
        if (std::find(objects.begin(), objects.end(), w[1].text) == objects.end()) {
            error(where, "color: " + unknown("object", w[1].text, objects));
            return;
        }
        ColorRule rule;
        rule.object = w[1].text;
        rule.defined_at = where;
        std::size_t i = 2;
        while (i < w.size() && is_color_attribute(w[i].text) && !is_color_name(w[i].text)) rule.attributes.push_back(w[i++].text);
        if (i + 2 > w.size()) {
            error(where, "color " + rule.object + ": needs a foreground and a background color");
            return;
        }
        for (std::size_t k = i; k < i + 2; ++k) {
            if (!is_color_name(w[k].text)) {
                error(where, "color: unknown color '" + w[k].text +
                                 "' (valid: default, black, red, green, yellow, blue, magenta, cyan, white, "
                                 "each with a bright prefix, or color0 to color255)");
                return;
            }
        }
        rule.foreground = w[i].text;
        rule.background = w[i + 1].text;
        i += 2;
        if (i < w.size()) {
            if (!color_object_takes_pattern(rule.object)) {
                error(where, "color " + rule.object + ": takes no pattern (only index, index_*, header and body do)");
                return;
            }
            if (i + 1 < w.size()) {
                error(where, "color " + rule.object + ": put the pattern in quotes");
                return;
            }
            rule.pattern = w[i].text;
        } else if (rule.object == "header" || rule.object == "body") {
            error(where, "color " + rule.object + ": needs a pattern after the colors (a regular expression)");
            return;
        }
        config_.colors.push_back(std::move(rule));
    }

    void source_line(const std::vector<Word>& w, const std::string& where, const std::string& path) {
        if (w.size() != 2) {
            error(where, "write it as: source FILE (or source \"COMMAND|\" to read what a command prints)");
            return;
        }
        if (!w[1].text.empty() && w[1].text.back() == '|') {
            const std::string command(trim(std::string_view(w[1].text).substr(0, w[1].text.size() - 1)));
            std::string err;
            auto text = files_.run ? files_.run(command, err) : std::nullopt;
            if (!text) {
                error(where, "source: the command '" + command + "' gave no config: " + (files_.run ? err : "commands are not run here"));
                return;
            }
            source_line_ = line_of(where);
            parse_file(*text, "'" + command + "|'");
            return;
        }
        std::string file = expand_tilde(w[1].text, env_);
        if (!file.empty() && file[0] != '/') file = dir_name(path) + "/" + file;
        std::string err;
        auto text = files_.read(file, err);
        if (!text) {
            error(where, "source: cannot read " + file + ": " + err);
            return;
        }
        source_line_ = line_of(where);
        parse_file(*text, file);
    }

    void finish() {
        for (std::size_t i = 0; i < config_.accounts.size() && i < index_decrypted_.size(); ++i)
            config_.accounts[i].index_decrypted = index_decrypted_[i].value_or(config_.options.index_decrypted);
        if (config_.accounts.empty() && errors_.empty())
            error(config_.path, "no account defined (add one: account NAME { receive = imaps://user@host ... }; see config.example)");
        for (const auto& r : config_.rules)
            if (!config_.find_account(r.account))
                error(r.defined_at, "rule: unknown account '" + r.account + "' (valid: " + join(config_.account_names(), ", ") + ")");
        const auto& d = config_.options.default_account;
        if (!d.empty() && !config_.find_account(d)) {
            auto names = config_.account_names();
            error(default_account_at_, "default_account: unknown account '" + d + "' (valid: " + join(names, ", ") + ")");
        }
    }

    const EnvLookup& env_;
    const ConfigFiles& files_;
    Config config_;
    std::vector<std::string> errors_;
    std::vector<std::string> include_stack_;
    std::size_t source_line_ = 0;
    std::optional<OpenAccount> account_;
    std::string account_file_, account_config_dir_;
    std::string default_account_at_;
    std::vector<std::optional<bool>> index_decrypted_;  // each account's own, by position
};

}  // namespace

Config parse_config(std::string_view text, const std::string& path, const EnvLookup& env, const ConfigFiles& files) {
    return Parser(env, files).run(text, path);
}

Config apply_config_line(Config base, std::string_view line, const EnvLookup& env, const ConfigFiles& files) {
    return Parser(env, files).apply(std::move(base), line);
}

Config load_config(const std::string& path, const EnvLookup& env) {
    const ConfigFiles files = real_config_files();
    std::string err;
    auto text = files.read(path, err);
    if (!text)
        throw ConfigErrors({path + ": cannot read the config file: " + err +
                            " (create it from config.example, or name another with -F FILE)"});
    return parse_config(*text, path, env, files);
}

}  // namespace tern
