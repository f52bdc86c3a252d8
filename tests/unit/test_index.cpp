// The index database, header summaries, folder scans and index order.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <mutex>
#include <numeric>
#include <thread>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "temp_dir.hpp"
#include "store/folder_scan.hpp"
#include "store/index_db.hpp"
#include "store/index_view.hpp"
#include "store/maildir.hpp"
#include "store/sqlite.hpp"
#include "util/hash64.hpp"

using namespace tern;
namespace fs = std::filesystem;


TEST_CASE("header summaries decode what the index shows") {
    const MessageRow r = summarize_headers(
        "From: =?utf-8?q?Zo=C3=AB?= <zoe@example.se>\n"
        "To: a@x, \"B, C\" <b@x>\n"
        "Subject: =?iso-8859-1?q?Gr=FC=DFe?=\n"
        "Date: Mon, 2 Mar 2026 10:00:00 +0100\n"
        "Message-ID:  <m@x> \n"
        "In-Reply-To: <p@x>\n"
        "References: <r@x> <p@x>\n"
        "Content-Type: multipart/mixed; boundary=b\n\n");
    CHECK(r.from_name() == "Zoë");
    CHECK(r.from_addr() == "zoe@example.se");
    CHECK(r.to() == "a@x, \"B, C\" <b@x>");
    CHECK(r.subject() == "Grüße");
    CHECK(r.date == 1772442000);
    CHECK(r.message_id() == "<m@x>");
    CHECK(r.references() == "<r@x> <p@x>");
    CHECK(r.has_attachments);
    const MessageRow bad = summarize_headers("Date: not a date\nFrom: just text\n\n");
    CHECK(bad.date == 0);  // a bad date is not fatal
    CHECK(bad.from_addr() == "justtext");
}

TEST_CASE("rows whose text is written into shared blocks outlive the writer, copy by sharing, and change alone") {
    const auto subject_of = [](int i) {
        std::string s = "subject " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 97), 'x');
        if (i % 1000 == 7) s += std::string(MessageRow::kMaxField, 'y');  // cut at the field limit
        s += std::string("\0\xC3\xA9", 3);
        return s;
    };
    std::vector<MessageRow> rows(20000);  // about 3 MB of text: several blocks
    {
        RowTextBlocks blocks;
        for (int i = 0; i < 20000; ++i) {
            const std::string subject = subject_of(i), id = "<" + std::to_string(i) + "@x>";
            rows[static_cast<std::size_t>(i)].set_text({.from_addr = "a@x", .subject = subject, .message_id = id}, &blocks);
        }
    }  // the writer gone: the rows keep their blocks
    for (int i = 0; i < 20000; ++i) {
        const MessageRow& r = rows[static_cast<std::size_t>(i)];
        const std::string subject = subject_of(i);
        CHECK(r.subject() == std::string_view(subject).substr(0, MessageRow::kMaxField));
        CHECK(r.message_id() == "<" + std::to_string(i) + "@x>");
        CHECK(r.from_addr() == "a@x");
        CHECK(r.file().empty());
    }
    // copies share the text, and keep it when the rows copied are gone
    std::vector<MessageRow> copies(rows.begin() + 100, rows.begin() + 200);
    CHECK(copies[0].subject().data() == rows[100].subject().data());
    std::vector<MessageRow>().swap(rows);
    for (int i = 100; i < 200; ++i) CHECK(copies[static_cast<std::size_t>(i - 100)].message_id() == "<" + std::to_string(i) + "@x>");
    // a change is the row's own: its copies and neighbours keep theirs
    MessageRow changed = copies[5];
    changed.set_file("cur/k:2,S");
    CHECK(changed.file() == "cur/k:2,S");
    CHECK(changed.message_id() == "<105@x>");
    CHECK(changed.in_cur);
    CHECK(copies[5].file().empty());
    CHECK(copies[6].message_id() == "<106@x>");
    // a move leaves nothing behind to count twice
    MessageRow moved = std::move(copies[7]);
    CHECK(moved.message_id() == "<107@x>");
    CHECK(copies[7].message_id().empty());
    copies[8] = copies[8];
    CHECK(copies[8].message_id() == "<108@x>");
}

TEST_CASE("schema version, rows, scan of a maildir") {
    TempDir t;
    const std::string db_path = (t.path / "index.sqlite").string();
    {
        IndexDb db(db_path);
        CHECK(db.db().user_version() == IndexDb::kSchemaVersion);
        CHECK(db.moved_aside().empty());
    }
    Maildir md((t.path / "INBOX").string(), true);
    md.deliver("From: a@x\nSubject: one\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nbody\n", Flags(), false);
    const MaildirEntry two = md.deliver("From: b@x\nSubject: two\n\nbody\n", Flags::from_maildir("S"), true);
    IndexDb db(db_path);  // reopened: no migration again, same data
    const auto folder = db.folder_id("acct", "INBOX");
    CHECK(db.folder_id("acct", "INBOX") == folder);
    auto r = scan_folder(db, folder, md);
    CHECK(r.added == 2);
    r = scan_folder(db, folder, md);
    CHECK((r.unchanged == 2 || r.skipped));
    md.set_flags(two, Flags::from_maildir("FS"));
    r = scan_folder(db, folder, md);
    CHECK(r.updated == 1);
    const auto rows = db.messages(folder);
    REQUIRE(rows.size() == 2);
    for (const auto& row : rows)
        if (row.subject() == "two") CHECK(row.flags == Flags::from_maildir("FS"));
    md.remove(md.list().front());
    r = scan_folder(db, folder, md);
    CHECK(r.removed == 1);
    CHECK(db.messages(folder).size() == 1);
}

