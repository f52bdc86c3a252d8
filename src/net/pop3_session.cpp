#include "net/pop3_session.hpp"

#include <sys/socket.h>

#include <exception>
#include <map>

#include "util/strings.hpp"

namespace tern {
namespace {

// "N WORD" lines -> N -> WORD
std::map<int, std::string> numbered(std::string_view lines) {
    std::map<int, std::string> out;
    for (const auto& raw : split(lines, '\n')) {
        const auto words = split_words(trim(raw));
        if (words.size() < 2) continue;
        try {
            const int n = std::stoi(words[0]);
            if (n > 0) out[n] = words[1];
        } catch (const std::exception&) {
            // not a listing line ("." or noise): skipped
        }
    }
    return out;
}

}  // namespace

std::vector<Pop3Message> parse_pop3_listing(std::string_view uidl_lines, std::string_view list_lines) {
    const auto uidls = numbered(uidl_lines);
    const auto sizes = numbered(list_lines);
    std::vector<Pop3Message> out;
    for (const auto& [n, uidl] : uidls) {
        Pop3Message m{n, uidl, 0};
        if (const auto it = sizes.find(n); it != sizes.end()) {
            try {
                m.size = std::stoull(it->second);
            } catch (const std::exception&) {
                m.size = 0;
            }
        }
        out.push_back(std::move(m));
    }
    return out;
}

Pop3Session::Pop3Session(const Endpoint& endpoint, SessionCapture& capture)
    : endpoint_(endpoint), capture_(capture), base_url_(endpoint.url.url_for_curl()), host_port_(endpoint.url.host_port()),
      handle_(make_curl_easy()) {
    configure_session(handle_.get(), endpoint_, capture_);
    curl_easy_setopt(handle_.get(), CURLOPT_CUSTOMREQUEST, "STAT");
    curl_easy_setopt(handle_.get(), CURLOPT_NOBODY, 1L);  // single-line: else curl waits for a "." that never comes
    perform_session(handle_.get(), endpoint_, capture_);
}

Pop3Session::~Pop3Session() = default;  // the handle's cleanup sends QUIT when the connection is still up

std::string Pop3Session::transfer(const std::string& url, const char* command, bool single_line, const std::string& what) {
    std::string body;
    transfer_to(url, command, single_line, what, [&body](std::string_view piece) { body.append(piece); });
    return body;
}

namespace {

// Where a transfer's body goes; what the sink threw waits for curl to return.
struct SinkCall {
    const std::function<void(std::string_view)>& sink;
    std::exception_ptr failed;
};

size_t to_sink(char* data, size_t size, size_t n, void* user) {
    auto* call = static_cast<SinkCall*>(user);
    try {
        call->sink(std::string_view(data, size * n));
        return size * n;
    } catch (...) {  // an exception must not cross libcurl's C frames: it ends the transfer, and is thrown after
        call->failed = std::current_exception();
        return 0;
    }
}

}  // namespace

void Pop3Session::transfer_to(const std::string& url, const char* command, bool single_line, const std::string& what,
                              const std::function<void(std::string_view)>& sink) {
    if (!handle_) throw Failure(ErrorKind::Network, "POP3 server " + host_port_ + ": " + what + " failed: the session had ended");
    CURL* h = handle_.get();
    SinkCall call{sink, nullptr};
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, command);
    curl_easy_setopt(h, CURLOPT_NOBODY, single_line ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, to_sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &call);
    capture_.error_buffer[0] = '\0';
    const CURLcode rc = curl_easy_perform(h);
    if (call.failed) {
        abandon();  // the server still sends the rest of the message: this session cannot go on
        std::rethrow_exception(call.failed);
    }
    // libcurl opens a new connection by itself when the one it holds has died. A new
    // POP3 session numbers the messages anew (another client may have deleted some
    // meanwhile), so what this command got or did there may concern another message:
    // that session ends now, without the QUIT that would commit a DELE sent on it.
    long connects = 0;
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
    if (connects > 0) {
        abandon();
        throw Failure(ErrorKind::Network, "POP3 server " + host_port_ + ": " + what +
                                              " failed (the connection was lost): the next sync continues where this one stopped");
    }
    if (rc != CURLE_OK) {
        const std::string detail = first_line(capture_.error_buffer[0] ? capture_.error_buffer : curl_easy_strerror(rc));
        const bool timeout = rc == CURLE_OPERATION_TIMEDOUT;
        throw Failure(timeout ? ErrorKind::Timeout : rc == CURLE_WEIRD_SERVER_REPLY ? ErrorKind::Protocol : ErrorKind::Network,
                      "POP3 server " + host_port_ + ": " + what + " failed (" + detail + ")" +
                          (timeout ? ": raise timeout, or try again later" : ": the next sync continues where this one stopped"));
    }
}

std::vector<Pop3Message> Pop3Session::listing() {
    const std::string uidls = transfer(base_url_, "UIDL", false, "UIDL (the list of message ids)");
    const std::string sizes = transfer(base_url_, nullptr, false, "LIST (the list of message sizes)");
    return parse_pop3_listing(uidls, sizes);
}

std::string Pop3Session::retrieve(int number) {
    return transfer(base_url_ + std::to_string(number), nullptr, false, "downloading message " + std::to_string(number));
}

void Pop3Session::retrieve_to(int number, const std::function<void(std::string_view)>& sink) {
    transfer_to(base_url_ + std::to_string(number), nullptr, false, "downloading message " + std::to_string(number), sink);
}

std::string Pop3Session::headers(int number) {
    return transfer(base_url_, ("TOP " + std::to_string(number) + " 0").c_str(), false, "TOP of message " + std::to_string(number));
}

void Pop3Session::dele(int number) {
    transfer(base_url_, ("DELE " + std::to_string(number)).c_str(), true, "deleting message " + std::to_string(number));
}

void Pop3Session::abandon() {
    curl_socket_t socket = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(handle_.get(), CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK && socket != CURL_SOCKET_BAD)
        ::shutdown(socket, SHUT_RDWR);  // the QUIT of the handle's cleanup goes nowhere
    handle_.reset();
}

void Pop3Session::quit() {
    // curl sends QUIT when the connection closes; FORBID_REUSE closes it
    // after one more harmless command, so QUIT happens now, not at exit
    curl_easy_setopt(handle_.get(), CURLOPT_FORBID_REUSE, 1L);
    transfer(base_url_, "NOOP", true, "QUIT");
    handle_.reset();
}

}  // namespace tern
