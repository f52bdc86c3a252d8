// JWZ threading: links, placeholders, loops, duplicates, subjects, order.
#include <doctest/doctest.h>

#include <chrono>
#include <deque>

#include "store/threading.hpp"

using namespace tern;

namespace {

// Views of string literals: they outlive every test.
ThreadInput msg(std::string_view id, std::string_view refs, std::string_view subject, std::int64_t date,
                std::string_view in_reply_to = "") {
    return {id, refs, in_reply_to, subject, date};
}

// "subject@depth" for each row, to compare shapes at a glance.
std::vector<std::string> shape(const std::vector<ThreadInput>& in, ThreadOrder order = ThreadOrder::FirstDate,
                               bool reverse = false) {
    std::vector<std::string> out;
    for (const auto& r : thread_messages(in, order, reverse)) out.push_back(std::string(in[r.row].subject) + "@" + std::to_string(r.shape.depth));
    return out;
}

}  // namespace

TEST_CASE("a simple thread and its tree") {
    const std::vector<ThreadInput> in = {
        msg("<c@x>", "<a@x> <b@x>", "Re: plan", 3),
        msg("<a@x>", "", "plan", 1),
        msg("<b@x>", "<a@x>", "Re: plan", 2),
        msg("<d@x>", "<a@x>", "Re: plan", 4),
        msg("<z@x>", "", "other", 5),
    };
    const auto rows = thread_messages(in, ThreadOrder::FirstDate, false);
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].row == 1);
    CHECK(rows[1].row == 2);
    CHECK(thread_tree(rows[1].shape) == "├─>");
    CHECK(rows[2].row == 0);
    CHECK(thread_tree(rows[2].shape) == "│ └─>");
    CHECK(rows[3].row == 3);
    CHECK(thread_tree(rows[3].shape) == "└─>");
    CHECK(rows[4].row == 4);
    CHECK(rows[4].shape.depth == 0);
}

TEST_CASE("a missing parent keeps its children together") {
    // <p@x> is not in the folder; both replies hang from it
    const std::vector<ThreadInput> in = {
        msg("<r1@x>", "<p@x>", "Re: gone", 1),
        msg("<r2@x>", "<p@x>", "Re: gone", 2),
    };
    const auto rows = thread_messages(in, ThreadOrder::FirstDate, false);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].shape.depth == 0);
    CHECK(rows[1].shape.depth == 0);
    CHECK(rows[0].shape.missing_parent);
}

TEST_CASE("loops and duplicate message ids do not hang or lose messages") {
    const std::vector<ThreadInput> in = {
        msg("<a@x>", "<b@x>", "a", 1),
        msg("<b@x>", "<a@x>", "b", 2),   // a loop through References
        msg("<a@x>", "", "dup", 3),        // the same id again
        msg("", "<a@x>", "Re: a", 4),    // no id at all
        msg("<s@x>", "<s@x>", "self", 5),  // refers to itself
    };
    const auto rows = thread_messages(in, ThreadOrder::FirstDate, false);
    CHECK(rows.size() == in.size());
}

TEST_CASE("roots with the same subject are gathered under the original") {
    const auto s = shape({
        msg("<1@x>", "", "Lunch?", 1),
        msg("<2@x>", "", "Re: Lunch?", 2),  // a reply whose client dropped References
        msg("<3@x>", "", "RE: lunch?", 3),
        msg("<4@x>", "", "Lunch?", 4),      // a second original stays its own thread
    });
    CHECK(s == std::vector<std::string>{"Lunch?@0", "Re: Lunch?@1", "RE: lunch?@1", "Lunch?@0"});
}

TEST_CASE("a reply without links joins the latest original of its subject not newer than it, marked as joined") {
    const std::vector<ThreadInput> in = {
        msg("<0@x>", "", "Re: Invoice", 1),  // no original before it: a thread of its own
        msg("<1@x>", "", "Invoice", 2),
        msg("<2@x>", "", "Invoice", 5),
        msg("<3@x>", "", "Re: Invoice", 6),  // answers the one of date 5, not the first
        msg("<4@x>", "", "Re: Invoice", 3),  // the one of date 2
        msg("<5@x>", "<1@x>", "Re: Invoice", 4),  // linked by References: not joined by subject
    };
    const auto rows = thread_messages(in, ThreadOrder::FirstDate, false);
    std::vector<std::string> got;
    for (const auto& r : rows)
        got.push_back(std::to_string(r.row) + "@" + std::to_string(r.shape.depth) + (r.shape.gathered ? "g" : "") +
                      (r.shape.thread_start ? "s" : ""));
    CHECK(got == std::vector<std::string>{"0@0s", "1@0s", "4@1g", "5@1", "2@0s", "3@1g"});
}

