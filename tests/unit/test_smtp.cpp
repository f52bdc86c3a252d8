// The SMTP transaction's text and what a message says of its envelope.
#include <doctest/doctest.h>

#include "mime/address.hpp"
#include "mime/encoded_words.hpp"
#include "mime/envelope.hpp"
#include "mime/headers.hpp"
#include "net/pop3_session.hpp"
#include "net/smtp_protocol.hpp"
#include "store/pop3_uidls.hpp"

using namespace tern;

TEST_CASE("SMTP replies: one line, several lines, split anywhere") {
    const std::string bytes = "250-localhost\r\n250-SIZE 2000\r\n250 8BITMIME\r\n550 5.1.1 <x@y>: User unknown\r\n354 go\r\n";
    for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
        CAPTURE(cut);
        SmtpReplyReader r;
        std::vector<SmtpReply> got;
        r.feed(std::string_view(bytes).substr(0, cut));
        while (auto x = r.next()) got.push_back(*x);
        r.feed(std::string_view(bytes).substr(cut));
        while (auto x = r.next()) got.push_back(*x);
        REQUIRE(got.size() == 3);
        CHECK(got[0].code == 250);
        CHECK(got[0].text == "localhost; SIZE 2000; 8BITMIME");
        CHECK(got[1].code == 550);
        CHECK(got[1].permanent());
        CHECK_FALSE(got[1].positive());
        CHECK(got[1].line() == "550 5.1.1 <x@y>: User unknown");
        CHECK(got[2].code == 354);
    }
}

TEST_CASE("SMTP replies: a bare code, and what is not SMTP") {
    SmtpReplyReader r;
    r.feed("221\r\n");
    const auto x = r.next();
    REQUIRE(x);
    CHECK(x->code == 221);
    CHECK(x->text.empty());
    SmtpReplyReader bad;
    bad.feed("+OK POP3 ready\r\n");
    CHECK_THROWS(bad.next());
    SmtpReplyReader mixed;
    mixed.feed("250-a\r\n550 b\r\n");
    CHECK_THROWS(mixed.next());
}

TEST_CASE("EHLO extensions: the reply after STARTTLS counts") {
    const std::string lines = "220 localhost ESMTP\r\n250-localhost\r\n250-STARTTLS\r\n250 SIZE 10\r\n220 Ready to start TLS\r\n"
                              "250-localhost\r\n250-size 35882577\r\n250-8bitmime\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n235 ok\r\n";
    const auto ext = smtp_extensions(lines);
    REQUIRE(ext.size() == 4);
    CHECK(ext[0] == "SIZE 35882577");
    CHECK(smtp_extension(ext, "SIZE") == std::optional<std::string>("35882577"));
    CHECK(smtp_extension(ext, "8BITMIME") == std::optional<std::string>(""));
    CHECK(smtp_extension(ext, "AUTH") == std::optional<std::string>("PLAIN LOGIN"));
    CHECK_FALSE(smtp_extension(ext, "STARTTLS"));  // offered before TLS only
    CHECK_FALSE(smtp_extension(ext, "SMTP"));      // a prefix is not a name
}

TEST_CASE("MAIL FROM parameters") {
    CHECK(smtp_mail_from("a@b", 0, false, false) == "MAIL FROM:<a@b>");
    CHECK(smtp_mail_from("a@b", 120, true, true) == "MAIL FROM:<a@b> SIZE=120 BODY=8BITMIME SMTPUTF8");
    CHECK(smtp_mail_from("", 0, false, false) == "MAIL FROM:<>");
}

TEST_CASE("DATA: CRLF everywhere, leading dots doubled, one ending") {
    struct Row {
        const char* in;
        const char* out;
    };
    const Row rows[] = {
        {"a\nb\n", "a\r\nb\r\n.\r\n"},                       // LF -> CRLF
        {"a\r\nb\r\n", "a\r\nb\r\n.\r\n"},                   // CRLF kept, not doubled
        {"a\n.\nb", "a\r\n..\r\nb\r\n.\r\n"},                // a lone dot is not the end
        {".first\n..two\n", "..first\r\n...two\r\n.\r\n"},   // every leading dot
        {"a\rb\n", "a\r\nb\r\n.\r\n"},                       // bare CR too
        {"x.y\n", "x.y\r\n.\r\n"},                           // dots inside a line stay
        {"", ".\r\n"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.in);
        CHECK(smtp_data(r.in) == r.out);
    }
    CHECK(has_8bit("caf\xC3\xA9"));
    CHECK_FALSE(has_8bit("plain ascii\r\n"));
}

TEST_CASE("recipients from To, Cc and Bcc; Bcc removed from what goes out") {
    const std::string msg = "From: Alice <alice@example.com>\nTo: Bob <bob@example.com>, carol@example.com\n"
                            "Cc: \"Dan, D.\" <dan@example.com>\nBcc: eve@example.com,\n secret@example.com\n"
                            "Subject: x\n\nBcc: not a header\n";
    CHECK(header_recipients(msg) ==
          std::vector<std::string>{"bob@example.com", "carol@example.com", "dan@example.com", "eve@example.com", "secret@example.com"});
    CHECK(header_sender(msg) == "alice@example.com");
    CHECK(without_bcc(msg) == "From: Alice <alice@example.com>\nTo: Bob <bob@example.com>, carol@example.com\n"
                              "Cc: \"Dan, D.\" <dan@example.com>\nSubject: x\n\nBcc: not a header\n");
    CHECK(without_bcc("Bcc: a@b\r\nTo: c@d\r\n\r\nbody\r\n") == "To: c@d\r\n\r\nbody\r\n");
    CHECK(header_recipients("To: a@b\nCc: A@B\n\n") == std::vector<std::string>{"a@b"});  // once
}

