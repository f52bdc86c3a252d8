// A folder's snapshot (store/folder_snapshot): the rows and thread order
// the store worker writes and the reader opens from. It is a cache: used
// only at the database's generation of the folder, and a file that is cut
// short or damaged is not used (nor does it crash the reader).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "file_size_limit.hpp"
#include "mailbox_fixture.hpp"
#include "store/folder_scan.hpp"
#include "store/folder_snapshot.hpp"
#include "store/index_db.hpp"
#include "store/index_view.hpp"
#include "store/mailbox.hpp"
#include "store/sqlite.hpp"
#include "store/maildir.hpp"
#include "sync/store_worker.hpp"
#include "temp_dir.hpp"
#include "util/files.hpp"
#include "util/hash64.hpp"

using namespace tern;
namespace fs = std::filesystem;

namespace {

MessageRow make_row(std::int64_t id, std::string_view subject, std::string_view message_id, std::string_view in_reply_to) {
    MessageRow r({.from_name = "Alice Ä", .from_addr = "alice@example.com", .to = "bob@example.com", .cc = "",
                  .subject = subject, .message_id = message_id, .in_reply_to = in_reply_to, .references = in_reply_to});
    r.id = id;
    r.size = 1000 + id;
    r.date = 1700000000 + id * 60;
    r.received = r.date + 5;
    r.flags = Flags(static_cast<std::uint8_t>(id % 32));
    r.has_attachments = id % 2;
    r.in_new = id % 3 == 0;
    r.in_cur = id % 3 == 1;
    return r;
}

FolderSnapshot sample(std::int64_t generation) {
    FolderSnapshot s;
    s.generation = generation;
    s.rows.push_back(make_row(1, "plans", "<1@x>", ""));
    s.rows.push_back(make_row(2, "Re: plans", "<2@x>", "<1@x>"));
    s.rows.push_back(make_row(5, "other", "<5@x>", ""));
    s.rows.push_back(make_row(9, "Re: plans", "<9@x>", "<2@x>"));
    s.sort = "threads";
    s.sort_aux = "date";
    s.order = order_index(s.rows, s.sort, s.sort_aux);
    return s;
}

std::string describe(const std::vector<MessageRow>& rows) {
    std::string out;
    for (const auto& r : rows) {
        const MessageText t = r.text();
        out += std::to_string(r.id) + "," + std::to_string(r.size) + "," + std::to_string(r.date) + "," + std::to_string(r.received) +
               "," + std::to_string(r.flags.bits()) + "," + std::to_string(r.has_attachments) + std::to_string(r.in_new) +
               std::to_string(r.in_cur) + "," + std::string(t.from_name) + "," + std::string(t.from_addr) + "," + std::string(t.to) +
               "," + std::string(t.cc) + "," + std::string(t.subject) + "," + std::string(t.message_id) + "," +
               std::string(t.in_reply_to) + "," + std::string(t.references) + ";";
    }
    return out;
}

std::string describe(const std::vector<ThreadRow>& order) {
    std::string out;
    for (const auto& e : order)
        out += std::to_string(e.row) + ":" + std::to_string(e.shape.depth) + ":" + std::to_string(e.shape.last) +
               std::to_string(e.shape.missing_parent) + std::to_string(e.shape.thread_start) + ":" + std::to_string(e.shape.branches) + ";";
    return out;
}

// The fixture's INBOX scanned into its index (as tern ls does), no snapshot written.
void fill_index(MailboxFixture& f) {
    AccountIndexes here(f.env());
    Mailbox scanned({{&f.account(), "INBOX"}}, here, f.config);  // Scan::Here
}

std::string shown(Mailbox& m) {
    std::string s;
    for (std::size_t p = 0; p < m.size(); ++p)
        s += std::to_string(m.entry_at(p).shape.depth) + ":" + std::string(m.row_at(p).subject()) + ";";
    return s;
}

}  // namespace

