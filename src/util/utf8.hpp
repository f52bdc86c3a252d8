// UTF-8 for every layer: decoding one character, validity, U+FFFD for
// invalid bytes, and terminal safety (no control character or escape
// sequence from a message, a server or a child process reaches a screen or
// stdout). The one place that knows how UTF-8 is encoded.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tern {

inline constexpr std::string_view kUtf8Replacement = "\xEF\xBF\xBD";  // U+FFFD

// The character at s[i] when it is valid UTF-8 (no overlong forms, no
// surrogates, at most U+10FFFF); advances i past it. On invalid input
// returns nothing and leaves i as it was.
std::optional<char32_t> decode_utf8(std::string_view s, std::size_t& i);

// Appends a code point as UTF-8; an invalid one (a surrogate, beyond
// U+10FFFF, NUL) as U+FFFD.
void append_utf8(std::string& out, char32_t cp);

bool is_valid_utf8(std::string_view s);

// Replaces every invalid UTF-8 sequence by U+FFFD.
std::string sanitize_utf8(std::string_view s);

// Makes text safe to print on a terminal: C0 controls except TAB and LF,
// DEL and C1 controls become visible (^[ for ESC, ^? for DEL, <U+0085> for
// C1), so an escape sequence loses its power and shows as text; invalid
// UTF-8 becomes U+FFFD.
std::string terminal_safe(std::string_view text);

}  // namespace tern