TEST_CASE("a PRAGMA set for a scope is set back as it was, also when the scope is left by an exception") {
    TempDir t;
    Database db((t.path / "p.sqlite").string());
    const auto value = [&db](std::string_view name) {
        Statement s = db.prepare("PRAGMA " + std::string(name));
        REQUIRE(s.step());
        return s.int64(0);
    };
    const std::int64_t timeout = value("busy_timeout"), cache = value("cache_size");
    CHECK(timeout == 5000);
    {
        const ScopedPragma no_wait(db, "busy_timeout", "0");
        const ScopedPragma small(db, "cache_size", "-1024");
        CHECK(value("busy_timeout") == 0);
        CHECK(value("cache_size") == -1024);
    }
    CHECK(value("busy_timeout") == timeout);
    CHECK(value("cache_size") == cache);
    try {
        const ScopedPragma no_wait(db, "busy_timeout", "0");
        throw Failure(ErrorKind::Io, "left");
    } catch (const Failure&) {
    }
    CHECK(value("busy_timeout") == timeout);
}

TEST_CASE("a newer schema than this tern knows is refused with advice") {
    TempDir t;
    const std::string db_path = (t.path / "index.sqlite").string();
    { IndexDb db(db_path); db.db().exec("PRAGMA user_version = 99"); }
    CHECK_THROWS_WITH_AS(IndexDb{db_path}, doctest::Contains("newer than this tern"), Failure);
}

TEST_CASE("a file that is not a database is moved aside; a database that cannot be opened is left alone") {
    TempDir dir;
    const std::string garbage = (dir.path / "garbage.sqlite").string();
    std::ofstream(garbage) << std::string(8192, 'x');
    {
        IndexDb index(garbage);
        CHECK(index.moved_aside() == garbage + ".damaged");
    }
    CHECK(std::filesystem::exists(garbage + ".damaged"));
    // what cannot be opened for another reason (here: a directory in its place; a full disk
    // does the same) may be a sound database with the op queue and the outbox: never moved
    const std::string blocked = (dir.path / "blocked.sqlite").string();
    std::filesystem::create_directory(blocked);
    CHECK_THROWS_AS(IndexDb{blocked}, Failure);
    CHECK(std::filesystem::is_directory(blocked));
    CHECK_FALSE(std::filesystem::exists(blocked + ".damaged"));
}

TEST_CASE("a big folder sorted by numbers (two threads, then merged) is ordered as a stable sort orders it") {
    // 120,000 rows, many ties on both keys: what a stable sort of the row numbers by the two keys gives
    std::vector<MessageRow> rows(120000, MessageRow({.subject = "s"}));
    std::uint64_t x = 88172645463325252ULL;  // xorshift: the same rows every run
    for (auto& r : rows) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        r.date = static_cast<std::int64_t>(x % 5000);
        r.size = static_cast<std::int64_t>((x >> 20) % 7);
    }
    // keys that fit in 32 bits (sorted as one 64-bit key), then some that do not (a date before 1970, one
    // after 2106, a size over 4 GB: sorted as two)
    for (const bool wide : {false, true})
    for (const auto& sorts : std::vector<std::pair<std::string, std::string>>{
             {"date", "size"}, {"reverse-date", "size"}, {"size", "reverse-date"}, {"reverse-size", "reverse-date"}, {"unsorted", "date"}}) {
        if (wide) {
            rows[17].date = -5;
            rows[90000].date = 5'000'000'000;
            rows[33].size = 6'000'000'000;
        }
        const std::string &sort = sorts.first, &aux = sorts.second;  // references, not bindings: lambdas take them
        INFO(sort << " " << aux << (wide ? " (wide keys)" : ""));
        const auto key = [&rows](std::string_view method, std::size_t i) -> std::int64_t {
            if (method == "unsorted") return 0;  // the folder's order, sort_aux breaking the ties as ever
            return method.ends_with("date") ? rows[i].date : rows[i].size;
        };
        std::vector<std::size_t> expected(rows.size());
        std::iota(expected.begin(), expected.end(), 0);
        std::stable_sort(expected.begin(), expected.end(), [&](std::size_t a, std::size_t b) {
            const bool rev = sort.starts_with("reverse-"), aux_rev = aux.starts_with("reverse-");
            if (key(sort, a) != key(sort, b)) return rev ? key(sort, a) > key(sort, b) : key(sort, a) < key(sort, b);
            return aux_rev ? key(aux, a) > key(aux, b) : key(aux, a) < key(aux, b);
        });
        const auto got = order_index(rows, sort, aux);
        REQUIRE(got.size() == rows.size());
        std::size_t differ = 0, shaped = 0;
        for (std::size_t i = 0; i < got.size(); ++i) {
            differ += got[i].row != expected[i];
            shaped += got[i].shape.branches != 0 || got[i].shape.depth != 0 || got[i].shape.missing_parent;  // no tree drawn
        }
        CHECK(differ == 0);
        CHECK(shaped == 0);
    }
}

