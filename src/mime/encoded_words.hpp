// RFC 2047 encoded words (=?charset?B|Q?text?=) in header text, and the
// 8-bit bytes that appear in headers anyway.
#pragma once

#include <string>
#include <string_view>

namespace tern {

// Decodes a header value to UTF-8: encoded words anywhere (also inside
// quotes and glued to text, as senders do), the blanks between adjacent
// encoded words dropped, words of one charset joined before conversion (so a
// character split across two words survives), malformed words left as they
// are. Raw 8-bit bytes are read as UTF-8 when valid, else in
// `fallback_charset` (the message's charset). Not terminal-safe by itself.
std::string decode_header_text(std::string_view raw, std::string_view fallback_charset = "windows-1252");

}  // namespace tern
