#include "net/session.hpp"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cerrno>
#include <ctime>

#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace tern {

Endpoint endpoint_for(const Account& a, Service service, Credentials creds) {
    Endpoint e;
    e.url = service == Service::Send ? *a.send : a.receive;
    e.credentials = std::move(creds);
    e.ca_file = a.ca_file;
    e.pinned_key = service == Service::Send ? a.send_pinned_key : a.pinned_key;
    e.connect_timeout = a.connect_timeout;
    e.timeout = a.timeout;
    return e;
}
namespace {

size_t on_header(char* data, size_t size, size_t n, void* user) {
    static_cast<SessionCapture*>(user)->server_lines.append(data, size * n);
    return size * n;
}

size_t on_write(char* data, size_t size, size_t n, void* user) {
    auto* c = static_cast<SessionCapture*>(user);
    if (c->body.size() < (1u << 20)) c->body.append(data, size * n);
    return size * n;
}

std::string name_of(const X509_NAME* name) {
    if (!name) return "";
    BIO* bio = BIO_new(BIO_s_mem());
    if (!bio) return "";
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return terminal_safe(out);
}

void on_tls_info(const SSL* ssl, int where, int /*ret*/) {
    if (!(where & SSL_CB_HANDSHAKE_DONE)) return;
    auto* capture = static_cast<SessionCapture*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
    if (!capture) return;
    TlsInfo& t = capture->tls;
    t.handshake_done = true;
    t.version = SSL_get_version(ssl);
    t.cipher = SSL_get_cipher_name(ssl);
    if (X509* cert = SSL_get1_peer_certificate(ssl)) {
        t.subject = name_of(X509_get_subject_name(cert));
        t.issuer = name_of(X509_get_issuer_name(cert));
        std::tm start_tm{};
        if (const ASN1_TIME* start = X509_get0_notBefore(cert); start && ASN1_TIME_to_tm(start, &start_tm) == 1) {
            char buf[16];
            std::strftime(buf, sizeof buf, "%Y-%m-%d", &start_tm);
            t.not_before = buf;
        }
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int md_len = 0;
        if (X509_digest(cert, EVP_sha256(), md, &md_len) == 1) {
            static constexpr char kHex[] = "0123456789ABCDEF";
            t.fingerprint.clear();
            for (unsigned int i = 0; i < md_len; ++i) {
                if (i) t.fingerprint += ':';
                t.fingerprint += kHex[md[i] >> 4];
                t.fingerprint += kHex[md[i] & 15];
            }
        }
        // the pin libcurl checks: SHA-256 of the DER SubjectPublicKeyInfo, base64
        const int der_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), nullptr);
        if (der_len > 0) {
            std::string der(static_cast<std::size_t>(der_len), '\0');
            auto* p = reinterpret_cast<unsigned char*>(der.data());
            i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &p);
            unsigned char hash[32];
            SHA256(reinterpret_cast<const unsigned char*>(der.data()), der.size(), hash);
            unsigned char b64[64] = {};
            EVP_EncodeBlock(b64, hash, 32);
            t.key_pin = "sha256//" + std::string(reinterpret_cast<char*>(b64));
        }
        const ASN1_TIME* end = X509_get0_notAfter(cert);
        std::tm tm{};
        if (end && ASN1_TIME_to_tm(end, &tm) == 1) {
            char buf[16];
            std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
            t.not_after = buf;
            int days = 0, secs = 0;
            if (ASN1_TIME_diff(&days, &secs, nullptr, end) == 1) t.days_left = days;
        }
        X509_free(cert);
    }
}

CURLcode on_ssl_ctx(CURL*, void* ctx, void* user) {
    auto* ssl_ctx = static_cast<SSL_CTX*>(ctx);
    SSL_CTX_set_app_data(ssl_ctx, user);
    SSL_CTX_set_info_callback(ssl_ctx, on_tls_info);
    return CURLE_OK;
}

std::string lower_error(const SessionCapture& c) { return to_lower(c.error_buffer); }

}  // namespace

void configure_session(CURL* h, const Endpoint& e, SessionCapture& capture) {
    curl_easy_setopt(h, CURLOPT_URL, e.url.url_for_curl().c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, capture.error_buffer);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &capture);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &capture);

    // TLS: implicit for imaps/pop3s/smtps; for the others STARTTLS is required.
    curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (e.probe_only || !e.pinned_key.empty()) {
        // a pinned key is the trust the user chose for a server with its own CA: the key, not a CA, vouches for it
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
        if (!e.pinned_key.empty()) curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, e.pinned_key.c_str());
    } else {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    }
    curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!e.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, e.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
    curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, &capture);

    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(e.connect_timeout));
    // A stalled server: under 1 KB in `timeout` seconds ends the transfer (the rule of CurlStream:
    // a server that trickles a byte a second is never silent, yet would hold a sync for ever).
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, std::max(1L, static_cast<long>(kMinBytesPerTimeout) / std::max(1L, static_cast<long>(e.timeout))));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(e.timeout));
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(e.timeout));

    curl_easy_setopt(h, CURLOPT_USERNAME, e.credentials.user.c_str());
    if (!e.credentials.bearer.empty()) {
        curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, e.credentials.bearer.c_str());
    } else {
        curl_easy_setopt(h, CURLOPT_PASSWORD, e.credentials.password.c_str());
    }
    // One line for the initial SASL response where the server allows it (IMAP does so by itself).
    curl_easy_setopt(h, CURLOPT_SASL_IR, 1L);
    curl_easy_setopt(h, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
}

