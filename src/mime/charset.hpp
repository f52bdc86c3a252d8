// Text from mail into clean UTF-8: conversion from any charset through iconv,
// invalid bytes as U+FFFD, and terminal safety (no control characters or
// escape sequences reach a screen or stdout).
#pragma once

#include <string>
#include <string_view>

namespace tern {

struct Utf8Text {
    std::string text;
    bool unknown_charset = false;  // the label was not known: shown as UTF-8 or windows-1252
    bool had_errors = false;       // some bytes were not valid in the charset
};

// Converts `bytes` in `charset` (a MIME label, any case, common aliases and
// mislabels included) to UTF-8. Never fails: what cannot be converted becomes
// U+FFFD, and an unknown label falls back to UTF-8 when the bytes are valid
// UTF-8, else to windows-1252, with unknown_charset set.
Utf8Text to_utf8(std::string_view bytes, std::string_view charset);

bool is_valid_utf8(std::string_view s);

// Replaces every invalid UTF-8 sequence by U+FFFD.
std::string sanitize_utf8(std::string_view s);

// Makes UTF-8 text safe to print on a terminal: C0 controls except TAB and LF,
// DEL and C1 controls become visible (^[ for ESC, ^? for DEL, <U+0085> for
// C1), so an escape sequence loses its power and shows as text.
std::string terminal_safe(std::string_view utf8);

}  // namespace tern
