// The IMAP response reader and parser on raw bytes: literals that hold
// response-like lines, split reads, FETCH items, status codes, hostile input.
#include <doctest/doctest.h>

#include "net/imap_mailbox.hpp"
#include "net/imap_response.hpp"

using namespace tern;

namespace {

// Feeds `bytes` in pieces of `step` and collects the responses.
std::vector<std::string> responses(std::string_view bytes, std::size_t step) {
    ResponseReader reader;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < bytes.size(); i += step) {
        reader.feed(bytes.substr(i, step));
        while (auto r = reader.next()) out.push_back(*r);
    }
    return out;
}

}  // namespace

TEST_CASE("a literal holding response-like lines is one response, however the bytes arrive") {
    // the body a hostile sender would write to desynchronise a client
    using namespace std::string_literals;
    const std::string body = "A005 OK done\r\n* 3 EXPUNGE\r\n{5}\r\n\0NUL\r\n"s;
    REQUIRE(body.find('\0') != std::string::npos);
    const std::string stream = "* 1 FETCH (UID 7 BODY[] {" + std::to_string(body.size()) + "}\r\n" + body +
                               ")\r\n* 2 EXISTS\r\nA005 OK FETCH completed\r\n";
    for (const std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{7}, stream.size()}) {
        CAPTURE(step);
        const auto r = responses(stream, step);
        REQUIRE(r.size() == 3);
        const FetchData f = parse_fetch(parse_response(r[0]));
        CHECK(f.sequence == 1);
        CHECK(f.uid == 7u);
        REQUIRE(f.section("BODY[]"));
        CHECK(*f.section("BODY[]") == body);
        CHECK(parse_response(r[1]).name == "EXISTS");
        CHECK(parse_response(r[1]).number == 2u);
        const ImapResponse done = parse_response(r[2]);
        CHECK(done.kind == ImapResponse::Kind::Tagged);
        CHECK(done.tag == "A005");
        CHECK(done.name == "OK");
        CHECK(done.text == "FETCH completed");
    }
}

TEST_CASE("a header fetch of a folder: flags, size, date, modseq, section with a field list") {
    const ImapResponse r = parse_response(
        "* 12 FETCH (UID 4021 FLAGS (\\Seen \\Answered $Forwarded) RFC822.SIZE 53211 INTERNALDATE \"17-Jul-2026 02:44:25 -0700\" "
        "MODSEQ (12345678901) BODY[HEADER.FIELDS (FROM SUBJECT MESSAGE-ID)] {24}\r\nSubject: hi\r\nFrom: a@b\r\n)\r\n");
    const FetchData f = parse_fetch(r);
    CHECK(f.sequence == 12);
    CHECK(f.uid == 4021u);
    REQUIRE(f.flags);
    CHECK(*f.flags == std::vector<std::string>{"\\Seen", "\\Answered", "$Forwarded"});
    CHECK(f.size == 53211u);
    CHECK(f.internal_date == "17-Jul-2026 02:44:25 -0700");
    CHECK(f.modseq == 12345678901u);
    REQUIRE(f.section("body[header.fields (from subject message-id)]"));  // names are case-blind
    CHECK(*f.section("BODY[HEADER.FIELDS (FROM SUBJECT MESSAGE-ID)]") == "Subject: hi\r\nFrom: a@b\r\n");
}

TEST_CASE("partial fetches, NIL sections, envelope and bodystructure") {
    const FetchData f = parse_fetch(parse_response(
        "* 3 FETCH (BODY[]<0> {3}\r\nabc BODY[1.MIME] NIL ENVELOPE (\"Mon, 2 Mar 2026 10:00:00 +0000\" \"Hi \\\"there\\\"\" "
        "((\"Zo\xC3\xAB\" NIL \"zoe\" \"example.se\")) NIL NIL NIL NIL NIL NIL \"<m@x>\") "
        "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 12 1)(\"application\" \"pdf\" "
        "(\"name\" \"a.pdf\") NIL NIL \"base64\" 3000) \"mixed\"))"));
    CHECK(*f.section("BODY[]") == "abc");
    REQUIRE(f.section("BODY[1.MIME]"));
    CHECK(f.section("BODY[1.MIME]")->empty());
    REQUIRE(f.envelope);
    REQUIRE(f.envelope->items.size() == 10);
    CHECK(f.envelope->items[1].str() == "Hi \"there\"");
    CHECK(f.envelope->items[2].items[0].items[0].str() == "Zo\xC3\xAB");
    CHECK(f.envelope->items[9].str() == "<m@x>");
    REQUIRE(f.body_structure);
    CHECK(f.body_structure->items.size() == 3);
    CHECK(f.body_structure->items[1].items[6].number == 3000);
}

