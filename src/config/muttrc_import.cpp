#include "config/muttrc_import.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <stdexcept>

#include "config/lexer.hpp"
#include "config/mutt_commands.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {


// mutt variables that describe an account: they become an `account` block.
constexpr std::array<std::string_view, 14> kAccountVariables = {
    "folder", "spoolfile", "imap_user", "imap_pass", "pop_user", "pop_pass", "smtp_url", "smtp_pass",
    "from", "realname", "record", "postponed", "trash", "imap_login"};

bool is_account_variable(std::string_view name) {
    return std::find(kAccountVariables.begin(), kAccountVariables.end(), name) != kAccountVariables.end();
}

bool is_password_variable(std::string_view name) { return name == "imap_pass" || name == "smtp_pass" || name == "pop_pass"; }

// A line that may hold a password is never shown.
bool holds_password(std::string_view line) {
    const std::string l = to_lower(line);
    return l.find("_pass") != std::string::npos || l.find("passw") != std::string::npos;
}

// mutt's variables that tern has, under their tern names.
struct Carried {
    std::string_view mutt, tern;
};
constexpr std::array<Carried, 25> kCarried = {{
    {"sort", "sort"}, {"sort_aux", "sort_aux"}, {"editor", "editor"}, {"signature", "signature"},
    {"sig_dashes", "sig_dashes"}, {"attribution", "attribution"}, {"forward_format", "forward_format"},
    {"reverse_name", "reverse_name"}, {"sidebar_visible", "sidebar_visible"}, {"sidebar_width", "sidebar_width"},
    {"index_format", "index_format"}, {"beep_new", "beep_new"}, {"alias_file", "alias_file"},
    {"query_command", "query_command"}, {"new_mail_command", "new_mail_command"}, {"mail_check", "check_interval"},
    {"connect_timeout", "connect_timeout"}, {"delete", "delete"},
    {"crypt_autosign", "crypt_autosign"}, {"crypt_autoencrypt", "crypt_autoencrypt"}, {"crypt_replyencrypt", "crypt_replyencrypt"},
    {"crypt_opportunistic_encrypt", "crypt_opportunistic_encrypt"}, {"smime_is_default", "smime_is_default"},
    {"pgp_default_key", "pgp_default_key"}, {"smime_default_key", "smime_default_key"},
}};
constexpr std::array<std::string_view, 9> kBooleans = {"sig_dashes", "reverse_name", "sidebar_visible", "beep_new", "crypt_autosign",
                                                       "crypt_autoencrypt", "crypt_replyencrypt", "crypt_opportunistic_encrypt", "smime_is_default"};

// mutt's variables whose job tern does on its own.
struct Unneeded {
    std::string_view name, why;
};
constexpr std::array<Unneeded, 24> kUnneeded = {{
    {"header_cache", "tern keeps headers in its own index database"},
    {"message_cachedir", "tern keeps messages in its own maildir"},
    {"imap_keepalive", "tern keeps its IMAP connections alive itself"},
    {"imap_idle", "tern uses IDLE where the server has it"},
    {"imap_check_subscribed", "tern syncs every folder"},
    {"imap_passive", "tern checks folders in the background"},
    {"imap_authenticators", "tern chooses the authentication libcurl and the server agree on"},
    {"smtp_authenticators", "tern chooses the authentication libcurl and the server agree on"},
    {"ssl_force_tls", "tern always requires TLS"},
    {"ssl_starttls", "tern always requires TLS (imap:// and smtp:// mean STARTTLS, required)"},
    {"ssl_verify_host", "tern always verifies certificates"},
    {"ssl_verify_dates", "tern always verifies certificates"},
    {"certificate_file", "tern trusts the system's CAs, ca_file, or a key pinned with tern check --trust"},
    {"mbox_type", "tern's local store is always a maildir"},
    {"edit_headers", "tern always puts the headers in the editor"},
    {"use_from", "tern always writes From"},
    {"envelope_from", "tern sends from the From address"},
    {"charset", "tern works in UTF-8"},
    {"send_charset", "tern chooses the smallest charset that fits"},
    {"mail_check_stats", "tern counts new mail at every sync"},
    {"sidebar_short_path", "tern's sidebar shows folder names as a tree"},
    {"sidebar_folder_indent", "tern's sidebar shows folder names as a tree"},
    {"move", "tern has no mbox to move read mail to (use a rule)"},
    {"imap_list_subscribed", "tern syncs every folder"},
}};

