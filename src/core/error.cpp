#include "core/error.hpp"

namespace tern {

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Usage: return "usage";
    case ErrorKind::Config: return "config";
    case ErrorKind::Io: return "io";
    case ErrorKind::DiskFull: return "disk full";
    case ErrorKind::Busy: return "busy";
    case ErrorKind::Damaged: return "damaged";
    case ErrorKind::Resolve: return "resolve";
    case ErrorKind::Network: return "network";
    case ErrorKind::Tls: return "tls";
    case ErrorKind::Auth: return "auth";
    case ErrorKind::Protocol: return "protocol";
    case ErrorKind::Timeout: return "timeout";
    case ErrorKind::NotFound: return "not found";
    }
    return "unknown";
}

}  // namespace tern
