// Header blocks, parameters (RFC 2231), addresses, dates and the MIME tree.
#include <doctest/doctest.h>

#include <chrono>

#include "mime/address.hpp"
#include "mime/content_type.hpp"
#include "mime/date.hpp"
#include "mime/encoded_words.hpp"
#include "mime/headers.hpp"
#include "mime/message.hpp"

using namespace tern;

TEST_CASE("header blocks: folding, bare LF, junk lines, mbox From") {
    const auto b = parse_headers(
        "From alice@example.com Thu Jan  1 00:00:00 2026\n"
        "Subject: a long\r\n  folded\r\n\tsubject\r\n"
        "this line has no colon\n"
        "  and a continuation of it\n"
        "X-Empty:\n"
        "Bad Name: not a header\n"
        "To: bob@example.org\n"
        "\n"
        "body\n");
    REQUIRE(b.headers.fields.size() == 3);
    CHECK(*b.headers.get("subject") == "a long  folded\tsubject");
    CHECK(*b.headers.get("X-EMPTY") == "");
    CHECK(*b.headers.get("to") == "bob@example.org");
    CHECK(b.headers.get("Bad Name") == nullptr);
}

TEST_CASE("a header block without a body, and an empty message") {
    CHECK(parse_headers("Subject: x").body_offset == 10);
    CHECK(parse_headers("").headers.fields.empty());
    CHECK(parse_headers("\r\nbody").body_offset == 2);
}

TEST_CASE("a 500 KB header line parses in linear time") {
    std::string big = "X-Big: " + std::string(500 * 1024, 'a') + "\n";
    for (int i = 0; i < 2000; ++i) big += " folded continuation line\n";
    big += "\nbody";
    const auto t0 = std::chrono::steady_clock::now();
    const auto b = parse_headers(big);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    CHECK(b.headers.get("x-big")->size() > 500 * 1024);
    CHECK(ms < 500);  // generous under sanitizers; quadratic unfolding would take far longer
}

TEST_CASE("Content-Type and RFC 2231 parameters") {
    auto ct = parse_content_type("Text/HTML; Charset=\"UTF-8\"; format=flowed (comment)");
    CHECK(ct.full() == "text/html");
    CHECK(*ct.params.get("charset") == "UTF-8");
    CHECK(*ct.params.get("format") == "flowed");

    ct = parse_content_type("");
    CHECK(ct.full() == "text/plain");  // RFC 2045 default
    ct = parse_content_type("garbage");
    CHECK(ct.full() == "text/plain");

    struct Row {
        const char* comment;
        const char* params;
        const char* filename;
    };
    const Row rows[] = {
        {"quoted with a semicolon", "filename=\"a;b.txt\"", "a;b.txt"},
        {"quoted with escapes", "filename=\"a \\\"quoted\\\" name.txt\"", "a \"quoted\" name.txt"},
        {"token", "filename=report.pdf", "report.pdf"},
        {"RFC 2231 charset and percent-encoding", "filename*=UTF-8''%C3%9Cbersicht.pdf", "Übersicht.pdf"},
        {"RFC 2231 with a language", "filename*=iso-8859-1'de'%DCbersicht.pdf", "Übersicht.pdf"},
        {"continuations in order", "filename*0=\"very long \"; filename*1=\"name.txt\"", "very long name.txt"},
        {"continuations out of order", "filename*1=\"name.txt\"; filename*0=\"very long \"", "very long name.txt"},
        {"encoded continuations", "filename*0*=UTF-8''%E6%97%A5; filename*1*=%E6%9C%AC.txt", "日本.txt"},
        {"mixed encoded and plain continuations", "filename*0*=UTF-8''%C3%A9; filename*1=\"-plain%41\"", "é-plain%41"},
        {"RFC 2231 wins over a plain value", "filename=\"fallback.txt\"; filename*=UTF-8''real.txt", "real.txt"},
        {"RFC 2047 inside quotes (wrong, but common)", "filename=\"=?UTF-8?B?w5xiZXJzaWNodC5wZGY=?=\"", "Übersicht.pdf"},
    };
    for (const auto& r : rows) {
        CAPTURE(std::string(r.comment));
        const auto d = parse_disposition(std::string("attachment; ") + r.params);
        CHECK(d.kind == "attachment");
        REQUIRE(d.params.get("filename"));
        CHECK(*d.params.get("filename") == r.filename);
    }
}

