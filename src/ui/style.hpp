// What a piece of the screen is, for its colors: the color objects of the
// config's `color` command that the screens draw. The terminal wrapper turns
// them into curses attributes; nothing else knows about curses.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tern {

enum class Style : std::uint8_t {
    Normal,
    Indicator,  // the current line
    Status,
    Error,
    Message,    // informational line at the bottom
    Prompt,
    Tree,       // the thread tree in the index
    IndexNew,
    IndexTag,
    IndexDeleted,
    IndexFlagged,
    Header,     // header lines in the pager
    Quoted0, Quoted1, Quoted2, Quoted3,
    Signature,
    Attachment,  // markers for attachments and forwarded parts
    Search,      // matches of a pager search
    Tilde,       // the ~ lines past the end of a message
    SidebarNew,
    SidebarIndicator,
    IndexRule0,  // the config's `color index ... PATTERN` lines, in order: IndexRule0 + k
    IndexRuleLast = IndexRule0 + 15,
    Count
};

inline constexpr int kIndexColorRules = 16;

// The style a color object names, when the screens draw it.
std::optional<Style> style_for_object(std::string_view object);

// The color lines that color whole index lines by a pattern (mutt's `color
// index FG BG PATTERN`), in the order the terminal numbers them.
template <typename Rule>
bool is_index_pattern_rule(const Rule& r) {
    return !r.pattern.empty() && r.object.rfind("index", 0) == 0;
}

}  // namespace tern