TEST_CASE("index order and lines") {
    std::vector<MessageRow> rows = {
        MessageRow({.from_name = "Zed", .subject = "b"}),
        MessageRow({.from_name = "amy", .subject = "a"}),
        MessageRow({.from_addr = "c@x", .subject = "c"}),
    };
    rows[0].date = 3;
    rows[1].date = 1;
    rows[2].date = 2;
    rows[2].size = 99999;
    auto order = [&](std::string_view sort) {
        std::string s;
        for (const auto& e : order_index(rows, sort, "date")) s += rows[e.row].subject();
        return s;
    };
    CHECK(order("date") == "acb");
    CHECK(order("reverse-date") == "bca");
    CHECK(order("from") == "acb");  // amy, c@x, Zed: case-blind
    CHECK(order("subject") == "abc");
    CHECK(order("size") == "abc");
    CHECK(order("threads") == "acb");
    // sort_aux breaks ties: two messages of one size, ordered by date, then reversed date
    rows[0].size = rows[1].size = 5;
    std::string by_size;
    for (const auto& e : order_index(rows, "size", "date")) by_size += rows[e.row].subject();
    CHECK(by_size == "abc");  // a (date 1), b (date 3), then c (99999 bytes)
    by_size.clear();
    for (const auto& e : order_index(rows, "size", "reverse-date")) by_size += rows[e.row].subject();
    CHECK(by_size == "bac");
    by_size.clear();
    for (const auto& e : order_index(rows, "reverse-size", "date")) by_size += rows[e.row].subject();
    CHECK(by_size == "cab");  // the biggest first; the tie still by date
    rows[0].flags = Flags::from_maildir("F");
    CHECK(order("flagged") == "bac");  // b (flagged, the newest), then a, c by date
    // what an order reads, for the snapshot's reader and writer
    CHECK(order_reads_flags("reverse-flagged", "date"));
    CHECK(order_reads_flags("date", "flagged"));
    CHECK_FALSE(order_reads_flags("threads", "last-date-received"));
    CHECK(order_reads_addresses("threads", "reverse-from"));
    CHECK(order_reads_addresses("to", "date"));
    CHECK_FALSE(order_reads_addresses("date-sent", "size"));
    CHECK_FALSE(order_reads_addresses("threads", "last-date-received"));
    const std::string line = format_index_line(rows[2], {2, ThreadShape{}}, 7);
    // mail from me shows its recipient, as mutt's %L
    const MessageRow sent({.from_name = "Me", .from_addr = "me@x", .to = "Bob Builder <bob@y>, c@z", .subject = "hi"});
    std::string mine;
    IndexLineFormatter(AddressSet({"ME@x"})).append(mine, sent, {0, ThreadShape{}}, 1);
    CHECK(mine.find("To Bob Builder  (") != std::string::npos);
    std::string theirs;
    IndexLineFormatter(AddressSet({"other@x"})).append(theirs, sent, {0, ThreadShape{}}, 1);
    CHECK(theirs.find("Me              (") != std::string::npos);
    CHECK(line.rfind("   7 N   ", 0) == 0);
    CHECK(line.find("c@x             ( 98K) c") != std::string::npos);
}

// what migration 18 added (the moves since a snapshot)
#define UNDO_MOVES "DROP TABLE snapshot_moves;"

// what migration 17 changed (bodies without their text, kept deflated apart;
// header lines without positions), as migration 16 left it
#define UNDO_TEXT_TRADE                                                                                               \
    "DROP TABLE bodies; DROP TABLE body_texts; DROP TABLE headers;"                                                    \
    "CREATE VIRTUAL TABLE bodies USING fts5(text, tokenize = 'trigram');"                                             \
    "CREATE VIRTUAL TABLE headers USING fts5(text, tokenize = 'trigram');"

// what migration 16 added (the folders' generations), taken away again
#define UNDO_GENERATIONS                                                                                              \
    "DROP TRIGGER folders_generation_start;"                                                                          \
    "ALTER TABLE folders DROP COLUMN generation; ALTER TABLE folders DROP COLUMN snapshot_stale;"

TEST_CASE("migration from schema 15 gives each folder a generation that a write after a snapshot moves on") {
    TempDir t;
    const std::string db_path = (t.path / "index.sqlite").string();
    std::int64_t folder = 0;
    {
        IndexDb db(db_path);
        folder = db.folder_id("a", "INBOX");
        db.insert(folder, "k1", MessageRow({.subject = "kept"}));
        db.db().exec(UNDO_MOVES UNDO_TEXT_TRADE UNDO_GENERATIONS "PRAGMA user_version = 15");
    }
    IndexDb db(db_path);
    CHECK(db.db().user_version() == IndexDb::kSchemaVersion);
    const std::int64_t before = db.begin_snapshot(folder).value();
    CHECK(before != 0);  // random, not the column's default
    db.insert(folder, "k2", MessageRow({.subject = "new"}));
    CHECK(db.folder_generation(folder).value() != before);
    CHECK(db.messages(folder).size() == 2);
}