TEST_CASE("address lists") {
    struct Row {
        const char* comment;
        const char* raw;
        std::vector<Address> expected;
    };
    const Row rows[] = {
        {"bare address", "alice@example.com", {{"", "alice@example.com"}}},
        {"name and angle address", "Alice Example <alice@example.com>", {{"Alice Example", "alice@example.com"}}},
        {"quoted name with a comma", "\"Example, Alice\" <alice@example.com>, bob@example.org",
         {{"Example, Alice", "alice@example.com"}, {"", "bob@example.org"}}},
        {"comment as the name", "alice@example.com (Alice Example)", {{"Alice Example", "alice@example.com"}}},
        {"nested comment", "a@x (Alice (work))", {{"Alice (work)", "a@x"}}},
        {"encoded name", "=?UTF-8?Q?J=C3=B6rg?= <j@example.de>", {{"Jörg", "j@example.de"}}},
        {"group with members", "Team: a@x, B <b@x>;, c@x", {{"", "a@x"}, {"B", "b@x"}, {"", "c@x"}}},
        {"empty group", "undisclosed-recipients:;", {}},
        {"obsolete route", "Alice <@relay.example:alice@example.com>", {{"Alice", "alice@example.com"}}},
        {"escaped quote in a name", "\"A \\\"B\\\" C\" <a@x>", {{"A \"B\" C", "a@x"}}},
        {"unclosed angle bracket", "Alice <alice@example.com", {{"Alice", "alice@example.com"}}},
        {"empty", "", {}},
        {"stray commas", ", ,a@x,,", {{"", "a@x"}}},
    };
    for (const auto& r : rows) {
        CAPTURE(std::string(r.comment));
        CHECK(parse_address_list(r.raw) == r.expected);
    }
    CHECK(format_address({"Example, Alice", "a@x"}) == "\"Example, Alice\" <a@x>");
    CHECK(format_address({"", "a@x"}) == "a@x");
}

TEST_CASE("dates: RFC 5322 and what the wild sends") {
    struct Row {
        const char* comment;
        const char* raw;
        const char* utc;
    };
    const Row rows[] = {
        {"RFC 5322", "Thu, 13 Feb 1969 23:32:54 -0330", "1969-02-14 03:02"},
        {"no weekday", "1 Jan 2026 10:00:00 +0100", "2026-01-01 09:00"},
        {"no seconds", "Mon, 2 Mar 2026 10:07 +0000", "2026-03-02 10:07"},
        {"two-digit year", "Fri, 21 Nov 97 09:55:06 GMT", "1997-11-21 09:55"},
        {"two-digit year after 2000", "1 Jan 05 00:00:00 GMT", "2005-01-01 00:00"},
        {"zone name", "Tue, 1 Jul 2003 10:52:37 PDT", "2003-07-01 17:52"},
        {"zone with a comment", "Wed, 2 Sep 2026 08:00:00 +0200 (CEST)", "2026-09-02 06:00"},
        {"dashes", "13-Feb-2026 10:00:00 +0000", "2026-02-13 10:00"},
        {"full month name", "5 September 2026 12:00:00 +0000", "2026-09-05 12:00"},
        {"zone glued to the time", "1 Jan 2026 10:00:00-0500", "2026-01-01 15:00"},
        {"no zone", "1 Jan 2026 10:00:00", "2026-01-01 10:00"},
    };
    for (const auto& r : rows) {
        CAPTURE(std::string(r.comment));
        const auto t = parse_date(r.raw);
        REQUIRE(t);
        CHECK(format_utc(*t) == r.utc);
    }
    CHECK_FALSE(parse_date("yesterday"));
    CHECK_FALSE(parse_date(""));
    CHECK_FALSE(parse_date("32 Foo 2026 99:99"));
}

