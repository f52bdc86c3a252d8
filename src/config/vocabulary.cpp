#include "config/vocabulary.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace tern {
namespace {

constexpr std::array<std::string_view, 11> kMenus = {"generic", "index",  "pager",   "attach", "compose",
                                                     "browser", "editor", "alias",   "query",  "postpone", "url"};

struct FunctionEntry {
    std::string_view name;
    std::string_view menus;  // space separated; "generic" means every menu
};

// mutt's function names, so that users' bindings carry over.
constexpr FunctionEntry kFunctions[] = {
    // generic
    {"bottom-page", "generic"}, {"current-bottom", "generic"}, {"current-middle", "generic"},
    {"current-top", "generic"}, {"end-cond", "generic"}, {"enter-command", "generic"},
    {"exit", "generic"}, {"first-entry", "generic"}, {"half-down", "generic"}, {"half-up", "generic"},
    {"help", "generic"}, {"jump", "generic"}, {"last-entry", "generic"}, {"middle-page", "generic"},
    {"next-entry", "generic"}, {"next-line", "generic"}, {"next-page", "generic"}, {"noop", "generic"},
    {"previous-entry", "generic"}, {"previous-line", "generic"}, {"previous-page", "generic"},
    {"redraw-screen", "generic"}, {"refresh", "generic"}, {"search", "generic"}, {"search-next", "generic"},
    {"search-opposite", "generic"}, {"search-reverse", "generic"}, {"select-entry", "generic"},
    {"shell-escape", "generic"}, {"tag-entry", "generic"}, {"tag-prefix", "generic"},
    {"tag-prefix-cond", "generic"}, {"top-page", "generic"}, {"what-key", "generic"},
    {"check-stats", "generic"}, {"sidebar-toggle-visible", "generic"}, {"sidebar-next", "generic"},
    {"sidebar-prev", "generic"}, {"sidebar-open", "generic"}, {"sidebar-next-new", "generic"},
    // index and pager
    {"bounce-message", "index pager attach"}, {"change-folder", "index pager"},
    {"change-folder-readonly", "index pager"}, {"clear-flag", "index pager"},
    {"collapse-all", "index"}, {"collapse-thread", "index"}, {"compose-to-sender", "index pager"},
    {"copy-message", "index pager"}, {"create-alias", "index pager"}, {"decode-copy", "index pager"},
    {"decode-save", "index pager"}, {"delete-message", "index pager"}, {"delete-pattern", "index"},
    {"delete-subthread", "index pager"}, {"delete-thread", "index pager"}, {"display-address", "index pager"},
    {"display-message", "index"}, {"display-toggle-weed", "index pager"}, {"edit", "index pager"},
    {"edit-type", "index pager attach compose"}, {"flag-message", "index pager"},
    {"forward-message", "index pager attach"}, {"group-reply", "index pager attach"},
    {"limit", "index"}, {"list-reply", "index pager attach"}, {"mail", "index pager"},
    {"mark-as-new", "index pager"}, {"next-new", "index pager"}, {"next-new-then-unread", "index pager"},
    {"next-subthread", "index pager"}, {"next-thread", "index pager"}, {"next-undeleted", "index pager"},
    {"next-unread", "index pager"}, {"parent-message", "index pager"}, {"pipe-message", "index pager attach"},
    {"postpone-message", "compose"}, {"previous-new", "index pager"},
    {"previous-new-then-unread", "index pager"}, {"previous-subthread", "index pager"},
    {"previous-thread", "index pager"}, {"previous-undeleted", "index pager"},
    {"previous-unread", "index pager"}, {"print-message", "index pager attach"}, {"quit", "index pager"},
    {"read-subthread", "index pager"}, {"read-thread", "index pager"}, {"recall-message", "index pager"},
    {"reply", "index pager attach"}, {"resend-message", "index pager attach"},
    {"save-message", "index pager"}, {"set-flag", "index pager"}, {"show-limit", "index"},
    {"sort-mailbox", "index pager"}, {"sort-reverse", "index pager"}, {"sync-mailbox", "index pager"},
    {"tag-pattern", "index"}, {"tag-thread", "index pager"}, {"tag-subthread", "index pager"},
    {"toggle-new", "index pager"}, {"toggle-write", "index pager"}, {"undelete-message", "index pager"},
    {"undelete-pattern", "index"}, {"undelete-subthread", "index pager"}, {"undelete-thread", "index pager"},
    {"untag-pattern", "index"}, {"view-attachments", "index pager"}, {"undo", "index pager"},
    {"view-urls", "index pager"}, {"copy-url", "url"},
    {"mark-message", "index"}, {"next-unread-mailbox", "index pager"}, {"toggle-unified-inbox", "index"},
    {"exit", "index"},
    // pager only
    {"bottom", "pager"}, {"skip-quoted", "pager"}, {"toggle-quoted", "pager"}, {"top", "pager"},
    {"search-toggle", "pager"}, {"next-entry", "pager"},
    // attachments
    {"view-attach", "attach compose"}, {"view-mailcap", "attach compose"}, {"view-text", "attach compose"},
    {"save-entry", "attach"}, {"pipe-entry", "attach compose"},
    // compose
    {"attach-file", "compose"}, {"attach-message", "compose"}, {"detach-file", "compose"},
    {"edit-bcc", "compose"}, {"edit-cc", "compose"}, {"edit-from", "compose"},
    {"edit-headers", "compose"}, {"edit-message", "compose"}, {"edit-subject", "compose"},
    {"edit-to", "compose"}, {"edit-reply-to", "compose"}, {"send-message", "compose"},
    {"rename-attachment", "compose"}, {"toggle-disposition", "compose"},
    // browser
    {"check-new", "browser"}, {"create-mailbox", "browser"}, {"delete-mailbox", "browser"},
    {"descend-directory", "browser"}, {"goto-folder", "browser"}, {"rename-mailbox", "browser"},
    {"subscribe", "browser"}, {"unsubscribe", "browser"}, {"toggle-subscribed", "browser"},
    // line editor
    {"backspace", "editor"}, {"backward-char", "editor"}, {"backward-word", "editor"}, {"bol", "editor"},
    {"buffy-cycle", "editor"}, {"capitalize-word", "editor"}, {"complete", "editor"},
    {"complete-query", "editor"}, {"delete-char", "editor"}, {"downcase-word", "editor"}, {"eol", "editor"},
    {"forward-char", "editor"}, {"forward-word", "editor"}, {"history-down", "editor"},
    {"history-up", "editor"}, {"kill-eol", "editor"}, {"kill-eow", "editor"}, {"kill-line", "editor"},
    {"kill-word", "editor"}, {"quote-char", "editor"}, {"transpose-chars", "editor"},
    {"upcase-word", "editor"},
    // alias and query menus
    {"delete-entry", "alias"}, {"undelete-entry", "alias"}, {"create-alias", "query"}, {"query", "query"},
    {"query-append", "query"}, {"mail", "query"},
};

bool in_menu_list(std::string_view list, std::string_view menu) {
    for (const auto& m : split_words(list))
        if (m == menu || m == "generic") return true;
    return false;
}

constexpr std::array<std::string_view, 57> kColorObjects = {
    "attachment", "body", "bold", "error", "hdrdefault", "header", "index", "index_author",
    "index_collapsed", "index_date", "index_flags", "index_label", "index_new", "index_number",
    "index_size", "index_subject", "index_tag", "index_tags", "indicator", "italic", "markers",
    "message", "normal", "options", "progress", "prompt", "quoted", "quoted0", "quoted1", "quoted2",
    "quoted3", "quoted4", "quoted5", "quoted6", "quoted7", "quoted8", "quoted9", "search", "signature",
    "status", "tilde", "tree", "underline", "warning", "sidebar_background", "sidebar_divider",
    "sidebar_flagged", "sidebar_highlight", "sidebar_indicator", "sidebar_new", "sidebar_ordinary",
    "sidebar_spool_file", "sidebar_unread", "compose_header", "compose_security_none", "stripe_even",
    "stripe_odd",
};

constexpr std::array<std::string_view, 9> kBaseColors = {"default", "black", "red",     "green", "yellow",
                                                         "blue",    "magenta", "cyan", "white"};

constexpr std::array<std::string_view, 9> kAttributes = {"bold",   "underline", "reverse", "standout", "italic",
                                                         "blink",  "dim",       "none",    "normal"};

struct NamedKey {
    std::string_view name;
    int code;
};

constexpr NamedKey kNamedKeys[] = {
    {"up", KeyUp}, {"down", KeyDown}, {"left", KeyLeft}, {"right", KeyRight},
    {"pageup", KeyPageUp}, {"pagedown", KeyPageDown}, {"home", KeyHome}, {"end", KeyEnd},
    {"insert", KeyInsert}, {"delete", KeyDelete}, {"backspace", KeyBackspace}, {"backtab", KeyBackTab},
    {"enter", '\n'}, {"return", '\r'}, {"esc", 0x1b}, {"tab", '\t'}, {"space", ' '},
};

}  // namespace

