// IMAP folder names travel in modified UTF-7 (RFC 3501 section 5.1.3):
// printable ASCII as is ("&" as "&-"), anything else as UTF-16 in a
// modified base64 ("," for "/") between "&" and "-". tern keeps names in
// UTF-8 and converts at the wire.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tern {

std::string encode_imap_utf7(std::string_view utf8);

// Nothing when `name` is not valid modified UTF-7 (a server bug: the caller
// can still use the name as sent).
std::optional<std::string> decode_imap_utf7(std::string_view name);

}  // namespace tern
