#include "util/utf8.hpp"

#include <cstdio>

namespace tern {

std::optional<char32_t> decode_utf8(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    std::size_t len;
    char32_t min, cp;
    if ((b0 & 0xE0) == 0xC0) len = 2, min = 0x80, cp = b0 & 0x1F;
    else if ((b0 & 0xF0) == 0xE0) len = 3, min = 0x800, cp = b0 & 0x0F;
    else if ((b0 & 0xF8) == 0xF0) len = 4, min = 0x10000, cp = b0 & 0x07;
    else return std::nullopt;
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return std::nullopt;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += len;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        out += kUtf8Replacement;
    } else if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

namespace {

// Appends the character at s[i] as it is (or U+FFFD for an invalid byte) and
// returns the index after it.
std::size_t copy_character(std::string_view s, std::size_t i, std::string& out) {
    std::size_t next = i;
    if (!decode_utf8(s, next)) {
        out += kUtf8Replacement;
        return i + 1;
    }
    out.append(s.substr(i, next - i));
    return next;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();)
        if (!decode_utf8(s, i)) return false;
    return true;
}

std::string sanitize_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) i = copy_character(s, i, out);
    return out;
}

std::string terminal_safe(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        // a run of printable ASCII (and TAB, LF) is copied as it is
        std::size_t run = i;
        while (run < s.size()) {
            const auto c = static_cast<unsigned char>(s[run]);
            if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n') ++run;
            else break;
        }
        out.append(s.substr(i, run - i));
        i = run;
        if (i >= s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20) {
            out += '^';
            out += static_cast<char>(c + 0x40);
            ++i;
        } else if (c == 0x7F) {
            out += "^?";
            ++i;
        } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            char buf[12];
            std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned char>(s[i + 1]));
            out += buf;
            i += 2;
        } else {
            i = copy_character(s, i, out);
        }
    }
    return out;
}

}  // namespace tern