TEST_CASE("folder snapshot: rows and thread order come back as written, at its generation and sort only") {
    TempDir tmp;
    const std::string path = folder_snapshot_path((tmp.path / "a.sqlite").string(), 7);
    CHECK(path == (tmp.path / "a.sqlite.rows-7").string());
    const FolderSnapshot written = sample(123456789);
    REQUIRE(write_folder_snapshot(path, written) == 0);
    CHECK((fs::status(path).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));

    const auto header = read_folder_snapshot_header(path);
    REQUIRE(header);
    CHECK(header->generation == 123456789);
    CHECK(header->sort == "threads");
    CHECK(header->sort_aux == "date");

    const auto same = read_folder_snapshot(path, 123456789, "threads", "date");
    REQUIRE(same);
    CHECK(describe(same->rows) == describe(written.rows));
    CHECK(describe(same->order) == describe(written.order));
    CHECK(same->order[2].shape.depth == 2);  // <9@x> under <2@x> under <1@x>: the shapes survive

    // another sort: the rows are good, the order is not this sort's
    const auto by_date = read_folder_snapshot(path, 123456789, "date", "date");
    REQUIRE(by_date);
    CHECK(describe(by_date->rows) == describe(written.rows));
    CHECK(by_date->order.empty());

    // another generation: not used at all
    CHECK_FALSE(read_folder_snapshot(path, 123456790, "threads", "date"));
    CHECK_FALSE(read_folder_snapshot((tmp.path / "none").string(), 123456789, "threads", "date"));
    CHECK_FALSE(read_folder_snapshot_header((tmp.path / "none").string()));
}

TEST_CASE("folder snapshot: a file cut short or with damaged bytes is not used, and never read past its end") {
    TempDir tmp;
    const std::string path = (tmp.path / "s").string(), cut = (tmp.path / "cut").string();
    REQUIRE(write_folder_snapshot(path, sample(42)) == 0);
    const std::string whole = *read_file(path);
    // every length short of the whole, and one byte more
    for (std::size_t n = 0; n < whole.size(); ++n) {
        REQUIRE(write_new_file(cut, std::string_view(whole).substr(0, n), 0600, true) == 0);
        CHECK_FALSE(read_folder_snapshot(cut, 42, "threads", "date"));
        CHECK_FALSE(fs::exists(cut));  // removed, so that the store worker writes it again
    }
    REQUIRE(write_new_file(cut, whole + "x", 0600, true) == 0);
    CHECK_FALSE(read_folder_snapshot(cut, 42, "threads", "date"));
    // damaged bytes (seeded, replayable): the checksum finds them (a flip in the generation makes it another one's)
    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 random(seed);
    for (int i = 0; i < 2000; ++i) {
        std::string bad = whole;
        const std::size_t at = random() % bad.size();
        bad[at] = static_cast<char>(bad[at] ^ (1 + random() % 255));
        REQUIRE(write_new_file(cut, bad, 0600, true) == 0);
        CHECK_FALSE(read_folder_snapshot(cut, 42, "threads", "date"));
    }
    // an old generation is not damage: the file stays until the store worker replaces it
    CHECK_FALSE(read_folder_snapshot(path, 43, "threads", "date"));
    CHECK(fs::exists(path));
}

TEST_CASE("folder snapshot: a full disk leaves the old snapshot as it was and says why") {
    TempDir tmp;
    const std::string path = (tmp.path / "s").string();
    REQUIRE(write_folder_snapshot(path, sample(1)) == 0);
    FolderSnapshot big = sample(2);
    for (int i = 0; i < 2000; ++i) big.rows.push_back(make_row(100 + i, std::string(200, 's'), "<m@x>", ""));
    big.order.clear();
    int err = 0;
    {
        const FileSizeLimit full(16 << 10);
        err = write_folder_snapshot(path, big);
    }
    CHECK(err != 0);
    CHECK(read_folder_snapshot(path, 1, "threads", "date"));
    CHECK_FALSE(read_folder_snapshot(path, 2, "threads", "date"));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path)) ++files;
    CHECK(files == 1);  // no temporary file left behind
}

