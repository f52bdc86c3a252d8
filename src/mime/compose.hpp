// Building what SMTP sends: a complete RFC 5322 message with CRLF line ends,
// headers encoded only where needed, bodies in 7bit, quoted-printable or
// base64 as their content requires (no line over 998 octets, ever), and
// attachments in multipart/mixed with RFC 2231 file names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mime/address.hpp"

namespace tern {

struct OutgoingAttachment {
    std::string filename;      // UTF-8, as the recipient should see it
    std::string content_type;  // empty: guessed from the name and the data
    std::string data;
};

struct Draft {
    Address from;
    std::vector<Address> to, cc, bcc;  // Bcc is never written into the message
    std::vector<Address> reply_to;
    std::string subject;        // UTF-8
    std::string body;           // UTF-8 text, any line ends
    std::string in_reply_to;    // "<id@host>" of the message answered
    std::vector<std::string> references;
    std::vector<std::pair<std::string, std::string>> extra_headers;  // name, UTF-8 value
    std::vector<OutgoingAttachment> attachments;
    std::int64_t date = 0;      // epoch seconds
    int utc_offset_minutes = 0;
    std::string message_id;     // "<...>"; make_message_id() when empty
    bool write_bcc = false;     // a draft kept for later keeps its Bcc; mail sent never does
};

// The message bytes (CRLF line ends): compose_headers() + compose_body().
std::string compose_message(const Draft& draft);

// Its header, from Date to MIME-Version (CRLF line ends, each line ended).
std::string compose_headers(const Draft& draft);

// Its body as one MIME entity: Content-Type and Content-Transfer-Encoding,
// a blank line, the text (and the attachments in a multipart/mixed). CRLF
// line ends. `for_signing`: every part in a transfer encoding no relay
// changes, as a signature over it needs.
std::string compose_body(const Draft& draft, bool for_signing);

// A fresh multipart boundary.
std::string make_boundary();

// "<20261122192806.a1b2c3d4e5f6@example.com>": time, random, and the domain
// of the sender's address.
std::string make_message_id(std::int64_t epoch_seconds, std::string_view sender_address);

// Quoted-printable for a UTF-8 text body: lines kept under 76 characters with
// soft breaks, trailing blanks and a leading "From " or "." protected.
std::string encode_quoted_printable(std::string_view text);

// A MIME type for an attachment: by extension from `mime_types` (the text of
// /etc/mime.types), else by content (PDF, PNG, JPEG, GIF, ZIP, text).
std::string guess_content_type(std::string_view filename, std::string_view data, std::string_view mime_types);

// The system's /etc/mime.types (empty when missing).
std::string system_mime_types();

}  // namespace tern
