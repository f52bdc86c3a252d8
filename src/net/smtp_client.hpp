// Sending mail over SMTP submission. libcurl opens, secures (STARTTLS
// required for smtp://, implicit TLS for smtps://) and authenticates the
// connection (CURLOPT_CONNECT_ONLY); tern speaks the mail transaction itself
// so that it can declare what curl's SMTP handler cannot: BODY=8BITMIME
// (curl 7.88 has no code for it) and SMTPUTF8 for UTF-8 headers, check the
// server's SIZE before anything is uploaded, read each recipient's reply
// directly, and reuse one login for a whole outbox (RSET between messages).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/curl_stream.hpp"
#include "net/smtp_protocol.hpp"

namespace tern {

struct SmtpRecipientReply {
    std::string address;
    SmtpReply reply;
};

struct SmtpOutcome {
    enum class Result {
        Sent,      // the server took the message for every accepted recipient
        Refused,   // permanently: the message will never go as it is (5xx, too big)
        Deferred,  // temporarily (4xx): try again later
    } result = Result::Refused;
    std::string reason;  // Refused/Deferred: one line, the server's words included
    std::vector<SmtpRecipientReply> recipients;  // every recipient tried, in order
};

class SmtpClient {
public:
    // Connects, secures, logs in. Throws SessionFailure.
    SmtpClient(const Endpoint& endpoint, SessionCapture& capture);

    // One mail transaction: `message` exactly as it should arrive (Bcc
    // already removed), any line ends. Throws Failure when the connection
    // fails; a refusal by the server is an outcome, not an exception.
    SmtpOutcome send(std::string_view sender, const std::vector<std::string>& recipients, std::string_view message);

    // The server's SIZE limit in bytes; 0 when it states none.
    std::size_t size_limit() const { return size_limit_; }
    const std::vector<std::string>& extensions() const { return extensions_; }
    const std::string& host_port() const { return stream_.host_port(); }

    // QUIT; a server that closes first is what QUIT asks for.
    void quit() noexcept;

private:
    SmtpReply read_reply();
    bool offers(std::string_view name) const { return smtp_extension(extensions_, name).has_value(); }
    void reset() noexcept;
    CurlStream stream_;
    std::vector<std::string> extensions_;
    std::size_t size_limit_ = 0;
    SmtpReplyReader reader_;
};

// "3.1 MB", "820 KB", "512 bytes"
std::string format_size(std::size_t bytes);

}  // namespace tern
