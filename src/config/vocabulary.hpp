// The names the config file may use in `bind` and `color`: menus, the
// functions keys can call, key notation, color objects and color names. The
// UI implements the functions under these names; this table is what `bind`
// checks against and what the help screen lists.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

std::span<const std::string_view> menu_names();

// Functions valid in `menu` (generic functions are valid in every menu).
std::vector<std::string_view> functions_for(std::string_view menu);
bool is_function(std::string_view menu, std::string_view function);

// Key codes: Unicode code points for characters; named keys above them.
enum SpecialKey : int {
    KeyBase = 0x110000,
    KeyUp, KeyDown, KeyLeft, KeyRight, KeyPageUp, KeyPageDown, KeyHome, KeyEnd,
    KeyInsert, KeyDelete, KeyBackspace, KeyBackTab,
    KeyF0 = 0x110100,  // KeyF0 + n = <fn>
};

// Parses mutt key notation into key codes: "d", "gg", "\Cd" and "^D"
// (control), "\e" and "<esc>" (escape), "<enter>", "<pagedown>", "<f5>",
// "<space>", "\t", "<tab>", ... Empty optional when the notation is bad.
std::optional<std::vector<int>> parse_key_sequence(std::string_view notation);

// A step of a macro or of `push`: a key, or a function called by its name.
struct MacroStep {
    int key = 0;
    std::string function;  // set: call it ("<save-message>"); empty: type `key`
    bool operator==(const MacroStep&) const = default;
};

// mutt's macro notation: keys as parse_key_sequence reads them, and
// <function-name> for a function of `menu` (or generic). Empty optional when
// a <name> is neither a key nor such a function: *bad gets the name.
std::optional<std::vector<MacroStep>> parse_macro_sequence(std::string_view notation, std::string_view menu,
                                                           std::string* bad = nullptr);

std::span<const std::string_view> color_objects();
// Objects whose `color` line takes a pattern after the colors.
bool color_object_takes_pattern(std::string_view object);
bool is_color_attribute(std::string_view word);
// "default", "red", "brightred", "color123".
bool is_color_name(std::string_view word);

// The closest of `choices` to `word` by edit distance, when it is close.
std::optional<std::string_view> closest(std::string_view word, std::span<const std::string_view> choices);

}  // namespace tern