TEST_CASE("migration from schema 1 adds the full-text index, keeping the rows") {
    TempDir t;
    const std::string db_path = (t.path / "index.sqlite").string();
    {
        IndexDb db(db_path);
        const auto f = db.folder_id("a", "INBOX");
        db.insert(f, "k1", MessageRow({.subject = "kept"}));
        // as a version-1 tern left it
        db.db().exec(UNDO_MOVES "DROP TABLE bodies; DROP TABLE body_texts; DROP TABLE headers; ALTER TABLE folders DROP COLUMN scan_stamp;"
                     "ALTER TABLE messages DROP COLUMN server_flags;"
                     "ALTER TABLE outbox DROP COLUMN sender; ALTER TABLE outbox DROP COLUMN recipients; ALTER TABLE outbox DROP COLUMN sent_to;"
                     "DROP TABLE pop3_seen; DROP TABLE folder_roles;"
                     "DROP TRIGGER header_blocks_follow; DROP TABLE header_blocks; DROP INDEX messages_local_only;"
                     "ALTER TABLE messages DROP COLUMN flags_pushing; ALTER TABLE outbox DROP COLUMN copy_owed; ALTER TABLE messages DROP COLUMN carried; ALTER TABLE outbox DROP COLUMN fcc; ALTER TABLE outbox DROP COLUMN keep_copy; DROP TABLE autocrypt_peers; DROP TABLE autocrypt_own;"
                     UNDO_GENERATIONS
                     "PRAGMA user_version = 1");
    }
    IndexDb db(db_path);
    CHECK(db.db().user_version() == IndexDb::kSchemaVersion);
    const auto rows = db.messages(db.folder_id("a", "INBOX"));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].subject() == "kept");
    db.set_search_text(rows[0].id, "Subject: kept\n", "hello world");
    CHECK(db.body_text(rows[0].id) == "hello world");
}

TEST_CASE("migration from schema 3 drops the word index; the text pass indexes the message again") {
    TempDir t;
    const std::string db_path = (t.path / "index.sqlite").string();
    {
        IndexDb db(db_path);
        const auto f = db.folder_id("a", "INBOX");
        const auto id = db.insert(f, "k1", MessageRow({.subject = "s"}));
        // as a version-3 tern left it: a word index
        db.db().exec(UNDO_MOVES "DROP TABLE bodies; DROP TABLE body_texts; CREATE VIRTUAL TABLE bodies USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');"
                     "DROP TABLE headers; ALTER TABLE messages DROP COLUMN server_flags;"
                     "ALTER TABLE outbox DROP COLUMN sender; ALTER TABLE outbox DROP COLUMN recipients; ALTER TABLE outbox DROP COLUMN sent_to;"
                     "DROP TABLE pop3_seen; DROP TABLE folder_roles;"
                     "DROP TRIGGER header_blocks_follow; DROP TABLE header_blocks; DROP INDEX messages_local_only;"
                     "ALTER TABLE messages DROP COLUMN flags_pushing; ALTER TABLE outbox DROP COLUMN copy_owed; ALTER TABLE messages DROP COLUMN carried; ALTER TABLE outbox DROP COLUMN fcc; ALTER TABLE outbox DROP COLUMN keep_copy; DROP TABLE autocrypt_peers; DROP TABLE autocrypt_own;"
                     UNDO_GENERATIONS
                     "PRAGMA user_version = 3");
        db.db().exec("INSERT INTO bodies(rowid, text) VALUES(" + std::to_string(id) + ", 'the quarterly numbers')");
    }
    IndexDb db(db_path);
    CHECK(db.db().user_version() == IndexDb::kSchemaVersion);
    // 3 -> 4 moved it to trigrams, 16 -> 17 to bodies without their text: indexed again from its file
    CHECK(db.search_text("arterly", 'b').value().empty());
    CHECK(db.count_without_search_text(db.folder_id("a", "INBOX")) == 1);
}