// Commands tern reads with mutt's meaning: carried over as they are.
bool is_passthrough(std::string_view cmd) { return cmd == "bind" || cmd == "macro" || cmd == "color" || is_mutt_command(cmd); }

struct MuttUrl {
    std::string scheme, user, host, port, path;
};

// mutt's imaps://[user[:pass]@]host[:port][/path]; the user may hold '@' (the last one ends it).
std::optional<MuttUrl> parse_mutt_url(std::string_view text) {
    const auto sep = text.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    MuttUrl u;
    u.scheme = to_lower(text.substr(0, sep));
    std::string_view rest = text.substr(sep + 3);
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) u.path = std::string(rest.substr(slash + 1));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        userinfo = userinfo.substr(0, userinfo.find(':'));  // a password in the URL is never kept
        u.user = *percent_decode(userinfo, false);  // lenient: a bad escape stays as written
        authority = authority.substr(at + 1);
    }
    if (const auto colon = authority.rfind(':'); colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
        u.port = std::string(authority.substr(colon + 1));
        authority = authority.substr(0, colon);
    }
    u.host = to_lower(authority);
    if (u.host.empty()) return std::nullopt;
    while (!u.path.empty() && u.path.back() == '/') u.path.pop_back();
    return u;
}

std::string host_port(const MuttUrl& u) { return u.host + (u.port.empty() ? "" : ":" + u.port); }