void record_connection(CURL* h, SessionCapture& capture) {
    char* ip = nullptr;
    long port = 0;
    curl_off_t micros = 0;
    curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip);
    curl_easy_getinfo(h, CURLINFO_PRIMARY_PORT, &port);
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &micros);
    long os_errno = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    capture.os_errno = static_cast<int>(os_errno);
    if (ip && *ip && micros > 0) {
        const bool v6 = std::string_view(ip).find(':') != std::string_view::npos;
        capture.connected_to = (v6 ? "[" + std::string(ip) + "]" : std::string(ip)) + ":" + std::to_string(port);
        capture.connect_ms = static_cast<long>(micros / 1000);
    }
}

void perform_session(CURL* h, const Endpoint& endpoint, SessionCapture& capture) {
    const CURLcode rc = curl_easy_perform(h);
    record_connection(h, capture);
    if (rc != CURLE_OK) {
        const Stage stage = failed_stage(h, rc, capture);
        throw SessionFailure(describe_failure(rc, stage, endpoint, capture), stage);
    }
}

Stage failed_stage(CURL* h, CURLcode rc, const SessionCapture& capture) {
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        return Stage::Connect;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CERTPROBLEM:
        return Stage::Tls;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
        return Stage::Login;
    default:
        break;
    }
    curl_off_t connected = 0;
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
    if (connected == 0) return Stage::Connect;
    if (!capture.tls.handshake_done) return Stage::Tls;
    return Stage::Login;
}

Error describe_failure(CURLcode rc, Stage stage, const Endpoint& e, const SessionCapture& c) {
    const std::string host = e.url.host_port();
    const std::string proto(to_string(e.url.protocol));
    const std::string detail = first_line(c.error_buffer[0] ? c.error_buffer : curl_easy_strerror(rc));
    const std::string err = lower_error(c);
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return {ErrorKind::Resolve, "cannot find host " + e.url.host + ": check the host name in the URL"};
    case CURLE_COULDNT_CONNECT:
        if (c.os_errno == ECONNREFUSED || err.find("refused") != std::string::npos)
            return {ErrorKind::Network, host + " refused the connection: check the port, and that the server is running"};
        return {ErrorKind::Network, "cannot connect to " + host + " (" + detail + "): check the host, port and network"};
    case CURLE_OPERATION_TIMEDOUT:
        return {ErrorKind::Timeout, host + " did not answer in time during " +
                                        std::string(stage == Stage::Connect ? "connect" : stage == Stage::Tls ? "the TLS handshake" : "login") +
                                        ": check the host and port, or raise connect_timeout/timeout"};
    case CURLE_USE_SSL_FAILED:
        return {ErrorKind::Tls, host + " does not offer STARTTLS, and " + e.url.scheme() +
                                    ":// requires it: tern never logs in without TLS; use " + e.url.scheme() +
                                    "s:// if the server offers implicit TLS (usually port " +
                                    std::to_string(default_port(e.url.scheme() + "s")) + ")"};
    case CURLE_PEER_FAILED_VERIFICATION:
        if (err.find("subject name") != std::string::npos || err.find("does not match") != std::string::npos)
            return {ErrorKind::Tls, "the TLS certificate of " + host + " is not valid for the name '" + e.url.host +
                                        "': use the host name the certificate names, or check that you reach the right server"};
        if (err.find("expired") != std::string::npos)
            return {ErrorKind::Tls, "the TLS certificate of " + host + " has expired: tell the server's administrator"};
        if (err.find("issuer") != std::string::npos || err.find("self-signed") != std::string::npos ||
            err.find("self signed") != std::string::npos)
            return {ErrorKind::Tls, "the TLS certificate of " + host +
                                        " is signed by an unknown authority (" + detail +
                                        "): if the server uses its own CA, set ca_file to that CA's certificate"};
        return {ErrorKind::Tls, "the TLS certificate of " + host + " was not accepted: " + detail};
    case CURLE_SSL_CACERT_BADFILE:
        return {ErrorKind::Tls, "the CA file " + (e.ca_file.empty() ? std::string("of the system") : e.ca_file) +
                                    " cannot be used: " + detail + ": check ca_file names a PEM certificate"};
    case CURLE_SSL_CONNECT_ERROR:
        if (e.url.implicit_tls && (err.find("wrong version") != std::string::npos || err.find("packet length") != std::string::npos))
            return {ErrorKind::Tls, "TLS handshake with " + host + " failed (" + detail + "): is this a plain-text port? " +
                                        "for STARTTLS use " + e.url.scheme().substr(0, e.url.scheme().size() - 1) +
                                        "://, for implicit TLS the port is usually " +
                                        std::to_string(default_port(e.url.scheme()))};
        return {ErrorKind::Tls, "TLS handshake with " + host + " failed: " + detail};
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return {ErrorKind::Tls, "the server key of " + host + " is not the one you trusted (pinned_key): the server changed its key, or this is not "
                                "your server; if the change is expected, see the new key with tern check and trust it again with tern check --trust"};
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
        return {ErrorKind::Auth, proto + " server " + host + " refused the login of user '" + e.credentials.user +
                                     "': check the user name and the password (" + e.credentials.source + ")"};
    default:
        break;
    }
    if (stage == Stage::Connect)
        return {ErrorKind::Network, "cannot connect to " + host + ": " + detail};
    if (stage == Stage::Tls)
        return {ErrorKind::Tls, "TLS with " + host + " failed: " + detail};
    // the connection broke off after TLS, before the server had its say: a network that drops
    // (try again) as much as a port that speaks something else
    if ((rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING) && stage == Stage::Login)
        return {ErrorKind::Network, "the connection to " + proto + " server " + host + " broke off before the login finished (" + detail +
                                        "): try again; if it keeps happening, check the scheme and port"};
    return {ErrorKind::Protocol, proto + " server " + host + ": " + detail + " (is this an " + proto + " server? check the scheme and port)"};
}

}  // namespace tern
