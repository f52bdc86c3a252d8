// The reader's mailbox over a real maildir and index database: triage
// actions rename or copy files at once, undo reverses them, purge removes
// what is marked deleted, limit and threads shape what is shown.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "store/maildir.hpp"
#include "mailbox_fixture.hpp"
#include "temp_dir.hpp"
#include "store/mailbox.hpp"
#include "store/sqlite.hpp"

using namespace tern;
namespace fs = std::filesystem;

namespace {

struct Fixture : MailboxFixture {
    std::size_t files(const std::string& folder) const {
        std::size_t n = 0;
        for (const char* sub : {"cur", "new"})
            for ([[maybe_unused]] const auto& e : fs::directory_iterator(account().maildir + "/" + folder + "/" + sub)) ++n;
        return n;
    }
};

std::size_t row_with_subject(const Mailbox& m, std::string_view subject) {
    for (std::size_t p = 0; p < m.size(); ++p)
        if (m.row_at(p).subject() == subject) return m.row_index(p);
    FAIL("no such subject");
    return 0;
}

}  // namespace

TEST_CASE("mailbox: opens a folder threaded, counts, and lists the local folders") {
    Fixture f;
    Mailbox m({{&f.account(), "INBOX"}}, *f.indexes, f.config);
    REQUIRE(m.size() == 3);
    CHECK(m.name() == "t/INBOX");
    CHECK(m.counts().unread == 1);
    CHECK(m.entry_at(1).shape.depth == 1);  // Re: first under first
    CHECK(local_folders(f.account()) == std::vector<std::string>{"INBOX", "Archive"});
    CHECK_THROWS(Mailbox({{&f.account(), "Nope"}}, *f.indexes, f.config));
}

TEST_CASE("mailbox: a sort back to threads takes the thread order kept, until the rows change") {
    Fixture f;
    Mailbox m({{&f.account(), "INBOX"}}, *f.indexes, f.config);
    REQUIRE(m.threaded());
    const auto shape = [&] {
        std::string s;
        for (std::size_t p = 0; p < m.size(); ++p)
            s += std::to_string(m.entry_at(p).shape.depth) + ":" + std::string(m.row_at(p).subject()) + ";";
        return s;
    };
    const std::string threads = shape();
    m.set_sort("reverse-date");
    CHECK(shape() != threads);
    CHECK(m.entry_at(0).shape.depth == 0);
    m.set_sort("threads");
    CHECK(shape() == threads);
    // a reply arrives: the order kept is of other rows, and the next sort back threads anew
    Maildir(f.account().maildir + "/INBOX", false)
        .deliver("From: Dan <dan@example.com>\nSubject: Re: other\nMessage-ID: <4@x>\nIn-Reply-To: <3@x>\n"
                 "Date: Wed, 4 Mar 2026 10:00:00 +0000\n\nfour\n",
                 Flags().with(Flags::Seen), true);
    m.set_sort("date");
    m.reload();
    m.set_sort("threads");
    REQUIRE(m.size() == 4);
    CHECK(shape().find("1:Re: other;") != std::string::npos);
}

TEST_CASE("mailbox: a flag is a rename at once, and undo renames it back") {
    Fixture f;
    Mailbox m({{&f.account(), "INBOX"}}, *f.indexes, f.config);
    const std::size_t r = row_with_subject(m, "other");
    m.begin_action("flag");
    CHECK_FALSE(m.set_flags(r, m.row(r).flags.with(Flags::Flagged)));
    CHECK(fs::exists(m.path_of(r)));
    CHECK(m.path_of(r).find(":2,FS") != std::string::npos);
    CHECK(m.undo() == std::optional<std::string>("flag"));
    CHECK(m.path_of(r).find(":2,S") != std::string::npos);
    CHECK(fs::exists(m.path_of(r)));
    CHECK_FALSE(m.undo());  // nothing left
}

TEST_CASE("mailbox: save is a durable copy plus a deletion; undo removes the copy; purge removes the original") {
    Fixture f;
    Mailbox m({{&f.account(), "INBOX"}}, *f.indexes, f.config);
    const std::size_t r = row_with_subject(m, "other");
    m.begin_action("save to Archive");
    CHECK_FALSE(m.copy_to(r, {&f.account(), "Archive"}, true));
    CHECK(f.files("Archive") == 1);
    CHECK(m.row(r).flags.has(Flags::Trashed));
    CHECK(m.undo() == std::optional<std::string>("save to Archive"));
    CHECK(f.files("Archive") == 0);
    CHECK_FALSE(m.row(r).flags.has(Flags::Trashed));
    // again, and purged: the copy stays, the original goes
    m.begin_action("save");
    CHECK_FALSE(m.copy_to(r, {&f.account(), "Archive"}, true));
    CHECK(m.purge() == 1);
    CHECK(f.files("INBOX") == 2);
    CHECK(f.files("Archive") == 1);
    CHECK(m.size() == 2);
    CHECK_FALSE(m.undo());  // undo does not reach past a purge
    CHECK(m.copy_to(0, {&f.account(), "INBOX"}, true).has_value());  // a move into its own folder is refused
}

