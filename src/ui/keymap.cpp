#include "ui/keymap.hpp"

#include <algorithm>
#include <charconv>

#include "config/vocabulary.hpp"
#include "util/utf8.hpp"

namespace tern {
namespace {

struct DefaultBinding {
    const char* menu;
    const char* keys;  // mutt notation
    const char* function;
};

// mutt's default keys (see tern(1)); undo takes X, which mutt leaves free.
constexpr DefaultBinding kDefaults[] = {
    // every menu
    {"generic", "<down>", "next-entry"}, {"generic", "<up>", "previous-entry"},
    {"generic", "J", "next-entry"}, {"generic", "K", "previous-entry"},
    {"generic", "j", "next-entry"}, {"generic", "k", "previous-entry"},  // mutt's: the attachment, folder and URL lists
    {"generic", "z", "next-page"}, {"generic", "<pagedown>", "next-page"}, {"generic", "<right>", "next-page"},
    {"generic", "Z", "previous-page"}, {"generic", "<pageup>", "previous-page"}, {"generic", "<left>", "previous-page"},
    {"generic", "=", "first-entry"}, {"generic", "<home>", "first-entry"},
    {"generic", "*", "last-entry"}, {"generic", "<end>", "last-entry"},
    {"generic", "[", "half-up"}, {"generic", "]", "half-down"},
    {"generic", "H", "top-page"}, {"generic", "M", "middle-page"}, {"generic", "L", "bottom-page"},
    {"generic", "^L", "redraw-screen"}, {"generic", ":", "enter-command"}, {"generic", "?", "help"},
    {"generic", "/", "search"}, {"generic", "\\e/", "search-reverse"}, {"generic", "n", "search-next"},
    {"generic", "<enter>", "select-entry"}, {"generic", "<space>", "select-entry"},
    {"generic", "q", "exit"}, {"generic", "!", "shell-escape"}, {"generic", "t", "tag-entry"},
    {"generic", ";", "tag-prefix"},
    {"generic", "1", "jump"}, {"generic", "2", "jump"}, {"generic", "3", "jump"}, {"generic", "4", "jump"},
    {"generic", "5", "jump"}, {"generic", "6", "jump"}, {"generic", "7", "jump"}, {"generic", "8", "jump"},
    {"generic", "9", "jump"},
    {"generic", "B", "sidebar-toggle-visible"}, {"generic", "}", "sidebar-next"}, {"generic", "{", "sidebar-prev"},
    {"generic", "^O", "sidebar-open"},
    // the index
    {"index", "<enter>", "display-message"}, {"index", "<space>", "display-message"},
    {"index", "j", "next-undeleted"}, {"index", "k", "previous-undeleted"},
    {"index", "d", "delete-message"}, {"index", "u", "undelete-message"},
    {"index", "^D", "delete-thread"}, {"index", "^U", "undelete-thread"}, {"index", "\\ed", "delete-subthread"},
    {"index", "D", "delete-pattern"}, {"index", "U", "undelete-pattern"},
    {"index", "s", "save-message"}, {"index", "C", "copy-message"}, {"index", "F", "flag-message"},
    {"index", "N", "toggle-new"}, {"index", "w", "set-flag"}, {"index", "W", "clear-flag"},
    {"index", "T", "tag-pattern"}, {"index", "^T", "untag-pattern"}, {"index", "\\et", "tag-thread"},
    {"index", "l", "limit"}, {"index", "$", "sync-mailbox"}, {"index", "o", "sort-mailbox"},
    {"index", "O", "sort-reverse"}, {"index", "q", "quit"}, {"index", "x", "exit"},
    {"index", "m", "mail"}, {"index", "r", "reply"}, {"index", "g", "group-reply"}, {"index", "L", "list-reply"},
    {"index", "f", "forward-message"}, {"index", "c", "change-folder"},
    {"index", "v", "view-attachments"}, {"index", "R", "recall-message"}, {"index", "a", "create-alias"}, {"index", "|", "pipe-message"}, {"index", "X", "undo"},
    {"index", "<tab>", "next-new-then-unread"}, {"index", "\\e<tab>", "previous-new-then-unread"},
    {"index", "^N", "next-thread"}, {"index", "^P", "previous-thread"}, {"index", "P", "parent-message"},
    {"index", "\\ev", "collapse-thread"}, {"index", "\\eV", "collapse-all"}, {"index", "^R", "read-thread"},
    {"index", "\\eu", "toggle-unified-inbox"}, {"index", "H", "top-page"},
    // the pager
    {"pager", "<space>", "next-page"}, {"pager", "-", "previous-page"}, {"pager", "<enter>", "next-line"},
    {"pager", "<down>", "next-line"}, {"pager", "<up>", "previous-line"}, {"pager", "<backspace>", "previous-line"},
    {"pager", "j", "next-undeleted"}, {"pager", "k", "previous-undeleted"},
    {"pager", "J", "next-entry"}, {"pager", "K", "previous-entry"},
    {"pager", "^", "top"}, {"pager", "<home>", "top"}, {"pager", "<end>", "bottom"}, {"pager", "G", "bottom"},
    {"pager", "q", "exit"}, {"pager", "i", "exit"}, {"pager", "x", "exit"},
    {"pager", "d", "delete-message"}, {"pager", "u", "undelete-message"}, {"pager", "s", "save-message"},
    {"pager", "C", "copy-message"}, {"pager", "F", "flag-message"}, {"pager", "N", "toggle-new"},
    {"pager", "m", "mail"}, {"pager", "r", "reply"}, {"pager", "g", "group-reply"}, {"pager", "L", "list-reply"},
    {"pager", "f", "forward-message"}, {"pager", "v", "view-attachments"}, {"pager", "|", "pipe-message"},
    {"pager", "\\", "search-toggle"}, {"pager", "T", "toggle-quoted"}, {"pager", "S", "skip-quoted"},
    {"pager", "X", "undo"}, {"pager", "<tab>", "next-new-then-unread"}, {"pager", "$", "sync-mailbox"},
    {"pager", "c", "change-folder"}, {"pager", "a", "create-alias"},
    // attachments
    {"attach", "<enter>", "view-attach"}, {"attach", "m", "view-mailcap"}, {"attach", "T", "view-text"},
    {"attach", "s", "save-entry"}, {"attach", "|", "pipe-entry"}, {"attach", "q", "exit"},
    // compose
    {"compose", "y", "send-message"}, {"compose", "a", "attach-file"}, {"compose", "D", "detach-file"},
    {"compose", "t", "edit-to"}, {"compose", "c", "edit-cc"}, {"compose", "b", "edit-bcc"},
    {"compose", "s", "edit-subject"}, {"compose", "e", "edit-message"}, {"compose", "E", "edit-headers"},
    {"compose", "P", "postpone-message"}, {"compose", "q", "exit"}, {"compose", "r", "edit-reply-to"},
    {"compose", "f", "edit-from"}, {"compose", "p", "pgp-menu"}, {"compose", "S", "smime-menu"},
    // the folder list
    {"browser", "<enter>", "select-entry"}, {"browser", "<space>", "select-entry"}, {"browser", "q", "exit"},
    // the URL list (mutt users bind ^B to urlview)
    {"index", "^B", "view-urls"}, {"pager", "^B", "view-urls"},
    {"url", "<enter>", "select-entry"}, {"url", "y", "copy-url"}, {"url", "q", "exit"},
};

std::string special_name(int k) {
    switch (k) {
        case KeyUp: return "<Up>";
        case KeyDown: return "<Down>";
        case KeyLeft: return "<Left>";
        case KeyRight: return "<Right>";
        case KeyPageUp: return "<PageUp>";
        case KeyPageDown: return "<PageDown>";
        case KeyHome: return "<Home>";
        case KeyEnd: return "<End>";
        case KeyInsert: return "<Insert>";
        case KeyDelete: return "<Delete>";
        case KeyBackspace: return "<Backspace>";
        case KeyBackTab: return "<BackTab>";
        case '\n': return "<Enter>";
        case '\r': return "<Return>";
        case '\t': return "<Tab>";
        case ' ': return "<Space>";
        case 0x1b: return "\\e";
        default: break;
    }
    if (k >= KeyF0 && k < KeyF0 + 64) return "<F" + std::to_string(k - KeyF0) + ">";
    if (k < 0x20) return std::string("^") + static_cast<char>('@' + k);
    std::string s;
    append_utf8(s, static_cast<char32_t>(k));
    return s;
}

}  // namespace

Keymap Keymap::defaults() {
    Keymap map;
    for (const auto& d : kDefaults)
        if (auto keys = parse_key_sequence(d.keys)) map.bind(d.menu, *keys, d.function);
    return map;
}

Keymap Keymap::from_config(const std::vector<Binding>& bindings, const std::vector<Macro>& macros) {
    Keymap map = defaults();
    for (const auto& b : bindings)
        if (auto keys = parse_key_sequence(b.key)) map.bind(b.menu, *keys, b.function);
    for (std::size_t i = 0; i < macros.size(); ++i)
        if (auto keys = parse_key_sequence(macros[i].key)) map.bind(macros[i].menu, *keys, "macro:" + std::to_string(i));
    return map;
}

std::optional<std::size_t> macro_index(std::string_view function) {
    if (!function.starts_with("macro:")) return std::nullopt;
    std::size_t i = 0;
    const auto digits = function.substr(6);
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), i);
    if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
    return i;
}

