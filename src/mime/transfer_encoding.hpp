// Content-Transfer-Encoding: base64 and quoted-printable, decoded leniently
// (garbage skipped, bad escapes kept) and encoded within line limits.
#pragma once

#include <string>
#include <string_view>

namespace tern {

std::string decode_base64(std::string_view in);
// `header` selects the RFC 2047 Q variant ('_' is a space).
std::string decode_quoted_printable(std::string_view in, bool header = false);
// Decodes a body by its Content-Transfer-Encoding value (7bit, 8bit, binary
// and unknown ones pass through).
std::string decode_transfer(std::string_view body, std::string_view encoding);

std::string encode_base64(std::string_view in, std::size_t line_length = 76);

}  // namespace tern
