// Composing: encoders, the message builder, reply and forward helpers, and
// round trips (compose -> parse -> the same content).
#include <doctest/doctest.h>

#include "mime/compose.hpp"
#include "mime/encoded_words.hpp"
#include "mime/header_encode.hpp"
#include "mime/message.hpp"
#include "mime/mailto.hpp"
#include "mime/reply.hpp"
#include "mime/urls.hpp"
#include "mime/transfer_encoding.hpp"
#include "util/strings.hpp"

using namespace tern;

namespace {

std::size_t longest_line(std::string_view s) {
    std::size_t longest = 0, cur = 0;
    for (const char c : s) {
        if (c == '\n') longest = std::max(longest, cur), cur = 0;
        else if (c != '\r') ++cur;
    }
    return std::max(longest, cur);
}

bool crlf_only(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
    return true;
}

Headers headers_of(const std::string& text) { return parse_headers(text).headers; }

}  // namespace

TEST_CASE("headers are encoded only where needed and fold at 78 columns") {
    CHECK(encode_header("Subject", "plain ASCII subject") == "Subject: plain ASCII subject");
    const std::string h = encode_header("Subject", "Grüße aus München, and some ASCII words after it");
    CHECK(h.find("=?UTF-8?B?") != std::string::npos);
    CHECK(h.find("ASCII") != std::string::npos);  // ASCII words stay readable
    // what a reader sees after unfolding
    auto value = [](const std::string& header) { return decode_header_text(parse_headers(header + "\r\n\r\n").headers.fields.at(0).value); };
    CHECK(value(h) == "Grüße aus München, and some ASCII words after it");
    const std::string long_subject(300, 'x');
    CHECK(longest_line(encode_header("Subject", "a " + std::string(40, 'b') + " " + std::string(40, 'c'))) <= 78);
    (void)long_subject;
    // a long non-ASCII subject: many encoded words, each line short, decodes back
    std::string jp;
    for (int i = 0; i < 30; ++i) jp += "日本語";
    const std::string enc = encode_header("Subject", jp);
    CHECK(longest_line(enc) <= 78);
    CHECK(value(enc) == jp);
    // text that looks like an encoded word is encoded so that it survives
    CHECK(value(encode_header("Subject", "=?utf-8?q?x?=")) == "=?utf-8?q?x?=");
}

TEST_CASE("address headers quote or encode display names") {
    const std::string h = encode_address_header(
        "To", {{"Alice Example", "alice@example.com"}, {"Example, Bob", "bob@x"}, {"Jörg Müller", "j@x"}, {"", "bare@x"}});
    const auto parsed = parse_address_list(h.substr(3));
    REQUIRE(parsed.size() == 4);
    CHECK(parsed[0] == Address{"Alice Example", "alice@example.com"});
    CHECK(parsed[1] == Address{"Example, Bob", "bob@x"});
    CHECK(parsed[2] == Address{"Jörg Müller", "j@x"});
    CHECK(parsed[3] == Address{"", "bare@x"});
    CHECK(h.find("\"Example, Bob\"") != std::string::npos);
}

TEST_CASE("RFC 5322 dates") {
    CHECK(format_rfc5322_date(0, 0) == "Thu, 1 Jan 1970 00:00:00 +0000");
    CHECK(format_rfc5322_date(1795379286, 60) == "Sun, 22 Nov 2026 21:28:06 +0100");
    CHECK(make_message_id(1795379286, "a@x").rfind("<20261122202806.", 0) == 0);
    CHECK(format_rfc5322_date(1795379286, -330) == "Sun, 22 Nov 2026 14:58:06 -0530");
}

TEST_CASE("quoted-printable keeps line limits and round-trips") {
    const std::string text = "caf\xC3\xA9 = " + std::string(200, 'x') + "\ntrailing blank \n.\nFrom here\n\tTab\n";
    const std::string qp = encode_quoted_printable(text);
    CHECK(longest_line(qp) <= 76);
    CHECK(qp.find("=C3=A9") != std::string::npos);
    CHECK(qp.find("blank=20\n") != std::string::npos);  // a trailing blank is protected
    CHECK(qp.find("\n=2E\n") != std::string::npos);     // a lone dot cannot end SMTP data
    CHECK(qp.find("\n=46rom here") != std::string::npos);
    CHECK(decode_quoted_printable(qp) == text);
}

