// What a message says about its own delivery, for `tern send -t` and the
// outbox: the envelope sender and recipients from From/To/Cc/Bcc, and the
// message as it goes out (Bcc removed, so blind recipients stay blind;
// Date and Message-ID added when missing, as a submission agent does).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

// The addresses of To, Cc and Bcc (every field of each), bare, in order,
// each once (compared without case).
std::vector<std::string> header_recipients(std::string_view message);

// The bare address of the From field, empty when there is none.
std::string header_sender(std::string_view message);

// The message without its Bcc fields (folded lines included).
std::string without_bcc(std::string_view message);

// The message with the fields a sender must have: From (from `from` when
// missing), Date and Message-ID (made from `now` and the sender's domain),
// and raw UTF-8 in Subject, display names and other text fields written as
// RFC 2047 encoded words, so that SMTPUTF8 is needed only for UTF-8 addresses.
// Line ends as the message has them.
std::string with_submission_headers(std::string_view message, std::string_view from, std::int64_t now, int utc_offset_minutes);

}  // namespace tern