TEST_CASE("status responses: codes with arguments, text, continuations") {
    const ImapResponse ok = parse_response("* OK [UIDVALIDITY 1700000000] UIDs valid\r\n");
    CHECK(ok.kind == ImapResponse::Kind::Untagged);
    CHECK(ok.code == "UIDVALIDITY");
    REQUIRE(ok.code_data.size() == 1);
    CHECK(ok.code_data[0].number == 1700000000);
    CHECK(ok.text == "UIDs valid");
    const ImapResponse flags = parse_response("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited");
    REQUIRE(flags.code_data.size() == 1);
    CHECK(flags.code_data[0].items.size() == 3);
    CHECK(flags.code_data[0].items[2].is_atom("\\*"));
    const ImapResponse copy = parse_response("A9 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n");
    CHECK(copy.code == "COPYUID");
    REQUIRE(copy.code_data.size() == 3);
    CHECK(copy.code_data[1].str() == "304,319:320");
    const ImapResponse no = parse_response("A2 NO [AUTHENTICATIONFAILED] Authentication failed.");
    CHECK(no.name == "NO");
    CHECK(no.code == "AUTHENTICATIONFAILED");
    CHECK(no.text == "Authentication failed.");
    const ImapResponse bye = parse_response("* BYE Server shutting down\r\n");
    CHECK(bye.name == "BYE");
    CHECK(bye.text == "Server shutting down");
    const ImapResponse more = parse_response("+ idling\r\n");
    CHECK(more.kind == ImapResponse::Kind::Continuation);
    CHECK(more.text == "idling");
    CHECK(parse_response("+\r\n").kind == ImapResponse::Kind::Continuation);
}

TEST_CASE("LIST, STATUS, SEARCH, ESEARCH, CAPABILITY, VANISHED") {
    const ImapResponse list = parse_response("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Messages\"\r\n");
    REQUIRE(list.data.size() == 3);
    CHECK(list.data[0].items[1].is_atom("\\sent"));
    CHECK(list.data[1].str() == "/");
    CHECK(list.data[2].str() == "Sent Messages");
    const ImapResponse nil_delim = parse_response("* LIST (\\Noselect) NIL {5}\r\nA&-B)\r\n");
    CHECK(nil_delim.data[1].kind == ImapValue::Kind::Nil);
    CHECK(nil_delim.data[2].str() == "A&-B)");  // a literal name may hold a paren
    const ImapResponse status = parse_response("* STATUS INBOX (MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 7011231777)");
    CHECK(status.data[0].str() == "INBOX");
    CHECK(status.data[1].items[5].number == 7011231777);
    const ImapResponse search = parse_response("* SEARCH 2 84 882\r\n");
    REQUIRE(search.data.size() == 3);
    CHECK(search.data[2].number == 882);
    CHECK(parse_response("* SEARCH\r\n").data.empty());
    const ImapResponse esearch = parse_response("* ESEARCH (TAG \"A282\") UID MIN 2 COUNT 3 ALL 2,10:11");
    REQUIRE(esearch.data.size() == 8);
    CHECK(esearch.data[7].str() == "2,10:11");
    const ImapResponse caps = parse_response("* CAPABILITY IMAP4rev1 IDLE CONDSTORE AUTH=PLAIN\r\n");
    CHECK(caps.data.size() == 4);
    CHECK(caps.data[3].str() == "AUTH=PLAIN");
    const ImapResponse vanished = parse_response("* VANISHED (EARLIER) 300:310,405");
    CHECK(vanished.data[0].items[0].is_atom("EARLIER"));
    CHECK(vanished.data[1].str() == "300:310,405");
}

TEST_CASE("bytes that are not IMAP are an error, never a crash or a hang") {
    const char* bad[] = {
        "",                                      // nothing
        "A1 MAYBE fine",                         // a tagged reply that is not OK/NO/BAD
        "* 1 FETCH (UID 5",                      // unclosed list
        "* 1 FETCH (BODY[] {10}\r\nabc)",        // literal cut short
        "* 1 FETCH (BODY[HEADER.FIELDS (FROM) {3}\r\nabc)",  // unclosed section
        "* 1 FETCH (BODY[] \"abc)",              // unterminated quote
        "* 99999999999999999999999 EXISTS",      // number out of range
        "* 1 FETCH (UID 0)",                     // UID 0 does not exist
    };
    for (const char* b : bad) {
        CAPTURE(b);
        CHECK_THROWS_AS(parse_fetch(parse_response(b)), ImapProtocolError);
    }
    // found by the fuzzer: a section ending in '>' without a partial origin
    CHECK(parse_fetch(parse_response("* 1 FETCH (BODY[]x0> {3}\r\nabc)")).section("BODY[]X0>"));
    std::string deep = "* LIST ";
    for (int i = 0; i < 1000; ++i) deep += '(';
    CHECK_THROWS_AS(parse_response(deep), ImapProtocolError);  // no stack exhaustion
    ResponseReader reader;
    reader.feed("* 1 FETCH (BODY[] {99999999999}\r\n");
    CHECK_THROWS_AS(reader.next(), ImapProtocolError);  // an absurd literal is refused, not awaited
}

TEST_CASE("UID sets both ways: what COPYUID says is read in its order") {
    CHECK(uid_set({7, 1, 2, 3, 9, 8, 3}) == "1:3,7:9");
    CHECK(uid_set({}).empty());
    using V = std::vector<std::uint32_t>;
    CHECK(parse_uid_set("1:3,7") == std::optional<V>(V{1, 2, 3, 7}));
    CHECK(parse_uid_set("12") == std::optional<V>(V{12}));
    CHECK(parse_uid_set("5:3") == std::optional<V>(V{5, 4, 3}));  // a range may be written backwards
    CHECK_FALSE(parse_uid_set(""));
    CHECK_FALSE(parse_uid_set("1:*"));    // '*' is not a UID here
    CHECK_FALSE(parse_uid_set("0"));      // UIDs start at 1
    CHECK_FALSE(parse_uid_set("1,,2"));
    CHECK_FALSE(parse_uid_set("1:4294967296"));
    CHECK_FALSE(parse_uid_set("1:2000000"));  // a hostile server's huge range
}
