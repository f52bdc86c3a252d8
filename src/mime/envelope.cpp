#include "mime/envelope.hpp"

#include "mime/address.hpp"
#include "mime/compose.hpp"
#include "mime/header_encode.hpp"
#include "mime/headers.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

// The header block: up to and including the line end of its last line.
std::string_view header_block(std::string_view message) {
    for (std::size_t i = 0; i < message.size(); ++i) {
        if (message[i] != '\n') continue;
        const std::size_t next = i + 1;
        if (next < message.size() && message[next] == '\n') return message.substr(0, next);
        if (next + 1 < message.size() && message[next] == '\r' && message[next + 1] == '\n') return message.substr(0, next);
    }
    return message;
}

bool field_is(std::string_view line, std::string_view name) {
    return line.size() > name.size() && line[name.size()] == ':' && iequals(line.substr(0, name.size()), name);
}

}  // namespace

std::vector<std::string> header_recipients(std::string_view message) {
    const Headers h = parse_headers(message).headers;
    std::vector<std::string> out;
    for (const char* name : {"To", "Cc", "Bcc"})
        for (const std::string* value : h.all(name))
            for (const Address& a : parse_address_list(*value)) {
                if (a.email.empty()) continue;
                bool seen = false;
                for (const auto& o : out) seen = seen || iequals(o, a.email);
                if (!seen) out.push_back(a.email);
            }
    return out;
}

std::string header_sender(std::string_view message) {
    const Headers h = parse_headers(message).headers;
    const std::string* from = h.get("From");
    if (!from) return "";
    const auto list = parse_address_list(*from);
    return list.empty() ? "" : list.front().email;
}

std::string without_bcc(std::string_view message) {
    const std::string_view head = header_block(message);
    std::string out;
    out.reserve(message.size());
    bool dropping = false;
    for (std::size_t at = 0; at < head.size();) {
        auto end = head.find('\n', at);
        end = end == std::string_view::npos ? head.size() : end + 1;
        const std::string_view line = head.substr(at, end - at);
        const bool continuation = line[0] == ' ' || line[0] == '\t';
        if (!continuation) dropping = field_is(line, "Bcc") || field_is(line, "Resent-Bcc");
        if (!dropping) out.append(line);
        at = end;
    }
    out.append(message.substr(head.size()));
    return out;
}

std::string with_submission_headers(std::string_view message, std::string_view from, std::int64_t now, int utc_offset_minutes) {
    const Headers h = parse_headers(message).headers;
    const std::string_view head = header_block(message);
    const bool crlf = head.find("\r\n") != std::string_view::npos || (head.empty() && message.find("\r\n") != std::string_view::npos);
    const std::string eol = crlf ? "\r\n" : "\n";
    std::string added;
    std::string sender = header_sender(message);
    if (!h.get("From") && !from.empty()) {
        added += "From: " + std::string(from) + eol;
        const auto list = parse_address_list(from);
        if (!list.empty()) sender = list.front().email;
    }
    if (!h.get("Date")) added += "Date: " + format_rfc5322_date(now, utc_offset_minutes) + eol;
    if (!h.get("Message-ID")) added += "Message-ID: " + make_message_id(now, sender) + eol;
    return added + std::string(message);
}

}  // namespace tern
