#include "config/mutt_commands.hpp"

#include <algorithm>
#include <array>

#include "config/vocabulary.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

constexpr std::array<std::string_view, 31> kNames = {
    "account-hook", "alternates", "auto_view", "fcc-hook", "fcc-save-hook", "folder-hook", "hdr_order", "ignore",
    "lists", "mailboxes", "message-hook", "mime_lookup", "my_hdr", "reply-hook", "save-hook", "send-hook",
    "send2-hook", "subscribe", "unalternates", "unauto_view", "unhdr_order", "unignore", "unlists", "unmailboxes",
    "unmime_lookup", "unmy_hdr", "unsubscribe", "unhook", "alias", "unalias", "mbox-hook"};

struct HookName {
    std::string_view name;
    Hook::Event event;
    bool regex;        // matches a folder or account name, not a message
    bool names_folder; // the "command" is a folder
};

constexpr std::array<HookName, 9> kHooks = {{
    {"folder-hook", Hook::Event::Folder, true, false},
    {"account-hook", Hook::Event::Account, true, false},
    {"message-hook", Hook::Event::Message, false, false},
    {"send-hook", Hook::Event::Send, false, false},
    {"send2-hook", Hook::Event::Send2, false, false},
    {"reply-hook", Hook::Event::Reply, false, false},
    {"save-hook", Hook::Event::Save, false, true},
    {"fcc-hook", Hook::Event::Fcc, false, true},
    {"fcc-save-hook", Hook::Event::FccSave, false, true},
}};

// A word put back into a hook's command line: bare when it was bare and
// plain (an '=' in it splits it again, as it did), else quoted.
std::string rejoined(const Word& w) {
    const bool plain = !w.text.empty() && w.text.find_first_of(" \t\"'\\$#;") == std::string::npos;
    return !w.quoted && plain ? w.text : config_word(w.text, true);
}

