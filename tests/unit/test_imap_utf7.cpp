// Modified UTF-7 folder names (RFC 3501 5.1.3), both ways.
#include <doctest/doctest.h>

#include "net/imap_utf7.hpp"

using namespace tern;

TEST_CASE("folder names in modified UTF-7") {
    struct Row {
        const char* utf8;
        const char* wire;
    };
    const Row rows[] = {
        {"INBOX", "INBOX"},
        {"Tom & Jerry", "Tom &- Jerry"},                          // '&' itself
        {"Entw\xC3\xBC" "rfe", "Entw&APw-rfe"},                    // German drafts
        {"\xE5\x8F\xB0\xE5\x8C\x97", "&U,BTFw-"},                  // RFC 3501's example: ',' for '/'
        {"~peter/mail/\xE5\x8F\xB0\xE5\x8C\x97/\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"},
        {"\xF0\x9F\x93\xA7 mail", "&2D3c5w- mail"},                 // outside the BMP: a surrogate pair
        {"\xD0\x9E\xD1\x82\xD0\xBF\xD1\x80\xD0\xB0\xD0\xB2\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xBD\xD1\x8B\xD0\xB5", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.utf8);
        CHECK(encode_imap_utf7(r.utf8) == r.wire);
        CHECK(decode_imap_utf7(r.wire) == std::string(r.utf8));
    }
}

TEST_CASE("names that are not modified UTF-7 are refused") {
    CHECK_FALSE(decode_imap_utf7("&U,BTFw").has_value());   // no closing '-'
    CHECK_FALSE(decode_imap_utf7("&AGE-").has_value());     // "a" encoded: printable ASCII must be plain
    CHECK_FALSE(decode_imap_utf7("&2D0-").has_value());     // a lone surrogate
    CHECK_FALSE(decode_imap_utf7("&U!-").has_value());      // not in the alphabet
    CHECK_FALSE(decode_imap_utf7("caf\xC3\xA9").has_value());  // raw 8-bit
}
