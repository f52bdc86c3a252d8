// A thread order patched after rows were added, removed or changed is the
// order that threading the whole new folder gives: random folders, with
// Message-IDs shared and duplicated, reference chains to missing messages,
// loops, subjects that gather, dates that tie.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>

#include "store/thread_patch.hpp"

using namespace tern;

namespace {

struct Row {
    int uid;  // what the row is, across the old and new folder (a changed row is a new one)
    std::string message_id, references, in_reply_to, subject;
    std::int64_t date;
    ThreadInput input() const { return {message_id, references, in_reply_to, subject, date}; }
};

class Folders {
public:
    explicit Folders(std::uint32_t seed) : rng_(seed) {}

    Row make() {
        Row r;
        r.uid = next_uid_++;
        center_ = pick(pool_size);
        r.message_id = pick(12) == 0 ? "" : id(pool());
        const int refs = pick(5);
        for (int k = 0; k < refs; ++k) r.references += (k ? " " : "") + id(pool());
        if (pick(3) == 0) r.in_reply_to = id(pool());
        static const char* const kSubjects[] = {"plan", "lunch", "report", "", "build failed", "Plan"};
        static const char* const kPrefixes[] = {"", "", "Re: ", "RE: ", "Fwd: ", "Re: Re: "};
        // in real threads the subject goes with the IDs
        const int s = reach && pick(30) ? 6 + center_ / 8 : pick(subjects);
        r.subject = std::string(kPrefixes[pick(6)]) + (s < 6 ? kSubjects[s] : "topic " + std::to_string(s));
        r.date = 100 + pick(40);  // narrow: many ties between threads
        if (pick(50) == 0) r.date = (pick(2) ? INT64_MAX - pick(3) : INT64_MIN + pick(3));  // a broken Date: header, far out
        return r;
    }
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

    int pool_size = 30;
    int reach = 0;  // IDs within this distance of the row's own, as in real threads; 0: any
    int subjects = 6;  // the first 6 are fixed words (one empty), the rest "topic N"

private:
    int pool() { return reach ? std::max(0, center_ - pick(reach + 1)) : pick(pool_size); }
    int center_ = 0;
    static std::string id(int k) { return "<m" + std::to_string(k) + "@x>"; }
    std::mt19937 rng_;
    int next_uid_ = 0;
};

std::vector<ThreadInput> inputs_of(const std::vector<Row>& rows) {
    std::vector<ThreadInput> in;
    for (const Row& r : rows) in.push_back(r.input());
    return in;
}

bool same(const ThreadRow& a, const ThreadRow& b) {
    return a.row == b.row && a.shape.depth == b.shape.depth && a.shape.branches == b.shape.branches && a.shape.last == b.shape.last &&
           a.shape.missing_parent == b.shape.missing_parent && a.shape.thread_start == b.shape.thread_start;
}

// The patch from `old_rows` (and the order threading gave them) to `new_rows`.
ThreadPatch patch_between(const std::vector<Row>& old_rows, const std::vector<ThreadRow>& old_order, const std::vector<Row>& new_rows) {
    ThreadPatch p;
    p.old_count = old_rows.size();
    p.new_count = new_rows.size();
    p.old_rows = [&old_rows](const std::function<void(std::size_t, const ThreadInput&)>& each) {
        for (std::size_t i = 0; i < old_rows.size(); ++i) each(i, old_rows[i].input());
    };
    p.old_order = [&old_order](const std::function<bool(const ThreadRow&)>& each) {
        for (const ThreadRow& e : old_order)
            if (!each(e)) return false;
        return true;
    };
    p.new_index.assign(old_rows.size(), kRowGone);
    std::map<int, std::size_t> old_of;  // uid -> old index
    for (std::size_t i = 0; i < old_rows.size(); ++i) old_of[old_rows[i].uid] = i;
    for (std::size_t n = 0; n < new_rows.size(); ++n) {
        const auto old = old_of.find(new_rows[n].uid);
        if (old != old_of.end()) p.new_index[old->second] = static_cast<std::uint32_t>(n);
        else p.added.emplace_back(static_cast<std::uint32_t>(n), new_rows[n].input());
    }
    return p;
}

}  // namespace

