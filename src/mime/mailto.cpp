#include "mime/mailto.hpp"

#include "util/strings.hpp"

namespace tern {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// %XX decoded (a bad escape stays as written); RFC 6068 has no '+' for space.
std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const int hi = s[i] == '%' && i + 2 < s.size() + 1 && i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
        const int lo = hi >= 0 && i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
        if (lo >= 0) {
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

void add_to_list(std::string& list, const std::string& more) {
    if (more.empty()) return;
    list = list.empty() ? more : list + ", " + more;
}

// A header value from a URI: one line (a CR or LF would start a header of its own).
std::string one_line(std::string v) {
    for (char& c : v)
        if (c == '\r' || c == '\n') c = ' ';
    return v;
}

}  // namespace

std::optional<MailtoRequest> parse_mailto(std::string_view uri, std::string& problem) {
    if (uri.size() < 7 || !iequals(uri.substr(0, 7), "mailto:")) {
        problem = "'" + std::string(uri) + "' is not a mailto: address (e.g. mailto:someone@example.org?subject=Hello)";
        return std::nullopt;
    }
    uri.remove_prefix(7);
    MailtoRequest r;
    const auto q = uri.find('?');
    add_to_list(r.to, one_line(percent_decode(uri.substr(0, q))));
    if (q != std::string_view::npos) {
        for (const auto& field : split(uri.substr(q + 1), '&')) {
            const auto eq = field.find('=');
            if (eq == std::string::npos) continue;
            const std::string name = to_lower(percent_decode(field.substr(0, eq)));
            const std::string value = percent_decode(field.substr(eq + 1));
            if (name == "to") add_to_list(r.to, one_line(value));
            else if (name == "cc") add_to_list(r.cc, one_line(value));
            else if (name == "bcc") add_to_list(r.bcc, one_line(value));
            else if (name == "subject") r.subject = one_line(value);
            else if (name == "in-reply-to") r.in_reply_to = one_line(value);
            else if (name == "body") {
                std::string body;  // CRLF in the URI is a line break; the editor wants LF
                for (std::size_t i = 0; i < value.size(); ++i)
                    if (!(value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n')) body += value[i];
                r.body = body;
            }
        }
    }
    return r;
}

}  // namespace tern
