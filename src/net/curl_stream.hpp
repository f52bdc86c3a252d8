// A connection that libcurl opened, secured and logged in
// (CURLOPT_CONNECT_ONLY) and over which tern then speaks a protocol itself
// with curl_easy_send/curl_easy_recv: IMAP (curl's IMAP command layer cannot
// carry a sync) and the SMTP mail transaction (curl's SMTP handler cannot
// declare BODY=8BITMIME). One place for the socket loop: partial sends,
// CURLE_AGAIN, TLS-buffered bytes, timeouts and a closed connection.
#pragma once

#include <chrono>
#include <cstddef>

#include <string>
#include <string_view>

#include "net/curl.hpp"
#include "net/session.hpp"

namespace tern {

class CurlStream {
public:
    // Connects, secures and logs in. Throws SessionFailure; `capture`
    // receives the connection and TLS details (and the server's lines up to
    // the login) either way. `protocol` names the server in messages ("IMAP").
    CurlStream(const Endpoint& endpoint, SessionCapture& capture, std::string protocol);

    // Sends every byte, waiting for the socket as needed; throws Failure.
    void send_all(std::string_view data);
    // Appends what can be read now without waiting; false when nothing was
    // there. TLS may hold decrypted bytes: read until false before waiting.
    // Throws Failure when the server closed the connection.
    bool receive_now(std::string& out);
    // Waits until the socket is readable, at most the endpoint's timeout;
    // throws Failure(Timeout) after that, and when an answer trickles in so
    // slowly (under kMinBytesPerTimeout in a timeout's time since the last
    // command) that it would hold the sync for ever.
    void wait_readable();
    // The socket, for a poll() next to other descriptors; throws when closed.
    curl_socket_t socket() const;

    const std::string& host_port() const { return host_port_; }
    const std::string& protocol() const { return protocol_; }
    const Endpoint& endpoint() const { return endpoint_; }

private:
    void wait_for(bool for_send);
    Endpoint endpoint_;
    // what arrived since the window began (a command sent, or a timeout's time passed)
    std::chrono::steady_clock::time_point window_start_ = std::chrono::steady_clock::now();
    std::size_t window_bytes_ = 0;
    std::string host_port_;
    std::string protocol_;
    CurlEasy handle_;
};

}  // namespace tern
