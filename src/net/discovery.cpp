#include "net/discovery.hpp"

#include <arpa/nameser.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <resolv.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>

#include "util/fd.hpp"
#include "util/strings.hpp"

namespace tern {

void order_srv(std::vector<SrvRecord>& records) {
    records.erase(std::remove_if(records.begin(), records.end(), [](const SrvRecord& r) { return r.target.empty() || r.target == "."; }),
                  records.end());
    std::stable_sort(records.begin(), records.end(), [](const SrvRecord& a, const SrvRecord& b) {
        return a.priority != b.priority ? a.priority < b.priority : a.weight > b.weight;
    });
}

std::vector<SrvRecord> lookup_srv(const std::string& name) {
    std::vector<SrvRecord> out;
    unsigned char answer[4096];
    const int len = res_query(name.c_str(), ns_c_in, ns_t_srv, answer, sizeof answer);
    if (len <= 0) return out;
    ns_msg msg;
    if (ns_initparse(answer, len, &msg) != 0) return out;
    for (int i = 0; i < ns_msg_count(msg, ns_s_an); ++i) {
        ns_rr rr;
        if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7) continue;
        const unsigned char* rd = ns_rr_rdata(rr);
        SrvRecord r;
        r.priority = ns_get16(rd);
        r.weight = ns_get16(rd + 2);
        r.port = ns_get16(rd + 4);
        char target[NS_MAXDNAME];
        if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, target, sizeof target) < 0) continue;
        r.target = target;
        if (r.target.empty()) r.target = ".";
        out.push_back(r);
    }
    order_srv(out);
    return out;
}

bool tcp_reachable(const std::string& host, int port, int timeout_ms) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
    bool ok = false;
    for (addrinfo* a = found; a && !ok; a = a->ai_next) {
        UniqueFd fd(::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
        if (!fd) continue;
        if (::connect(fd.get(), a->ai_addr, a->ai_addrlen) == 0) {
            ok = true;
            break;
        }
        if (errno != EINPROGRESS) continue;
        pollfd p{fd.get(), POLLOUT, 0};
        if (::poll(&p, 1, timeout_ms) != 1) continue;
        int err = 0;
        socklen_t n = sizeof err;
        ok = ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &n) == 0 && err == 0;
    }
    freeaddrinfo(found);
    return ok;
}

namespace {

std::map<std::string, int> port_overrides(const EnvLookup& env) {
    std::map<std::string, int> ports = {{"imaps", 993}, {"imap", 143}, {"pop3s", 995}, {"pop3", 110}, {"smtps", 465}, {"smtp", 587}};
    if (auto v = env("TERN_SETUP_PORTS"))
        for (const auto& item : split_words(*v)) {
            const auto eq = item.find('=');
            if (eq == std::string::npos) continue;
            try {
                ports[item.substr(0, eq)] = std::stoi(item.substr(eq + 1));
            } catch (const std::exception&) {
            }
        }
    return ports;
}

}  // namespace

Discovery discover_servers(const std::string& address, const std::string& protocol, const EnvLookup& env,
                           const std::function<bool(const std::string&, int)>& reachable_fn) {
    Discovery d;
    const auto reachable = reachable_fn ? reachable_fn : [](const std::string& h, int p) { return tcp_reachable(h, p, 2500); };
    const std::string domain = address_domain(address);
    const bool pop = protocol == "pop3";
    const auto test_hosts = env("TERN_SETUP_HOSTS");
    if (!test_hosts) {
        if ((d.provider = provider_for(address))) {
            d.receive = pop ? d.provider->pop3 : d.provider->imap;
            d.send = d.provider->smtp;
            d.log.push_back("known provider: " + d.provider->name);
            if (d.receive) return d;
            d.log.push_back(d.provider->name + " offers no " + std::string(pop ? "POP3" : "IMAP"));
            return d;
        }
        // RFC 6186: _imaps/_imap/_pop3s/_pop3 and _submissions (RFC 8314)/_submission
        const auto srv = [&](const char* service, const char* scheme) -> std::optional<ServerGuess> {
            const auto records = lookup_srv(std::string("_") + service + "._tcp." + domain);
            if (records.empty()) return std::nullopt;
            d.log.push_back(std::string("SRV _") + service + "._tcp." + domain + ": " + records[0].target + ":" + std::to_string(records[0].port));
            std::string host = records[0].target;
            if (!host.empty() && host.back() == '.') host.pop_back();
            return ServerGuess{scheme, host, records[0].port};
        };
        d.receive = pop ? srv("pop3s", "pop3s") : srv("imaps", "imaps");
        if (!d.receive) d.receive = pop ? srv("pop3", "pop3") : srv("imap", "imap");
        d.send = srv("submissions", "smtps");
        if (!d.send) d.send = srv("submission", "smtp");
        if (d.receive && d.send) return d;
    }
    // the usual names, TLS first, then STARTTLS
    const auto ports = port_overrides(env);
    const auto probe = [&](const std::vector<std::string>& hosts, std::initializer_list<const char*> schemes) -> std::optional<ServerGuess> {
        for (const auto& host : hosts)
            for (const char* scheme : schemes) {
                const int port = ports.at(scheme);
                if (reachable(host, port)) {
                    d.log.push_back(std::string("probed ") + host + ":" + std::to_string(port) + " (" + scheme + "): open");
                    return ServerGuess{scheme, host, port};
                }
            }
        return std::nullopt;
    };
    const std::vector<std::string> receive_hosts = test_hosts ? split_words(*test_hosts) : probe_hosts(domain, pop ? "pop3" : "imap");
    const std::vector<std::string> send_hosts = test_hosts ? split_words(*test_hosts) : probe_hosts(domain, "send");
    if (!d.receive) d.receive = pop ? probe(receive_hosts, {"pop3s", "pop3"}) : probe(receive_hosts, {"imaps", "imap"});
    if (!d.send) d.send = probe(send_hosts, {"smtps", "smtp"});
    if (!d.receive) d.log.push_back("no " + std::string(pop ? "POP3" : "IMAP") + " server answered at " + join(receive_hosts, ", "));
    if (!d.send) d.log.push_back("no SMTP server answered at " + join(send_hosts, ", "));
    return d;
}

}  // namespace tern