TEST_CASE("submission headers: From, Date, Message-ID added only when missing") {
    const std::string out = with_submission_headers("To: b@c\n\nhi\n", "Alice <alice@example.com>", 1795000000, 60);
    CHECK(out.find("From: Alice <alice@example.com>\n") == 0);
    CHECK(out.find("Date: ") != std::string::npos);
    CHECK(out.find("+0100\n") != std::string::npos);
    CHECK(out.find("@example.com>\n") != std::string::npos);  // Message-ID of the sender's domain
    CHECK(out.substr(out.size() - 12) == "To: b@c\n\nhi\n");
    const std::string full = "From: x@y\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <1@y>\r\n\r\nhi\r\n";
    CHECK(with_submission_headers(full, "Alice <alice@example.com>", 1795000000, 0) == full);
    CHECK(with_submission_headers("From: x@y\r\n\r\n", "", 1795000000, 0).find("Date: ") == 0);  // CRLF kept
    CHECK(with_submission_headers("From: x@y\r\n\r\n", "", 1795000000, 0).find("\r\nMessage-ID: <") != std::string::npos);
}

TEST_CASE("POP3 listings: UIDL and LIST merged by message number") {
    const auto m = parse_pop3_listing("1 000000016b039524\r\n2 abc/def:1\r\n3 zz\r\n", "1 218\r\n2 1983\r\n");
    REQUIRE(m.size() == 3);
    CHECK(m[0].number == 1);
    CHECK(m[0].uidl == "000000016b039524");
    CHECK(m[0].size == 218);
    CHECK(m[1].uidl == "abc/def:1");
    CHECK(m[2].size == 0);  // no LIST line: size unknown
    CHECK(parse_pop3_listing("garbage\r\n.\r\n", "").empty());
}

TEST_CASE("a UIDL and its listed size in a maildir key, exact for every printable character") {
    const std::string uidl = "a/b:c,P=~!";
    const std::string key = "1795397055.M666094P22220Q1.vm,S=218" + uidl_key_suffix(uidl, 225);
    CHECK(key.find('/') == std::string::npos);
    CHECK(key.find(':') == std::string::npos);
    CHECK(uidl_in_key(key).uidl == uidl);
    CHECK(uidl_in_key(key).size == 225);
    CHECK(uidl_in_key("x,P=6162").uidl == "ab");            // named by an earlier tern: no size
    CHECK(uidl_in_key("x,P=6162").size == 0);
    CHECK(uidl_in_key("1795397055.M1P2.vm,S=218").uidl.empty());
    CHECK(uidl_in_key("x,P=6").uidl.empty());       // odd length
    CHECK(uidl_in_key("x,P=zz").uidl.empty());      // not hex
    CHECK(uidl_in_key("x,P=61~").uidl.empty());     // a size sign without a size
    CHECK(uidl_in_key("x,P=61~1a").uidl.empty());
}

TEST_CASE("a POP3 message is found by its UIDL and listed size; a record without a size matches any") {
    Pop3Uidls::Records r;
    r[{"A", 100}] = 1;
    r[{"B", 0}] = 2;
    CHECK(find_record(r, "A", 100) != nullptr);
    CHECK(find_record(r, "A", 101) == nullptr);  // a reused UIDL: another message
    CHECK(*find_record(r, "B", 5) == 2);
    CHECK(find_record(r, "C", 100) == nullptr);
}

TEST_CASE("submission headers: raw UTF-8 becomes encoded words where it may, so SMTPUTF8 is for addresses only") {
    const std::string in =
        "From: Jörg Müller <joerg@example.de>\nTo: Zoë <zoe@example.se>, bob@example.org\nSubject: Grüße aus Köln\n"
        "Message-ID: <1@example.de>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nÄpfel\n";
    const std::string out = with_submission_headers(in, "", 1795000000, 0);
    const std::string head = out.substr(0, out.find("\n\n"));
    for (const char c : head) CHECK(static_cast<unsigned char>(c) < 0x80);
    CHECK(head.find("Subject: =?UTF-8?") != std::string::npos);
    CHECK(head.find("<joerg@example.de>") != std::string::npos);
    CHECK(head.find("bob@example.org") != std::string::npos);
    CHECK(out.substr(out.find("\n\n")) == "\n\nÄpfel\n");  // the body as it was
    const Headers h = parse_headers(out).headers;
    CHECK(decode_header_text(*h.get("Subject")) == "Grüße aus Köln");
    CHECK(parse_address_list(*h.get("From")).front().name == "Jörg Müller");
    CHECK(parse_address_list(*h.get("To")).size() == 2);
    // a UTF-8 address has no encoded form: kept, and SMTPUTF8 will be asked for
    const std::string eai = "From: x@y\nTo: Jörg <jörg@example.de>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <2@y>\n\nhi\n";
    CHECK(with_submission_headers(eai, "", 1795000000, 0) == eai);
    // CRLF messages stay CRLF
    const std::string crlf = "From: x@y\r\nSubject: Café\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <3@y>\r\n\r\nhi\r\n";
    const std::string crlf_out = with_submission_headers(crlf, "", 1795000000, 0);
    CHECK(crlf_out.find("Subject: =?UTF-8?") != std::string::npos);
    CHECK(crlf_out.find("\r\n\r\nhi\r\n") != std::string::npos);
    CHECK(crlf_out.find("\n\n") == std::string::npos);
}
