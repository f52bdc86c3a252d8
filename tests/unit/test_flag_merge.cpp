// The three-way flag merge of a sync (sync/flag_merge.hpp), and the pure
// helpers that tell one server message from another (sync/server_copy.hpp).
#include <doctest/doctest.h>

#include "sync/flag_merge.hpp"
#include "sync/server_copy.hpp"
#include "util/strings.hpp"

using namespace tern;

namespace {

Flags f(const char* letters) { return Flags::from_maildir(letters); }

struct Case {
    const char* what;
    const char *local, *agreed, *remote;
    std::optional<IndexDb::FlagPush> pushing;
    const char *merged, *recorded;  // merged, and what is agreed before any STORE
    bool store;
};

}  // namespace

TEST_CASE("flags merge three ways, and a STORE a kill interrupted is settled first") {
    const IndexDb::FlagPush push_f{f("F"), f("FS")};      // a STORE that set F (S unchanged)
    const IndexDb::FlagPush push_no_f{f("F"), f("S")};    // a STORE that cleared F
    const Case cases[] = {
        {"nothing changed", "S", "S", "S", std::nullopt, "S", "S", false},
        {"changed here: goes to the server", "FS", "S", "S", std::nullopt, "FS", "S", true},
        {"changed there: comes here", "S", "S", "FS", std::nullopt, "FS", "FS", false},
        {"both changed the same way", "FS", "S", "FS", std::nullopt, "FS", "FS", false},
        {"F removed here, the server unchanged", "S", "FS", "FS", std::nullopt, "S", "FS", true},
        {"different flags changed on each side: both kept", "FS", "S", "", std::nullopt, "F", "S", true},
        // the server took the killed STORE (+F): agreed is F now, so the F removed here since is a change
        {"STORE taken, then F removed here", "S", "S", "FS", push_f, "S", "FS", true},
        {"STORE taken, nothing changed here since", "FS", "S", "FS", push_f, "FS", "FS", false},
        // the STORE never reached the server: it is sent again
        {"STORE not taken", "FS", "S", "S", push_f, "FS", "S", true},
        {"STORE not taken, then undone here", "S", "S", "S", push_f, "S", "S", false},
        // a STORE that cleared F, taken; F set again here since: set again on the server
        {"clearing STORE taken, then F set here", "FS", "FS", "S", push_no_f, "FS", "S", true},
        {"STORE taken; S removed on both sides since", "F", "S", "F", push_f, "F", "F", false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        const FlagMerge m = merge_flags(f(c.local), f(c.agreed), f(c.remote), c.pushing);
        CHECK(m.merged == f(c.merged));
        CHECK(m.agreed == f(c.recorded));
        CHECK(m.push.has_value() == c.store);
        if (m.push) {
            CHECK(m.push->value == m.merged);
            CHECK(m.push->mask == Flags(static_cast<std::uint8_t>(m.merged.bits() ^ f(c.remote).bits())));
        }
    }
}

TEST_CASE("a maildir file's size on the wire counts each bare LF as CRLF") {
    CHECK(crlf_size("") == 0);
    CHECK(crlf_size("a\nb\n") == 6);
    CHECK(crlf_size("a\r\nb\n") == 6);   // a CRLF already there stays two bytes
    CHECK(crlf_size("\n") == 2);
    CHECK(crlf_size("a\rb") == 3);       // a lone CR is one byte
}

TEST_CASE("the UID a tern delivery put into a file name") {
    CHECK(uid_in_key("1700000000.M1P2Q3.host,S=120,U=42") == 42);
    CHECK(uid_in_key("1700000000.M1P2Q3.host,S=120") == 0);
    CHECK(uid_in_key("1700000000.M1P2Q3.host,S=120,U=") == 0);
    CHECK(uid_in_key("x,U=12a") == 0);
    CHECK(uid_in_key("x,U=4294967295") == 4294967295u);
    CHECK(uid_in_key("x,U=4294967296") == 0);   // not a UID
}