TEST_CASE("migration from schema 16: the text index starts again smaller; a message kept as headers only keeps its lines") {
    TempDir t;
    Maildir md((t.path / "INBOX").string(), true);
    md.deliver("Subject: numbers\n\nThe quarterly numbers are in.\n", Flags(), true);
    const std::string db_path = (t.path / "index.sqlite").string();
    std::int64_t folder = 0, lean = 0;
    {
        IndexDb db(db_path);
        folder = db.folder_id("a", "INBOX");
        scan_folder(db, folder, md);
        lean = db.insert(folder, "lean-key", MessageRow({.subject = "lean"}));  // no file: headers only
        // as schema 16 kept them: both texts in trigram tables with positions and their own copy
        db.db().exec(UNDO_MOVES UNDO_TEXT_TRADE "PRAGMA user_version = 16");
        const std::int64_t filed = db.messages(folder).front().id == lean ? db.messages(folder).back().id : db.messages(folder).front().id;
        db.db().exec("INSERT INTO bodies(rowid, text) VALUES(" + std::to_string(filed) + ", 'The quarterly numbers are in.')");
        db.db().exec("INSERT INTO headers(rowid, text) VALUES(" + std::to_string(filed) + ", 'Subject: numbers'), (" +
                     std::to_string(lean) + ", 'From: Zoë <zoe@example.org>\nSubject: lean\n')");
    }
    IndexDb db(db_path);
    CHECK(db.db().user_version() == IndexDb::kSchemaVersion);
    const auto secure_delete = [](Database& d) {
        Statement s = d.prepare("PRAGMA secure_delete");
        REQUIRE(s.step());
        return s.int64(0);
    };
    Database plain((t.path / "plain.sqlite").string());
    CHECK(secure_delete(db.db()) == secure_delete(plain));  // the migration's FAST is not left behind
    CHECK(db.search_text("quarterly", 'B').value().empty());
    CHECK(db.count_without_search_text(folder) == 2);
    CHECK(db.header_block(lean).value() == "From: Zoë <zoe@example.org>\nSubject: lean\n");
    CHECK(index_message_text(db, folder, md) == 2);
    CHECK(db.search_text("quarterly", 'b').value().size() == 1);
    CHECK(db.search_text("numbers", 'h').value().size() == 1);
    CHECK(db.search_text("zoe@example", 'h').value() == std::vector<std::int64_t>{lean});
    CHECK(db.header_text(lean) == "From: Zoë <zoe@example.org>\nSubject: lean\n");  // the lines come back as they were
    CHECK_FALSE(db.header_block(lean).has_value());
}

namespace {
// An index database with one folder, and rows added to it by key (the text index's tests).
struct OneFolder {
    TempDir t;
    IndexDb db{(t.path / "index.sqlite").string()};
    std::int64_t folder = db.folder_id("a", "INBOX");
    std::int64_t add(std::string_view key) { return db.insert(folder, key, MessageRow({.subject = key})); }
};
}  // namespace

TEST_CASE("body text is kept deflated; replacing and removing a message takes its old text out of the index") {
    OneFolder one;
    IndexDb& db = one.db;
    const auto a = one.add("ka"), b = one.add("kb");
    std::string big;
    for (int i = 0; i < 2000; ++i) big += "line " + std::to_string(i) + " of the weekly report\n";
    std::string odd = "NUL \0 inside, 8-bit \xe2\x82\xac, and the end";
    db.set_search_text(a, "Subject: a\n", big);
    db.set_search_text(b, "Subject: b\n", odd);
    CHECK(db.body_text(a) == big);
    CHECK(db.body_text(b) == odd);
    const auto stored = [&db](std::int64_t id) {
        Statement s = db.db().prepare("SELECT size, length(deflated) FROM body_texts WHERE id = ?1");
        s.bind(1, id);
        REQUIRE(s.step());
        return std::pair(s.int64(0), s.int64(1));
    };
    CHECK(stored(a).first == static_cast<std::int64_t>(big.size()));
    CHECK(stored(a).second * 5 < stored(a).first);  // deflated
    CHECK(db.search_text("line 1999 of", 'b').value() == std::vector<std::int64_t>{a});
    // replaced: the old text's postings go (a contentless index is told the old text)
    db.set_search_text(a, "Subject: a\n", "now something else entirely");
    CHECK(db.search_text("weekly report", 'b').value().empty());
    CHECK(db.search_text("something else", 'b').value() == std::vector<std::int64_t>{a});
    db.remove(a);
    CHECK(db.search_text("something else", 'b').value().empty());
    CHECK(db.body_text(a).empty());
    // the index agrees with itself after all that
    CHECK_NOTHROW(db.db().exec("INSERT INTO bodies(bodies, rank) VALUES('integrity-check', 0)"));
    CHECK_NOTHROW(db.db().exec("INSERT INTO headers(headers) VALUES('integrity-check')"));
    // damaged: a clear error, not a crash or wrong text
    db.db().exec("UPDATE body_texts SET deflated = x'00112233' WHERE id = " + std::to_string(b));
    try {
        (void)db.body_text(b);
        FAIL("damaged text read without an error");
    } catch (const Failure& e) {
        CHECK(e.kind() == ErrorKind::Damaged);
        CHECK(std::string(e.what()).find("tern sync --rebuild") != std::string::npos);
    }
    CHECK_THROWS_AS(db.remove(b), Failure);  // its postings cannot be taken out without its text
    // the advice works: a rebuild forgets the account's text whole, without reading it
    db.forget_account("a");
    CHECK(db.search_text("NUL", 'b').value().empty());
    CHECK(db.search_text("subject", 'h').value().empty());
    const auto again = one.add("ka");
    db.set_search_text(again, "Subject: a\n", odd);
    CHECK(db.search_text("nul ", 'b').value() == std::vector<std::int64_t>{again});
}