void Keymap::bind(std::string_view menu, std::vector<int> keys, std::string function) {
    if (keys.empty()) return;
    auto& table = menus_[std::string(menu)];
    // a binding shadows the longer ones it starts and the shorter one that starts it
    for (auto it = table.begin(); it != table.end();) {
        const auto& k = it->first;
        const bool prefix_of_new = k.size() < keys.size() && std::equal(k.begin(), k.end(), keys.begin());
        const bool starts_with_new = k.size() > keys.size() && std::equal(keys.begin(), keys.end(), k.begin());
        it = prefix_of_new || starts_with_new ? table.erase(it) : std::next(it);
    }
    if (function == "noop") table.erase(keys);
    else table[std::move(keys)] = {std::move(function), next_order_++};
}

Keymap::Result Keymap::lookup(std::string_view menu, const std::vector<int>& keys) const {
    const auto in = [&](std::string_view m) -> Result {
        const auto t = menus_.find(m);
        if (t == menus_.end()) return {};
        const auto& table = t->second;
        auto it = table.lower_bound(keys);
        if (it != table.end() && it->first == keys) return {Match::Function, it->second.function};
        if (it != table.end() && it->first.size() > keys.size() && std::equal(keys.begin(), keys.end(), it->first.begin()))
            return {Match::Prefix, ""};
        return {};
    };
    Result own = in(menu);
    if (own.match != Match::None || menu == "generic") return own;
    // a key the menu unbound ("noop") still shadows nothing in generic: mutt's rule is the same
    return in("generic");
}

