#include "config/server_url.hpp"

#include <charconv>

#include "util/strings.hpp"

namespace tern {

std::string_view to_string(Protocol p) {
    switch (p) {
    case Protocol::Imap: return "IMAP";
    case Protocol::Pop3: return "POP3";
    case Protocol::Smtp: return "SMTP";
    }
    return "?";
}

int default_port(std::string_view scheme) {
    if (scheme == "imap") return 143;
    if (scheme == "imaps") return 993;
    if (scheme == "pop3") return 110;
    if (scheme == "pop3s") return 995;
    if (scheme == "smtp") return 587;  // submission, not relay port 25
    if (scheme == "smtps") return 465;
    return 0;
}

std::string ServerUrl::scheme() const {
    std::string s = protocol == Protocol::Imap ? "imap" : protocol == Protocol::Pop3 ? "pop3" : "smtp";
    if (implicit_tls) s += 's';
    return s;
}

std::string ServerUrl::host_port() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string ServerUrl::url_for_curl() const { return scheme() + "://" + host_port() + "/"; }

std::string ServerUrl::display() const {
    return scheme() + "://" + (user.empty() ? "" : user + "@") + host_port();
}

namespace {

bool valid_host(std::string_view h) {
    if (h.empty()) return false;
    for (const char c : h) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '.' || c == '_' || static_cast<unsigned char>(c) >= 0x80;
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::optional<ServerUrl> parse_server_url(std::string_view text, std::initializer_list<std::string_view> allowed,
                                          std::string& error) {
    std::vector<std::string> names;
    for (auto a : allowed) names.emplace_back(a);
    const auto valid = " (valid: " + join(names, ", ") + ")";

    const auto sep = text.find("://");
    if (sep == std::string_view::npos) {
        error = "'" + std::string(text) + "' is not a URL; write it as " + names.back() + "://user@host";
        return std::nullopt;
    }
    const std::string scheme = to_lower(text.substr(0, sep));
    bool known = false;
    for (auto a : allowed) known = known || a == scheme;
    if (!known) {
        error = "unsupported scheme '" + scheme + "'" + valid;
        return std::nullopt;
    }
    ServerUrl url;
    url.protocol = scheme.rfind("imap", 0) == 0 ? Protocol::Imap : scheme.rfind("pop3", 0) == 0 ? Protocol::Pop3 : Protocol::Smtp;
    url.implicit_tls = scheme.back() == 's';

    std::string_view rest = text.substr(sep + 3);
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        if (!trim(rest.substr(slash + 1)).empty()) {
            error = "'" + std::string(text) + "': a path is not allowed here; folders are chosen in tern";
            return std::nullopt;
        }
        rest = rest.substr(0, slash);
    }
    // user@host: the last '@' separates, so "alice@example.com@imap.example.com" works too
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        auto user = percent_decode(rest.substr(0, at), true);
        if (!user || user->empty()) {
            error = "bad user name in '" + std::string(text) + "' (percent-encode special characters, e.g. %40 for @)";
            return std::nullopt;
        }
        if (user->find(':') != std::string::npos) {
            error = "a password does not belong in the URL; use password_command or ~/.netrc";
            return std::nullopt;
        }
        url.user = *user;
        rest = rest.substr(at + 1);
    }
    std::string_view port_text;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            error = "unclosed '[' in '" + std::string(text) + "'";
            return std::nullopt;
        }
        url.host = std::string(rest.substr(1, close - 1));
        rest = rest.substr(close + 1);
        if (!rest.empty() && rest.front() == ':') port_text = rest.substr(1);
        else if (!rest.empty()) {
            error = "bad host in '" + std::string(text) + "'";
            return std::nullopt;
        }
    } else {
        const auto colon = rest.find(':');
        url.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
        if (!url.host.empty() && !valid_host(url.host)) {
            error = "bad host name '" + url.host + "' in '" + std::string(text) + "'";
            return std::nullopt;
        }
    }
    if (url.host.empty()) {
        error = "no host in '" + std::string(text) + "'";
        return std::nullopt;
    }
    url.port = default_port(scheme);
    if (!port_text.empty() || (rest.find(':') != std::string_view::npos && port_text.empty())) {
        int port = 0;
        const auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (port_text.empty() || r.ec != std::errc() || r.ptr != port_text.data() + port_text.size() || port < 1 ||
            port > 65535) {
            error = "bad port '" + std::string(port_text) + "' in '" + std::string(text) + "' (1-65535)";
            return std::nullopt;
        }
        url.port = port;
    }
    return url;
}

}  // namespace tern
