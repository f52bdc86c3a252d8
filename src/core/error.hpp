// One error type for the whole program: a kind a caller can branch on and a
// one-line summary a user can act on ("what failed — what to do"). Errors are
// thrown deep (as Failure) and caught at the command boundary, where the
// summary is shown; they cross threads as values.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace tern {

enum class ErrorKind {
    Usage,     // bad command line
    Config,    // bad config file
    Io,        // local files
    DiskFull,  // no space left on a local disk (ENOSPC, EDQUOT, SQLITE_FULL): nothing else is wrong
    Busy,      // another connection held the index database's write lock past the busy timeout: try again later
    Damaged,   // a local file is not what it should be (SQLITE_CORRUPT, SQLITE_NOTADB)
    Resolve,   // host name lookup
    Network,   // connect, send, receive
    Tls,       // handshake, certificate
    Auth,      // credentials refused or missing
    Protocol,  // the server said something we cannot use
    Timeout,
    NotFound,
};

std::string_view to_string(ErrorKind kind);

struct Error {
    ErrorKind kind;
    std::string summary;
};

// The exception that carries an Error up to the command boundary.
class Failure : public std::runtime_error {
public:
    Failure(ErrorKind kind, std::string summary)
        : std::runtime_error(summary), error_{kind, std::move(summary)} {}
    explicit Failure(Error e) : std::runtime_error(e.summary), error_(std::move(e)) {}
    const Error& error() const { return error_; }
    ErrorKind kind() const { return error_.kind; }

private:
    Error error_;
};

}  // namespace tern