std::span<const std::string_view> menu_names() { return kMenus; }

std::vector<std::string_view> functions_for(std::string_view menu) {
    std::vector<std::string_view> out;
    for (const auto& f : kFunctions)
        if (in_menu_list(f.menus, menu) && std::find(out.begin(), out.end(), f.name) == out.end())
            out.push_back(f.name);
    std::sort(out.begin(), out.end());
    return out;
}

bool is_function(std::string_view menu, std::string_view function) {
    for (const auto& f : kFunctions)
        if (f.name == function && in_menu_list(f.menus, menu)) return true;
    return false;
}

std::optional<std::vector<int>> parse_key_sequence(std::string_view s) {
    std::vector<int> keys;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] == '<') {
            const auto close = s.find('>', i);
            if (close != std::string_view::npos && close > i + 1) {
                const std::string name = to_lower(s.substr(i + 1, close - i - 1));
                bool found = false;
                for (const auto& k : kNamedKeys)
                    if (k.name == name) keys.push_back(k.code), found = true;
                if (!found && name.size() >= 2 && name[0] == 'f') {
                    int n = 0;
                    const auto r = std::from_chars(name.data() + 1, name.data() + name.size(), n);
                    if (r.ec == std::errc() && r.ptr == name.data() + name.size() && n >= 0 && n <= 63)
                        keys.push_back(KeyF0 + n), found = true;
                }
                if (!found) return std::nullopt;
                i = close + 1;
                continue;
            }
        }
        if (s[i] == '\\' && i + 1 < s.size()) {
            const char n = s[i + 1];
            if ((n == 'C' || n == 'c') && i + 2 < s.size()) {
                keys.push_back(std::tolower(static_cast<unsigned char>(s[i + 2])) & 0x1f);
                i += 3;
                continue;
            }
            keys.push_back(n == 'e' ? 0x1b : n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            i += 2;
            continue;
        }
        if (s[i] == '^' && i + 1 < s.size()) {
            keys.push_back(std::tolower(static_cast<unsigned char>(s[i + 1])) & 0x1f);
            i += 2;
            continue;
        }
        auto cp = decode_utf8(s, i);
        if (!cp) return std::nullopt;
        keys.push_back(static_cast<int>(*cp));
    }
    if (keys.empty()) return std::nullopt;
    return keys;
}

