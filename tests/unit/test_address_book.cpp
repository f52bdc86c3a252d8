// Addresses for completion: mutt's alias syntax, query_command output, the
// book harvested from the store and how it ranks and completes.
#include <doctest/doctest.h>

#include <chrono>

#include "store/address_book.hpp"
#include "temp_dir.hpp"

using namespace tern;

TEST_CASE("aliases: mutt's syntax, groups, several addresses, comments and junk") {
    const auto a = parse_aliases(
        "# friends\n"
        "alias bob Bob Builder <bob@example.com>\n"
        "alias -group work team alice@example.com, \"Carol D.\" <carol@example.com>\n"
        "alias eve eve@example.org (Eve Listener)\n"
        "not an alias line\n"
        "alias lonely\n");
    REQUIRE(a.size() == 3);
    CHECK(a[0].key == "bob");
    CHECK(a[0].addresses[0] == Address{"Bob Builder", "bob@example.com"});
    CHECK(a[1].key == "team");
    REQUIRE(a[1].addresses.size() == 2);
    CHECK(a[1].addresses[1].name == "Carol D.");
    CHECK(a[2].addresses[0].email == "eve@example.org");
    CHECK(alias_line(a[0]) == "alias bob Bob Builder <bob@example.com>");
    CHECK(parse_aliases(alias_line(a[1]))[0].addresses == a[1].addresses);  // what tern writes, it reads back
}

TEST_CASE("query_command output: a first line for the user, then address TAB name") {
    const auto q = parse_query_output("Searching the directory... 2 found\nann@example.com\tAnn Other\tfriend\nnot an address\tX\nb@x.org\n");
    REQUIRE(q.size() == 2);
    CHECK(q[0] == Address{"Ann Other", "ann@example.com"});
    CHECK(q[1].email == "b@x.org");
}

namespace {
void add_message(IndexDb& index, std::int64_t folder, const std::string& key, const char* from_name, const char* from_addr, const char* to,
                 std::int64_t date) {
    MessageText t;
    t.file = "cur/x";
    t.from_name = from_name;
    t.from_addr = from_addr;
    t.to = to;
    MessageRow r(t);
    r.date = date;
    index.insert(folder, key, r);
}
}  // namespace

TEST_CASE("the book: senders, and the recipients of your own mail, ranked by frequency and recency; aliases first") {
    TempDir tmp;
    IndexDb index((tmp.path / "i.sqlite").string());
    const std::int64_t inbox = index.folder_id("a", "INBOX"), sent = index.folder_id("a", "Sent");
    const std::int64_t now = 1800000000, day = 86400;
    add_message(index, inbox, "k1", "Anna Old", "anna@old.example", "me@example.com", now - 900 * day);
    add_message(index, inbox, "k2", "Annabel", "annabel@example.com", "me@example.com", now - day);
    add_message(index, inbox, "k3", "Annabel", "annabel@example.com", "me@example.com", now - 2 * day);
    add_message(index, sent, "k4", "Me", "me@example.com", "Hannah <hannah@example.net>, Zed <z@example.net>", now - 3 * day);
    AddressBook book;
    book.add_aliases(parse_aliases("alias an Annika <annika@example.org>\n"));
    book.harvest(index, "a", AddressSet({"me@example.com"}));
    CHECK(book.size() == 5);  // annika, anna, annabel, hannah, zed; not me
    const auto hits = book.complete("ann", 10, now);
    REQUIRE(hits.size() == 4);
    CHECK(hits[0].alias == "an");                            // the alias first
    CHECK(hits[1].address.email == "annabel@example.com");   // twice, lately, at a word's start
    CHECK(hits[2].address.email == "anna@old.example");      // at a word's start, but long ago
    CHECK(hits[3].address.email == "hannah@example.net");    // inside a word
    CHECK(book.complete("ZED", 10, now).size() == 1);        // case does not matter
    CHECK(book.complete("nobody", 10, now).empty());
    CHECK(book.alias("an") != nullptr);
    CHECK(book.alias("ann") == nullptr);
}

TEST_CASE("completion over 50,000 addresses answers within a key press") {
    AddressBook book;
    std::vector<Alias> many;
    for (int i = 0; i < 50000; ++i)
        many.push_back({"k" + std::to_string(i), {{"Person " + std::to_string(i), "p" + std::to_string(i) + "@example.com"}}});
    book.add_aliases(many);
    const auto t0 = std::chrono::steady_clock::now();
    const auto hits = book.complete("person 4999", 10, 0);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    CHECK(hits.size() == 10);
    MESSAGE("completing over 50,000 addresses took " << ms << " ms (ASan build)");
    CHECK(ms < 100);  // a key press, even under the sanitizers
}
