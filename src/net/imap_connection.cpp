#include "net/imap_connection.hpp"

#include <poll.h>

#include <chrono>

#include "util/strings.hpp"

namespace tern {

std::string imap_quote(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

ImapConnection::ImapConnection(const Endpoint& endpoint, SessionCapture& capture)
    : stream_(endpoint, capture, "IMAP"), host_port_(endpoint.url.host_port()) {}

void ImapConnection::send_all(std::string_view data) { stream_.send_all(data); }

std::optional<ImapResponse> ImapConnection::poll_parsed() {
    for (;;) {
        std::optional<std::string> bytes;
        ImapResponse r;
        try {
            bytes = reader_.next();
            if (bytes) r = parse_response(*bytes);
        } catch (const ImapProtocolError& e) {
            throw Failure(ErrorKind::Protocol, "IMAP server " + host_port_ + " sent something that is not IMAP: " + e.message);
        }
        if (bytes) {
            if (r.kind == ImapResponse::Kind::Untagged && r.name == "BYE")
                throw Failure(ErrorKind::Network, "IMAP server " + host_port_ + " ended the session: " + first_line(r.text));
            if (r.kind == ImapResponse::Kind::Untagged && r.name == "CAPABILITY") {
                capabilities_.clear();
                for (const auto& v : r.data) capabilities_.push_back(v.text);  // as sent; compared case-blind
                have_capabilities_ = true;
            }
            return r;
        }
        // TLS may hold decrypted bytes: read until nothing is left, only then may the caller wait
        std::string chunk;
        if (!stream_.receive_now(chunk)) return std::nullopt;
        reader_.feed(chunk);
    }
}

ImapResponse ImapConnection::next_parsed() {
    for (;;) {
        if (auto r = poll_parsed()) return std::move(*r);
        stream_.wait_readable();
    }
}

ImapConnection::IdleEnd ImapConnection::idle(int seconds, int stop_fd) {
    const std::string tag = "t" + std::to_string(next_tag_++);
    send_all(tag + " IDLE\r\n");
    for (;;) {  // the go-ahead
        const ImapResponse r = next_parsed();
        if (r.kind == ImapResponse::Kind::Continuation) break;
        if (r.kind == ImapResponse::Kind::Tagged && r.tag == tag)
            throw Failure(ErrorKind::Protocol, "IMAP server " + host_port_ + " refused IDLE: " + first_line(r.text));
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    IdleEnd end = IdleEnd::TimedOut;
    for (bool waiting = true; waiting;) {
        // TLS may hold whole responses already: read them before waiting on the socket
        while (auto r = poll_parsed()) {
            if (r->name == "EXISTS" || r->name == "EXPUNGE" || r->name == "FETCH" || r->name == "VANISHED") {
                end = IdleEnd::Changed;
                waiting = false;
            }
        }
        if (!waiting) break;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) break;
        pollfd p[2] = {{stream_.socket(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
        if (::poll(p, stop_fd >= 0 ? 2 : 1, static_cast<int>(left)) > 0 && stop_fd >= 0 && (p[1].revents & POLLIN)) {
            end = IdleEnd::Stopped;
            break;
        }
    }
    send_all("DONE\r\n");
    read_until_tagged(tag, {});
    return end;
}

ImapResponse ImapConnection::read_until_tagged(const std::string& tag, const UntaggedHandler& on_untagged) {
    for (;;) {
        ImapResponse r = next_parsed();
        if (r.kind == ImapResponse::Kind::Tagged) {
            if (r.tag != tag) throw Failure(ErrorKind::Protocol, "IMAP server " + host_port_ + " answered an unknown tag " + first_line(r.tag));
            return r;
        }
        if (r.kind == ImapResponse::Kind::Untagged && on_untagged) on_untagged(r);
    }
}

ImapResponse ImapConnection::run(std::string_view command, const UntaggedHandler& on_untagged) {
    const std::string tag = "t" + std::to_string(next_tag_++);
    send_all(tag + " " + std::string(command) + "\r\n");
    return read_until_tagged(tag, on_untagged);
}

ImapResponse ImapConnection::run_with_literal(std::string_view head, std::string_view literal, const UntaggedHandler& on_untagged) {
    return run_with_literal(head, literal.size(), [literal](const auto& send) { send(literal); }, on_untagged);
}

ImapResponse ImapConnection::run_with_literal(std::string_view head, std::uint64_t size, const LiteralWriter& write_literal,
                                              const UntaggedHandler& on_untagged) {
    const std::string tag = "t" + std::to_string(next_tag_++);
    const bool literal_plus = has_capability("LITERAL+");
    send_all(tag + " " + std::string(head) + " {" + std::to_string(size) + (literal_plus ? "+" : "") + "}\r\n");
    if (!literal_plus) {
        for (;;) {  // wait for "+ go ahead"; a tagged NO here refuses the command
            const ImapResponse r = next_parsed();
            if (r.kind == ImapResponse::Kind::Continuation) break;
            if (r.kind == ImapResponse::Kind::Tagged && r.tag == tag) return r;
            if (r.kind == ImapResponse::Kind::Untagged && on_untagged) on_untagged(r);
        }
    }
    std::uint64_t sent = 0;
    write_literal([&](std::string_view piece) {
        sent += piece.size();
        send_all(piece);
    });
    // the server counts on exactly `size` bytes: anything else would have it read a command as message text
    if (sent != size) throw Failure(ErrorKind::Protocol, "a literal of " + std::to_string(size) + " bytes came to " + std::to_string(sent) + ": not sent");
    send_all("\r\n");
    return read_until_tagged(tag, on_untagged);
}

ImapResponse ImapConnection::run_ok(std::string_view command, std::string_view what, const UntaggedHandler& on_untagged) {
    ImapResponse r = run(command, on_untagged);
    if (r.name != "OK")
        throw Failure(ErrorKind::Protocol, "IMAP server " + host_port_ + " refused " + std::string(what) + ": " + first_line(r.text));
    return r;
}

void ImapConnection::logout() noexcept {
    try {
        run("LOGOUT");
    } catch (const Failure&) {
        // BYE, then the server closes: the end we asked for
    }
}

const std::vector<std::string>& ImapConnection::capabilities() {
    if (!have_capabilities_) run_ok("CAPABILITY", "CAPABILITY");
    return capabilities_;
}

bool ImapConnection::has_capability(std::string_view name) {
    for (const auto& c : capabilities())
        if (iequals(c, name)) return true;
    return false;
}

bool ImapConnection::enable(std::string_view extension) {
    for (const auto& e : enabled_)
        if (iequals(e, extension)) return true;
    if (!has_capability(extension) || !has_capability("ENABLE")) return false;
    bool on = false;
    const ImapResponse r = run("ENABLE " + std::string(extension), [&](const ImapResponse& u) {
        if (u.name != "ENABLED") return;
        for (const auto& v : u.data) on = on || iequals(v.text, extension);
    });
    if (r.name != "OK" || !on) return false;
    enabled_.emplace_back(extension);
    return true;
}

}  // namespace tern
