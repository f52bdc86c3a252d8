// An IMAP connection that libcurl opened, secured and logged in
// (CURLOPT_CONNECT_ONLY) and that tern then speaks over itself with
// curl_easy_send/curl_easy_recv, with its own tags. libcurl's IMAP command
// layer is not used: it does not track literals, cuts long lines and caps
// responses (see ../shared/notes/libcurl.md). Reading is literal-aware, so
// message text such as "A001 OK" inside a literal cannot end a command.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/curl.hpp"
#include "net/session.hpp"

namespace tern {

struct ImapReply {
    std::vector<std::string> untagged;  // "* ..." lines, literals inlined
    std::string status;                 // "OK", "NO" or "BAD"
    std::string text;                   // the rest of the tagged line
};

class ImapConnection {
public:
    // Connects, secures and logs in. Throws SessionFailure; `capture`
    // receives the connection and TLS details either way.
    ImapConnection(const Endpoint& endpoint, SessionCapture& capture);

    // Sends one command with a fresh tag and reads up to its tagged reply.
    ImapReply run(std::string_view command);

    // Capabilities after login (from the login reply, else CAPABILITY).
    std::vector<std::string> capabilities();

private:
    std::string read_response_line();
    void send_all(std::string_view data);
    void wait_for_socket(bool for_send);

    Endpoint endpoint_;
    CurlEasy handle_;
    std::string buffer_;
    int next_tag_ = 1;
};

}  // namespace tern
