// tern setup's pure parts: the provider table, SRV ordering, and the order
// in which discovery asks its sources (a fake probe instead of a network).
#include <doctest/doctest.h>

#include <set>

#include "config/providers.hpp"
#include "net/discovery.hpp"

using namespace tern;

TEST_CASE("providers: found by the address's domain, any case") {
    const Provider* g = provider_for("Alice@GMAIL.com");
    REQUIRE(g);
    CHECK(g->name == "Gmail");
    CHECK(g->imap->url("alice@gmail.com") == "imaps://alice@gmail.com@imap.gmail.com:993");
    CHECK(g->smtp->scheme == "smtps");
    CHECK(provider_for("bob@googlemail.com") == g);
    const Provider* ms = provider_for("x@outlook.com");
    REQUIRE(ms);
    CHECK(ms->oauth2_required);
    CHECK(ms->smtp->scheme == "smtp");  // STARTTLS on 587
    CHECK(ms->smtp->port == 587);
    CHECK_FALSE(provider_for("x@icloud.com")->pop3);  // iCloud has no POP3
    CHECK(provider_for("x@qq.com")->name == "QQ Mail");
    CHECK(provider_for("x@163.com")->imap->host == "imap.163.com");
    CHECK(provider_for("x@126.com")->imap->host == "imap.126.com");
    CHECK(provider_for("x@example.org") == nullptr);
    CHECK(provider_for("not-an-address") == nullptr);
}

TEST_CASE("providers: every entry is complete and no domain is listed twice") {
    std::set<std::string> domains;
    for (const auto& p : known_providers()) {
        CHECK_FALSE(p.name.empty());
        REQUIRE(p.imap);
        CHECK(p.imap->port > 0);
        REQUIRE(p.smtp);
        CHECK((p.smtp->scheme == "smtps" || p.smtp->scheme == "smtp"));
        CHECK_FALSE(p.password_note.empty());
        for (const auto& d : p.domains) CHECK(domains.insert(d).second);
    }
}

TEST_CASE("address_domain and the host names probed") {
    CHECK(address_domain("a@Example.COM") == "example.com");
    CHECK(address_domain("a@") == "");
    CHECK(probe_hosts("example.com", "imap") == std::vector<std::string>{"imap.example.com", "mail.example.com", "example.com"});
    CHECK(probe_hosts("example.com", "send").front() == "smtp.example.com");
    CHECK(probe_hosts("example.com", "pop3").front() == "pop.example.com");
}

TEST_CASE("SRV records: by priority, then weight; '.' means not offered") {
    std::vector<SrvRecord> r = {{20, 0, 993, "b.example."}, {10, 5, 993, "c.example."}, {10, 50, 993, "a.example."}, {0, 0, 0, "."}};
    order_srv(r);
    REQUIRE(r.size() == 3);
    CHECK(r[0].target == "a.example.");
    CHECK(r[1].target == "c.example.");
    CHECK(r[2].target == "b.example.");
}

TEST_CASE("discovery: a known provider needs no probe; otherwise TLS ports first, then STARTTLS, host by host") {
    const EnvLookup none = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    std::vector<std::string> probed;
    const auto never = [&](const std::string& h, int p) {
        probed.push_back(h + ":" + std::to_string(p));
        return false;
    };
    Discovery g = discover_servers("a@gmail.com", "imap", none, never);
    CHECK(probed.empty());
    CHECK(g.receive->host == "imap.gmail.com");
    CHECK(discover_servers("a@gmail.com", "pop3", none, never).receive->host == "pop.gmail.com");
    // the test override: only these hosts, these ports, and no DNS
    const EnvLookup test = [](const std::string& n) -> std::optional<std::string> {
        if (n == "TERN_SETUP_HOSTS") return std::string("h1 h2");
        if (n == "TERN_SETUP_PORTS") return std::string("imaps=1993 imap=1143 smtps=1465 smtp=1587");
        return std::nullopt;
    };
    const auto only_starttls_on_h2 = [&](const std::string& h, int p) {
        probed.push_back(h + ":" + std::to_string(p));
        return h == "h2" && (p == 1143 || p == 1587);
    };
    probed.clear();
    Discovery d = discover_servers("a@gmail.com", "imap", test, only_starttls_on_h2);  // the override wins over the table
    CHECK(probed == std::vector<std::string>{"h1:1993", "h1:1143", "h2:1993", "h2:1143", "h1:1465", "h1:1587", "h2:1465", "h2:1587"});
    REQUIRE(d.receive);
    CHECK(d.receive->url("u") == "imap://u@h2:1143");
    REQUIRE(d.send);
    CHECK(d.send->url("u") == "smtp://u@h2:1587");
    probed.clear();
    Discovery nothing = discover_servers("a@example.org", "imap", test, never);
    CHECK_FALSE(nothing.receive);
    CHECK(nothing.log.back().find("no SMTP server answered") != std::string::npos);
}
