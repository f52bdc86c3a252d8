// RFC 2047 encoded words, transfer encodings and charsets: tables of edge
// cases, each with a comment.
#include <doctest/doctest.h>

#include "mime/charset.hpp"
#include "mime/encoded_words.hpp"
#include "mime/transfer_encoding.hpp"

using namespace tern;

TEST_CASE("RFC 2047 encoded words") {
    struct Row {
        const char* comment;
        const char* raw;
        const char* decoded;
    };
    const Row rows[] = {
        {"plain ASCII passes", "Hello world", "Hello world"},
        {"Q encoding with underscore", "=?iso-8859-1?q?caf=E9_au_lait?=", "café au lait"},
        {"B encoding", "=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?=", "Jörg Müller"},
        {"blanks between adjacent words are dropped", "=?utf-8?q?a?= =?utf-8?q?b?=", "ab"},
        {"folded blanks between words are dropped too", "=?utf-8?q?a?=\t  =?utf-8?q?b?=", "ab"},
        {"text between words is kept", "=?utf-8?q?a?= and =?utf-8?q?b?=", "a and b"},
        {"a UTF-8 character split across two B words survives", "=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=", "éé"},
        {"a character split mid-sequence across words", "=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=", "é"},
        {"words in different charsets", "=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=", "éé"},
        {"language suffix (RFC 2231)", "=?utf-8*de?q?Gr=C3=BC=C3=9Fe?=", "Grüße"},
        {"lower-case b and q", "=?utf-8?b?w7w=?=", "ü"},
        {"glued to text, as some senders do", "Re:=?utf-8?q?_caf=C3=A9?=", "Re: café"},
        {"inside quotes, as some senders do", "\"=?utf-8?q?Z=C3=B6e?=\" <z@x>", "\"Zöe\" <z@x>"},
        {"malformed: unknown encoding letter is left readable", "=?utf-8?x?abc?=", "=?utf-8?x?abc?="},
        {"malformed: no end is left readable", "=?utf-8?q?abc", "=?utf-8?q?abc"},
        {"malformed: empty charset", "=??q?abc?=", "=??q?abc?="},
        {"unknown charset: shown as UTF-8 or latin-1, not dropped", "=?x-unknown?q?abc?=", "abc"},
        {"GB2312 (read as GB18030)", "=?gb2312?B?1tDOxA==?=", "中文"},
        {"Shift_JIS", "=?shift_jis?B?k/qWe4zq?=", "日本語"},
        {"ISO-2022-JP", "=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "日本語"},
        {"KOI8-R", "=?koi8-r?B?8NLJ18XU?=", "Привет"},
        {"EUC-KR", "=?euc-kr?B?x9Gxub7u?=", "한국어"},
        {"Big5", "=?big5?B?pKSk5Q==?=", "中文"},
        {"raw UTF-8 in a header", "Caf\xC3\xA9", "Café"},
        {"raw latin-1 in a header falls back", "Caf\xE9", "Café"},
    };
    for (const auto& r : rows) {
        CAPTURE(std::string(r.comment));
        CHECK(decode_header_text(r.raw) == r.decoded);
    }
    // raw 8-bit bytes are read in the message's charset when they are not UTF-8
    CHECK(decode_header_text("\xF0\xD2\xC9\xD7\xC5\xD4", "koi8-r") == "Привет");
}

TEST_CASE("base64 decoding is lenient") {
    CHECK(decode_base64("SGVsbG8=") == "Hello");
    CHECK(decode_base64("SGVs\r\nbG8=") == "Hello");            // line breaks
    CHECK(decode_base64("SG!!Vs*bG8") == "Hello");              // garbage skipped
    CHECK(decode_base64("SGk=SGk=") == "HiHi");                 // concatenated encodings
    CHECK(decode_base64("") == "");
    CHECK(decode_base64("=") == "");
    CHECK(encode_base64("Hello") == "SGVsbG8=");
    CHECK(decode_base64(encode_base64(std::string(1000, '\xff'))) == std::string(1000, '\xff'));
    const std::string wrapped = encode_base64(std::string(200, 'a'));
    CHECK(wrapped.find("\r\n") == 76);  // lines of 76 characters
}

TEST_CASE("quoted-printable decoding") {
    CHECK(decode_quoted_printable("caf=C3=A9") == "café");
    CHECK(decode_quoted_printable("soft=\r\nbreak") == "softbreak");           // soft line break
    CHECK(decode_quoted_printable("soft=  \nbreak") == "softbreak");           // blanks after '='
    CHECK(decode_quoted_printable("a  \r\nb") == "a\r\nb");                    // transport padding dropped
    CHECK(decode_quoted_printable("100=% =ZZ") == "100=% =ZZ");                // bad escapes kept
    CHECK(decode_quoted_printable("end=") == "end");
    CHECK(decode_quoted_printable("a_b", true) == "a b");                      // RFC 2047 Q
    CHECK(decode_quoted_printable("a_b", false) == "a_b");
    CHECK(decode_transfer("SGk=", "Base64") == "Hi");
    CHECK(decode_transfer("x=41", "7bit") == "x=41");
}

TEST_CASE("charset conversion never drops text") {
    CHECK(to_utf8("caf\xE9", "iso-8859-1").text == "café");
    CHECK(to_utf8("\x93quoted\x94", "iso-8859-1").text == "\xE2\x80\x9Cquoted\xE2\x80\x9D");  // windows-1252 quotes
    CHECK(to_utf8("caf\xC3\xA9", "us-ascii").text == "café");  // UTF-8 mislabelled as ASCII
    CHECK(to_utf8("\xA4", "iso-8859-15").text == "€");
    CHECK(to_utf8("\x80", "windows-1252").text == "€");
    CHECK(to_utf8("\xC0\xC1", "windows-1251").text == "АБ");
    CHECK(to_utf8("\xB0\xA1", "gb2312").text == "啊");
    CHECK(to_utf8("\xA4\xA4", "euc-jp").text == "い");
    auto u = to_utf8("abc", "no-such-charset");
    CHECK(u.unknown_charset());
    CHECK(u.shown_as == "UTF-8");
    CHECK(u.text == "abc");
    u = to_utf8("caf\xE9", "no-such-charset");
    CHECK(u.shown_as == "windows-1252");
    CHECK(u.text == "café");
    u = to_utf8("a\xFF\xFE", "utf-8");
    CHECK(u.had_errors);
    CHECK(u.text == "a\xEF\xBF\xBD\xEF\xBF\xBD");
    u = to_utf8("\x1B$B", "iso-2022-jp");  // cut off mid-sequence
    CHECK(is_valid_utf8(u.text));
}

TEST_CASE("invalid UTF-8 becomes U+FFFD") {
    CHECK(sanitize_utf8("ok\xC3") == "ok\xEF\xBF\xBD");
    CHECK(sanitize_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
    CHECK(sanitize_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
    CHECK(is_valid_utf8("日本"));
    CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
}

TEST_CASE("terminal_safe disarms control characters and escape sequences") {
    CHECK(terminal_safe("red\x1B[31mtext") == "red^[[31mtext");  // ESC made visible
    CHECK(terminal_safe("a\tb\nc") == "a\tb\nc");                 // TAB and LF stay
    CHECK(terminal_safe("bell\x07") == "bell^G");
    CHECK(terminal_safe("cr\rover") == "cr^Mover");
    CHECK(terminal_safe("del\x7F") == "del^?");
    CHECK(terminal_safe("csi\xC2\x9B" "31m") == "csi<U+009B>31m");  // C1 CSI
    CHECK(terminal_safe("osc\x1B]0;title\x07") == "osc^[]0;title^G");
    CHECK(terminal_safe("bad\xFF") == "bad\xEF\xBF\xBD");
    CHECK(terminal_safe("ünïcode") == "ünïcode");
}

TEST_CASE("decode_utf8 and append_utf8") {
    std::size_t i = 0;
    CHECK(decode_utf8("\xE2\x82\xAC!", i) == U'€');
    CHECK(i == 3);
    i = 0;
    CHECK_FALSE(decode_utf8("\xC0\xAF", i));  // overlong
    CHECK(i == 0);
    i = 0;
    CHECK(decode_utf8("\xF0\x9F\x98\x80", i) == U'\U0001F600');
    std::string out;
    append_utf8(out, U'é');
    append_utf8(out, 0xD800);  // a surrogate is no character
    append_utf8(out, U'\U0001F600');
    CHECK(out == "\xC3\xA9\xEF\xBF\xBD\xF0\x9F\x98\x80");
}
