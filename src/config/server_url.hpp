// A server address from the config: receive = imaps://alice@host:993,
// send = smtp://alice@host:587. The scheme says the protocol and how TLS is
// used; there is no scheme without TLS.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tern {

enum class Protocol { Imap, Pop3, Smtp };

std::string_view to_string(Protocol p);

struct ServerUrl {
    Protocol protocol = Protocol::Imap;
    bool implicit_tls = true;  // false: STARTTLS, required
    std::string user;          // percent-decoded; empty when not in the URL
    std::string host;          // without brackets for IPv6
    int port = 0;

    std::string scheme() const;            // "imaps", "smtp", ...
    std::string url_for_curl() const;      // "imaps://host:993/" (no user: credentials go separately)
    std::string display() const;           // "imaps://alice@host:993"
    std::string host_port() const;         // "host:993", "[::1]:993"
};

struct UrlError {
    std::string what;
};

// Parses "scheme://[user@]host[:port][/]". The scheme must be one of
// `allowed` (e.g. {"imap","imaps","pop3","pop3s"}). On failure returns the
// reason in `error`.
std::optional<ServerUrl> parse_server_url(std::string_view text, std::initializer_list<std::string_view> allowed,
                                          std::string& error);

int default_port(std::string_view scheme);

}  // namespace tern
