// Header text for sending: RFC 2047 encoded words only where a word needs
// them (non-ASCII or looks like an encoded word), addresses with quoted or
// encoded display names, lines folded at 78 columns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mime/address.hpp"

namespace tern {

// "Name: value" with the value encoded and folded; CRLF line ends, no final CRLF.
std::string encode_header(std::string_view name, std::string_view utf8_value);

// "Name: a@x, Jörg <j@x>" with display names quoted or encoded, folded.
std::string encode_address_header(std::string_view name, const std::vector<Address>& addresses);

// RFC 5322 date: "Sun, 22 Nov 2026 19:28:06 +0100".
std::string format_rfc5322_date(std::int64_t epoch_seconds, int utc_offset_minutes);

}  // namespace tern