TEST_CASE("index database: a folder's generation moves on with the first write to its shown rows after a snapshot began, and starts random") {
    TempDir tmp;
    IndexDb db((tmp.path / "i.sqlite").string());
    const std::int64_t a = db.folder_id("t", "INBOX"), b = db.folder_id("t", "Archive");
    const auto gen = [&](std::int64_t f) { return db.folder_generation(f).value(); };
    CHECK(gen(a) != gen(b));  // random starts (48 bits: equal by chance about once in 10^14)
    CHECK(gen(a) >= 0);
    CHECK(gen(a) < (std::int64_t{1} << 48));
    CHECK_FALSE(db.folder_generation(9999));
    CHECK_FALSE(db.begin_snapshot(9999));

    // a snapshot begins: the generation it carries is the folder's
    const std::int64_t g1 = db.begin_snapshot(a).value();
    CHECK(gen(a) == g1);
    CHECK(db.begin_snapshot(a).value() == g1);  // nothing written since: the same
    const std::int64_t b0 = gen(b);

    MessageRow r = make_row(0, "s", "<1@x>", "");
    r.set_file("cur/k1:2,");
    const std::int64_t id = db.insert(a, "k1", r);
    const std::int64_t g2 = gen(a);
    CHECK(g2 != g1);  // the first write since the snapshot began
    CHECK(gen(b) == b0);  // another folder's write is not this folder's
    db.insert(a, "k2", r);
    CHECK(gen(a) == g2);  // the snapshot is stale already: the folder's row is not written for every message
    const std::int64_t g3 = db.begin_snapshot(a).value();
    CHECK(g3 != g2);  // moved on: a reader that read the rows at g2 sees it is behind

    // a change of flags (and new/ or cur/) is listed as a move, not a new generation
    db.update_location(id, "cur/k1:2,S", Flags().with(Flags::Seen));
    CHECK(gen(a) == g3);
    REQUIRE(db.snapshot_moves(a).size() == 1);
    CHECK(db.snapshot_moves(a)[0].id == id);
    CHECK(db.snapshot_moves(a)[0].flags == Flags().with(Flags::Seen));
    CHECK(db.snapshot_moves(a)[0].in_cur);
    CHECK(db.snapshot_moves(b).empty());
    // the next snapshot forgets them and moves on (the one they were kept for is no longer current)
    const std::int64_t g4 = db.begin_snapshot(a).value();
    CHECK(g4 != g3);
    CHECK(db.count_snapshot_moves(a) == 0);
    db.set_server_flags(id, Flags().with(Flags::Seen));  // the server's view: not shown
    CHECK(gen(a) == g4);
    db.remove(id);
    CHECK(gen(a) != g4);
    CHECK(gen(b) == b0);

    // another connection holds the write lock (a sync's batch): not waiting, it says so at once
    IndexDb other((tmp.path / "i.sqlite").string());
    Transaction held(other.db());
    const auto t0 = std::chrono::steady_clock::now();
    try {
        db.begin_snapshot(a, false);
        FAIL("began a snapshot under another connection's write lock");
    } catch (const Failure& f) {
        CHECK(f.kind() == ErrorKind::Busy);
    }
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
    Statement timeout = db.db().prepare("PRAGMA busy_timeout");
    REQUIRE(timeout.step());
    CHECK(timeout.int64(0) == 5000);  // the connection waits again for its later writes
}

