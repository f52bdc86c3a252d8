#include "net/account_check.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

#include "net/imap_connection.hpp"
#include "net/session.hpp"
#include "net/smtp_protocol.hpp"
#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace tern {
namespace {

struct AddrInfoDeleter {
    void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

// The addresses a host name resolves to, as text; throws Failure(Resolve).
std::vector<std::string> resolve(const std::string& host) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &raw);
    std::unique_ptr<addrinfo, AddrInfoDeleter> list(raw);
    if (rc != 0)
        throw Failure(ErrorKind::Resolve, "cannot find host '" + host + "' (" + gai_strerror(rc) + "): check the host name");
    std::vector<std::string> out;
    for (const addrinfo* a = list.get(); a; a = a->ai_next) {
        char buf[NI_MAXHOST];
        if (getnameinfo(a->ai_addr, a->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) == 0 &&
            std::find(out.begin(), out.end(), buf) == out.end())
            out.emplace_back(buf);
    }
    return out;
}

std::string tls_detail(const TlsInfo& t, bool starttls, bool pinned) {
    std::string d = t.version + " " + t.cipher + (starttls ? " via STARTTLS" : "") + "; certificate " + t.subject +
                    ", issued by " + t.issuer;
    if (!t.not_after.empty()) d += ", valid until " + t.not_after + " (" + std::to_string(t.days_left) + " days)";
    if (pinned) d += "; its key is the one you trusted (pinned_key)";
    return d;
}

class ServiceCheck {
public:
    ServiceCheck(std::string service, const StepSink& sink, const Account* account = nullptr)
        : service_(std::move(service)), sink_(sink), account_(account) {}

    void ok(const std::string& name, const std::string& detail) { emit(name, StepStatus::Ok, detail); }
    void warn(const std::string& name, const std::string& detail) { emit(name, StepStatus::Warning, detail); }
    bool fail(const std::string& name, const std::string& detail) {
        emit(name, StepStatus::Failed, detail);
        return false;
    }

    // Reports connect and tls as passed or failed from what the session saw;
    // returns false (after reporting) when the failure was at one of them.
    bool transport(const Endpoint& e, const SessionCapture& c, Stage failed_at, const std::string& failure) {
        if (failed_at == Stage::Connect) return fail("connect", failure);
        ok("connect", (c.connected_to.empty() ? e.url.host_port() : c.connected_to) +
                          (c.connect_ms >= 0 ? " in " + format_millis(c.connect_ms) : std::string()));
        if (failed_at == Stage::Tls) {
            fail("tls", failure);
            show_certificate(e);
            return false;
        }
        ok("tls", tls_detail(c.tls, !e.url.implicit_tls, !e.pinned_key.empty()));
        if (c.tls.days_left < 14) warn("tls", "the certificate expires in " + std::to_string(c.tls.days_left) + " days");
        return true;
    }

private:
    // What the server showed, so the user can decide whether to trust it
    void show_certificate(const Endpoint& e) {
        if (!account_) return;
        const auto t = probe_certificate(*account_, service_ == "send" ? Service::Send : Service::Receive);
        if (!t) return;
        emit("cert", StepStatus::Warning, "subject " + t->subject + "; issuer " + t->issuer);
        emit("cert", StepStatus::Warning, "valid from " + t->not_before + " until " + t->not_after);
        emit("cert", StepStatus::Warning, "SHA-256 fingerprint " + t->fingerprint);
        if (e.pinned_key.empty())
            emit("cert", StepStatus::Warning, "if this is your server (compare the fingerprint), trust its key with: tern check --trust " +
                                                  account_->name);
        else
            emit("cert", StepStatus::Warning, "its key now: " + t->key_pin + " (trusted: " + e.pinned_key + ")");
    }
    void emit(const std::string& name, StepStatus s, const std::string& detail) { sink_({service_, name, s, detail}); }
    std::string service_;
    const StepSink& sink_;
    const Account* account_;
};

std::string login_who(const Endpoint& e) { return e.credentials.user + " (secret from " + e.credentials.source + ")"; }

bool check_imap(const Endpoint& e, ServiceCheck& check) {
    SessionCapture capture;
    std::optional<ImapConnection> conn;
    try {
        conn.emplace(e, capture);
    } catch (const SessionFailure& f) {
        if (!check.transport(e, capture, f.stage(), f.error().summary)) return false;
        return check.fail("login", f.error().summary);
    }
    check.transport(e, capture, Stage::Command, "");
    try {
        const std::vector<std::string> caps = conn->capabilities();
        check.ok("login", login_who(e) + "; capabilities: " + join(caps, " "));
        if (std::find(caps.begin(), caps.end(), "IMAP4rev1") == caps.end() &&
            std::find(caps.begin(), caps.end(), "IMAP4rev2") == caps.end())
            check.warn("login", "the server does not announce IMAP4rev1");
        return true;
    } catch (const Failure& f) {
        return check.fail("login", f.error().summary);
    }
}

