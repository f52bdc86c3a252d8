// Account URLs: the scheme decides protocol and TLS mode; ports default by scheme.
#include <doctest/doctest.h>

#include "config/server_url.hpp"

using namespace tern;

namespace {
std::optional<ServerUrl> recv(const std::string& s, std::string& err) {
    return parse_server_url(s, {"imap", "imaps", "pop3", "pop3s"}, err);
}
}  // namespace

TEST_CASE("server URLs that parse") {
    struct Row {
        const char* text;
        Protocol protocol;
        bool implicit_tls;
        const char* user;
        const char* host;
        int port;
    };
    const Row rows[] = {
        {"imaps://alice@imap.example.com", Protocol::Imap, true, "alice", "imap.example.com", 993},
        {"imap://alice@imap.example.com", Protocol::Imap, false, "alice", "imap.example.com", 143},  // STARTTLS
        {"pop3s://bob@pop.example.net:1995", Protocol::Pop3, true, "bob", "pop.example.net", 1995},
        {"pop3://pop.example.net", Protocol::Pop3, false, "", "pop.example.net", 110},  // user given elsewhere
        {"IMAPS://a@H.example", Protocol::Imap, true, "a", "H.example", 993},           // scheme is case-blind
        {"imaps://alice%40example.com@imap.example.com/", Protocol::Imap, true, "alice@example.com", "imap.example.com", 993},
        {"imaps://alice@example.com@imap.example.com", Protocol::Imap, true, "alice@example.com", "imap.example.com", 993},  // last @ splits
        {"imaps://a@[::1]:1993", Protocol::Imap, true, "a", "::1", 1993},  // IPv6 literal
        {"imaps://a@127.0.0.1:11993", Protocol::Imap, true, "a", "127.0.0.1", 11993},
    };
    for (const auto& r : rows) {
        CAPTURE(std::string(r.text));
        std::string err;
        const auto url = recv(r.text, err);
        REQUIRE(url);
        CHECK(url->protocol == r.protocol);
        CHECK(url->implicit_tls == r.implicit_tls);
        CHECK(url->user == r.user);
        CHECK(url->host == r.host);
        CHECK(url->port == r.port);
    }
}

TEST_CASE("send URLs default to submission ports") {
    std::string err;
    auto u = parse_server_url("smtp://a@smtp.example.com", {"smtp", "smtps"}, err);
    REQUIRE(u);
    CHECK(u->port == 587);  // submission with STARTTLS, not relay port 25
    CHECK_FALSE(u->implicit_tls);
    u = parse_server_url("smtps://a@smtp.example.com", {"smtp", "smtps"}, err);
    REQUIRE(u);
    CHECK(u->port == 465);
    CHECK(u->url_for_curl() == "smtps://smtp.example.com:465/");  // no user name: credentials go separately
    CHECK(u->display() == "smtps://a@smtp.example.com:465");
}

TEST_CASE("server URLs that are refused, with the reason") {
    struct Row {
        const char* text;
        const char* reason;
    };
    const Row rows[] = {
        {"http://example.com", "unsupported scheme 'http' (valid: imap, imaps, pop3, pop3s)"},
        {"smtp://a@example.com", "unsupported scheme 'smtp'"},  // a send URL in receive
        {"imap.example.com", "is not a URL"},
        {"imaps://a@", "no host"},
        {"imaps://a@host:0", "bad port '0'"},
        {"imaps://a@host:99999", "bad port"},
        {"imaps://a@host:", "bad port"},
        {"imaps://a:secret@host", "a password does not belong in the URL"},
        {"imaps://a@host/INBOX", "a path is not allowed"},
        {"imaps://a@ho st", "bad host name"},
        {"imaps://%zz@host", "bad user name"},
        {"imaps://a@[::1", "unclosed '['"},
    };
    for (const auto& r : rows) {
        CAPTURE(std::string(r.text));
        std::string err;
        CHECK_FALSE(recv(r.text, err));
        CHECK(err.find(r.reason) != std::string::npos);
    }
}
