// An IMAP connection that libcurl opened, secured and logged in
// (CURLOPT_CONNECT_ONLY) and that tern then speaks over itself with
// curl_easy_send/curl_easy_recv, with its own tags. libcurl's IMAP command
// layer is not used: it does not track literals, cuts long lines and caps
// responses (see ../shared/notes/libcurl.md). Responses go through the
// literal-aware ResponseReader, so message text such as "A001 OK" inside a
// literal cannot end a command.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "net/curl_stream.hpp"
#include "net/imap_response.hpp"
#include "net/session.hpp"

namespace tern {

class ImapConnection {
public:
    using UntaggedHandler = std::function<void(const ImapResponse&)>;

    // Connects, secures and logs in. Throws SessionFailure; `capture`
    // receives the connection and TLS details either way.
    ImapConnection(const Endpoint& endpoint, SessionCapture& capture);

    // Sends one command with a fresh tag and reads up to its tagged reply;
    // untagged responses go to `on_untagged` as they arrive (a folder's
    // FETCH is streamed, not collected). Returns the tagged reply, OK or
    // not. Throws Failure for a dropped connection, a timeout, BYE or bytes
    // that are not IMAP.
    ImapResponse run(std::string_view command, const UntaggedHandler& on_untagged = {});

    // A command whose last argument is a literal (APPEND): `head` is sent
    // with "{N}" (or "{N+}" under LITERAL+), then the bytes after the
    // server's go-ahead.
    ImapResponse run_with_literal(std::string_view head, std::string_view literal, const UntaggedHandler& on_untagged = {});
    // The same with a literal of `size` bytes made a piece at a time:
    // `write_literal` hands each piece to the function it is given (a
    // message of any size sent in bounded memory).
    using LiteralWriter = std::function<void(const std::function<void(std::string_view)>& send)>;
    ImapResponse run_with_literal(std::string_view head, std::uint64_t size, const LiteralWriter& write_literal,
                                  const UntaggedHandler& on_untagged = {});

    // run(), and a Failure(Protocol) naming `what` unless the reply is OK.
    ImapResponse run_ok(std::string_view command, std::string_view what, const UntaggedHandler& on_untagged = {});

    // IDLE (RFC 2177) on the selected folder until the server reports a
    // change (EXISTS, EXPUNGE, FETCH, VANISHED), `seconds` pass, or
    // `stop_fd` turns readable; then DONE. Throws Failure like run().
    enum class IdleEnd { Changed, TimedOut, Stopped };
    IdleEnd idle(int seconds, int stop_fd);

    // LOGOUT; the server's BYE and a closed connection are what it should do.
    void logout() noexcept;

    // Capabilities after login (CAPABILITY, asked once), as the server spells them.
    const std::vector<std::string>& capabilities();
    bool has_capability(std::string_view name);
    // ENABLE (RFC 5161) an extension the server offers, once per connection;
    // false when it does not offer it or refuses.
    bool enable(std::string_view extension);
    const std::string& host_port() const { return host_port_; }

private:
    ImapResponse read_until_tagged(const std::string& tag, const UntaggedHandler& on_untagged);
    // The next response, parsed, waiting for it (a BYE, a closed connection
    // or bytes that are not IMAP throw Failure; CAPABILITY is remembered).
    ImapResponse next_parsed();
    // The same without waiting: a response already received, or what one
    // non-blocking read adds; nothing when the socket has nothing yet.
    std::optional<ImapResponse> poll_parsed();
    void send_all(std::string_view data);

    CurlStream stream_;
    std::string host_port_;
    ResponseReader reader_;
    std::vector<std::string> capabilities_;
    bool have_capabilities_ = false;
    std::vector<std::string> enabled_;
    int next_tag_ = 1;
};

// An IMAP quoted string (for folder names and dates), escaping \ and ".
std::string imap_quote(std::string_view s);

}  // namespace tern
