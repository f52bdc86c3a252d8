// RFC 5322 header blocks: split into fields, unfolded, in one linear pass.
// Tolerates what the real world sends: bare LF line ends, lines without a
// colon (skipped), raw 8-bit bytes (kept; decoded later), an mbox "From "
// line, huge fields.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

struct HeaderField {
    std::string name;   // as written
    std::string value;  // unfolded (line breaks removed), leading blanks trimmed, raw bytes
};

class Headers {
public:
    std::vector<HeaderField> fields;

    // The first field of that name (case-insensitive).
    const std::string* get(std::string_view name) const;
    std::vector<const std::string*> all(std::string_view name) const;
};

struct HeaderBlock {
    Headers headers;
    std::size_t body_offset = 0;  // where the body starts in the input
};

// Parses the header block at the start of `message`; the body starts after
// the first empty line (or at the end when there is none).
HeaderBlock parse_headers(std::string_view message);

}  // namespace tern