TEST_CASE("folder snapshot: the reader opens from it while it is current, and from the database once a write made it old") {
    MailboxFixture f;
    fill_index(f);
    IndexDb index(f.db_path());
    const std::int64_t folder = *index.find_folder_id("t", "INBOX");
    const std::string path = folder_snapshot_path(f.db_path(), folder);
    // stopped at each of its steps (after the read, after threading, as it writes): nothing written, nothing left
    for (int at = 1; at <= 3; ++at) {
        int asked = 0;
        CHECK_FALSE(refresh_folder_snapshot(index, folder, f.config.options.sort, f.config.options.sort_aux, [&] { return ++asked == at; }));
        CHECK(asked == at);
        CHECK(fs::is_empty(fs::path(path).parent_path()) == false);
        for (const auto& e : fs::directory_iterator(fs::path(path).parent_path()))
            CHECK(e.path().filename().string().find(".rows-") == std::string::npos);
    }
    CHECK(refresh_folder_snapshot(index, folder, f.config.options.sort, f.config.options.sort_aux));
    CHECK_FALSE(refresh_folder_snapshot(index, folder, f.config.options.sort, f.config.options.sort_aux));  // current: not written again
    // what it wrote is what the database has, in the order made from it (threads from rows without
    // their addresses, a sort by sender from whole rows)
    for (const auto& sorts : {std::pair<std::string, std::string>{f.config.options.sort, f.config.options.sort_aux},
                              {"from", "date"}, {"reverse-to", "size"}, {"threads", "last-date-received"}}) {
        const std::string &sort = sorts.first, &aux = sorts.second;
        INFO("sort " << sort << " " << aux);
        REQUIRE(refresh_folder_snapshot(index, folder, sort, aux) == (sort != f.config.options.sort || aux != f.config.options.sort_aux));
        const auto written = read_folder_snapshot(path, *index.folder_generation(folder), sort, aux);
        REQUIRE(written);
        const auto rows = index.messages(folder);
        CHECK(describe(written->rows) == describe(rows));
        CHECK(describe(written->order) == describe(order_index(rows, sort, aux)));
    }
    CHECK(refresh_folder_snapshot(index, folder, f.config.options.sort, f.config.options.sort_aux));

    AccountIndexes indexes(f.env());
    Mailbox first_open({{&f.account(), "INBOX"}}, indexes, f.config, Mailbox::Scan::Elsewhere);
    const std::string expected = shown(first_open);
    CHECK(expected == "0:first;1:Re: first;0:other;");

    // the snapshot's rows are the ones shown: one marked so that it shows
    auto snap = read_folder_snapshot(path, *index.folder_generation(folder), f.config.options.sort, f.config.options.sort_aux);
    REQUIRE(snap);
    REQUIRE(snap->order.size() == 3);
    for (auto& r : snap->rows) {
        MessageText t = r.text();
        const std::string marked = "snap " + std::string(t.subject);
        t.subject = marked;
        r.set_text(t);
    }
    REQUIRE(write_folder_snapshot(path, *snap) == 0);
    {
        AccountIndexes fresh(f.env());
        Mailbox m({{&f.account(), "INBOX"}}, fresh, f.config, Mailbox::Scan::Elsewhere);
        CHECK(shown(m) == "0:snap first;1:snap Re: first;0:snap other;");
        CHECK_FALSE(m.behind());
    }

    // another program reads and flags a message (a rename, new/ to cur/): a move, not a new
    // generation; the snapshot stays in use, with that message's flags from the database
    const std::int64_t before_moves = *index.folder_generation(folder);
    {
        Maildir md(f.account().maildir + "/INBOX", false);
        const auto entries = md.list();
        REQUIRE(!entries.empty());
        md.set_flags(entries.front(), Flags().with(Flags::Seen).with(Flags::Flagged));
        scan_folder(index, folder, md);
    }
    CHECK(*index.folder_generation(folder) == before_moves);
    REQUIRE(index.count_snapshot_moves(folder) == 1);
    const std::int64_t moved_id = index.snapshot_moves(folder).front().id;
    const auto flags_of = [&](Mailbox& m) {
        for (std::size_t p = 0; p < m.size(); ++p)
            if (m.row_at(p).id == moved_id) return std::pair(m.row_at(p).flags, m.row_at(p).in_cur);
        FAIL("the moved message is not shown");
        return std::pair(Flags(), false);
    };
    {
        AccountIndexes fresh(f.env());
        Mailbox m({{&f.account(), "INBOX"}}, fresh, f.config, Mailbox::Scan::Elsewhere);
        CHECK(shown(m) == "0:snap first;1:snap Re: first;0:snap other;");  // the snapshot's rows
        CHECK(flags_of(m) == std::pair(Flags().with(Flags::Seen).with(Flags::Flagged), true));  // with the move
        CHECK_FALSE(m.behind());
    }
    CHECK_FALSE(refresh_folder_snapshot(index, folder, f.config.options.sort, f.config.options.sort_aux));  // still current
    {
        // sorted by flags, a snapshot ordered with that message first; then it loses its flag and
        // another message gets one: the snapshot's rows are used, its order is not
        Config by_flag = f.config;
        by_flag.options.sort = "flagged";
        REQUIRE(refresh_folder_snapshot(index, folder, by_flag.options.sort, by_flag.options.sort_aux));
        {
            AccountIndexes fresh(f.env());
            Mailbox m({{&f.account(), "INBOX"}}, fresh, by_flag, Mailbox::Scan::Elsewhere);
            CHECK(m.row_at(0).id == moved_id);
        }
        Maildir md(f.account().maildir + "/INBOX", false);
        const std::string moved_file = index.file_of(moved_id);
        std::int64_t other_id = 0;
        for (const auto& e : md.list()) {
            const std::string file = e.subdir + "/" + e.name;
            md.set_flags(e, file == moved_file ? Flags().with(Flags::Seen) : Flags().with(Flags::Flagged));
        }
        scan_folder(index, folder, md);
        CHECK(index.count_snapshot_moves(folder) == 3);
        for (const auto& r : index.messages(folder))
            if (r.id != moved_id && r.subject() == "other") other_id = r.id;
        AccountIndexes fresh(f.env());
        Mailbox m({{&f.account(), "INBOX"}}, fresh, by_flag, Mailbox::Scan::Elsewhere);
        CHECK(m.row_at(m.size() - 1).id == moved_id);  // the only one not flagged: last
        CHECK(m.row_at(0).flags.has(Flags::Flagged));
        CHECK(other_id != 0);
    }
    // past the most moves it takes, written again: the moves are in its rows, and forgotten
    const std::int64_t moved_generation = *index.folder_generation(folder);
    index.db().exec("WITH RECURSIVE n(v) AS (SELECT 100000 UNION ALL SELECT v + 1 FROM n WHERE v < " +
                    std::to_string(100000 + kSnapshotMovesMax) + ") INSERT INTO snapshot_moves(folder_id, id) SELECT " +
                    std::to_string(folder) + ", v FROM n");
    CHECK(refresh_folder_snapshot(index, folder, f.config.options.sort, f.config.options.sort_aux));
    CHECK(index.count_snapshot_moves(folder) == 0);
    CHECK(*index.folder_generation(folder) != moved_generation);
    {
        AccountIndexes fresh(f.env());
        Mailbox m({{&f.account(), "INBOX"}}, fresh, f.config, Mailbox::Scan::Elsewhere);
        CHECK(shown(m) == "0:first;1:Re: first;0:other;");  // the new snapshot's rows, from the database
        CHECK(flags_of(m) == std::pair(Flags().with(Flags::Seen), true));
    }

    // a write to the folder (a new message scanned in): the snapshot is old, the database is read
    Maildir(f.account().maildir + "/INBOX", false)
        .deliver("From: Dan <dan@example.com>\nSubject: Re: other\nMessage-ID: <4@x>\nIn-Reply-To: <3@x>\n"
                 "Date: Wed, 4 Mar 2026 10:00:00 +0000\n\nfour\n",
                 Flags(), false);
    scan_folder(index, folder, Maildir(f.account().maildir + "/INBOX", false));
    CHECK(first_open.behind());
    AccountIndexes fresh(f.env());
    Mailbox after({{&f.account(), "INBOX"}}, fresh, f.config, Mailbox::Scan::Elsewhere);
    CHECK(shown(after) == "0:first;1:Re: first;0:other;1:Re: other;");
    CHECK_FALSE(after.behind());
    first_open.reload();
    CHECK_FALSE(first_open.behind());
    CHECK(shown(first_open) == shown(after));
}