std::string dirname_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string basename_of(std::string path) {
    while (!path.empty() && path.back() == '/') path.pop_back();
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A name tern accepts for an account: letters, digits, '-', '_' and '.'.
std::string account_name_from(std::string_view hint) {
    std::string out;
    for (const char c : hint) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (ok) out += c;
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
    while (!out.empty() && (out.front() == '.' || out.front() == '-')) out.erase(0, 1);
    return out.empty() ? "mail" : out;
}

class Importer {
public:
    Importer(const EnvLookup& env, const ConfigFiles& files) : env_(env), files_(files) {
        probe_ = parse_config("account probe {\n    receive = imaps://u@h\n}\n", "(probe)", env_, files_);
        global_.where = "(muttrc)";
    }

    void read(const std::string& path, const std::string& included_at, std::size_t scope) {
        if (std::find(stack_.begin(), stack_.end(), path) != stack_.end()) return note(included_at, "source loop: " + path + " is already being read", "");
        std::string err;
        const auto text = files_.read(path, err);
        if (!text) return note(included_at, "cannot read " + path + ": " + err, "");
        stack_.push_back(path);
        const auto lines = split(*text, '\n');
        std::string pending;
        std::size_t start = 0;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::string line = lines[i];
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (pending.empty()) start = i + 1;
            if (!line.empty() && line.back() == '\\') {  // continued on the next line
                line.pop_back();
                pending += line;
                continue;
            }
            pending += line;
            const std::string where = path + ":" + std::to_string(start);
            process_line(pending, where, scope);
            pending.clear();
        }
        stack_.pop_back();
    }

    MuttrcImport finish(const std::string& path);

private:
    // A group of settings that become one account: the top level, or what a
    // folder-hook or account-hook switches to (keyed by its pattern).
    struct Scope {
        std::string key, name_hint, where;
        std::map<std::string, std::pair<std::string, std::string>> vars;  // name -> (value, where)
        std::vector<std::pair<std::string, std::string>> extra;            // (tern line, where): other settings of the account
    };

    void note(const std::string& where, const std::string& why, const std::string& line) {
        std::string text = where + ": " + why;
        if (!line.empty()) text += ": " + (holds_password(line) ? std::string("(the line is not shown: it holds a password)") : line);
        not_carried_.push_back(text);
    }

    // Why tern would refuse `line`, or nothing when it takes it.
    std::optional<std::string> problem(const std::string& line) {
        try {
            apply_config_line(probe_, line, env_, files_);
            return std::nullopt;
        } catch (const ConfigErrors& e) {
            std::string p = e.lines().empty() ? "not accepted" : e.lines().front();
            if (p.rfind("command: ", 0) == 0) p.erase(0, 9);
            return p;
        }
    }

    // $name in a muttrc: a mutt variable set before, else the environment
    EnvLookup variables(std::size_t scope) const {
        return [this, scope](const std::string& name) -> std::optional<std::string> {
            const Scope& s = scope_at(scope);
            if (auto it = s.vars.find(name); it != s.vars.end() && !is_password_variable(name)) return it->second.first;
            if (auto it = global_.vars.find(name); it != global_.vars.end() && !is_password_variable(name)) return it->second.first;
            return env_(name);
        };
    }

    const Scope& scope_at(std::size_t i) const { return i == 0 ? global_ : accounts_[i - 1]; }
    Scope& scope_at(std::size_t i) { return i == 0 ? global_ : accounts_[i - 1]; }

    void process_line(const std::string& line, const std::string& where, std::size_t scope) {
        for (const auto& c : split_config_commands(line)) {
            const std::string command(trim(c));
            if (!command.empty() && command[0] != '#') process_command(command, where, scope);
        }
    }

    void carry(const std::string& line, const std::string& where, std::size_t scope) {
        if (scope == 0) rest_.push_back(line);
        else scope_at(scope).extra.emplace_back(line, where);
        ++carried_;
    }

    void process_command(const std::string& command, const std::string& where, std::size_t scope) {
        if (command.find('`') != std::string::npos) return note(where, "backticks (a command's output) are not run on import", command);
        std::vector<Word> w;
        try {
            w = lex_config_line(command, variables(scope), false);
        } catch (const std::invalid_argument& e) {
            return note(where, e.what(), command);
        }
        if (w.empty()) return;
        const std::string& name = w[0].text;
        if (name == "set" || name == "unset" || name == "reset" || name == "toggle") return set_line(command, where, scope);
        if (name == "source") return source_line(w, command, where, scope);
        if (name == "folder-hook" || name == "account-hook") return switching_hook(w, command, where, scope);
        if (name == "mailboxes" || name == "named-mailboxes" || name == "unmailboxes") {
            mailboxes_.push_back({command, where});
            return;
        }
        if (name == "alternative_order") {
            std::vector<std::string> types;
            for (std::size_t i = 1; i < w.size(); ++i) types.push_back(w[i].text);
            const std::string line = "set alternative_order = " + config_word(join(types, " "), true);
            if (auto p = problem(line)) return note(where, *p, command);
            return carry(line, where, scope);
        }
        if (name == "push" || name == "exec")
            return note(where, "tern runs push and exec at the ':' prompt and in hooks, not when it starts", command);
        if (name == "alias" || name == "unalias")
            return note(where, "tern keeps aliases in the alias file (mutt's format): put this line there and set alias_file", command);
        if (name == "mono") return note(where, "tern has no monochrome colors (color works on every terminal it supports)", command);
        if (is_passthrough(name)) {
            if (auto p = problem(command)) return note(where, *p, command);
            if (auto p = hook_command_problem(w)) return note(where, *p, command);
            return carry(command, where, scope);
        }
        note(where, "tern has no command '" + name + "'", command);
    }

    // A hook's command is checked as tern would run it (push and exec aside).
    std::optional<std::string> hook_command_problem(const std::vector<Word>& w) {
        if (w.size() < 3 || w[0].text.find("hook") == std::string::npos || w[0].text == "unhook") return std::nullopt;
        const std::string& first = w[0].text;
        if (first == "save-hook" || first == "fcc-hook" || first == "fcc-save-hook") return std::nullopt;
        std::string text = w[2].text;
        for (std::size_t i = 3; i < w.size(); ++i) text += " " + w[i].text;
        for (const auto& c : split_config_commands(text)) {
            const std::string inner(trim(c));
            if (inner.empty() || inner.rfind("push", 0) == 0 || inner.rfind("exec", 0) == 0) continue;
            if (auto p = problem(inner)) return "its command '" + inner + "': " + *p;
        }
        return std::nullopt;
    }

    void set_line(const std::string& command, const std::string& where, std::size_t scope) {
        std::vector<Word> w;
        try {
            w = lex_config_line(command, variables(scope), true);
        } catch (const std::invalid_argument& e) {
            return note(where, e.what(), command);
        }
        const std::string verb = w[0].text;
        if (verb == "reset" || verb == "toggle") return note(where, "tern has no " + verb + " (write the value with set)", command);
        bool any = false;
        for (std::size_t i = 1; i < w.size();) {
            std::string name = w[i].text, value;
            if (verb == "set" && i + 1 < w.size() && w[i + 1].is("=")) {
                value = i + 2 < w.size() ? w[i + 2].text : "";
                i += 3;
            } else {
                ++i;
                if (verb == "unset") value = "no";
                else if (name.rfind("no", 0) == 0 && name.size() > 2) name = name.substr(2), value = "no";
                else if (name.rfind("inv", 0) == 0 && name.size() > 3) {
                    note(where, "tern cannot import a toggled value (set inv" + name.substr(3) + "): write yes or no", command);
                    continue;
                } else value = "yes";
                if (name[0] == '?' || name[0] == '&') {
                    note(where, "queries and resets of variables mean nothing in a config", command);
                    continue;
                }
            }
            any |= variable(name, value, verb == "unset", where, command, scope);
        }
        if (any) ++carried_;
    }

    // One mutt variable; true when it was carried over.
    bool variable(const std::string& name, const std::string& value, bool unset, const std::string& where, const std::string& command,
                  std::size_t scope) {
        Scope& s = scope_at(scope);
        if (is_account_variable(name) || (scope != 0 && name == "signature")) {
            s.vars[name] = {unset ? std::string() : value, where};
            if (is_password_variable(name)) {
                note(where, name + ": the password is not copied into the config; the account gets a password_command suggestion", command);
                return false;
            }
            return true;
        }
        for (const auto& c : kCarried) {
            if (name != c.mutt) continue;
            const bool boolean = std::find(kBooleans.begin(), kBooleans.end(), c.tern) != kBooleans.end();
            std::string line;
            if (unset) line = boolean || c.tern == "signature" || c.tern == "forward_format" ? "unset " + std::string(c.tern) : "";
            else line = "set " + std::string(c.tern) + " = " + config_word(boolean && value == "set" ? "yes" : value);
            if (line.empty()) {
                note(where, "unset " + name + ": tern keeps its default for it", command);
                return false;
            }
            if (auto p = problem(line)) {
                note(where, *p, command);
                return false;
            }
            if (scope == 0) sets_.push_back(line);
            else s.extra.emplace_back(line, where);
            return true;
        }
        for (const auto& u : kUnneeded)
            if (name == u.name) {
                note(where, "not needed: " + std::string(u.why), command);
                return false;
            }
        note(where, "tern has no option '" + name + "'", command);
        return false;
    }

    std::string resolve(const std::string& file) const {
        std::string f = expand_tilde(file, env_);
        if (!f.empty() && f[0] != '/' && !stack_.empty()) f = dirname_of(stack_.back()) + "/" + f;
        return f;
    }

    void source_line(const std::vector<Word>& w, const std::string& command, const std::string& where, std::size_t scope) {
        if (w.size() != 2) return note(where, "write it as: source FILE", command);
        if (!w[1].text.empty() && w[1].text.back() == '|') return note(where, "a command's output is not run on import (tern reads source \"cmd|\" itself)", command);
        ++carried_;  // its lines are carried (or listed) one by one
        read(resolve(w[1].text), where, scope);
    }

    // folder-hook / account-hook PATTERN COMMAND: when the command sets
    // account variables (mutt's way to switch accounts), the settings become
    // an account of their own; otherwise the hook is carried as it is.
    void switching_hook(const std::vector<Word>& w, const std::string& command, const std::string& where, std::size_t scope) {
        if (w.size() < 3) return note(where, "a hook needs a pattern and a command", command);
        std::string text = w[2].text;
        for (std::size_t i = 3; i < w.size(); ++i) text += " " + w[i].text;
        bool switches = false;
        std::string hint;
        for (const auto& c : split_config_commands(text)) {
            std::vector<Word> inner;
            try {
                inner = lex_config_line(std::string(trim(c)), variables(scope), true);
            } catch (const std::invalid_argument&) {
                continue;
            }
            if (inner.empty()) continue;
            if (inner[0].text == "source" && inner.size() == 2) {
                switches = true;  // mutt users keep an account in a file a hook sources
                hint = basename_of(inner[1].text);
            }
            if (inner[0].text == "set" || inner[0].text == "unset")
                for (const auto& word : inner) switches |= is_account_variable(word.text);
        }
        if (!switches) {
            if (auto p = problem(command)) return note(where, *p, command);
            if (auto p = hook_command_problem(w)) return note(where, *p, command);
            return carry(command, where, scope);
        }
        // the same pattern in a folder-hook and an account-hook is one account
        std::string key = w[1].text;
        while (!key.empty() && (key.front() == '^' || key.front() == '!')) key.erase(0, 1);
        while (!key.empty() && (key.back() == '/' || key.back() == '$')) key.pop_back();
        std::size_t index = 0;
        for (std::size_t i = 0; i < accounts_.size(); ++i)
            if (accounts_[i].key == key) index = i + 1;
        if (index == 0) {
            accounts_.push_back({key, hint, where, {}, {}});
            index = accounts_.size();
        } else if (accounts_[index - 1].name_hint.empty()) {
            accounts_[index - 1].name_hint = hint;
        }
        ++carried_;
        for (const auto& c : split_config_commands(text)) {
            const std::string inner(trim(c));
            if (!inner.empty()) process_command(inner, where, index);
        }
    }

    std::optional<std::string> account_block(const Scope& s, const std::string& name, std::string& receive_host);
    void mailboxes_lines(const std::map<std::string, std::string>& account_by_host);

    EnvLookup env_;
    ConfigFiles files_;
    Config probe_;
    Scope global_;
    std::vector<Scope> accounts_;
    std::vector<std::string> stack_, sets_, rest_, not_carried_;
    std::vector<std::pair<std::string, std::string>> mailboxes_;  // (line, where)
    std::size_t carried_ = 0;
};

