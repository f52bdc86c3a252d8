// index_format: mutt's %-expandos with widths, as the reader draws lines.
#include <doctest/doctest.h>

#include "store/index_format.hpp"
#include "util/width.hpp"

using namespace tern;

namespace {
MessageRow row(const char* name, const char* addr, const char* subject) {
    MessageText t;
    t.file = "cur/x:2,S";
    t.from_name = name;
    t.from_addr = addr;
    t.to = "Bob <bob@example.com>";
    t.subject = subject;
    MessageRow r(t);
    r.flags = Flags::from_maildir("S");
    r.size = 2048;
    r.date = 1790000000;
    return r;
}
}  // namespace

TEST_CASE("index_format: the default line") {
    IndexFormat f("%4C %Z %-15.15L (%4c) %s");
    IndexEntry e{0, {}};
    CHECK(f.line(row("Alice", "a@example.com", "Hello"), e, {7, false, 0}) == "   7     Alice           (2.0K) Hello");
    MessageRow unread = row("Alice", "a@example.com", "Hello");
    unread.flags = Flags();
    CHECK(f.line(unread, e, {1, true, 0}).substr(5, 3) == "N* ");  // new, tagged
}

TEST_CASE("index_format: widths count columns (CJK is two), cut and pad") {
    IndexFormat f("[%-6.6n][%6.6n]");
    IndexEntry e{0, {}};
    const std::string line = f.line(row("李小龙先生", "l@example.cn", "x"), e, {1, false, 0});
    CHECK(line == "[李小龙][李小龙]");  // 6 columns each
    CHECK(display_width(line) == 16);
    CHECK(f.line(row("Al", "a@b", "x"), e, {1, false, 0}) == "[Al    ][    Al]");
}

TEST_CASE("index_format: your own mail shows its recipient; collapsed threads count; %% and unknown codes") {
    IndexFormat f("%L|%M|%%|%q", AddressSet({"me@example.com"}));
    IndexEntry e{0, {}};
    CHECK(f.line(row("Me", "me@example.com", "x"), e, {1, false, 3}) == "To Bob|3|%|%q");
}

TEST_CASE("index_format: dates by strftime and the thread tree before the subject") {
    IndexFormat f("%{%Y}|%s");
    IndexEntry child{0, {.depth = 1, .last = 1}};
    const std::string line = f.line(row("A", "a@b", "Re: x"), child, {1, false, 0});
    CHECK(line.substr(0, 5) == "2026|");
    CHECK(line.find("└─>Re: x") != std::string::npos);
}