namespace {
std::string message(const std::string& id, const std::string& refs, const std::string& subject, int minute) {
    return "From: A <a@example.com>\nSubject: " + subject + "\nMessage-ID: " + id + (refs.empty() ? "" : "\nReferences: " + refs) +
           "\nDate: Mon, 2 Mar 2026 " + std::to_string(10 + minute / 60) + ":" + std::to_string(10 + minute % 50) + ":00 +0000\n\nbody\n";
}
}  // namespace

TEST_CASE("folder snapshot: new mail patches the thread order of the snapshot there, as threading every row would order them") {
    for (const auto& sorts : {std::pair<std::string, std::string>{"threads", "date"}, {"reverse-threads", "last-date-received"}}) {
        const std::string &sort = sorts.first, &aux = sorts.second;
        INFO("sort " << sort << " " << aux);
        MailboxFixture f;
        Maildir md(f.account().maildir + "/INBOX", false);
        // 60 threads of four; every seventh's root is missing (its replies refer to it); dates tie
        for (int t = 0; t < 60; ++t)
            for (int k = 0; k < 4; ++k) {
                if (k == 0 && t % 7 == 0) continue;
                const std::string root = "<t" + std::to_string(t) + "@x>";
                md.deliver(message(k ? "<t" + std::to_string(t) + "." + std::to_string(k) + "@x>" : root, k ? root : "",
                                   (k ? "Re: topic " : "topic ") + std::to_string(t), (t * 7 + k) % 90),
                           Flags(), false);
            }
        IndexDb index(f.db_path());
        const std::int64_t folder = index.folder_id("t", "INBOX");
        scan_folder(index, folder, md);
        SnapshotRefresh how;
        REQUIRE(refresh_folder_snapshot(index, folder, sort, aux, {}, true, &how));
        CHECK_FALSE(how.patched);  // none there yet: every row threaded
        const auto check_written = [&] {
            const auto written = read_folder_snapshot(folder_snapshot_path(f.db_path(), folder), *index.folder_generation(folder), sort, aux);
            REQUIRE(written);
            const auto rows = index.messages(folder);
            CHECK(describe(written->rows) == describe(rows));
            CHECK(describe(written->order) == describe(order_index(rows, sort, aux)));
        };
        check_written();

        // new mail: a reply in thread 10, a new thread, the missing root of thread 14; one message gone
        md.deliver(message("<new1@x>", "<t10@x> <t10.2@x>", "Re: topic 10", 99), Flags(), false);
        md.deliver(message("<new2@x>", "", "brand new", 5), Flags(), false);
        md.deliver(message("<t14@x>", "", "topic 14", 1), Flags(), false);
        for (const auto& e : md.list())
            if (index.file_of(1).empty() == false && e.subdir + "/" + e.name == index.file_of(1)) md.remove(e);
        scan_folder(index, folder, md);
        REQUIRE(refresh_folder_snapshot(index, folder, sort, aux, {}, true, &how));
        CHECK(how.patched);
        CHECK(how.rethreaded < 20);  // three threads and the new ones, not 240 rows
        check_written();

        // a change of sort is threaded whole: the snapshot there is of another order
        REQUIRE(refresh_folder_snapshot(index, folder, "date", "", {}, true, &how));
        CHECK_FALSE(how.patched);
    }
}

