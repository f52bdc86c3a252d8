// Text from mail into UTF-8: conversion from any charset through iconv, with
// what cannot be converted as U+FFFD. (UTF-8 checks and terminal safety live
// in util/utf8.hpp, shared with the layers below mime.)
#pragma once

#include <string>
#include <string_view>

#include "util/utf8.hpp"

namespace tern {

struct Utf8Text {
    std::string text;
    std::string_view shown_as;     // for a label that was not known: "UTF-8" or "windows-1252"
    bool had_errors = false;       // some bytes were not valid in the charset
    bool unknown_charset() const { return !shown_as.empty(); }
};

// Converts `bytes` in `charset` (a MIME label, any case, common aliases and
// mislabels included) to UTF-8. Never fails: what cannot be converted becomes
// U+FFFD, and an unknown label falls back to UTF-8 when the bytes are valid
// UTF-8, else to windows-1252, with shown_as saying which.
Utf8Text to_utf8(std::string_view bytes, std::string_view charset);

}  // namespace tern