TEST_CASE("header lines are searched with LIKE: ASCII case folded, % and _ taken literally") {
    OneFolder one;
    IndexDb& db = one.db;
    const auto a = one.add("ka"), b = one.add("kb"), c = one.add("kc");
    db.set_search_text(a, "List-Id: <dev_team.example.org>\nSubject: 100% done\n", "");
    db.set_search_text(b, "List-Id: <devXteam.example.org>\nSubject: 100 percent done\n", "");
    db.set_search_text(c, "From: Ünal <u@x>\nX-Spam: 99%\n", "");
    const auto ids = [&db](std::string_view text) { return db.search_text(text, 'h').value(); };
    CHECK(ids("list-id: <dev") == std::vector<std::int64_t>{a, b});  // ASCII case folded
    CHECK(ids("dev_team") == std::vector<std::int64_t>{a});  // '_' is itself, not any character
    CHECK(ids("100% d") == std::vector<std::int64_t>{a});    // '%' too
    CHECK(ids("99%") == std::vector<std::int64_t>{c});
    CHECK(ids("ünal") == std::vector<std::int64_t>{});       // other letters' case is not folded, as the patterns' check
    CHECK(ids("Ünal") == std::vector<std::int64_t>{c});
    CHECK(ids("none such").empty());
}

TEST_CASE("a queued deletion keeps what the message was here; one queued by an earlier tern is still read") {
    TempDir t;
    IndexDb db((t.path / "index.sqlite").string());
    const auto f = db.folder_id("a", "INBOX");
    db.queue_op(f, "expunge", 7, 42, "<a@x>", 1234, "1700000000.M1P2Q3.host,S=1234,U=42");
    db.queue_op(f, "expunge", 7, 43, "", 10, "a key with spaces");
    db.queue_op(f, "expunge", 7, 44, "two words");  // not one Message-ID: not kept
    // as schema 8 wrote them
    db.db().exec("INSERT INTO op_queue(account, kind, payload, created) VALUES('a', 'expunge', '" + std::to_string(f) +
                 " 7 45 <old@x>', 0), ('a', 'expunge', '" + std::to_string(f) + " 7 46', 0)");
    const auto ops = db.queued_ops(f);
    REQUIRE(ops.size() == 5);
    CHECK(ops[0].uid == 42);
    CHECK(ops[0].message_id == "<a@x>");
    CHECK(ops[0].size == 1234);
    CHECK(ops[0].key == "1700000000.M1P2Q3.host,S=1234,U=42");
    CHECK(ops[1].message_id.empty());
    CHECK(ops[1].size == 10);
    CHECK(ops[1].key == "a key with spaces");
    CHECK(ops[2].message_id.empty());
    CHECK(ops[3].uid == 45);
    CHECK(ops[3].message_id == "<old@x>");
    CHECK(ops[3].size == 0);
    CHECK(ops[3].key.empty());
    CHECK(ops[4].uid == 46);
    CHECK(ops[4].message_id.empty());
}

TEST_CASE("flags on their way to the server are kept until the flags agreed replace them") {
    TempDir t;
    IndexDb db((t.path / "index.sqlite").string());
    const auto f = db.folder_id("a", "INBOX");
    const auto id = db.insert(f, "k1", MessageRow({.subject = "s"}));
    db.set_server_state(id, 7, 1, Flags());
    db.set_flags_pushing(id, {Flags().with(Flags::Flagged), Flags().with(Flags::Flagged).with(Flags::Seen)});
    auto rows = db.mirrored(f, 7);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].pushing);
    CHECK(rows[0].pushing->mask == Flags().with(Flags::Flagged));
    CHECK(rows[0].pushing->value == Flags().with(Flags::Flagged).with(Flags::Seen));
    db.set_server_flags(id, Flags().with(Flags::Flagged));
    rows = db.mirrored(f, 7);
    CHECK(!rows[0].pushing);
    CHECK(rows[0].server_flags == Flags().with(Flags::Flagged));
}

TEST_CASE("bodies are indexed on scan and searchable offline") {
    TempDir t;
    Maildir md((t.path / "INBOX").string(), true);
    md.deliver("Subject: a\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
               "The caf=E9 invoice is attached.\n",
               Flags(), true);
    md.deliver("Subject: b\nContent-Type: text/html\n\n<p>Nothing <b>here</b></p>\n", Flags(), true);
    IndexDb db((t.path / "index.sqlite").string());
    const auto f = db.folder_id("a", "INBOX");
    scan_folder(db, f, md);
    const auto rows = db.messages(f);
    REQUIRE(rows.size() == 2);
    CHECK(db.search_text("invoice", 'b').value().empty());  // the scan reads header blocks only
    CHECK(index_message_text(db, f, md) == 2);
    CHECK(index_message_text(db, f, md) == 0);  // each message once
    auto count = [&db](std::string_view text) { return db.search_text(text, 'b').value().size(); };
    const auto hits = db.search_text("nvoic", 'b').value();  // any substring, not only word starts
    REQUIRE(hits.size() == 1);
    CHECK(db.body_text(hits[0]).find("café invoice") != std::string::npos);  // decoded, converted
    CHECK(count("CAFÉ INV") == 1);  // case folded, across words
    CHECK(count("here") == 1);     // HTML as text
    CHECK(count("<b>") == 0);      // tags are not text
    CHECK(count("x\"y") == 0);     // quotes cannot break the query
    CHECK_FALSE(db.search_text("in", 'b').has_value());  // too short for trigrams: the caller reads the bodies
    CHECK(db.search_text("subject: a", 'h').value().size() == 1);  // header lines are indexed apart
    CHECK(db.search_text("subject: a", 'b').value().empty());
    CHECK(db.search_text("subject: a", 'B').value().size() == 1);
    md.remove(md.list().front());
    scan_folder(db, f, md);
    CHECK(count("invoic") + count("here") == 1);
}