TEST_CASE("the store worker writes the open folder's snapshot after its scan, and the next open reads it") {
    MailboxFixture f;
    EventQueue events;
    {
        StoreWorker worker(f.env(), events, f.config.options.sort, f.config.options.sort_aux);
        worker.scan(f.account(), "INBOX");
        for (;;) {
            const WorkerEvent e = events.pop();
            if (e.kind == WorkerEvent::Kind::Scanned && e.finished) {
                CHECK(e.error.empty());
                CHECK(e.notice.empty());
                CHECK(e.changed);
                break;
            }
        }
    }
    IndexDb index(f.db_path());
    const std::int64_t folder = *index.find_folder_id("t", "INBOX");
    const auto header = read_folder_snapshot_header(folder_snapshot_path(f.db_path(), folder));
    REQUIRE(header);
    CHECK(header->generation == *index.folder_generation(folder));
    CHECK(header->sort == f.config.options.sort);
    CHECK(header->sort_aux == f.config.options.sort_aux);
    AccountIndexes indexes(f.env());
    Mailbox m({{&f.account(), "INBOX"}}, indexes, f.config, Mailbox::Scan::Elsewhere);
    CHECK(shown(m) == "0:first;1:Re: first;0:other;");
}

TEST_CASE("folder snapshot: a reader that read the rows from the database hands its order, and the snapshot is written from it, only for those rows") {
    MailboxFixture f;
    fill_index(f);
    IndexDb index(f.db_path());
    const std::int64_t folder = *index.find_folder_id("t", "INBOX");
    const std::string path = folder_snapshot_path(f.db_path(), folder);
    const std::string &sort = f.config.options.sort, &aux = f.config.options.sort_aux;
    const auto written_is_current = [&] {
        const auto written = read_folder_snapshot(path, *index.folder_generation(folder), sort, aux);
        REQUIRE(written);
        const auto rows = index.messages(folder);
        CHECK(describe(written->rows) == describe(rows));
        CHECK(describe(written->order) == describe(order_index(rows, sort, aux)));
    };
    AccountIndexes indexes(f.env());
    Mailbox reader({{&f.account(), "INBOX"}}, indexes, f.config, Mailbox::Scan::Elsewhere);  // no snapshot: from the database
    const auto seed = reader.take_snapshot_seed();
    REQUIRE(seed);
    CHECK_FALSE(reader.take_snapshot_seed());  // taken once
    CHECK(seed->order.size() == 3);
    SnapshotRefresh how;
    REQUIRE(refresh_folder_snapshot(index, folder, sort, aux, {}, true, &how, seed.get()));
    CHECK(how.seeded);
    CHECK(how.rethreaded == 0);
    CHECK(how.generation == *index.folder_generation(folder));
    written_is_current();
    CHECK(reader.behind());  // the snapshot begun moved the generation on (rows were written since the last)
    // the reader's rows are the ones written: told so, it is not behind (no reload of what it shows)
    reader.snapshot_seeded(seed->fingerprint + 1, how.generation);
    CHECK(reader.behind());
    reader.snapshot_seeded(seed->fingerprint, how.generation);
    CHECK_FALSE(reader.behind());
    {
        AccountIndexes fresh(f.env());
        Mailbox from_snapshot({{&f.account(), "INBOX"}}, fresh, f.config, Mailbox::Scan::Elsewhere);
        CHECK_FALSE(from_snapshot.take_snapshot_seed());  // its order came with the rows
        CHECK(shown(from_snapshot) == shown(reader));
    }

    // a current snapshot of this sort whose order is made again only because a flag moved and the
    // sort reads flags: the worker has nothing to write, so no seed (nor its fingerprint's pass)
    {
        MailboxFixture g;
        g.config.options.sort_aux = "flagged";
        fill_index(g);
        IndexDb gi(g.db_path());
        const std::int64_t gf = *gi.find_folder_id("t", "INBOX");
        REQUIRE(refresh_folder_snapshot(gi, gf, g.config.options.sort, g.config.options.sort_aux));
        Maildir gmd(g.account().maildir + "/INBOX", false);
        gmd.set_flags(gmd.list().front(), Flags().with(Flags::Flagged));
        scan_folder(gi, gf, gmd);
        AccountIndexes gx(g.env());
        Mailbox flagged({{&g.account(), "INBOX"}}, gx, g.config, Mailbox::Scan::Elsewhere);
        CHECK_FALSE(flagged.behind());  // the snapshot is still current: its rows were read
        CHECK_FALSE(flagged.take_snapshot_seed());
    }

    // a seed of rows that are no longer there: one message gone and another come, as many as before
    fs::remove(path);
    AccountIndexes again(f.env());
    Mailbox stale({{&f.account(), "INBOX"}}, again, f.config, Mailbox::Scan::Elsewhere);
    const auto stale_seed = stale.take_snapshot_seed();
    REQUIRE(stale_seed);
    Maildir md(f.account().maildir + "/INBOX", false);
    const auto gone = md.list().front();
    md.remove(gone);
    md.deliver("From: D <d@example.com>\nSubject: Re: first\nMessage-ID: <4@x>\nIn-Reply-To: <1@x>\n"
               "Date: Wed, 4 Mar 2026 10:00:00 +0000\n\nfour\n",
               Flags(), false);
    scan_folder(index, folder, md);
    REQUIRE(index.folder_counts(folder).total == stale_seed->order.size());
    how = {};
    // not written from it, nor threaded whole here beside the reader's rows: the reader hands a newer one
    CHECK_FALSE(refresh_folder_snapshot(index, folder, sort, aux, {}, true, &how, stale_seed.get()));
    CHECK_FALSE(how.seeded);
    CHECK_FALSE(fs::exists(path));
    // one of fewer rows (a first fill's, made before its scan ended), no snapshot to patch: none is
    // begun either (that would move the generation on, and the reader would read every row again)
    md.deliver("From: F <f@example.com>\nSubject: more\nMessage-ID: <6@x>\nDate: Wed, 4 Mar 2026 11:00:00 +0000\n\nsix\n",
               Flags(), false);
    scan_folder(index, folder, md);
    const auto generation_then = index.folder_generation(folder);
    CHECK_FALSE(refresh_folder_snapshot(index, folder, sort, aux, {}, true, &how, stale_seed.get()));
    CHECK(index.folder_generation(folder) == generation_then);
    CHECK_FALSE(fs::exists(path));
    stale.reload(true);
    const auto newer = stale.take_snapshot_seed();
    REQUIRE(newer);
    REQUIRE(refresh_folder_snapshot(index, folder, sort, aux, {}, true, &how, newer.get()));
    CHECK(how.seeded);
    written_is_current();

    // a message flagged since the seed was made (a sync, another program): its rows are not the
    // database's either (a reader told they were would keep the old flags)
    fs::remove(path);
    AccountIndexes third(f.env());
    Mailbox unflagged({{&f.account(), "INBOX"}}, third, f.config, Mailbox::Scan::Elsewhere);
    const auto unflagged_seed = unflagged.take_snapshot_seed();
    REQUIRE(unflagged_seed);
    md.set_flags(md.list().front(), Flags().with(Flags::Flagged));
    scan_folder(index, folder, md);
    how = {};
    CHECK_FALSE(refresh_folder_snapshot(index, folder, sort, aux, {}, true, &how, unflagged_seed.get()));
    CHECK_FALSE(how.seeded);
    REQUIRE(refresh_folder_snapshot(index, folder, sort, aux, {}, true, &how));
    written_is_current();

    // with a snapshot there to patch, a seed that does not fit gives way to the patch
    md.deliver("From: E <e@example.com>\nSubject: Re: other\nMessage-ID: <5@x>\nIn-Reply-To: <3@x>\n"
               "Date: Thu, 5 Mar 2026 10:00:00 +0000\n\nfive\n",
               Flags(), false);
    scan_folder(index, folder, md);
    how = {};
    REQUIRE(refresh_folder_snapshot(index, folder, sort, aux, {}, true, &how, newer.get()));
    CHECK_FALSE(how.seeded);
    CHECK(how.patched);
    written_is_current();
}