TEST_CASE("message ids and content types") {
    const std::string id = make_message_id(1795379286, "Alice <alice@example.com>");
    CHECK(id.front() == '<');
    CHECK(id.find("@example.com>") != std::string::npos);
    CHECK(id != make_message_id(1795379286, "alice@example.com"));  // random part
    const std::string types = "# comment\napplication/pdf\t\tpdf\nimage/png png\ntext/x-c c h\n";
    CHECK(guess_content_type("Report.PDF", "", types) == "application/pdf");
    CHECK(guess_content_type("main.h", "", types) == "text/x-c");
    CHECK(guess_content_type("noext", "%PDF-1.4", types) == "application/pdf");
    CHECK(guess_content_type("img", "\x89PNG\r\n\x1a\nxx", types) == "image/png");
    CHECK(guess_content_type("notes", "plain words", types) == "text/plain");
    CHECK(guess_content_type("blob", std::string("\0\x01\xff", 3), types) == "application/octet-stream");
}

TEST_CASE("compose: a plain ASCII message is 7bit with CRLF and no Bcc") {
    Draft d;
    d.from = {"Alice Example", "alice@example.com"};
    d.to = {{"Bob", "bob@example.org"}};
    d.bcc = {{"", "secret@example.net"}};
    d.subject = "Hello";
    d.body = "Hi Bob,\n.\nbye\n";
    d.date = 1795379286;
    const std::string m = compose_message(d);
    CHECK(crlf_only(m));
    CHECK(m.find("secret@example.net") == std::string::npos);
    CHECK(m.find("Content-Transfer-Encoding: 7bit") != std::string::npos);
    CHECK(m.find("Message-ID: <") != std::string::npos);
    CHECK(m.find("Date: Sun, 22 Nov 2026 20:28:06 +0000") != std::string::npos);
    const Message parsed(m);
    CHECK(parsed.root().decoded_body() == "Hi Bob,\r\n.\r\nbye\r\n");
}

