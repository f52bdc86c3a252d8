// "Test account settings": resolve, connect, TLS and login for an account's
// receive and send servers, each step reported as it finishes. Used by
// `tern check`; prints nothing itself.
#pragma once

#include <functional>
#include <string>

#include "config/config.hpp"
#include "net/credentials.hpp"
#include "net/session.hpp"
#include <optional>
#include "util/paths.hpp"

namespace tern {

enum class StepStatus { Ok, Warning, Failed };

struct CheckStep {
    std::string service;  // "receive" or "send"
    std::string name;     // "resolve", "connect", "tls", "login"
    StepStatus status = StepStatus::Ok;
    std::string detail;   // for a failure: the one-line message
};

using StepSink = std::function<void(const CheckStep&)>;

// The certificate a server presents, fetched without trusting it (for
// showing it when verification fails, and for tern check --trust); nothing
// when no TLS handshake completed.
std::optional<TlsInfo> probe_certificate(const Account& account, Service service);

// Checks the receive server, then the send server (when there is one).
// Returns true when no step failed.
bool check_account(const Account& account, const EnvLookup& env, const StepSink& report);

}  // namespace tern