TEST_CASE("a reply without links joins, of originals of the same date, the later message; one of its own date too") {
    const std::vector<ThreadInput> in = {
        msg("<0@x>", "", "Invoice", 5),
        msg("<1@x>", "", "Invoice", 5),
        msg("<2@x>", "", "Re: Invoice", 5),  // not newer than either: joins the later of the two
        msg("<3@x>", "", "Invoice", 7),      // newer than the reply
    };
    const auto rows = thread_messages(in, ThreadOrder::FirstDate, false);
    std::vector<std::string> got;
    for (const auto& r : rows) got.push_back(std::to_string(r.row) + "@" + std::to_string(r.shape.depth) + (r.shape.gathered ? "g" : ""));
    CHECK(got == std::vector<std::string>{"0@0", "1@0", "2@1g", "3@0"});
}

TEST_CASE("thread order: by first or last message, reversed") {
    const std::vector<ThreadInput> in = {
        msg("<a@x>", "", "A", 1),
        msg("<b@x>", "", "B", 2),
        msg("<a2@x>", "<a@x>", "Re: A", 9),
    };
    CHECK(shape(in) == std::vector<std::string>{"A@0", "Re: A@1", "B@0"});
    CHECK(shape(in, ThreadOrder::LastDate) == std::vector<std::string>{"B@0", "A@0", "Re: A@1"});
    CHECK(shape(in, ThreadOrder::FirstDate, true) == std::vector<std::string>{"B@0", "A@0", "Re: A@1"});
}

TEST_CASE("In-Reply-To alone links a reply, and the tree draws every level") {
    const std::vector<ThreadInput> in = {
        msg("<a@x>", "", "plan", 1),
        msg("<b@x>", "", "Re: plan", 2, "<a@x> (Alice's message)"),
        msg("<c@x>", "<a@x> <b@x>", "Re: plan", 3),
        msg("<d@x>", "<a@x> <b@x> <c@x>", "Re: plan", 4),
        msg("<e@x>", "<a@x>", "Re: plan", 5),
    };
    const auto rows = thread_messages(in, ThreadOrder::FirstDate, false);
    REQUIRE(rows.size() == 5);
    std::vector<std::string> trees;
    for (const auto& r : rows) trees.push_back(thread_tree(r.shape));
    CHECK(trees == std::vector<std::string>{"", "├─>", "│ └─>", "│   └─>", "└─>"});
}

TEST_CASE("helpers") {
    CHECK(parse_message_ids("<a@x> <b@y>\n <c@z> junk <bad id>") == std::vector<std::string>{"<a@x>", "<b@y>", "<c@z>"});
    CHECK(base_subject("Re: RE[2]: Fwd: Hello") == "hello");
    CHECK(base_subject("Re:") == "");
    CHECK(base_subject("Reply needed") == "reply needed");
}

TEST_CASE("100,000 messages and a 5,000-deep chain thread quickly") {
    std::deque<std::string> text;  // a deque: the views below stay valid as it grows
    auto keep = [&text](std::string s) -> std::string_view { return text.emplace_back(std::move(s)); };
    std::vector<ThreadInput> in;
    for (int i = 0; i < 100000; ++i)
        in.push_back(msg(keep("<m" + std::to_string(i) + "@x>"), i % 3 ? keep("<m" + std::to_string(i - 1) + "@x>") : "",
                         keep("s" + std::to_string(i / 3)), i));
    for (int i = 0; i < 5000; ++i)
        in.push_back(msg(keep("<c" + std::to_string(i) + "@x>"), i ? keep("<c" + std::to_string(i - 1) + "@x>") : "", "chain", 200000 + i));
    const auto t0 = std::chrono::steady_clock::now();
    const auto rows = thread_messages(in, ThreadOrder::LastDate, true);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    CHECK(rows.size() == in.size());
    CHECK(ms < 3000);  // sanitizer build; the optimised build is far faster
    MESSAGE("threading 105,000 messages took " << ms << " ms (ASan build)");
}