TEST_CASE("MIME tree: nested multiparts, rfc822, broken boundaries") {
    const Message m(
        "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
        "preamble\n"
        "--outer\n"
        "Content-Type: multipart/alternative; boundary=inner\n\n"
        "--inner\nContent-Type: text/plain\n\nplain\n"
        "--inner\nContent-Type: text/html\n\n<p>html</p>\n"
        "--inner--\n"
        "--outer\n"
        "Content-Type: message/rfc822\n\n"
        "Subject: inner message\n\nforwarded body\n"
        "--outer  \n"  // transport padding after a delimiter
        "Content-Type: application/pdf; name=x.pdf\nContent-Transfer-Encoding: base64\n\nSGk=\n"
        "--outer--\n"
        "epilogue\n");
    const Part& root = m.root();
    REQUIRE(root.children.size() == 3);
    REQUIRE(root.children[0].children.size() == 2);
    CHECK(root.children[0].children[0].body == "plain");
    CHECK(root.children[0].children[1].type.full() == "text/html");
    REQUIRE(root.children[1].children.size() == 1);
    CHECK(*root.children[1].children[0].headers.get("subject") == "inner message");
    CHECK(root.children[2].filename == "x.pdf");
    CHECK(root.children[2].decoded_body() == "Hi");
}

TEST_CASE("MIME tree: missing close delimiter, missing boundary, no delimiter") {
    Message a("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n");
    REQUIRE(a.root().children.size() == 2);
    CHECK(a.root().children[1].body == "two\n");  // runs to the end
    Message b("Content-Type: multipart/mixed\n\njust text\n");
    CHECK(b.root().type.full() == "text/plain");
    Message c("Content-Type: multipart/mixed; boundary=zz\n\nno delimiter here\n");
    CHECK(c.root().type.full() == "text/plain");
    Message d("Content-Type: multipart/mixed; boundary=b\n\n--bx\nnot a delimiter\n--b\n\nreal\n--b--");
    REQUIRE(d.root().children.size() == 1);
    CHECK(d.root().children[0].body == "real");
}

TEST_CASE("MIME tree: deep nesting is bounded") {
    std::string msg;
    for (int i = 0; i < 200; ++i) msg += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" + std::to_string(i) + "\n";
    msg += "\ninnermost\n";
    const Message m(std::move(msg));
    int depth = 0;
    for (const Part* p = &m.root(); !p->children.empty(); p = &p->children[0]) ++depth;
    CHECK(depth <= kMaxMimeDepth);
}

TEST_CASE("pathological inputs stay linear") {
    using Clock = std::chrono::steady_clock;
    auto ms_since = [](Clock::time_point t0) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    };
    std::string words;  // many "=?" openings and one "?=" far away
    for (int i = 0; i < 20000; ++i) words += "=?a?q?x ";
    words += "?=";
    auto t0 = Clock::now();
    (void)decode_header_text(words);
    CHECK(ms_since(t0) < 1000);

    std::string params = "text/plain";
    for (int i = 0; i < 20000; ++i) params += "; p" + std::to_string(i) + "=v";
    t0 = Clock::now();
    CHECK(parse_content_type(params).params.items.size() == 20000);
    CHECK(ms_since(t0) < 1000);

    std::string many_to;
    for (int i = 0; i < 20000; ++i) many_to += "To: a@x\n";
    t0 = Clock::now();
    const Message m(many_to + "\nbody\n");
    CHECK(m.headers().all("to").size() == 20000);
    CHECK(ms_since(t0) < 1000);
}
