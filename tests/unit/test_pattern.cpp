// mutt's pattern language: each operator, smart case, dates, sizes, errors.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "mime/date.hpp"
#include "store/pattern.hpp"
#include "util/strings.hpp"

using namespace tern;

namespace {

const std::int64_t kNow = days_from_civil(2026, 3, 10) * 86400 + 12 * 3600;  // 10 Mar 2026 12:00 UTC

MessageRow row(std::string from_name, std::string from_addr, std::string subject, std::int64_t date, const char* flags = "S",
               std::int64_t size = 1000) {
    const Flags f = Flags::from_maildir(flags);
    MessageRow r({.file = f.has(Flags::Seen) ? "cur/x" : "new/x", .from_name = from_name, .from_addr = from_addr,
                  .to = "Test User <me@example.org>", .cc = "list@lists.example.org", .subject = subject,
                  .message_id = "<id1@example.com>", .references = "<root@example.com>"});
    r.date = date;
    r.flags = f;
    r.size = size;
    return r;
}

bool m(std::string_view pattern, const MessageRow& r, const MatchContext& ctx = {}) {
    return pattern_matches(parse_pattern(pattern, kNow), r, ctx);
}

}  // namespace

TEST_CASE("field patterns, smart case, substrings") {
    const MessageRow r = row("Alice Example", "alice@example.com", "Quarterly Report", kNow);
    CHECK(m("~f alice", r));
    CHECK(m("~f ALICE", r) == false);  // an upper-case letter makes it case-sensitive
    CHECK(m("~f Alice", r));
    CHECK(m("~s 'quarterly rep'", r));
    CHECK(m("~s ^quarterly", r));
    CHECK_FALSE(m("~s ^report", r));
    CHECK(m("~t me@example", r));
    CHECK(m("~c lists", r));
    CHECK(m("~C lists", r));
    CHECK(m("~C me@", r));
    CHECK(m("~i id1@", r));
    CHECK(m("~x root@", r));
    CHECK(m("=s rt.r", r) == false);  // '=' is a substring, not a regex
    CHECK(m("~s rt.r", r));
    CHECK(m("=f example.com", r));
    CHECK(m("report", r));            // a plain word: ~f or ~s
    CHECK(m("alice", r));
    CHECK_FALSE(m("bob", r));
}

TEST_CASE("operators: and, or, not, parentheses") {
    const MessageRow r = row("Alice", "alice@example.com", "Lunch", kNow, "FS");
    CHECK(m("~f alice ~s lunch", r));
    CHECK_FALSE(m("~f alice ~s dinner", r));
    CHECK(m("~f bob | ~s lunch", r));
    CHECK(m("!~f bob", r));
    CHECK(m("~F !(~s dinner | ~f bob)", r));
    CHECK_FALSE(m("!(~s lunch)", r));
}

TEST_CASE("flag patterns") {
    const MessageRow unread_new = row("a", "a@x", "s", kNow, "");
    MessageRow unread_old = row("a", "a@x", "s", kNow, "");
    unread_old.set_file("cur/x");
    const MessageRow replied = row("a", "a@x", "s", kNow, "RS");
    const MessageRow deleted = row("a", "a@x", "s", kNow, "ST");
    CHECK(m("~N", unread_new));
    CHECK_FALSE(m("~N", unread_old));
    CHECK(m("~O", unread_old));
    CHECK(m("~U", unread_new));
    CHECK(m("~R", replied));
    CHECK(m("~Q", replied));
    CHECK_FALSE(m("~Q", unread_new));
    CHECK(m("~D", deleted));
    CHECK(m("~A", deleted));
    MatchContext me;
    me.my_addresses = AddressSet({"A@X"});
    CHECK(m("~P", replied, me));
    CHECK_FALSE(m("~P", replied));
    me.is_tagged = true;
    CHECK(m("~T", replied, me));
}

TEST_CASE("~l and ~u: mail to a known list, to a subscribed one (mutt's lists and subscribe)") {
    MessageRow to_list = row("a", "a@x", "s", kNow);
    to_list.set_text({.from_addr = "a@x", .to = "Dev <dev@lists.example.org>", .cc = "b@x"});
    MessageRow cc_list = row("a", "a@x", "s", kNow);
    cc_list.set_text({.from_addr = "a@x", .to = "me@x", .cc = "announce@lists.example.org"});
    MessageRow personal = row("a", "a@x", "s", kNow);
    personal.set_text({.from_addr = "a@x", .to = "me@x"});
    MatchContext ctx;
    ctx.lists = AddressSet({}, {"@lists\\.example\\.org$"});
    ctx.subscribed = AddressSet({}, {"^announce@"});
    CHECK(m("~l", to_list, ctx));
    CHECK(m("~l", cc_list, ctx));
    CHECK_FALSE(m("~l", personal, ctx));
    CHECK_FALSE(m("~u", to_list, ctx));
    CHECK(m("~u", cc_list, ctx));
    CHECK_FALSE(m("~l", to_list));  // no lists known: nothing is a list's
}