TEST_CASE("an unchanged maildir is not rescanned; any change is") {
    TempDir t;
    Maildir md((t.path / "INBOX").string(), true);
    md.deliver("Subject: a\n\nx\n", Flags(), true);
    // directory times in the past, as after a while without mail
    auto age = [&] {
        for (const char* sub : {"new", "cur"}) {
            const timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
            ::utimensat(AT_FDCWD, (t.path / "INBOX" / sub).c_str(), times, 0);
        }
    };
    age();
    IndexDb db((t.path / "index.sqlite").string());
    const auto f = db.folder_id("a", "INBOX");
    CHECK(scan_folder(db, f, md).added == 1);
    CHECK(scan_folder(db, f, md).skipped);
    const MaildirEntry e = md.list().front();
    md.set_flags(e, Flags::from_maildir("FS"));  // a rename changes cur/'s time
    const auto r = scan_folder(db, f, md);
    CHECK_FALSE(r.skipped);
    CHECK(r.updated == 1);
}

TEST_CASE("a second connection in this process keeps the first one's locks: another process does not take the WAL away") {
    // Found with the reader open and `tern ls` run beside it: opening a second
    // connection used to open() and close() the file first, and on Linux a
    // close() drops every POSIX lock the process holds on it. The other
    // process then thought it was the last user, deleted the WAL and its
    // shared memory, and the reader's next writes failed ("disk I/O error").
    TempDir t;
    const std::string path = (t.path / "index.sqlite").string();
    std::int64_t after = 0;
    {
    IndexDb first(path);
    first.folder_id("a", "INBOX");  // the WAL is in use
    IndexDb second(path);
    REQUIRE(std::filesystem::exists(path + "-wal"));
    // another program (a fresh process: SQLite's state must not come through a fork) opens and closes it
    const std::string other = "python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"select count(*) from folders\").fetchall(); c.close()' " + path;
    REQUIRE(std::system(other.c_str()) == 0);
    CHECK(std::filesystem::exists(path + "-wal"));
    CHECK(std::filesystem::exists(path + "-shm"));
    after = first.folder_id("a", "After");  // written after the other program closed
    }
    IndexDb again(path);  // what was written is still there
    CHECK(again.folder_id("a", "After") == after);
}

TEST_CASE("two connections opening a new index at once: one makes the schema, the other waits and finds it made") {
    // the reader's first start: its UI thread and its worker open the database together
    for (int round = 0; round < 20; ++round) {
        TempDir t;
        const std::string path = (t.path / "index.sqlite").string();
        std::atomic<int> failures{0};
        std::string why;
        std::mutex m;
        const auto open = [&] {
            try {
                IndexDb db(path);
                db.folder_id("a", "INBOX");
            } catch (const std::exception& e) {
                ++failures;
                std::lock_guard<std::mutex> lock(m);
                why = e.what();
            }
        };
        std::thread a(open), b(open);
        a.join();
        b.join();
        CAPTURE(why);
        REQUIRE(failures == 0);
    }
}

TEST_CASE("a scan compares the directories with the index's files, held as hashes, one entry at a time") {
    TempDir t;
    IndexDb db((t.path / "index.db").string());
    Maildir md((t.path / "INBOX").string(), true);
    std::vector<MaildirEntry> delivered;
    for (int i = 0; i < 50; ++i)  // keys in an order that is not the order of delivery
        delivered.push_back(md.deliver("From: a@x\nSubject: m" + std::to_string(i) + "\n\nbody\n", Flags(), i % 2 == 0,
                                       std::to_string((i * 37) % 50)));
    const auto folder = db.folder_id("acct", "INBOX");
    CHECK(scan_folder(db, folder, md).added == 50);
    const KnownFiles known = db.known_files(folder);
    REQUIRE(known.entries().size() == 50);
    static_assert(sizeof(KnownFiles::Entry) == 24);
    for (std::size_t i = 1; i < known.entries().size(); ++i) CHECK(known.entries()[i - 1].key_hash < known.entries()[i].key_hash);
    std::set<std::int64_t> ids;
    for (const MaildirEntry& e : delivered) {
        const KnownFiles::Entry* k = known.find(e.key);
        REQUIRE(k != nullptr);
        CHECK(k->file_hash == KnownFiles::hash(e.subdir + "/" + e.name));
        CHECK(k->flags == e.flags.bits());
        CHECK_FALSE(k->mirrored);
        ids.insert(k->id);
    }
    CHECK(ids.size() == 50);
    CHECK(known.find("no-such-key") == nullptr);
    // renamed, removed and new at once; every entry seen once
    md.set_flags(delivered[3], Flags::from_maildir("FS"));
    md.remove(delivered[7]);
    md.deliver("From: b@x\nSubject: new\n\nbody\n", Flags(), false);
    const ScanResult r = scan_folder(db, folder, md);
    CHECK(r.updated == 1);
    CHECK(r.removed == 1);
    CHECK(r.added == 1);
    CHECK(r.unchanged == 48);
    CHECK(db.messages(folder).size() == 50);
}

