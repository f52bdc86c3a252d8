#include "util/width.hpp"

#include <algorithm>

#include "util/utf8.hpp"

namespace tern {
namespace {

// The character at s[i], advancing i; an invalid byte counts as one column.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    if (auto cp = decode_utf8(s, i)) return *cp;
    return static_cast<unsigned char>(s[i++]);
}

int width_of(char32_t cp) {
    if (cp == 0) return 0;
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x20D0 && cp <= 0x20FF))
        return 0;  // combining marks, zero-width characters, variation selectors
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
        (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;  // East Asian wide and fullwidth, emoji
    return 1;
}

}  // namespace

int display_width(std::string_view s) {
    int w = 0;
    for (std::size_t i = 0; i < s.size();) w += width_of(next_code_point(s, i));
    return w;
}

std::string fit_columns(std::string_view s, int columns) {
    std::string out;
    out.reserve(s.size() + static_cast<std::size_t>(std::max(columns, 0)));
    int w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t start = i;
        const auto byte = static_cast<unsigned char>(s[i]);
        const int cw = byte < 0x80 ? (++i, byte != 0) : width_of(next_code_point(s, i));  // ASCII: the common case
        if (w + cw > columns) break;
        out.append(s.substr(start, i - start));
        w += cw;
    }
    out.append(static_cast<std::size_t>(columns - w), ' ');
    return out;
}

}  // namespace tern