// A folder as mutt names it (+name, =name, a full URL, a path under $folder): its tern name.
std::string folder_name(const std::string& value, const std::string& folder_var) {
    std::string v = value;
    if (!v.empty() && (v[0] == '+' || v[0] == '=')) return v.substr(1);
    if (!folder_var.empty() && v.rfind(folder_var, 0) == 0) {
        v = v.substr(folder_var.size());
        while (!v.empty() && v[0] == '/') v.erase(0, 1);
        return v;
    }
    if (auto u = parse_mutt_url(v)) return u->path;
    return v;
}

std::optional<std::string> Importer::account_block(const Scope& s, const std::string& name, std::string& receive_host) {
    const auto var = [&s](const char* n) -> std::string {
        auto it = s.vars.find(n);
        return it == s.vars.end() ? std::string() : it->second.first;
    };
    const auto where_of = [&s](const char* n) -> std::string {
        auto it = s.vars.find(n);
        return it == s.vars.end() ? s.where : it->second.second;
    };
    std::optional<MuttUrl> in = parse_mutt_url(var("folder"));
    if (!in || (in->scheme.rfind("imap", 0) != 0 && in->scheme.rfind("pop", 0) != 0)) in = parse_mutt_url(var("spoolfile"));
    if (!in || (in->scheme.rfind("imap", 0) != 0 && in->scheme.rfind("pop", 0) != 0)) {
        note(s.vars.empty() ? s.where : s.vars.begin()->second.second,
             "no IMAP or POP3 server (folder or spoolfile = imaps://...): tern reads mail from a server, so no account was made of these settings", "");
        return std::nullopt;
    }
    const bool pop = in->scheme.rfind("pop", 0) == 0;
    const std::string scheme = pop ? (in->scheme == "pops" ? "pop3s" : "pop3") : in->scheme;
    std::string user = !in->user.empty() ? in->user : pop ? var("pop_user") : var("imap_user");
    if (user.empty()) user = var("imap_login");
    std::string from = var("from");
    const std::string realname = var("realname");
    if (from.empty() && user.find('@') != std::string::npos) from = user;
    if (from.empty()) {
        note(s.where, "no From address (set from = ADDRESS) for the account of " + in->host + ": no account was made", "");
        return std::nullopt;
    }
    if (!realname.empty() && from.find('<') == std::string::npos) from = realname + " <" + from + ">";
    receive_host = in->host;
    std::string b = "account " + name + " {\n";
    b += "    from = " + config_word(from, true) + "\n";
    b += "    receive = " + scheme + "://" + host_port(*in) + "\n";
    if (!user.empty()) b += "    user = " + config_word(user, true) + "\n";
    const std::string pass_var = pop ? "pop_pass" : "imap_pass";
    b += "    # password_command = \"pass show mail/" + name + "\"   # a suggestion: the first line it prints is the password" +
         (s.vars.count(pass_var) ? std::string(" (") + pass_var + " at " + where_of(pass_var.c_str()) + " was not copied)" : std::string()) + "\n";
    if (auto out = parse_mutt_url(var("smtp_url"))) {
        if (out->scheme == "smtp" || out->scheme == "smtps") {
            b += "    send = " + out->scheme + "://" + host_port(*out) + "\n";
            if (!out->user.empty() && out->user != user) b += "    send_user = " + config_word(out->user, true) + "\n";
        } else {
            note(where_of("smtp_url"), "smtp_url: tern sends with smtp:// (STARTTLS) or smtps://", "set smtp_url = " + var("smtp_url"));
        }
    }
    const std::string folder_var = var("folder");
    for (const auto& [mutt, key] : {std::pair{"record", "sent"}, std::pair{"postponed", "drafts"}, std::pair{"trash", "trash"}}) {
        const std::string v = var(mutt);
        if (v.empty()) continue;
        const std::string f = folder_name(v, folder_var);
        if (f.empty()) continue;
        b += "    " + std::string(key) + " = " + config_word(f, true) + "\n";
    }
    if (const std::string sig = var("signature"); !sig.empty()) b += "    signature = " + config_word(sig, true) + "\n";
    b += "}\n";
    return b;
}

