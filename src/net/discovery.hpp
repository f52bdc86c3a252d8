// Finding an address's mail servers for `tern setup`: the provider table,
// then the domain's SRV records (RFC 6186, RFC 8314), then the usual host
// names probed with short connect timeouts. A test can replace the probed
// hosts and ports (TERN_SETUP_HOSTS="127.0.0.1", TERN_SETUP_PORTS="imaps=993
// smtp=587 ..."): then no DNS is asked, only those hosts.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/providers.hpp"
#include "util/paths.hpp"

namespace tern {

struct SrvRecord {
    int priority = 0, weight = 0, port = 0;
    std::string target;
};

// The SRV records of `name` ("_imaps._tcp.example.com"), by priority then
// weight; none when there are none or DNS cannot be asked ("." means the
// service is not offered, RFC 2782, and is dropped).
std::vector<SrvRecord> lookup_srv(const std::string& name);
void order_srv(std::vector<SrvRecord>& records);

// Whether a TCP connection to host:port opens within `timeout_ms`.
bool tcp_reachable(const std::string& host, int port, int timeout_ms);

struct Discovery {
    std::optional<ServerGuess> receive, send;
    const Provider* provider = nullptr;
    std::vector<std::string> log;  // one line per source asked, for the user
};

// `protocol` is "imap" or "pop3". `reachable` is tcp_reachable unless a test gives another.
Discovery discover_servers(const std::string& address, const std::string& protocol, const EnvLookup& env,
                           const std::function<bool(const std::string&, int)>& reachable = {});

}  // namespace tern