std::vector<std::string> arguments(const std::vector<Word>& w) {
    std::vector<std::string> out;
    for (std::size_t i = 1; i < w.size(); ++i) out.push_back(w[i].text);
    return out;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// "unX *" empties the list; "unX a b" takes a and b out (header names ignore case).
void remove_all(std::vector<std::string>& list, const std::vector<std::string>& names, bool ignore_case) {
    for (const auto& n : names) {
        if (n == "*") {
            list.clear();
            return;
        }
        std::erase_if(list, [&](const std::string& e) { return ignore_case ? iequals(e, n) : e == n; });
    }
}

// A header name as ignore and hdr_order take it: "From:" and "from" are one.
std::string header_name(std::string name) {
    if (!name.empty() && name.back() == ':') name.pop_back();
    return to_lower(name);
}

bool valid_mime_type(const std::string& t) {
    const auto slash = t.find('/');
    return slash != std::string::npos && slash > 0 && slash + 1 < t.size() && t.find('/', slash + 1) == std::string::npos &&
           t.find_first_of(" \t;\"") == std::string::npos;
}

class CommandLine {
public:
    CommandLine(const std::vector<Word>& w, const std::string& where, Config& config, std::vector<std::string>& errors)
        : w_(w), where_(where), config_(config), o_(config.options), errors_(errors), name_(w[0].text) {}

    void run() {
        for (const auto& h : kHooks)
            if (name_ == h.name) return hook(h);
        const auto args = arguments(w_);
        if (name_ == "my_hdr") return my_hdr();
        if (name_ == "unmy_hdr") return unmy_hdr(args);
        if (name_ == "alternates" || name_ == "lists" || name_ == "subscribe") return regex_list(args);
        if (name_ == "unalternates") return remove_all(o_.alternates, need(args), false);
        if (name_ == "unlists") {
            remove_all(o_.lists, need(args), false);
            return remove_all(o_.subscribe, args, false);
        }
        if (name_ == "unsubscribe") return remove_all(o_.subscribe, need(args), false);
        if (name_ == "ignore") return ignore(args);
        if (name_ == "unignore") return unignore(args);
        if (name_ == "hdr_order") {
            for (const auto& h : need(args)) add_unique(o_.hdr_order, header_name(h));
            return;
        }
        if (name_ == "unhdr_order") {
            std::vector<std::string> names;
            for (const auto& h : need(args)) names.push_back(h == "*" ? h : header_name(h));
            return remove_all(o_.hdr_order, names, true);
        }
        if (name_ == "mailboxes") {
            for (const auto& m : need(args)) add_unique(o_.mailboxes, folder_shortcut(m));
            return;
        }
        if (name_ == "unmailboxes") {
            std::vector<std::string> names;
            for (const auto& m : need(args)) names.push_back(m == "*" ? m : folder_shortcut(m));
            return remove_all(o_.mailboxes, names, false);
        }
        if (name_ == "auto_view" || name_ == "mime_lookup") return type_list(args, name_ == "auto_view" ? o_.auto_view : o_.mime_lookup);
        if (name_ == "unauto_view") return remove_all(o_.auto_view, need(args), true);
        if (name_ == "unmime_lookup") return remove_all(o_.mime_lookup, need(args), true);
        if (name_ == "unhook") return unhook(args);
        if (name_ == "alias" || name_ == "unalias")
            return error(name_ + ": tern keeps aliases in their own file (set alias_file = FILE, mutt's format): move this line there");
        if (name_ == "mbox-hook") return error("mbox-hook: tern has no mbox to move read mail to; use a rule (see tern(5), RULES)");
    }

private:
    void error(const std::string& msg) { errors_.push_back(where_ + ": " + msg); }

    // The words from `first` on as the command line a hook runs. One word
    // (mutt's usual 'quoted command') is the line itself; several are put
    // back together so each stays one word.
    std::string command_text(std::size_t first) const {
        if (w_.size() == first + 1) return w_[first].text;
        std::vector<std::string> parts;
        for (std::size_t i = first; i < w_.size(); ++i) parts.push_back(rejoined(w_[i]));
        return join(parts, " ");
    }

    std::vector<std::string> need(const std::vector<std::string>& args) {
        if (args.empty()) error(name_ + ": give at least one argument (or * for all)");
        return args;
    }

    // HOOK [!]PATTERN COMMAND
    void hook(const HookName& h) {
        if (w_.size() < 3) {
            error("write it as: " + std::string(h.name) + " PATTERN " + (h.names_folder ? "FOLDER" : "COMMAND") +
                  (h.regex ? " (PATTERN: a regular expression)" : " (PATTERN: a message pattern or a regular expression)"));
            return;
        }
        Hook hook;
        hook.event = h.event;
        hook.defined_at = where_;
        std::string pattern = w_[1].text;
        if (!pattern.empty() && pattern[0] == '!') {
            hook.negated = true;
            pattern.erase(0, 1);
        }
        if (pattern.empty()) return error(std::string(h.name) + ": the pattern is empty (\".\" matches everything)");
        if (h.regex) {
            if (const auto problem = regex_problem(pattern); !problem.empty())
                return error(std::string(h.name) + ": bad regular expression '" + pattern + "': " + problem);
            hook.pattern = pattern;
        } else {
            hook.pattern = expand_hook_pattern(pattern);  // checked by the store, which knows patterns
        }
        hook.command = command_text(2);
        if (h.names_folder) {
            if (w_.size() != 3) return error(std::string(h.name) + ": name one folder (quote it if it has spaces)");
            hook.command = folder_shortcut(hook.command);
            if (hook.command.empty() || hook.command.find("..") != std::string::npos)
                return error(std::string(h.name) + ": '" + w_[2].text + "' is not a folder name");
        } else if (hook.command.empty()) {
            return error(std::string(h.name) + ": the command is empty");
        }
        for (const auto& existing : config_.hooks)  // mutt keeps one of identical hooks
            if (existing.event == hook.event && existing.negated == hook.negated && existing.pattern == hook.pattern &&
                existing.command == hook.command)
                return;
        config_.hooks.push_back(std::move(hook));
    }

    // unhook * | unhook HOOK-NAME
    void unhook(const std::vector<std::string>& args) {
        if (args.size() != 1) return error("write it as: unhook * or unhook HOOK (e.g. unhook send-hook)");
        if (args[0] == "*") {
            config_.hooks.clear();
            return;
        }
        for (const auto& h : kHooks)
            if (args[0] == h.name) {
                std::erase_if(config_.hooks, [&](const Hook& x) { return x.event == h.event; });
                return;
            }
        std::vector<std::string_view> names;
        for (const auto& h : kHooks) names.push_back(h.name);
        std::string msg = "unhook: unknown hook '" + args[0] + "'";
        if (auto c = closest(args[0], names)) msg += ", did you mean '" + std::string(*c) + "'?";
        error(msg);
    }

    // my_hdr NAME: VALUE (the words after the command are the header, spaces kept as one)
    void my_hdr() {
        std::vector<std::string> words = arguments(w_);
        const std::string text = join(words, " ");
        const auto colon = text.find(':');
        const std::string name = colon == std::string::npos ? std::string() : std::string(trim(std::string_view(text).substr(0, colon)));
        const bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return c > ' ' && c < 127 && c != ':';
        });
        if (!name_ok) return error("write it as: my_hdr NAME: VALUE (e.g. my_hdr X-Clacks-Overhead: GNU Terry Pratchett)");
        const std::string value(trim(std::string_view(text).substr(colon + 1)));
        if (value.empty()) return error("my_hdr " + name + ": the value is empty (unmy_hdr " + name + " takes a header away)");
        for (const char* fixed : {"Message-ID", "Date", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "In-Reply-To", "References"})
            if (iequals(name, fixed)) return error("my_hdr: tern writes " + name + " itself; it cannot be set");
        std::erase_if(o_.my_headers, [&](const MyHeader& h) { return iequals(h.name, name); });
        o_.my_headers.push_back({name, value});
    }

    void unmy_hdr(const std::vector<std::string>& args) {
        for (const auto& n : need(args)) {
            if (n == "*") {
                o_.my_headers.clear();
                return;
            }
            const std::string name = n.back() == ':' ? n.substr(0, n.size() - 1) : n;
            std::erase_if(o_.my_headers, [&](const MyHeader& h) { return iequals(h.name, name); });
        }
    }

    // alternates / lists / subscribe [-group NAME] REGEX...
    void regex_list(std::vector<std::string> args) {
        if (args.size() >= 2 && args[0] == "-group") args.erase(args.begin(), args.begin() + 2);  // groups: not kept
        auto& list = name_ == "alternates" ? o_.alternates : name_ == "lists" ? o_.lists : o_.subscribe;
        for (const auto& re : need(args)) {
            if (const auto problem = regex_problem(re); !problem.empty()) {
                error(name_ + ": bad regular expression '" + re + "': " + problem);
                continue;
            }
            add_unique(list, re);
            if (name_ == "subscribe") add_unique(o_.lists, re);  // a list one is subscribed to is a list
        }
    }

    // ignore HEADER... ("*" for all); a header name matches every header it begins
    void ignore(const std::vector<std::string>& args) {
        for (const auto& a : need(args)) {
            const std::string h = a == "*" ? a : header_name(a);
            std::erase_if(o_.unignore, [&](const std::string& u) { return u == h; });
            add_unique(o_.ignore, h);
        }
    }

    void unignore(const std::vector<std::string>& args) {
        for (const auto& a : need(args)) {
            if (a == "*") {
                o_.ignore.clear();
                o_.unignore.clear();
                add_unique(o_.unignore, "*");
                continue;
            }
            const std::string h = header_name(a);
            std::erase_if(o_.ignore, [&](const std::string& i) { return i == h; });
            add_unique(o_.unignore, h);
        }
    }

    void type_list(const std::vector<std::string>& args, std::vector<std::string>& list) {
        for (const auto& t : need(args)) {
            if (!valid_mime_type(t)) {
                error(name_ + ": '" + t + "' is not a MIME type (e.g. text/html, text/calendar, application/*)");
                continue;
            }
            add_unique(list, to_lower(t));
        }
    }

    const std::vector<Word>& w_;
    const std::string& where_;
    Config& config_;
    GlobalOptions& o_;
    std::vector<std::string>& errors_;
    std::string name_;
};

}  // namespace

std::span<const std::string_view> mutt_command_names() { return kNames; }

bool is_mutt_command(std::string_view word) { return std::find(kNames.begin(), kNames.end(), word) != kNames.end(); }

void apply_mutt_command(const std::vector<Word>& words, const std::string& where, Config& config, std::vector<std::string>& errors) {
    if (words.empty() || !is_mutt_command(words[0].text)) return;
    CommandLine(words, where, config, errors).run();
}

std::string expand_hook_pattern(std::string_view pattern) {
    if (pattern == ".") return "~A";
    if (pattern.find_first_of("~=%") != std::string_view::npos) return std::string(pattern);
    std::string quoted = "\"";
    for (const char c : pattern) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    return "~f " + quoted + " !~P | (~P ~C " + quoted + ")";
}

std::string folder_shortcut(std::string_view name) {
    if (!name.empty() && (name[0] == '=' || name[0] == '+')) name.remove_prefix(1);
    return std::string(name);
}

}  // namespace tern
