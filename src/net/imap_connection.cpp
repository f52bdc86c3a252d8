#include "net/imap_connection.hpp"

#include <poll.h>

#include <charconv>

#include "util/strings.hpp"

namespace tern {

ImapConnection::ImapConnection(const Endpoint& endpoint, SessionCapture& capture)
    : endpoint_(endpoint), handle_(make_curl_easy()) {
    configure_session(handle_.get(), endpoint_, capture);
    curl_easy_setopt(handle_.get(), CURLOPT_CONNECT_ONLY, 1L);
    perform_session(handle_.get(), endpoint_, capture);
}

void ImapConnection::wait_for_socket(bool for_send) {
    curl_socket_t fd = CURL_SOCKET_BAD;
    curl_easy_getinfo(handle_.get(), CURLINFO_ACTIVESOCKET, &fd);
    if (fd == CURL_SOCKET_BAD) throw Failure(ErrorKind::Network, endpoint_.url.host_port() + " closed the connection");
    pollfd p{fd, static_cast<short>(for_send ? POLLOUT : POLLIN), 0};
    const int n = ::poll(&p, 1, endpoint_.timeout * 1000);
    if (n == 0)
        throw Failure(ErrorKind::Timeout, "IMAP server " + endpoint_.url.host_port() + " sent nothing for " +
                                              std::to_string(endpoint_.timeout) + " s: raise timeout, or try again later");
}

void ImapConnection::send_all(std::string_view data) {
    while (!data.empty()) {
        size_t sent = 0;
        const CURLcode rc = curl_easy_send(handle_.get(), data.data(), data.size(), &sent);
        if (rc == CURLE_AGAIN) {
            wait_for_socket(true);
            continue;
        }
        if (rc != CURLE_OK)
            throw Failure(ErrorKind::Network, "sending to " + endpoint_.url.host_port() + " failed: " + curl_easy_strerror(rc));
        data.remove_prefix(sent);
    }
}

// One response line with any literals ({N} at a line end, then N bytes)
// folded into it; the CRLF is removed.
std::string ImapConnection::read_response_line() {
    std::string line;
    std::size_t scanned = 0;
    for (;;) {
        const auto eol = buffer_.find("\r\n", scanned);
        if (eol != std::string::npos) {
            std::string_view part(buffer_.data(), eol);
            std::size_t literal = 0;
            if (!part.empty() && part.back() == '}') {
                const auto open = part.rfind('{');
                if (open != std::string_view::npos) {
                    auto digits = part.substr(open + 1, part.size() - open - 2);
                    if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
                    std::from_chars(digits.data(), digits.data() + digits.size(), literal);
                }
            }
            if (literal == 0) {
                line.append(part);
                buffer_.erase(0, eol + 2);
                return line;
            }
            if (buffer_.size() >= eol + 2 + literal) {
                line.append(buffer_, 0, eol + 2 + literal);
                buffer_.erase(0, eol + 2 + literal);
                scanned = 0;
                continue;
            }
            // the literal is not complete yet: read more, then look again
            scanned = 0;
        } else {
            scanned = buffer_.empty() ? 0 : buffer_.size() - 1;
        }
        char chunk[16384];
        size_t got = 0;
        const CURLcode rc = curl_easy_recv(handle_.get(), chunk, sizeof chunk, &got);
        if (rc == CURLE_AGAIN) {
            wait_for_socket(false);
            continue;
        }
        if (rc != CURLE_OK || got == 0)
            throw Failure(ErrorKind::Network, "IMAP server " + endpoint_.url.host_port() + " closed the connection");
        buffer_.append(chunk, got);
    }
}

ImapReply ImapConnection::run(std::string_view command) {
    const std::string tag = "t" + std::to_string(next_tag_++);
    send_all(tag + " " + std::string(command) + "\r\n");
    ImapReply reply;
    for (;;) {
        std::string line = read_response_line();
        if (line.rfind(tag + " ", 0) == 0) {
            const auto rest = std::string_view(line).substr(tag.size() + 1);
            const auto sp = rest.find(' ');
            reply.status = std::string(rest.substr(0, sp));
            reply.text = sp == std::string_view::npos ? "" : std::string(rest.substr(sp + 1));
            return reply;
        }
        if (line.rfind("* BYE", 0) == 0)
            throw Failure(ErrorKind::Network, "IMAP server " + endpoint_.url.host_port() + " ended the session: " + first_line(line.substr(5)));
        if (line.rfind("* ", 0) == 0) reply.untagged.push_back(std::move(line));
    }
}

std::vector<std::string> ImapConnection::capabilities() {
    const ImapReply r = run("CAPABILITY");
    if (r.status != "OK")
        throw Failure(ErrorKind::Protocol, "IMAP server " + endpoint_.url.host_port() + " refused CAPABILITY: " + first_line(r.text));
    for (const auto& line : r.untagged)
        if (line.rfind("* CAPABILITY ", 0) == 0) return split_words(line.substr(13));
    return {};
}

}  // namespace tern