TEST_CASE("mailbox: limit, matching, tags, collapse and reload keep their state") {
    Fixture f;
    Mailbox m({{&f.account(), "INBOX"}}, *f.indexes, f.config);
    m.set_limit("~f carol");
    CHECK(m.size() == 1);
    m.set_limit("");
    CHECK(m.size() == 3);
    CHECK(m.matching("~s first").size() == 2);
    CHECK_THROWS(m.set_limit("~q"));
    const std::size_t r = row_with_subject(m, "other");
    m.set_tag(r, true);
    CHECK(m.counts().tagged == 1);
    m.toggle_collapse(0);
    CHECK(m.size() == 2);
    CHECK(m.hidden_under(0) == 1);
    CHECK(m.thread_rows(0, false).size() == 2);  // a collapsed thread's actions reach all of it
    Maildir(f.account().maildir + "/INBOX", false).deliver("From: D <d@x>\nSubject: new one\n\nx\n", Flags(), false);
    m.reload();
    CHECK(m.counts().total == 4);
    CHECK(m.counts().tagged == 1);
    CHECK(m.size() == 3);  // still collapsed
}

TEST_CASE("mailbox: the rows carry no file name; a rename here is found before the store worker's scan has it") {
    Fixture f;
    { Mailbox scanned({{&f.account(), "INBOX"}}, *f.indexes, f.config); }  // Scan::Here: the index knows the files
    Mailbox m({{&f.account(), "INBOX"}}, *f.indexes, f.config, Mailbox::Scan::Elsewhere);
    REQUIRE(m.size() == 3);
    const std::size_t r = row_with_subject(m, "other");
    CHECK(m.row(r).file().empty());  // 55 bytes a row not held: the database has it
    const std::string before = m.path_of(r);
    CHECK(fs::exists(before));
    // ~N and ~O still know new/ from cur/ without the name
    m.set_limit("~N");
    CHECK(m.size() == 1);
    m.set_limit("~O");
    CHECK(m.size() == 0);
    m.set_limit("");
    REQUIRE(m.size() == 3);
    // a flag renames the file here; the database has the old name until the store worker scans
    CHECK_FALSE(m.set_flags(r, m.row(r).flags.with(Flags::Flagged)));
    const std::string after = m.path_of(r);
    CHECK(after != before);
    CHECK(after.find(":2,FS") != std::string::npos);
    CHECK(fs::exists(after));
    m.reload();  // not scanned: the name found here is kept
    const std::size_t again = row_with_subject(m, "other");
    CHECK(m.index_of(again).file_of(m.row(again).id) != after.substr(after.find("/cur/") + 1));
    CHECK(m.path_of(again) == after);
    // the scan writes the name; then the database answers, also after another program renames it
    { Mailbox scanned({{&f.account(), "INBOX"}}, *f.indexes, f.config); }
    m.reload(true);
    const std::size_t third = row_with_subject(m, "other");
    CHECK(m.index_of(third).file_of(m.row(third).id) == after.substr(after.find("/cur/") + 1));
    const std::string renamed = after.substr(0, after.size() - 2) + "FRS";
    fs::rename(after, renamed);
    { Mailbox scanned({{&f.account(), "INBOX"}}, *f.indexes, f.config); }
    m.reload(true);
    CHECK(m.path_of(row_with_subject(m, "other")) == renamed);
}

TEST_CASE("mailbox: a big folder is matched in two halves, each row with its own tag, as one pass would") {
    Fixture f;
    constexpr std::size_t kRows = 60001;  // past the split (50,000)
    {
        IndexDb index(f.db_path());
        const std::int64_t folder = index.folder_id("t", "INBOX");
        Transaction t(index.db());
        for (std::size_t i = 0; i < kRows; ++i) {
            const std::string subject = "s" + std::to_string(i), id = "<" + std::to_string(i) + "@big>";
            MessageRow r({.from_name = i % 2 ? "Odd" : "Even", .from_addr = "x@y", .subject = subject, .message_id = id});
            r.date = static_cast<std::int64_t>(1700000000 + i);
            index.insert(folder, "k" + std::to_string(i), r);
        }
        t.commit();
    }
    Mailbox m({{&f.account(), "INBOX"}}, *f.indexes, f.config, Mailbox::Scan::Elsewhere);
    REQUIRE(m.size() == kRows);
    // a substring in both halves: "s7", "s7x", "s17"... as counted here
    std::size_t expected = 0;
    for (std::size_t i = 0; i < kRows; ++i) expected += ("s" + std::to_string(i)).find('7') != std::string::npos;
    CHECK(m.matching("~s 7").size() == expected);
    // ~T: tags on rows at both ends, each half sees its own
    const std::vector<std::size_t> tagged = {0, 1, kRows / 2 - 1, kRows / 2, kRows / 2 + 1, kRows - 1};
    for (const auto r : tagged) m.set_tag(r, true);
    auto hits = m.matching("~T");
    std::sort(hits.begin(), hits.end());
    CHECK(hits == tagged);
    std::size_t odd_tagged = 0;
    for (const auto r : tagged) odd_tagged += m.row(r).author() == "Odd";
    CHECK(m.matching("~T ~f Odd").size() == odd_tagged);
    m.set_limit("~f Even");
    CHECK(m.size() == (kRows + 1) / 2);
    const auto one_pass = m.matches(parse_pattern("!~f Even", 0), {0, 1, kRows - 2, kRows - 1});
    CHECK(one_pass == std::vector<bool>{false, true, true, false});
}