namespace {

// Keys of 16 bytes whose Hash64 meet: every step of it is a bijection of its state, so a second word
// chosen as first ^ state_a ^ state_b undoes the difference of two first words. Only bytes a file name
// may hold.
std::vector<std::string> keys_that_meet(std::size_t count) {
    const auto word = [](std::string_view s) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data(), 8);
        return w;
    };
    const auto text = [](std::uint64_t w) {
        std::string s(8, '\0');
        std::memcpy(s.data(), &w, 8);
        return s;
    };
    const auto fit = [](std::string_view s) { return s.find_first_of(std::string_view("\0/:.\n", 5)) == std::string_view::npos; };
    const std::string a1 = "collide.", a2 = "-tail-00";
    const std::uint64_t state_a = Hash64().add(a1).value();
    std::vector<std::string> keys{a1 + a2};
    for (int n = 0; keys.size() < count; ++n) {
        std::string b1 = "other" + std::to_string(100 + n);
        b1.resize(8, 'x');
        const std::string b2 = text(word(a2) ^ state_a ^ Hash64().add(b1).value());
        if (fit(b1) && fit(b2)) keys.push_back(b1 + b2);
    }
    return keys;
}

}  // namespace

TEST_CASE("keys whose hashes meet are told apart: by the index's keys, and by a scan that confirms a renamed file's key") {
    const auto keys = keys_that_meet(3);
    REQUIRE(KnownFiles::hash(keys[0]) == KnownFiles::hash(keys[1]));
    REQUIRE(KnownFiles::hash(keys[0]) == KnownFiles::hash(keys[2]));
    REQUIRE(keys[0] != keys[1]);
    TempDir t;
    IndexDb db((t.path / "index.db").string());
    Maildir md((t.path / "INBOX").string(), true);
    const auto put = [](const TempDir& dir, const std::string& key, const std::string& subject) {
        std::ofstream(dir.path / "INBOX" / "cur" / (key + ":2,S")) << "From: a@x\nSubject: " << subject << "\n\nbody\n";
    };
    put(t, keys[0], "zero");
    put(t, keys[1], "one");
    put(t, "plain", "plain");
    const auto folder = db.folder_id("acct", "INBOX");
    CHECK(scan_folder(db, folder, md).added == 3);
    const KnownFiles known = db.known_files(folder);
    const KnownFiles::Entry *k0 = known.find(keys[0]), *k1 = known.find(keys[1]);
    REQUIRE(k0 != nullptr);
    REQUIRE(k1 != nullptr);
    CHECK(k0 != k1);
    CHECK(db.location(k0->id)->key == keys[0]);
    CHECK(db.location(k1->id)->key == keys[1]);
    CHECK(known.find(keys[2]) == nullptr);  // its hash is known, the key is not
    // a file of the third key: a message of its own, not a rename of either
    put(t, keys[2], "two");
    ScanResult r = scan_folder(db, folder, md);
    CHECK(r.added == 1);
    CHECK(r.updated == 0);
    CHECK(r.removed == 0);
    CHECK(db.messages(folder).size() == 4);
    // renamed: found as itself
    std::filesystem::rename(t.path / "INBOX" / "cur" / (keys[1] + ":2,S"), t.path / "INBOX" / "cur" / (keys[1] + ":2,FS"));
    r = scan_folder(db, folder, md);
    CHECK(r.updated == 1);
    CHECK(r.added == 0);
    CHECK(r.removed == 0);
    CHECK(r.unchanged == 3);
    const auto rows = db.messages(folder);
    REQUIRE(rows.size() == 4);
    std::map<std::string, Flags> by_subject;
    for (const auto& row : rows) by_subject[std::string(row.subject())] = row.flags;
    CHECK(by_subject["one"] == Flags::from_maildir("FS"));
    CHECK(by_subject["zero"] == Flags::from_maildir("S"));
    CHECK(by_subject["two"] == Flags::from_maildir("S"));

    // one key known, so its hash is alone: files of the other two keys, whichever the directory lists first
    TempDir t2;
    IndexDb db2((t2.path / "index.db").string());
    Maildir md2((t2.path / "INBOX").string(), true);
    put(t2, keys[0], "zero");
    const auto folder2 = db2.folder_id("acct", "INBOX");
    CHECK(scan_folder(db2, folder2, md2).added == 1);
    put(t2, keys[1], "one");
    put(t2, keys[2], "two");
    r = scan_folder(db2, folder2, md2);
    CHECK(r.added == 2);
    CHECK(r.updated == 0);
    CHECK(r.unchanged == 1);
    std::set<std::string> files;
    for (const auto& m : db2.locations(folder2)) files.insert(m.file);
    CHECK(files == std::set<std::string>{"cur/" + keys[0] + ":2,S", "cur/" + keys[1] + ":2,S", "cur/" + keys[2] + ":2,S"});
}