TEST_CASE("a patched thread order is the order of threading the whole new folder") {
    std::size_t compared = 0, rethreaded = 0, total = 0;
    for (std::uint32_t seed = 1; seed <= 400; ++seed) {
        Folders f(seed);
        // small pools link everything into a few threads, big ones leave most threads untouched
        f.pool_size = 10 + f.pick(seed % 2 ? 80 : 600);
        f.subjects = 3 + f.pick(seed % 2 ? 6 : 150);
        f.reach = seed % 2 ? 0 : 1 + f.pick(4);
        std::vector<Row> old_rows;
        const int n = 5 + f.pick(seed % 2 ? 120 : 500);
        if (seed % 2 == 0) f.pool_size = 4 * n;
        for (int i = 0; i < n; ++i) old_rows.push_back(f.make());
        // the new folder: some rows removed, some changed in place, some added (mostly at the end, as new mail is)
        std::vector<Row> new_rows;
        for (const Row& r : old_rows) {
            const int fate = f.pick(40);
            if (fate == 0) continue;
            if (fate == 1) {
                new_rows.push_back(f.make());
                continue;
            }
            new_rows.push_back(r);
            if (f.pick(60) == 0) new_rows.push_back(f.make());
        }
        for (int k = f.pick(6); k > 0; --k) new_rows.push_back(f.make());
        for (const ThreadOrder order : {ThreadOrder::FirstDate, ThreadOrder::LastDate})
            for (const bool reverse : {false, true}) {
                CAPTURE(seed);
                CAPTURE(static_cast<int>(order));
                CAPTURE(reverse);
                const auto old_order = thread_messages(inputs_of(old_rows), order, reverse);
                const auto want = thread_messages(inputs_of(new_rows), order, reverse);
                const ThreadPatch p = patch_between(old_rows, old_order, new_rows);
                const auto plan = plan_thread_patch(p, order, reverse, SIZE_MAX);
                REQUIRE(plan);
                std::vector<ThreadRow> got;
                REQUIRE(emit_patched_order(p, *plan, order, reverse, [&got](const ThreadRow& e) {
                    got.push_back(e);
                    return true;
                }));
                REQUIRE(got.size() == want.size());
                std::size_t differ = 0;
                for (std::size_t i = 0; i < got.size(); ++i) differ += !same(got[i], want[i]);
                CHECK(differ == 0);
                ++compared;
                if (seed % 2 == 0) {
                    rethreaded += plan->rethreaded;
                    total += new_rows.size();
                }
            }
    }
    CHECK(compared == 1600);
    // the point of a patch: most of a folder is not threaded again (in the folders with many IDs and subjects)
    MESSAGE("rows threaded again: " << rethreaded << " of " << total);
    CHECK(rethreaded < total / 2);
}

TEST_CASE("a patch of one new message in a big folder threads only its own thread again") {
    std::vector<Row> old_rows;
    for (int t = 0; t < 2000; ++t)
        for (int k = 0; k < 3; ++k) {
            Row r{t * 3 + k, "<t" + std::to_string(t) + "." + std::to_string(k) + "@x>", "", "", "topic " + std::to_string(t),
                  1000 + t * 10 + k};
            if (k > 0) r.references = "<t" + std::to_string(t) + ".0@x>", r.subject = "Re: " + r.subject;
            old_rows.push_back(r);
        }
    const auto old_order = thread_messages(inputs_of(old_rows), ThreadOrder::LastDate, true);
    std::vector<Row> new_rows = old_rows;
    new_rows.push_back({99999, "<new@x>", "<t500.0@x> <t500.2@x>", "", "Re: topic 500", 999999});
    const ThreadPatch p = patch_between(old_rows, old_order, new_rows);
    const auto plan = plan_thread_patch(p, ThreadOrder::LastDate, true, SIZE_MAX);
    REQUIRE(plan);
    CHECK(plan->rethreaded == 4);
    std::vector<ThreadRow> got;
    CHECK(emit_patched_order(p, *plan, ThreadOrder::LastDate, true, [&got](const ThreadRow& e) {
        got.push_back(e);
        return true;
    }));
    const auto want = thread_messages(inputs_of(new_rows), ThreadOrder::LastDate, true);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(same(got[i], want[i]));
    // the thread it joined comes first now (newest last date), its root and the new reply at depth 2
    CHECK(got[0].row == 1500);
    CHECK(got[3].row == 6000);
    CHECK(static_cast<int>(got[3].shape.depth) == 2);

    // past the bound the caller threads the whole folder
    CHECK_FALSE(plan_thread_patch(p, ThreadOrder::LastDate, true, 3));

    // asked to stop between its passes (a reader quitting): gives nothing
    ThreadPatch stopping = patch_between(old_rows, old_order, new_rows);
    int asked = 0;
    stopping.stop = [&asked] { return ++asked == 2; };
    CHECK_FALSE(plan_thread_patch(stopping, ThreadOrder::LastDate, true, SIZE_MAX));
    CHECK(asked == 2);
}

TEST_CASE("row dates: 4 bytes each near the first, the far ones kept whole") {
    RowDates dates;
    dates.assign(5);
    const std::int64_t want[] = {1'700'000'000, 0, 1'700'000'000LL + INT32_MAX, INT64_MIN, INT64_MAX};
    for (std::size_t i = 0; i < 5; ++i) dates.set(i, want[i]);
    for (std::size_t i = 0; i < 5; ++i) CHECK(dates[i] == want[i]);
}

TEST_CASE("a thread's first row is marked, also under a missing root") {
    const std::vector<ThreadInput> in = {
        {"<a@x>", "<gone@x>", "", "one", 1},
        {"<b@x>", "<gone@x>", "", "two", 2},
        {"<c@x>", "", "", "three", 3},
    };
    const auto rows = thread_messages(in, ThreadOrder::FirstDate, false);
    REQUIRE(rows.size() == 3);
    // a and b are children of the missing <gone@x>, both at depth 0: one thread
    CHECK(static_cast<int>(rows[0].shape.depth) == 0);
    CHECK(static_cast<int>(rows[1].shape.depth) == 0);
    CHECK(static_cast<bool>(rows[0].shape.thread_start));
    CHECK_FALSE(static_cast<bool>(rows[1].shape.thread_start));
    CHECK(static_cast<bool>(rows[2].shape.thread_start));
}
