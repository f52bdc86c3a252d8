#include "mime/mailto.hpp"

#include "util/strings.hpp"

namespace tern {
namespace {

// RFC 6068 has no '+' for space; a bad escape stays as written
std::string percent_decoded(std::string_view s) { return *percent_decode(s, false); }

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
    add_to_list(r.to, one_line(percent_decoded(uri.substr(0, q))));
    if (q != std::string_view::npos) {
        for (const auto& field : split(uri.substr(q + 1), '&')) {
            const auto eq = field.find('=');
            if (eq == std::string::npos) continue;
            const std::string name = to_lower(percent_decoded(field.substr(0, eq)));
            const std::string value = percent_decoded(field.substr(eq + 1));
            if (name == "to") add_to_list(r.to, one_line(value));
            else if (name == "cc") add_to_list(r.cc, one_line(value));
            else if (name == "bcc") add_to_list(r.bcc, one_line(value));
            else if (name == "subject") r.subject = one_line(value);
            else if (name == "in-reply-to") r.in_reply_to = one_line(value);
            else if (name == "body") r.body = crlf_to_lf(value);  // CRLF in the URI is a line break; the editor wants LF
        }
    }
    return r;
}

}  // namespace tern
