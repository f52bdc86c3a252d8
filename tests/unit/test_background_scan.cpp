// Scans and text indexing as the reader's store worker runs them: in
// batches, newest mail first, stoppable, safe beside a sync that writes the
// same folder; and a Mailbox that leaves scanning to the worker only reads.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "store/folder_scan.hpp"
#include "store/index_db.hpp"
#include "store/mailbox.hpp"
#include "temp_dir.hpp"

using namespace tern;
namespace fs = std::filesystem;

namespace {

// n messages in cur/, named as deliveries at times 1700000000 + i (maildir names begin with the time)
void fill(const std::string& root, std::size_t n) {
    Maildir md(root, true);
    for (std::size_t i = 0; i < n; ++i) {
        std::ofstream f(root + "/cur/" + std::to_string(1700000000 + i) + ".M" + std::to_string(i) + ".host:2,S");
        f << "From: a@x\nSubject: message " << i << "\nMessage-ID: <" << i << "@x>\n\nbody " << i << " word" << (i % 7) << "\n";
    }
}

std::string newest_subject_missing(IndexDb& db, std::int64_t folder, std::size_t n, std::size_t expect_rows) {
    const auto rows = db.messages(folder);
    if (rows.size() != expect_rows) return "rows: " + std::to_string(rows.size());
    // the rows are the newest expect_rows messages
    for (const auto& r : rows) {
        const std::size_t i = std::stoul(std::string(r.subject().substr(8)));
        if (i < n - expect_rows) return "old message first: " + std::string(r.subject());
    }
    return "";
}

}  // namespace

TEST_CASE("a scan with a control commits in batches, newest first, and reports each") {
    TempDir t;
    const std::string root = (t.path / "INBOX").string();
    fill(root, 7200);
    IndexDb db((t.path / "index.sqlite").string());
    const auto folder = db.folder_id("a", "INBOX");
    std::vector<std::pair<std::size_t, std::size_t>> reports;
    std::string after_first;
    ScanControl control;
    control.progress = [&](std::size_t done, std::size_t total) {
        reports.emplace_back(done, total);
        // what a reader on another connection sees after the first batch: the newest thousand
        if (reports.size() == 1) {
            IndexDb reader((t.path / "index.sqlite").string());
            after_first = newest_subject_missing(reader, folder, 7200, 1000);
        }
    };
    const ScanResult r = scan_folder(db, folder, Maildir(root, false), &control);
    CHECK(r.added == 7200);
    CHECK(!r.stopped);
    CHECK(after_first == "");
    REQUIRE(reports.size() == 3);  // 1000, then 6000 (a batch of 5000), then the end
    CHECK(reports[0] == std::pair<std::size_t, std::size_t>{1000, 7200});
    CHECK(reports[1] == std::pair<std::size_t, std::size_t>{6000, 7200});
    CHECK(reports[2] == std::pair<std::size_t, std::size_t>{7200, 7200});
    CHECK(db.messages(folder).size() == 7200);
}

TEST_CASE("a stopped scan keeps what it committed and the next one goes on from there") {
    TempDir t;
    const std::string root = (t.path / "INBOX").string();
    fill(root, 1500);
    IndexDb db((t.path / "index.sqlite").string());
    const auto folder = db.folder_id("a", "INBOX");
    ScanControl control;
    control.stop = [] { return true; };
    const ScanResult first = scan_folder(db, folder, Maildir(root, false), &control);
    CHECK(first.stopped);
    CHECK(first.added == 1000);
    CHECK(db.scan_stamp(folder).empty());  // not done: the next scan must not be skipped
    const ScanResult second = scan_folder(db, folder, Maildir(root, false));
    CHECK(second.added == 500);
    CHECK(second.unchanged == 1000);
    CHECK(db.messages(folder).size() == 1500);
}

TEST_CASE("between two batches a sync may record one of the files: the scan neither fails nor records it twice") {
    TempDir t;
    const std::string root = (t.path / "INBOX").string();
    fill(root, 1200);
    IndexDb db((t.path / "index.sqlite").string());
    const auto folder = db.folder_id("a", "INBOX");
    IndexDb sync((t.path / "index.sqlite").string());  // the sync's own connection
    ScanControl control;
    bool recorded = false;
    control.progress = [&](std::size_t done, std::size_t) {
        if (done != 1000) return;
        // the oldest message (the last batch's) arrives through the sync meanwhile
        sync.insert(folder, std::to_string(1700000000) + ".M0.host", MessageRow({.file = "cur/x", .subject = "from the sync"}));
        recorded = true;
    };
    const ScanResult r = scan_folder(db, folder, Maildir(root, false), &control);
    CHECK(recorded);
    CHECK(r.added == 1199);
    CHECK(db.messages(folder).size() == 1200);
}