void Importer::mailboxes_lines(const std::map<std::string, std::string>& account_by_host) {
    const std::string folder_var = global_.vars.count("folder") ? global_.vars.at("folder").first : std::string();
    for (const auto& [line, where] : mailboxes_) {
        std::vector<Word> w;
        try {
            w = lex_config_line(line, variables(0), false);
        } catch (const std::invalid_argument& e) {
            note(where, e.what(), line);
            continue;
        }
        const bool named = w[0].text == "named-mailboxes";
        std::vector<std::string> out;
        bool dropped = false;
        for (std::size_t i = 1; i < w.size(); ++i) {
            if (named && i % 2 == 1) continue;  // named-mailboxes DESCRIPTION FOLDER: tern shows folder names
            std::string m = w[i].text;
            if (m == "*" || m == "!") {
                out.push_back(m == "!" ? "INBOX" : m);
                continue;
            }
            if (auto u = parse_mutt_url(m)) {
                const auto it = account_by_host.find(u->host);
                const std::string f = u->path.empty() ? "INBOX" : u->path;
                out.push_back(it == account_by_host.end() ? f : it->second + "/" + f);
                continue;
            }
            if (m[0] == '+' || m[0] == '=' || (!folder_var.empty() && m.rfind(folder_var, 0) == 0)) {
                out.push_back(folder_name(m, folder_var));
                continue;
            }
            dropped = true;
            note(where, "'" + m + "' is a local mail folder; tern's folders are its accounts' (on the server, mirrored here)", line);
        }
        if (out.empty()) continue;
        std::vector<std::string> quoted;
        for (const auto& o : out) quoted.push_back(config_word(o));
        const std::string tern_line = (w[0].text == "unmailboxes" ? "unmailboxes " : "mailboxes ") + join(quoted, " ");
        if (auto p = problem(tern_line)) {
            note(where, *p, line);
            continue;
        }
        rest_.push_back(tern_line);
        if (!dropped) ++carried_;
    }
}

