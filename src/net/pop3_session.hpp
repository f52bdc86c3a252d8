// A POP3 session over libcurl's own POP3 handler (one easy handle, so one
// connection and one login for the whole session), with the rules of
// ../shared/notes/libcurl.md: single-line commands with CURLOPT_NOBODY,
// never NOBODY on a message URL, the message bytes from RETR dot-unstuffed
// by curl, and DELE committed only by QUIT, which curl sends when the
// handle is cleaned up (quit()).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "net/curl.hpp"
#include "net/session.hpp"

namespace tern {

struct Pop3Message {
    int number = 0;        // this session's message number
    std::string uidl;      // stable across sessions
    std::uint64_t size = 0;
};

// "1 000000b6b02dab0\r\n2 ..." (UIDL) and "1 57\r\n..." (LIST) merged (pure).
std::vector<Pop3Message> parse_pop3_listing(std::string_view uidl_lines, std::string_view list_lines);

class Pop3Session {
public:
    // Connects, secures and logs in (with a STAT). Throws SessionFailure.
    Pop3Session(const Endpoint& endpoint, SessionCapture& capture);
    ~Pop3Session();
    Pop3Session(const Pop3Session&) = delete;
    Pop3Session& operator=(const Pop3Session&) = delete;

    // Every message with its UIDL and size (UIDL and LIST).
    std::vector<Pop3Message> listing();
    // The whole message (RETR), as the server stores it (CRLF).
    std::string retrieve(int number);
    // The same handed to `sink` as it arrives (a message of any size in
    // bounded memory). What `sink` throws ends the session and is thrown.
    void retrieve_to(int number, const std::function<void(std::string_view)>& sink);
    // The header block (TOP n 0).
    std::string headers(int number);
    // Marks for deletion; the server deletes at quit() only.
    void dele(int number);
    // QUIT: the server now deletes what was marked. Throws Failure when the
    // session cannot end cleanly (nothing is deleted then).
    void quit();

    const std::string& host_port() const { return host_port_; }

private:
    // One transfer; the body (multi-line replies) is returned.
    std::string transfer(const std::string& url, const char* command, bool single_line, const std::string& what);
    void transfer_to(const std::string& url, const char* command, bool single_line, const std::string& what,
                     const std::function<void(std::string_view)>& sink);
    // Ends the session without QUIT (nothing sent on it is committed).
    void abandon();
    Endpoint endpoint_;
    SessionCapture& capture_;
    std::string base_url_, host_port_;
    CurlEasy handle_;
};

}  // namespace tern
