#include "net/smtp_client.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace tern {
namespace {

// What a server's reply says, made safe to show.
std::string said(const SmtpReply& r) { return terminal_safe(first_line(r.line())); }

}  // namespace

std::string format_size(std::size_t bytes) {
    char buf[32];
    if (bytes >= 1000 * 1000) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    else if (bytes >= 1000) std::snprintf(buf, sizeof buf, "%zu KB", bytes / 1000);
    else std::snprintf(buf, sizeof buf, "%zu bytes", bytes);
    return buf;
}

SmtpClient::SmtpClient(const Endpoint& endpoint, SessionCapture& capture) : stream_(endpoint, capture, "SMTP") {
    extensions_ = smtp_extensions(capture.server_lines);
    if (const auto size = smtp_extension(extensions_, "SIZE"); size && !size->empty()) {
        try {
            size_limit_ = static_cast<std::size_t>(std::stoull(*size));
        } catch (const std::exception&) {
            size_limit_ = 0;  // unreadable: let the server judge
        }
    }
}

SmtpReply SmtpClient::read_reply() {
    for (;;) {
        try {
            if (auto r = reader_.next()) return *r;
        } catch (const std::runtime_error& e) {
            throw Failure(ErrorKind::Protocol, "SMTP server " + host_port() + " sent something that is not SMTP: " + terminal_safe(e.what()));
        }
        std::string chunk;
        while (stream_.receive_now(chunk)) {
        }
        if (chunk.empty()) stream_.wait_readable();
        else reader_.feed(chunk);
    }
}

void SmtpClient::reset() noexcept {
    try {
        stream_.send_all("RSET\r\n");
        read_reply();
    } catch (const Failure&) {
        // the next send finds out whether the connection is still good
    }
}

SmtpOutcome SmtpClient::send(std::string_view sender, const std::vector<std::string>& recipients, std::string_view message) {
    SmtpOutcome out;
    const std::string data = smtp_data(message);
    const std::size_t size = data.size() - 3;  // without the ending dot line
    if (size_limit_ && size > size_limit_) {
        out.reason = "the message is " + format_size(size) + ", but " + host_port() + " takes at most " + format_size(size_limit_) +
                     " (SIZE): make it smaller, e.g. share large files by a link";
        return out;
    }
    const std::string_view head = message.substr(0, std::min(message.find("\n\n"), message.find("\n\r\n")));
    bool smtputf8 = !is_ascii(sender) || !is_ascii(head);
    for (const auto& r : recipients) smtputf8 = smtputf8 || !is_ascii(r);
    if (smtputf8 && !offers("SMTPUTF8")) {
        // UTF-8 in headers alone can still go (as 8-bit data); addresses cannot
        bool address_utf8 = !is_ascii(sender);
        for (const auto& r : recipients) address_utf8 = address_utf8 || !is_ascii(r);
        if (address_utf8) {
            out.reason = host_port() + " does not accept addresses outside ASCII (no SMTPUTF8)";
            return out;
        }
        smtputf8 = false;
    }
    const bool body_8bit = has_8bit(message) && offers("8BITMIME");
    // MAIL and every RCPT in one write where the server pipelines (RFC 2920)
    const bool pipelining = offers("PIPELINING");
    const std::string mail = smtp_mail_from(sender, offers("SIZE") ? size : 0, body_8bit, smtputf8) + "\r\n";
    std::vector<std::string> rcpt;
    for (const auto& r : recipients) rcpt.push_back("RCPT TO:<" + r + ">\r\n");
    if (pipelining) {
        std::string batch = mail;
        for (const auto& r : rcpt) batch += r;
        stream_.send_all(batch);
    } else {
        stream_.send_all(mail);
    }
    const SmtpReply mail_reply = read_reply();
    if (!mail_reply.positive()) {
        for (std::size_t i = 0; pipelining && i < rcpt.size(); ++i) read_reply();  // their answers are still coming
        out.result = mail_reply.permanent() ? SmtpOutcome::Result::Refused : SmtpOutcome::Result::Deferred;
        out.reason = host_port() + " refused the sender " + std::string(sender) + ": " + said(mail_reply);
        reset();
        return out;
    }
    std::size_t accepted = 0, temporary = 0;
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        if (!pipelining) stream_.send_all(rcpt[i]);
        const SmtpReply reply = read_reply();
        if (reply.positive()) ++accepted;
        else if (!reply.permanent()) ++temporary;
        out.recipients.push_back({recipients[i], reply});
    }
    if (accepted == 0) {
        out.result = temporary ? SmtpOutcome::Result::Deferred : SmtpOutcome::Result::Refused;
        out.reason = host_port() + " accepted none of the recipients";
        reset();
        return out;
    }
    stream_.send_all("DATA\r\n");
    const SmtpReply go = read_reply();
    if (go.code != 354) {
        out.result = go.permanent() ? SmtpOutcome::Result::Refused : SmtpOutcome::Result::Deferred;
        out.reason = host_port() + " refused DATA: " + said(go);
        reset();
        return out;
    }
    stream_.send_all(data);
    const SmtpReply done = read_reply();
    if (!done.positive()) {
        out.result = done.permanent() ? SmtpOutcome::Result::Refused : SmtpOutcome::Result::Deferred;
        out.reason = host_port() + " refused the message: " + said(done);
        return out;
    }
    out.result = SmtpOutcome::Result::Sent;
    return out;
}

void SmtpClient::quit() noexcept {
    try {
        stream_.send_all("QUIT\r\n");
        read_reply();
    } catch (const Failure&) {
        // closed: what QUIT asks for
    }
}

}  // namespace tern
