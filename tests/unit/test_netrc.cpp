// ~/.netrc parsing and lookup.
#include <doctest/doctest.h>

#include "util/netrc.hpp"

using namespace tern;

TEST_CASE("netrc entries by machine and login") {
    const auto entries = parse_netrc(
        "# comment\n"
        "machine imap.example.com login alice password \"s3cret with space\"\n"
        "machine imap.example.com\n  login bob\n  password bobpw\n"
        "macdef init\ncd /\nmachine fake login x password y\n\n"
        "machine smtp.example.com login alice password smtppw account ignored\n"
        "default login anon password anonpw\n");
    auto e = find_netrc_entry(entries, "imap.example.com", "alice");
    REQUIRE(e);
    CHECK(e->password.reveal() == "s3cret with space");
    e = find_netrc_entry(entries, "imap.example.com", "bob");
    REQUIRE(e);
    CHECK(e->password.reveal() == "bobpw");
    e = find_netrc_entry(entries, "smtp.example.com", "");
    REQUIRE(e);
    CHECK(e->password.reveal() == "smtppw");
    // lines inside a macdef are not entries (and the default entry's login differs)
    CHECK_FALSE(find_netrc_entry(entries, "fake", "x"));
    // an unknown host falls back to the default entry
    e = find_netrc_entry(entries, "other.example", "");
    REQUIRE(e);
    CHECK(e->login == "anon");
}

TEST_CASE("netrc without a match and without default") {
    const auto entries = parse_netrc("machine a login u password p\n");
    CHECK_FALSE(find_netrc_entry(entries, "b", "u"));
    CHECK_FALSE(find_netrc_entry(entries, "a", "someone-else"));
    CHECK(parse_netrc("").empty());
}

TEST_CASE("Secret wipes and moves") {
    Secret a("pw");
    Secret b = std::move(a);
    CHECK(b.reveal() == "pw");
    CHECK(a.empty());  // NOLINT: moved-from is defined to be empty
    Secret c;
    c = b;
    CHECK(c.reveal() == "pw");
}
