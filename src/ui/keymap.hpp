// Keys to functions, per menu: mutt's default bindings, then the config's
// `bind` lines over them. A binding may be a sequence of keys ("\ed", "gg");
// lookup says whether the keys typed so far name a function, start one, or
// name nothing. A menu falls back to "generic". Pure: no terminal here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace tern {

class Keymap {
public:
    // mutt's defaults for the functions tern implements.
    static Keymap defaults();
    // The defaults with the config's bind lines applied in order ("noop"
    // unbinds a key), then its macros: the key of macros[i] calls
    // "macro:i" (macro_index reads it back).
    static Keymap from_config(const std::vector<Binding>& bindings, const std::vector<Macro>& macros = {});

    void bind(std::string_view menu, std::vector<int> keys, std::string function);

    enum class Match { None, Prefix, Function };
    struct Result {
        Match match = Match::None;
        std::string function;
    };
    Result lookup(std::string_view menu, const std::vector<int>& keys) const;

    // The bindings in force for a menu (its own, then generic ones it does
    // not shadow), sorted by function: what the help screen lists.
    std::vector<std::pair<std::string, std::string>> bindings(std::string_view menu) const;
    // The first key that calls `function` in `menu`, as the help shows it; empty when none.
    std::string key_for(std::string_view menu, std::string_view function) const;

private:
    struct Bound {
        std::string function;
        int order = 0;  // when it was bound: the help line shows the first key bound to a function
    };
    std::map<std::string, std::map<std::vector<int>, Bound>, std::less<>> menus_;
    int next_order_ = 0;
};

// i of a "macro:i" function, none for another function.
std::optional<std::size_t> macro_index(std::string_view function);

// A key sequence in mutt's notation, for the help screen: "d", "^D", "\ed",
// "<Down>", "<PageUp>", "<Enter>", "<Space>", "<F5>".
std::string key_notation(const std::vector<int>& keys);

}  // namespace tern
