// libFuzzer target: header-level parsers — encoded words, addresses, dates,
// Content-Type parameters (RFC 2231). Decoded text must be valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mime/address.hpp"
#include "mime/charset.hpp"
#include "mime/content_type.hpp"
#include "mime/date.hpp"
#include "mime/encoded_words.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string in(reinterpret_cast<const char*>(data), size);
    if (!tern::is_valid_utf8(tern::decode_header_text(in))) std::abort();
    for (const auto& a : tern::parse_address_list(in))
        if (!tern::is_valid_utf8(a.name)) std::abort();
    (void)tern::parse_date(in);
    const auto ct = tern::parse_content_type(in);
    for (const auto& [k, v] : ct.params.items)
        if (!tern::is_valid_utf8(v)) std::abort();
    return 0;
}
