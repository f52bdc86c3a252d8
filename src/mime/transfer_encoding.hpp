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

// decode_transfer over a body cut into pieces anywhere: feed() gives what
// the pieces so far decode to, finish() the rest; the pieces' outputs joined
// are decode_transfer of the whole. What saves a 200 MB attachment without
// holding it.
class TransferDecoder {
public:
    explicit TransferDecoder(std::string_view encoding);
    std::string feed(std::string_view piece);
    std::string finish();

private:
    enum class Kind { Base64, QuotedPrintable, Identity } kind_;
    unsigned buffer_ = 0;  // base64: bits not yet a byte
    int bits_ = 0;
    std::string line_;     // quoted-printable: a line not yet ended
};

std::string encode_base64(std::string_view in, std::size_t line_length = 76);

}  // namespace tern
