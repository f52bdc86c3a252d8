// One secured, authenticated libcurl session to a mail server. This is the
// only place that sets TLS and login options, so every protocol gets the same
// rules: certificates verified (system store or the account's ca_file), TLS
// required (CURLUSESSL_ALL, never TRY: no silent clear text), timeouts always
// set, credentials handed over in memory only.
#pragma once

#include <cstddef>
#include <string>

#include "config/config.hpp"
#include "config/server_url.hpp"
#include "core/error.hpp"
#include "net/credentials.hpp"
#include "net/curl.hpp"

namespace tern {

// A server that sends under this many bytes in an endpoint's `timeout`
// seconds is given up: one that trickles a byte a second is never silent,
// yet would hold a sync for ever.
constexpr std::size_t kMinBytesPerTimeout = 1024;

struct Endpoint {
    ServerUrl url;
    Credentials credentials;
    std::string ca_file;       // empty: the system store
    std::string pinned_key;    // non-empty: this key instead of the CA check (tern check --trust)
    bool probe_only = false;   // fetch the certificate without trusting it (to show it); never for mail
    int connect_timeout = 30;  // seconds
    int timeout = 60;          // seconds without progress
};

// The account's receive or send server with its credentials and limits.
Endpoint endpoint_for(const Account& account, Service service, Credentials credentials);

// What the TLS handshake showed, captured while it happens.
struct TlsInfo {
    bool handshake_done = false;
    std::string version;  // "TLSv1.3"
    std::string cipher;
    std::string subject;  // "CN=localhost"
    std::string issuer;
    std::string not_before, not_after;  // "2036-11-19"
    long days_left = 0;
    std::string fingerprint;  // SHA-256 of the certificate, "AB:CD:..."
    std::string key_pin;      // "sha256//BASE64" of its public key, as pinned_key takes it
};

// Everything a transfer leaves behind that a report may need. Lives at least
// as long as the handle it was attached to.
struct SessionCapture {
    TlsInfo tls;
    std::string server_lines;  // every line the server sent (header callback); never client lines
    std::string body;          // the write callback's data
    std::string connected_to;  // "127.0.0.1:993" once connected
    long connect_ms = -1;
    int os_errno = 0;          // of the last socket error
    char error_buffer[CURL_ERROR_SIZE] = {};
};

// Sets URL, TLS, timeouts, credentials and the capture callbacks on `h`.
void configure_session(CURL* h, const Endpoint& endpoint, SessionCapture& capture);

// Where in the session a failure happened.
enum class Stage { Connect, Tls, Login, Command };

// The stage a failed transfer had reached.
Stage failed_stage(CURL* h, CURLcode rc, const SessionCapture& capture);

// A one-line, actionable message for a failed transfer.
Error describe_failure(CURLcode rc, Stage stage, const Endpoint& endpoint, const SessionCapture& capture);

// Notes in `capture` where a transfer connected to (call after perform).
void record_connection(CURL* h, SessionCapture& capture);

// A failure while opening a session, with the stage it reached.
class SessionFailure : public Failure {
public:
    SessionFailure(Error e, Stage stage) : Failure(std::move(e)), stage_(stage) {}
    Stage stage() const { return stage_; }

private:
    Stage stage_;
};

// Runs curl_easy_perform on a configured handle; throws SessionFailure.
void perform_session(CURL* h, const Endpoint& endpoint, SessionCapture& capture);

}  // namespace tern