TEST_CASE("the store worker writes the snapshot from the reader's seed before the scan asked after it, and says so") {
    MailboxFixture f;
    fill_index(f);
    AccountIndexes indexes(f.env());
    Mailbox reader({{&f.account(), "INBOX"}}, indexes, f.config, Mailbox::Scan::Elsewhere);
    const auto seed = reader.take_snapshot_seed();
    REQUIRE(seed);
    EventQueue events;
    std::vector<WorkerEvent> ends;
    {
        StoreWorker worker(f.env(), events, f.config.options.sort, f.config.options.sort_aux);
        worker.snapshot(f.account(), "INBOX", seed);
        worker.scan(f.account(), "INBOX");
        while (ends.size() < 2) {
            WorkerEvent e = events.pop();
            if (e.kind == WorkerEvent::Kind::Scanned && e.finished) ends.push_back(std::move(e));
        }
    }
    REQUIRE(ends[0].seed_fingerprint);
    CHECK(*ends[0].seed_fingerprint == seed->fingerprint);
    CHECK_FALSE(ends[1].seed_fingerprint);
    CHECK_FALSE(ends[1].changed);
    IndexDb index(f.db_path());
    const std::int64_t folder = *index.find_folder_id("t", "INBOX");
    CHECK(ends[0].seed_generation == *index.folder_generation(folder));
    reader.snapshot_seeded(*ends[0].seed_fingerprint, ends[0].seed_generation);
    CHECK_FALSE(reader.behind());
    const auto header = read_folder_snapshot_header(folder_snapshot_path(f.db_path(), folder));
    REQUIRE(header);
    CHECK(header->generation == *index.folder_generation(folder));
}

TEST_CASE("the snapshot's checksum is Hash64, whose values stay: a change would make every snapshot on disk read as damaged") {
    // the values of the checksum the snapshot had before Hash64 was its own file
    CHECK(Hash64().add("a message's key, 29 bytes lon").value() == 16452000690795083631ULL);
    CHECK(Hash64().add(std::string_view()).value() == 7640891576956012808ULL);
    // 8 bytes a step: the same bytes in windows of a multiple of 8 give the same value
    const std::string data(1000, 'x');
    CHECK(Hash64().add(std::string_view(data).substr(0, 512)).add(std::string_view(data).substr(512)).value() == Hash64().add(data).value());
}