MuttrcImport Importer::finish(const std::string& path) {
    MuttrcImport r;
    std::vector<std::string> blocks;
    std::vector<std::string> account_hooks;
    std::map<std::string, std::string> account_by_host;
    std::vector<std::string> names;
    const auto unique = [&names](std::string n) {
        std::string candidate = n;
        for (int i = 2; std::find(names.begin(), names.end(), candidate) != names.end(); ++i) candidate = n + std::to_string(i);
        names.push_back(candidate);
        return candidate;
    };
    const auto hint_for = [](const Scope& s) {
        if (!s.name_hint.empty()) return s.name_hint;
        const auto from = s.vars.find("from");
        if (from != s.vars.end()) {
            const auto at = from->second.first.find('@');
            if (at != std::string::npos) {
                std::string domain = from->second.first.substr(at + 1);
                domain = domain.substr(0, domain.find_first_of(">. "));
                if (!domain.empty()) return domain;
            }
        }
        for (const char* n : {"folder", "spoolfile"})
            if (auto it = s.vars.find(n); it != s.vars.end())
                if (auto u = parse_mutt_url(it->second.first)) {
                    const auto labels = split(u->host, '.');
                    return labels.size() >= 2 ? labels[labels.size() - 2] : u->host;
                }
        return std::string("mail");
    };
    // the server and login an account's settings name: the same in two places is one account
    const auto identity = [](const Scope& sc) -> std::string {
        std::optional<MuttUrl> u;
        for (const char* n : {"folder", "spoolfile"})
            if (auto it = sc.vars.find(n); it != sc.vars.end() && !u) {
                u = parse_mutt_url(it->second.first);
                if (u && u->scheme.rfind("imap", 0) != 0 && u->scheme.rfind("pop", 0) != 0) u.reset();
            }
        if (!u) return {};
        std::string user = u->user;
        for (const char* n : {"imap_user", "pop_user"})
            if (auto it = sc.vars.find(n); user.empty() && it != sc.vars.end()) user = it->second.first;
        return u->host + "|" + user;
    };
    std::vector<const Scope*> scopes;
    const bool global_account = std::any_of(global_.vars.begin(), global_.vars.end(), [](const auto& v) {
        return v.first == "folder" || v.first == "spoolfile" || v.first == "imap_user" || v.first == "smtp_url";
    });
    if (global_account) scopes.push_back(&global_);
    for (const auto& a : accounts_) scopes.push_back(&a);
    std::map<std::string, std::string> name_of_identity;
    for (const Scope* s : scopes) {
        const std::string id = identity(*s);
        std::string hint = hint_for(*s);
        if (s == &global_ && !id.empty())  // the top level sourcing an account a hook also switches to: the hook's name
            for (const auto& a : accounts_)
                if (identity(a) == id && !a.name_hint.empty()) hint = a.name_hint;
        std::string name;
        if (auto known = name_of_identity.find(id); !id.empty() && known != name_of_identity.end()) {
            name = known->second;  // already made: only its other settings are added
        } else {
            name = unique(account_name_from(hint));
            std::string host;
            auto block = account_block(*s, name, host);
            if (!block) continue;
            blocks.push_back(*block);
            if (!host.empty()) account_by_host.emplace(host, name);
            if (!id.empty()) name_of_identity.emplace(id, name);
        }
        for (const auto& [line, where] : s->extra) {  // the account's other settings: whenever one of its folders opens
            const std::string hook = "folder-hook '^" + name + "/' " + config_word(line, true);
            if (auto p = problem(line)) note(where, *p, line);
            else account_hooks.push_back(hook);
        }
    }
    mailboxes_lines(account_by_host);

    std::string out = "# tern config imported from " + path + " by tern import-muttrc.\n";
    if (!not_carried_.empty())
        out += "# " + std::to_string(not_carried_.size()) + " line(s) could not be carried over: they are listed at the end, with why.\n";
    out += "\n";
    for (const auto& s : sets_) out += s + "\n";
    if (!sets_.empty()) out += "\n";
    for (const auto& b : blocks) out += b + "\n";
    if (blocks.empty()) out += "# No account came from the muttrc (no imaps:// or pops:// folder): add one with tern setup, or by hand (config.example).\n\n";
    for (const auto& l : rest_) out += l + "\n";
    for (const auto& l : account_hooks) out += l + "\n";
    if (!not_carried_.empty()) {
        out += "\n# ---- not carried over ----\n";
        for (const auto& n : not_carried_) out += "# " + n + "\n";
    }
    r.config = std::move(out);
    r.not_carried = not_carried_;
    r.carried = carried_;
    r.accounts = blocks.size();
    return r;
}

}  // namespace

std::vector<std::string> muttrc_locations(const EnvLookup& env) {
    const std::string home = home_dir(env);
    const auto xdg = env("XDG_CONFIG_HOME");
    return {home + "/.muttrc", home + "/.mutt/muttrc", (xdg && !xdg->empty() ? *xdg : home + "/.config") + "/mutt/muttrc"};
}

MuttrcImport import_muttrc(const std::string& path, const EnvLookup& env, const ConfigFiles& files) {
    Importer importer(env, files);
    importer.read(path, path, 0);
    return importer.finish(path);
}

}  // namespace tern
