// The SMTP mail transaction's text, as pure functions: replies (multi-line,
// with enhanced status codes) parsed from bytes, the EHLO extensions, the
// MAIL FROM parameters (SIZE, BODY=8BITMIME, SMTPUTF8) and the DATA payload
// with CRLF line ends and dot-stuffing (RFC 5321 4.5.2), so that a line
// holding a single dot or a bare LF arrives as it was written.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

struct SmtpReply {
    int code = 0;      // 250, 354, 550, ...
    std::string text;  // the lines' text after the code, joined by "; "
    bool positive() const { return code >= 200 && code < 400; }
    bool permanent() const { return code >= 500; }
    std::string line() const { return std::to_string(code) + " " + text; }  // for messages
};

// Cuts whole replies out of the bytes received; a reply spans lines
// "250-..." up to "250 ...".
class SmtpReplyReader {
public:
    void feed(std::string_view bytes) { buffer_.append(bytes); }
    // The next complete reply; nothing when more bytes are needed. Throws
    // std::runtime_error for a line that is not an SMTP reply.
    std::optional<SmtpReply> next();

private:
    std::string buffer_;
    std::size_t pos_ = 0;
};

// What the server offers, from its last EHLO reply in `server_lines` (every
// line curl saw, the one after STARTTLS last); names upper case, with their
// arguments: "SIZE 35882577", "8BITMIME", "AUTH PLAIN LOGIN".
std::vector<std::string> smtp_extensions(std::string_view server_lines);
// The extension's argument ("" for a bare keyword), nothing when not offered.
std::optional<std::string> smtp_extension(const std::vector<std::string>& extensions, std::string_view name);

// "MAIL FROM:<a@b> SIZE=123 BODY=8BITMIME SMTPUTF8"
std::string smtp_mail_from(std::string_view sender, std::size_t size, bool body_8bit, bool smtputf8);

// The message as DATA sends it: every line end CRLF (a bare LF or CR
// becomes one), a leading dot doubled, ending "\r\n.\r\n".
std::string smtp_data(std::string_view message);

// Whether the bytes hold anything outside 7-bit ASCII (8BITMIME), or NUL.
bool has_8bit(std::string_view bytes);

}  // namespace tern
