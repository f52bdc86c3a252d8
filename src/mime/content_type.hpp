// Structured MIME header values: Content-Type and Content-Disposition with
// their parameters, RFC 2231 continuations and charsets included.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern {

struct MimeParams {
    std::vector<std::pair<std::string, std::string>> items;  // lower-case name, UTF-8 value
    const std::string* get(std::string_view name) const;
};

struct ContentType {
    std::string type = "text";     // lower case
    std::string subtype = "plain"; // lower case
    MimeParams params;
    std::string full() const { return type + "/" + subtype; }
    bool is(std::string_view t, std::string_view s = "*") const;
};

// "text/plain; charset=utf-8". A missing or broken value gives text/plain
// (RFC 2045's default).
ContentType parse_content_type(std::string_view value);

struct Disposition {
    std::string kind;  // "inline", "attachment" or empty
    MimeParams params;
};

Disposition parse_disposition(std::string_view value);

// Parameters after the first ';': name=token, name="quoted", name*=utf-8''%E2%82%AC,
// name*0=..., name*1*=...; RFC 2047 inside quoted values (common, if wrong)
// is decoded too.
MimeParams parse_params(std::string_view text);

}  // namespace tern
