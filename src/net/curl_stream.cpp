#include "net/curl_stream.hpp"

#include <poll.h>

namespace tern {

CurlStream::CurlStream(const Endpoint& endpoint, SessionCapture& capture, std::string protocol)
    : endpoint_(endpoint), host_port_(endpoint.url.host_port()), protocol_(std::move(protocol)), handle_(make_curl_easy()) {
    configure_session(handle_.get(), endpoint_, capture);
    curl_easy_setopt(handle_.get(), CURLOPT_CONNECT_ONLY, 1L);
    perform_session(handle_.get(), endpoint_, capture);
}

curl_socket_t CurlStream::socket() const {
    curl_socket_t fd = CURL_SOCKET_BAD;
    curl_easy_getinfo(handle_.get(), CURLINFO_ACTIVESOCKET, &fd);
    if (fd == CURL_SOCKET_BAD) throw Failure(ErrorKind::Network, protocol_ + " server " + host_port_ + " closed the connection");
    return fd;
}

void CurlStream::wait_for(bool for_send) {
    pollfd p{socket(), static_cast<short>(for_send ? POLLOUT : POLLIN), 0};
    if (::poll(&p, 1, endpoint_.timeout * 1000) == 0)
        throw Failure(ErrorKind::Timeout, protocol_ + " server " + host_port_ + " sent nothing for " + std::to_string(endpoint_.timeout) +
                                              " s: raise timeout, or try again later");
}

void CurlStream::wait_readable() {
    const auto now = std::chrono::steady_clock::now();
    if (now - window_start_ >= std::chrono::seconds(endpoint_.timeout)) {
        // one byte a second is never silent for a timeout, yet a sync would wait on it for ever
        if (window_bytes_ < kMinBytesPerTimeout)
            throw Failure(ErrorKind::Timeout, protocol_ + " server " + host_port_ + " sent " + std::to_string(window_bytes_) + " bytes in " +
                                                  std::to_string(endpoint_.timeout) + " s, too slowly to go on: try again later");
        window_start_ = now;
        window_bytes_ = 0;
    }
    wait_for(false);
}

void CurlStream::send_all(std::string_view data) {
    window_start_ = std::chrono::steady_clock::now();  // a command: its answer is timed from here
    window_bytes_ = 0;
    while (!data.empty()) {
        size_t sent = 0;
        const CURLcode rc = curl_easy_send(handle_.get(), data.data(), data.size(), &sent);
        if (rc == CURLE_AGAIN) {
            wait_for(true);
            continue;
        }
        if (rc != CURLE_OK)
            throw Failure(ErrorKind::Network, "sending to " + protocol_ + " server " + host_port_ + " failed: " + curl_easy_strerror(rc));
        data.remove_prefix(sent);
    }
}

bool CurlStream::receive_now(std::string& out) {
    char chunk[65536];
    size_t got = 0;
    const CURLcode rc = curl_easy_recv(handle_.get(), chunk, sizeof chunk, &got);
    if (rc == CURLE_AGAIN) return false;
    if (rc != CURLE_OK || got == 0)
        throw Failure(ErrorKind::Network, protocol_ + " server " + host_port_ + " closed the connection" +
                                              (rc != CURLE_OK ? std::string(": ") + curl_easy_strerror(rc) : std::string()));
    out.append(chunk, got);
    window_bytes_ += got;
    return true;
}

}  // namespace tern