// POP3 through curl's own handler; SMTP opened by curl (EHLO, STARTTLS, EHLO, AUTH) and no mail sent.
bool check_with_curl(const Endpoint& e, ServiceCheck& check) {
    SessionCapture capture;
    CurlEasy h = make_curl_easy();
    configure_session(h.get(), e, capture);
    if (e.url.protocol == Protocol::Pop3) {
        curl_easy_setopt(h.get(), CURLOPT_CUSTOMREQUEST, "CAPA");  // multi-line: no NOBODY
    } else {
        curl_easy_setopt(h.get(), CURLOPT_CONNECT_ONLY, 1L);  // EHLO, STARTTLS, EHLO, AUTH; no mail
    }
    try {
        perform_session(h.get(), e, capture);
    } catch (const SessionFailure& f) {
        if (!check.transport(e, capture, f.stage(), f.error().summary)) return false;
        return check.fail("login", f.error().summary);
    }
    check.transport(e, capture, Stage::Command, "");
    if (e.url.protocol == Protocol::Pop3) {
        std::vector<std::string> caps;
        for (const auto& line : split(capture.body, '\n')) {
            const auto t = trim(line);
            if (!t.empty() && t != ".") caps.push_back(terminal_safe(t));
        }
        std::string detail = login_who(e) + "; capabilities: " + join(caps, ", ");
        // STAT is single-line: NOBODY, or curl would wait for a terminator that never comes
        capture.server_lines.clear();
        curl_easy_setopt(h.get(), CURLOPT_CUSTOMREQUEST, "STAT");
        curl_easy_setopt(h.get(), CURLOPT_NOBODY, 1L);
        if (curl_easy_perform(h.get()) == CURLE_OK) {
            const auto pos = capture.server_lines.rfind("+OK ");
            if (pos != std::string::npos) {
                const auto words = split_words(first_line(capture.server_lines.substr(pos + 4)));
                if (words.size() >= 2) detail += "; " + words[0] + " messages, " + words[1] + " bytes on the server";
            }
        }
        check.ok("login", detail);
        return true;
    }
    std::vector<std::string> ext = smtp_extensions(capture.server_lines);
    for (auto& x : ext) x = terminal_safe(x);
    const bool auth = std::any_of(ext.begin(), ext.end(), [](const std::string& x) { return x.rfind("AUTH", 0) == 0; });
    if (!auth) {
        check.warn("login", "the server offers no AUTH, so tern did not log in; it may refuse to relay mail "
                            "(submission is usually port 587 with STARTTLS, or 465 with TLS)");
        return true;
    }
    check.ok("login", login_who(e) + "; extensions: " + join(ext, ", "));
    return true;
}

}  // namespace

std::optional<TlsInfo> probe_certificate(const Account& account, Service service) {
    Endpoint e = endpoint_for(account, service, Credentials{});
    e.probe_only = true;
    e.pinned_key.clear();
    e.connect_timeout = std::min(e.connect_timeout, 15);
    SessionCapture capture;
    CurlEasy h = make_curl_easy();
    configure_session(h.get(), e, capture);
    curl_easy_setopt(h.get(), CURLOPT_CONNECT_ONLY, 1L);  // the handshake is all it needs; no login
    curl_easy_perform(h.get());
    if (!capture.tls.handshake_done) return std::nullopt;
    return capture.tls;
}

namespace {

bool check_service(const Account& account, Service service, const StepSink& sink, const EnvLookup& env) {
    ServiceCheck check(service == Service::Send ? "send" : "receive", sink, &account);
    const ServerUrl& url = service == Service::Send ? *account.send : account.receive;
    try {
        const auto addresses = resolve(url.host);
        check.ok("resolve", addresses.size() == 1 && addresses[0] == url.host ? url.host + " (an address)"
                                                                             : url.host + " -> " + join(addresses, ", "));
    } catch (const Failure& f) {
        return check.fail("resolve", f.error().summary);
    }
    Credentials creds;
    try {
        creds = obtain_credentials(account, service, env);
    } catch (const Failure& f) {
        return check.fail("login", f.error().summary);
    }
    const Endpoint e = endpoint_for(account, service, std::move(creds));
    return url.protocol == Protocol::Imap ? check_imap(e, check) : check_with_curl(e, check);
}

}  // namespace

bool check_account(const Account& account, const EnvLookup& env, const StepSink& report) {
    bool ok = check_service(account, Service::Receive, report, env);
    if (account.send) ok = check_service(account, Service::Send, report, env) && ok;
    return ok;
}

}  // namespace tern