TEST_CASE("compose -> parse round trip: UTF-8, long lines, attachments, threading") {
    Draft d;
    d.from = {"Jörg Müller", "joerg@example.de"};
    d.to = {{"Zoë Ångström", "zoe@example.se"}, {"Example, Bob", "bob@example.org"}};
    d.cc = {{"", "carol@example.net"}};
    d.subject = "Grüße: über den Plan — 日本語";
    d.body = "Hallo Zoë,\n\n" + std::string(1500, 'x') + "\n> quoted\nFrom the start\n-- \nJörg\n";
    d.in_reply_to = "<parent@example.se>";
    d.references = {"<root@example.se>", "<parent@example.se>"};
    d.attachments.push_back({"Übersicht 2026 mit einem sehr langen Namen, der weitergeht und weitergeht.pdf", "",
                             std::string("%PDF-1.4\n\0\x01\x02\xff binary", 20)});
    d.attachments.push_back({"notes.txt", "", "plain notes\n"});
    d.date = 1795379286;
    const std::string m = compose_message(d);
    CHECK(crlf_only(m));
    CHECK(longest_line(m) <= 78);
    for (const unsigned char c : m) CHECK((c < 0x80));  // 7-bit clean on the wire

    const Message parsed(m);
    const Headers& h = parsed.headers();
    CHECK(decode_header_text(*h.get("Subject")) == d.subject);
    const auto from = parse_address_list(*h.get("From"));
    REQUIRE(from.size() == 1);
    CHECK(from[0] == d.from);
    CHECK(parse_address_list(*h.get("To")) == d.to);
    CHECK(*h.get("In-Reply-To") == "<parent@example.se>");
    CHECK(split_words(*h.get("References")) == d.references);

    const Part& root = parsed.root();
    REQUIRE(root.type.full() == "multipart/mixed");
    REQUIRE(root.children.size() == 3);
    std::string body = root.children[0].decoded_body();
    std::string lf;
    for (std::size_t i = 0; i < body.size(); ++i)
        if (!(body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n')) lf += body[i];
    // the line break before a delimiter belongs to the delimiter (RFC 2046)
    CHECK(lf + "\n" == d.body);
    CHECK(root.children[1].filename == d.attachments[0].filename);
    CHECK(root.children[1].type.full() == "application/pdf");
    CHECK(root.children[1].decoded_body() == d.attachments[0].data);
    CHECK(root.children[2].filename == "notes.txt");
    CHECK(root.children[2].type.full() == "text/plain");
}

TEST_CASE("reply and forward subjects do not stack") {
    CHECK(reply_subject("Lunch") == "Re: Lunch");
    CHECK(reply_subject("Re: Lunch") == "Re: Lunch");
    CHECK(reply_subject("RE[2]: Re: lunch") == "Re: lunch");
    CHECK(reply_subject("AW: SV: Plan") == "Re: Plan");
    CHECK(reply_subject("Fwd: Plan") == "Re: Fwd: Plan");
    CHECK(reply_subject("=?utf-8?q?Re=3A_caf=C3=A9?=") == "Re: café");
    CHECK(forward_subject("Plan") == "Fwd: Plan");
    CHECK(forward_subject("FW: Fwd: Plan") == "Fwd: Plan");
    CHECK(forward_subject("Re: Plan") == "Fwd: Re: Plan");
}

TEST_CASE("alternates and lists: address sets of exact addresses and regular expressions") {
    const AddressSet me({"Me@Example.org"}, {"^me\\+.*@example\\.org$", "@old\\.example$", "(broken"});
    CHECK(me.contains("me@example.org"));
    CHECK(me.contains("ME+lists@example.org"));
    CHECK(me.contains("anyone@old.example"));
    CHECK_FALSE(me.contains("notme@example.org"));
    CHECK_FALSE(me.contains(""));

    // an alternate is left out of a group reply like the From address
    const Headers h = headers_of("From: a@x\nTo: me+work@example.org, b@x\nCc: dev@lists.example.com\n\n");
    auto r = reply_recipients(h, ReplyMode::Group, me);
    REQUIRE(r.to.size() == 2);
    CHECK(r.to[1].email == "b@x");
    // no List-Post: the list reply goes to the addresses in lists
    r = reply_recipients(h, ReplyMode::List, me, AddressSet({}, {"@lists\\.example\\.com$"}));
    REQUIRE(r.ok);
    REQUIRE(r.to.size() == 1);
    CHECK(r.to[0].email == "dev@lists.example.com");
    r = reply_recipients(h, ReplyMode::List, me, AddressSet({}, {"@other\\.lists$"}));
    CHECK_FALSE(r.ok);
    CHECK(r.problem.find("lists or subscribe") != std::string::npos);
}

TEST_CASE("reply, group reply and list reply recipients") {
    const Headers h = headers_of(
        "From: Alice <alice@example.com>\n"
        "To: me@example.org, Bob <bob@example.org>\n"
        "Cc: Carol <carol@example.net>, ALICE@example.com, Me Again <ME@example.org>\n"
        "List-Post: <mailto:dev@lists.example.org?subject=x>\n"
        "Message-ID: <m2@example.com>\n"
        "References: <m0@example.com> <m1@example.com>\n\n");
    const AddressSet me({"me@example.org"});
    auto r = reply_recipients(h, ReplyMode::Sender, me);
    REQUIRE(r.to.size() == 1);
    CHECK(r.to[0].email == "alice@example.com");
    CHECK(r.cc.empty());

    r = reply_recipients(h, ReplyMode::Group, me);
    REQUIRE(r.to.size() == 2);
    CHECK(r.to[1].email == "bob@example.org");
    REQUIRE(r.cc.size() == 1);  // Alice (already in To) and me are left out
    CHECK(r.cc[0].email == "carol@example.net");

    r = reply_recipients(h, ReplyMode::List, me);
    REQUIRE(r.ok);
    REQUIRE(r.to.size() == 1);
    CHECK(r.to[0].email == "dev@lists.example.org");

    const Headers no_list = headers_of("From: a@x\n\n");
    r = reply_recipients(no_list, ReplyMode::List, me);
    CHECK_FALSE(r.ok);
    CHECK(r.problem.find("no List-Post") != std::string::npos);

    // Reply-To wins over From
    const Headers rt = headers_of("From: a@x\nReply-To: Team <team@x>\n\n");
    r = reply_recipients(rt, ReplyMode::Sender, me);
    CHECK(r.to[0].email == "team@x");

    // replying to one's own message goes to its recipients
    const Headers mine = headers_of("From: me@example.org\nTo: bob@x\n\n");
    r = reply_recipients(mine, ReplyMode::Sender, me);
    REQUIRE(r.to.size() == 1);
    CHECK(r.to[0].email == "bob@x");

    const ThreadHeaders t = reply_thread_headers(h);
    CHECK(t.in_reply_to == "<m2@example.com>");
    CHECK(t.references == std::vector<std::string>{"<m0@example.com>", "<m1@example.com>", "<m2@example.com>"});
}

TEST_CASE("attribution and forward_format expandos") {
    const Headers h = headers_of("From: Alice Example <a@x>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\nSubject: =?utf-8?q?caf=C3=A9?=\n\n");
    CHECK(format_about_message("%n <%a> (%v) wrote on %d about %s: 100%% %x", h) ==
          "Alice Example <a@x> (Alice) wrote on Mon, 2 Mar 2026 10:00:00 +0000 about café: 100% %x");
    CHECK(format_about_message("[%a: %s]", h) == "[a@x: café]");
    CHECK(quote_for_reply(h, "hi\n", "* %n:") == "* Alice Example:\n> hi\n");
    CHECK(quote_for_reply(h, "hi\n", "") == "> hi\n");  // no attribution line at all
    const Headers odd = headers_of("From: b@y\nSubject: two\n  lines\n\n");
    CHECK(format_about_message("%n %s", odd).find('\n') == std::string::npos);
}

TEST_CASE("quoting with attribution, and inline forwarding") {
    const Headers h = headers_of("From: Alice Example <a@x>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\nSubject: =?utf-8?q?caf=C3=A9?=\n\n");
    CHECK(quote_for_reply(h, "line one\n\n> earlier\n-- \nsig\n") ==
          "On Mon, 2 Mar 2026 10:00:00 +0000, Alice Example wrote:\n> line one\n>\n>> earlier\n");
    const std::string f = forward_inline(h, "text\n");
    CHECK(f.find("----- Forwarded message from Alice Example -----") == 0);
    CHECK(f.find("Subject: café\n") != std::string::npos);
    CHECK(f.find("\ntext\n") != std::string::npos);
    CHECK(f.find("----- End forwarded message -----") != std::string::npos);
}

TEST_CASE("mailto: URIs (RFC 6068)") {
    std::string problem;
    auto m = parse_mailto("mailto:alice@example.org,bob@example.org?subject=Hello%20there&cc=carol@example.org"
                          "&body=line%20one%0D%0Aline%20two&bcc=dan@example.org&to=erin@example.org&X-Evil=1&In-Reply-To=%3Cid@x%3E",
                          problem);
    REQUIRE(m);
    CHECK(m->to == "alice@example.org,bob@example.org, erin@example.org");
    CHECK(m->cc == "carol@example.org");
    CHECK(m->bcc == "dan@example.org");
    CHECK(m->subject == "Hello there");
    CHECK(m->body == "line one\nline two");
    CHECK(m->in_reply_to == "<id@x>");
    m = parse_mailto("MAILTO:?to=a@x&subject=caf%C3%A9%0Aevil:%20header", problem);  // a header cannot be smuggled in
    REQUIRE(m);
    CHECK(m->to == "a@x");
    CHECK(m->subject == "café evil: header");
    m = parse_mailto("mailto:a%40x@y%zz", problem);
    REQUIRE(m);
    CHECK(m->to == "a@x@y%zz");
    CHECK_FALSE(parse_mailto("http://example.org", problem));
    CHECK(problem.find("is not a mailto: address") != std::string::npos);
}

TEST_CASE("the URLs of a text, for the URL list") {
    const std::string text =
        "See https://example.org/a?b=c&d=e, and (http://example.com/x).\n"
        "Wiki: https://en.wikipedia.org/wiki/Tern_(bird) or www.example.net/page.\n"
        "Write to mailto:list@example.org; ftp://files.example.org/pub/ too.\n"
        "Again https://example.org/a?b=c&d=e and <https://example.org/angle> not nohttps://x.org\n"
        "bare \"https://example.org/q\" and https:// alone\n";
    CHECK(find_urls(text) == std::vector<std::string>{"https://example.org/a?b=c&d=e", "http://example.com/x",
                                                      "https://en.wikipedia.org/wiki/Tern_(bird)", "www.example.net/page",
                                                      "mailto:list@example.org", "ftp://files.example.org/pub/",
                                                      "https://example.org/angle", "https://example.org/q"});
}
