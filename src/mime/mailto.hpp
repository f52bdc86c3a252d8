// RFC 6068 mailto: URIs, so tern can be the system's mail handler
// (`tern mailto:a@example.org?subject=Hi`). Only the fields the RFC calls
// safe are taken: to, cc, bcc, subject, body, in-reply-to; the rest are
// ignored, as it asks.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tern {

struct MailtoRequest {
    std::string to, cc, bcc, subject, body, in_reply_to;  // decoded UTF-8; lists comma-separated
};

// Nothing (with the reason in `problem`) when `uri` is not a mailto: URI.
std::optional<MailtoRequest> parse_mailto(std::string_view uri, std::string& problem);

}  // namespace tern