std::optional<std::vector<MacroStep>> parse_macro_sequence(std::string_view s, std::string_view menu, std::string* bad) {
    std::vector<MacroStep> out;
    const auto keys = [&out](std::string_view text) {
        if (text.empty()) return true;
        const auto parsed = parse_key_sequence(text);
        if (!parsed) return false;
        for (const int k : *parsed) out.push_back({k, {}});
        return true;
    };
    std::size_t i = 0;
    while (i < s.size()) {
        const auto open = s.find('<', i);
        const auto close = open == std::string_view::npos ? open : s.find('>', open);
        if (close == std::string_view::npos || close == open + 1) {  // no <name> left: the rest is keys
            if (!keys(s.substr(i))) return std::nullopt;
            break;
        }
        if (!keys(s.substr(i, open - i))) return std::nullopt;
        const std::string_view name = s.substr(open + 1, close - open - 1);
        if (const auto key = parse_key_sequence(s.substr(open, close - open + 1))) {
            for (const int k : *key) out.push_back({k, {}});  // <enter>, <esc>, <f5>, ...
        } else if (is_function(menu, name)) {
            out.push_back({0, std::string(name)});
        } else {
            if (bad) *bad = std::string(name);
            return std::nullopt;
        }
        i = close + 1;
    }
    if (out.empty()) return std::nullopt;
    return out;
}

std::span<const std::string_view> color_objects() { return kColorObjects; }

bool color_object_takes_pattern(std::string_view object) {
    return object == "index" || object.rfind("index_", 0) == 0 || object == "header" || object == "body";
}

bool is_color_attribute(std::string_view word) {
    return std::find(kAttributes.begin(), kAttributes.end(), word) != kAttributes.end();
}

bool is_color_name(std::string_view word) {
    std::string w = to_lower(word);
    if (w.rfind("color", 0) == 0 && w.size() > 5) {
        int n = 0;
        const auto r = std::from_chars(w.data() + 5, w.data() + w.size(), n);
        return r.ec == std::errc() && r.ptr == w.data() + w.size() && n >= 0 && n <= 255;
    }
    if (w.rfind("bright", 0) == 0 && w != "brightdefault") w = w.substr(6);
    return std::find(kBaseColors.begin(), kBaseColors.end(), w) != kBaseColors.end();
}

std::optional<std::string_view> closest(std::string_view word, std::span<const std::string_view> choices) {
    std::optional<std::string_view> best;
    std::size_t best_d = 3;  // suggest only when at most 2 edits away
    for (const auto c : choices) {
        std::vector<std::size_t> prev(c.size() + 1), cur(c.size() + 1);
        for (std::size_t j = 0; j <= c.size(); ++j) prev[j] = j;
        for (std::size_t i = 1; i <= word.size(); ++i) {
            cur[0] = i;
            for (std::size_t j = 1; j <= c.size(); ++j)
                cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (word[i - 1] == c[j - 1] ? 0 : 1)});
            prev.swap(cur);
        }
        if (prev[c.size()] < best_d) best_d = prev[c.size()], best = c;
    }
    return best;
}

}  // namespace tern