std::vector<std::pair<std::string, std::string>> Keymap::bindings(std::string_view menu) const {
    std::vector<std::pair<std::string, std::string>> out;  // key, function
    std::vector<std::vector<int>> own;
    if (const auto t = menus_.find(menu); t != menus_.end())
        for (const auto& [keys, bound] : t->second) {
            out.emplace_back(key_notation(keys), bound.function);
            own.push_back(keys);
        }
    if (menu != "generic")
        if (const auto g = menus_.find("generic"); g != menus_.end())
            for (const auto& [keys, bound] : g->second)
                if (std::find(own.begin(), own.end(), keys) == own.end()) out.emplace_back(key_notation(keys), bound.function);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return out;
}

std::string Keymap::key_for(std::string_view menu, std::string_view function) const {
    const Bound* best = nullptr;
    const std::vector<int>* best_keys = nullptr;
    for (const std::string_view m : {menu, std::string_view("generic")}) {
        const auto t = menus_.find(m);
        if (t == menus_.end()) continue;
        for (const auto& [keys, bound] : t->second) {
            if (bound.function != function) continue;
            if (m != menu && lookup(menu, keys).function != function) continue;  // shadowed by the menu's own key
            if (!best || bound.order < best->order) best = &bound, best_keys = &keys;
        }
        if (best) break;
    }
    return best ? key_notation(*best_keys) : "";
}

std::string key_notation(const std::vector<int>& keys) {
    std::string out;
    for (int k : keys) out += special_name(k);
    return out;
}

}  // namespace tern