TEST_CASE("date patterns: relative and absolute") {
    const MessageRow yesterday = row("a", "a@x", "s", kNow - 86400);
    const MessageRow last_month = row("a", "a@x", "s", kNow - 40 * 86400);
    CHECK(m("~d <2d", yesterday));
    CHECK_FALSE(m("~d <2d", last_month));
    CHECK(m("~d >1m", last_month));
    CHECK(m("~d >1w", last_month));
    CHECK_FALSE(m("~d >1w", yesterday));
    CHECK(m("~d =1d", yesterday));
    CHECK(m("~d 09/03/2026", yesterday));            // that day
    CHECK(m("~d 01/03/2026-10/03/2026", yesterday));
    CHECK(m("~d 01/01/2026-", last_month));
    CHECK_FALSE(m("~d -31/12/2025", last_month));
    CHECK(m("~d 9", yesterday));                     // day of this month
    CHECK(m("~d 9/3/26", yesterday));                // two-digit year
}

TEST_CASE("size patterns") {
    const MessageRow small = row("a", "a@x", "s", kNow, "S", 500);
    const MessageRow big = row("a", "a@x", "s", kNow, "S", 3 * 1024 * 1024);
    CHECK(m("~z <1K", small));
    CHECK_FALSE(m("~z <1K", big));
    CHECK(m("~z >1M", big));
    CHECK(m("~z 100-1K", small));
    CHECK(m("~z 2M-", big));
    CHECK(m("~z -1K", small));
    CHECK(m("~z 500", small));
}

TEST_CASE("body and header patterns ask for the text") {
    const MessageRow r = row("a", "a@x", "s", kNow);
    MatchContext ctx;
    ctx.message_text = [](const MessageRow&, char part) {
        return part == 'h' ? std::string("X-Mailer: tern\n") : part == 'b' ? std::string("see the invoice\n")
                                                                          : std::string("X-Mailer: tern\n\nsee the invoice\n");
    };
    CHECK(m("~b invoice", r, ctx));
    CHECK_FALSE(m("~b x-mailer", r, ctx));
    CHECK(m("~B x-mailer", r, ctx));
    CHECK(m("~h '^x-mailer: tern'", r, ctx));
    CHECK_FALSE(m("~h invoice", r, ctx));
    CHECK(parse_pattern("~b x | ~f y", kNow).uses_message_text());
    CHECK(parse_pattern("~h x", kNow).uses_message_text());
    CHECK_FALSE(parse_pattern("~f y", kNow).uses_message_text());
}

TEST_CASE("~b asks the full-text index once and reads bodies only to check case or a regex") {
    MessageRow with = row("a", "a@x", "s", kNow), without = row("b", "b@x", "s", kNow);
    with.id = 1;
    without.id = 2;
    int searches = 0, reads = 0;
    MatchContext ctx;
    ctx.search_text = [&](std::string_view literal, char part) -> std::optional<std::vector<std::int64_t>> {
        CHECK(part == 'b');
        ++searches;
        if (literal.size() < 3) return std::nullopt;
        // lower case, as the index folds it
        if (literal.find("invoice") != std::string_view::npos) return std::vector<std::int64_t>{1};
        return std::vector<std::int64_t>{};
    };
    ctx.message_text = [&](const MessageRow& r, char) {
        ++reads;
        return std::string(r.id == 1 ? "see the Invoice\n" : "nothing\n");
    };
    const Pattern lower = parse_pattern("~b invoice", kNow);
    PatternMatcher matcher(lower, ctx);
    CHECK(matcher.matches(with));
    CHECK_FALSE(matcher.matches(without));
    CHECK(searches == 1);
    CHECK(reads == 0);  // lower case: the index's answer is the answer
    const Pattern upper = parse_pattern("~b Invoice", kNow);
    PatternMatcher exact(upper, ctx);
    CHECK(exact.matches(with));       // a candidate, checked: "Invoice" is there
    CHECK_FALSE(exact.matches(without));  // not a candidate: its body is not read
    CHECK(reads == 1);
    const Pattern regex = parse_pattern("~b '^see the Invoice'", kNow);
    CHECK(PatternMatcher(regex, ctx).matches(with));
    CHECK(reads == 2);
    searches = 0;
    const Pattern shorter = parse_pattern("~b in", kNow);  // too short for the index: bodies are read
    CHECK(PatternMatcher(shorter, ctx).matches(without));  // "nothing"
    CHECK(searches == 0);
    CHECK(reads == 3);
}