TEST_CASE("text indexing with a control reports each batch and stops between two") {
    TempDir t;
    const std::string root = (t.path / "INBOX").string();
    fill(root, 1200);
    IndexDb db((t.path / "index.sqlite").string());
    const auto folder = db.folder_id("a", "INBOX");
    scan_folder(db, folder, Maildir(root, false));
    CHECK(db.count_without_search_text(folder) == 1200);
    ScanControl control;
    std::vector<std::size_t> done, totals;
    control.progress = [&](std::size_t d, std::size_t total) {
        done.push_back(d);
        totals.push_back(total);
    };
    control.stop = [&] { return done.size() == 2; };
    CHECK(index_message_text(db, folder, Maildir(root, false), nullptr, &control) == 500);
    CHECK(db.count_without_search_text(folder) == 700);
    control.stop = {};
    CHECK(index_message_text(db, folder, Maildir(root, false), nullptr, &control) == 700);
    CHECK(db.count_without_search_text(folder) == 0);
    // each pass says first how much is left, then after each batch how far it got
    CHECK(done == std::vector<std::size_t>{0, 500, 0, 500, 700});
    CHECK(totals == std::vector<std::size_t>{1200, 1200, 700, 700, 700});
    CHECK(db.search_text("word3", 'b').value().size() == 171);  // i % 7 == 3 for 171 of 1200
}

TEST_CASE("a text pass that remembers how far it looked walks only the messages added since") {
    TempDir t;
    const std::string root = (t.path / "INBOX").string();
    fill(root, 600);
    IndexDb db((t.path / "index.sqlite").string());
    const auto folder = db.folder_id("a", "INBOX");
    scan_folder(db, folder, Maildir(root, false));
    std::int64_t through = 0;
    ScanControl control;
    control.text_done_through = &through;
    CHECK(index_message_text(db, folder, Maildir(root, false), nullptr, &control) == 600);
    CHECK(through == db.newest_id(folder));
    CHECK(index_message_text(db, folder, Maildir(root, false), nullptr, &control) == 0);
    Maildir(root, false).deliver("From: b@x\nSubject: late\n\nlate word3 body\n", Flags(), true);
    scan_folder(db, folder, Maildir(root, false));
    CHECK(index_message_text(db, folder, Maildir(root, false), nullptr, &control) == 1);  // only the new one
    CHECK(db.count_without_search_text(folder) == 0);
    through = db.newest_id(folder) + 1000;  // ids went down (a rebuild): the pass starts over
    CHECK(index_message_text(db, folder, Maildir(root, false), nullptr, &control) == 0);
    CHECK(through == db.newest_id(folder));
}

TEST_CASE("a mailbox that leaves scanning elsewhere only reads: unscanned folders are empty, a text search says it read text") {
    TempDir t;
    Config config;
    Account a;
    a.name = "t";
    a.maildir = (t.path / "mail").string();
    config.accounts.push_back(a);
    const std::string data = (t.path / "data").string();
    AccountIndexes indexes([data](const std::string& n) -> std::optional<std::string> {
        if (n == "XDG_DATA_HOME") return data;
        return std::nullopt;
    });
    fill(a.maildir + "/INBOX", 30);
    const FolderRef inbox{&config.accounts[0], "INBOX"};
    Mailbox box({inbox}, indexes, config, Mailbox::Scan::Elsewhere);
    CHECK(box.size() == 0);  // never scanned: nothing yet, and no folder row written
    CHECK(!indexes.of(config.accounts[0]).find_folder_id("t", "INBOX"));
    // the worker's scan, on its own connection
    IndexDb worker(IndexDb::path_for([data](const std::string& n) -> std::optional<std::string> {
        if (n == "XDG_DATA_HOME") return data;
        return std::nullopt;
    }, "t"));
    const auto folder = worker.folder_id("t", "INBOX");
    scan_folder(worker, folder, Maildir(a.maildir + "/INBOX", false));
    box.reload(true);
    CHECK(box.size() == 30);
    box.set_limit("~b word3");
    CHECK(box.size() == 0);
    CHECK(box.searched_text());  // the reader says what it could not search (the worker knows how much)
    index_message_text(worker, folder, Maildir(a.maildir + "/INBOX", false));
    box.set_limit("~b word3");
    CHECK(box.size() == 4);  // 3, 10, 17, 24
    box.set_limit("~s message");
    CHECK(!box.searched_text());
    box.set_limit("");
    // a purge: the rows stay hidden until the worker's scan took them out of the database
    const auto row = box.row_index(0);
    box.set_flags(row, box.row(row).flags.with(Flags::Trashed));
    CHECK(box.purge() == 1);
    CHECK(box.size() == 29);
    box.reload();
    CHECK(box.size() == 29);
    scan_folder(worker, folder, Maildir(a.maildir + "/INBOX", false));
    box.reload(true);
    CHECK(box.size() == 29);
}