TEST_CASE("a ~b regex is looked up by the text it must contain") {
    std::vector<std::string> asked;
    MatchContext ctx;
    ctx.search_text = [&](std::string_view literal, char) -> std::optional<std::vector<std::int64_t>> {
        asked.emplace_back(literal);
        return std::vector<std::int64_t>{};
    };
    struct Row {
        const char* regex;
        const char* asked;  // "" when the index cannot help
    };
    const Row rows[] = {
        {"example.org", "example,example.org"},  // '.' splits; the longer run; then the whole, which surely matches
        {"^invoice [0-9]+", "invoice "},  // anchors and brackets are not text
        {"colou?r scheme", "r scheme"}, // 'u' is optional, so is the run's end before it
        {"Budget", "budget"},           // asked in lower case (the index ignores case)
        {"(draft)?final", "final"},     // an optional group does not count
        {"a|bcdef", ""},                // alternation: nothing is required
        {"ab.cd", ""},                  // no run of three
        {"x{2,3}yz[]q]w", ""},          // a ']' first in a bracket is a member
        {"report[.]pdf", "report"},     // a bracket ends a run
    };
    for (const Row& r : rows) {
        const std::string regex = r.regex;
        CAPTURE(regex);
        asked.clear();
        PatternMatcher(parse_pattern(std::string("~b '") + r.regex + "'", kNow), ctx);
        CHECK(join(asked, ",") == r.asked);
    }
}

TEST_CASE("a ~b regex whose only special characters are dots: what holds it as plain text is not read again") {
    MatchContext ctx;
    ctx.search_text = [&](std::string_view literal, char) -> std::optional<std::vector<std::int64_t>> {
        if (literal == "example") return std::vector<std::int64_t>{1, 2, 3};
        if (literal == "example.org") return std::vector<std::int64_t>{1, 2};
        return std::vector<std::int64_t>{};
    };
    std::vector<std::int64_t> read;
    ctx.message_text = [&](const MessageRow& r, char) {
        read.push_back(r.id);
        return std::string(r.id == 3 ? "see exampleXorg\n" : "example.org\n");
    };
    const Pattern p = parse_pattern("~b example.org", kNow);
    PatternMatcher m(p, ctx);
    for (std::int64_t id : {1, 2, 3, 4}) {
        MessageRow row;
        row.id = id;
        CHECK(m.matches(row) == (id != 4));  // 3 by the regex's dot, 4 is no candidate
    }
    CHECK(read == std::vector<std::int64_t>{3});  // only the one the index was not sure of
    // upper case (a case-sensitive regex) or other special characters: every candidate is checked
    read.clear();
    const Pattern upper = parse_pattern("~b Example.org", kNow);
    PatternMatcher sensitive(upper, ctx);
    for (std::int64_t id : {1, 2, 3}) {
        MessageRow row;
        row.id = id;
        sensitive.matches(row);
    }
    CHECK(read.size() == 3);
}

TEST_CASE("~f with plain text looks at the name and the address; with a space or '<' at both together") {
    MessageRow r(MessageText{.from_name = "Alice Example", .from_addr = "alice@example.com"});
    MatchContext ctx;
    const auto match = [&](const char* text) { return pattern_matches(parse_pattern(text, kNow), r, ctx); };
    CHECK(match("~f alice"));
    CHECK(match("~f EXAMPLE.COM") == false);  // upper case: case-sensitive, and a regex ('.')
    CHECK(match("~f ple.co"));
    CHECK(match("~f 'example <alice'"));     // spans the name and the address
    CHECK(match("~f '<alice@'"));
    CHECK(match("~f bob") == false);
    MessageRow no_name(MessageText{.from_addr = "bob@example.org"});
    CHECK(pattern_matches(parse_pattern("~f bob", kNow), no_name, ctx));
}

TEST_CASE("mistakes say what and where") {
    struct Row {
        const char* pattern;
        const char* message;
    };
    const Row rows[] = {
        {"~q foo", "unknown pattern '~q'"},
        {"~s", "a value is missing"},
        {"~s (unclosed", "bad regular expression"},
        {"(~s a", "'(' without ')'"},
        {"~s a)", "')' without '('"},
        {"~d 32/13/2026", "bad date"},
        {"~d <3x", "bad unit"},
        {"~z big", "bad size"},
        {"~s 'open", "unterminated quote"},
        {"=N", "'=N' is not a pattern"},
        {"", "an empty pattern"},
        {"~f a | ", "an empty pattern"},
    };
    for (const auto& r : rows) {
        CAPTURE(std::string(r.pattern));
        CHECK_THROWS_WITH_AS(parse_pattern(r.pattern, kNow), doctest::Contains(r.message), Failure);
    }
}
