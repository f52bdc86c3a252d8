// Maildir: names and flags, durable delivery, and changes by other programs.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "file_size_limit.hpp"
#include "temp_dir.hpp"
#include "store/maildir.hpp"

using namespace tern;
namespace fs = std::filesystem;


TEST_CASE("flags in maildir letters") {
    CHECK(Flags::from_maildir("SRF").to_maildir() == "FRS");  // ASCII order
    CHECK(Flags::from_maildir("xS").has(Flags::Seen));
    CHECK(Flags().with(Flags::Trashed).with(Flags::Draft).to_maildir() == "DT");
    CHECK(Flags::from_maildir("S").without(Flags::Seen) == Flags());
}

TEST_CASE("what killed deliveries left in tmp/ is removed; what a running one writes stays") {
    TempDir t;
    Maildir md((t.path / "INBOX").string(), true);
    const std::string name = md.unique_name();  // SECONDS.MMICROSPPIDQN.HOST
    const std::string host = name.substr(name.find('.', name.find('Q')) + 1);
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    REQUIRE(child > 0);
    int status = 0;
    ::waitpid(child, &status, 0);  // a writer that is no longer running
    const auto tmp = t.path / "INBOX" / "tmp";
    const auto put = [&](const std::string& file) { std::ofstream(tmp / file) << "partial"; };
    put("1700000000.M1P" + std::to_string(child) + "Q1." + host + ",S=10,U=7");
    put("1700000000.M2P" + std::to_string(::getpid()) + "Q2." + host + ",S=10,U=8");  // this process: still writing
    put("1700000000.M3P" + std::to_string(child) + "Q3.otherhost,S=10");             // another machine's (NFS)
    put("1700000000.12345_1." + host);                                                  // mutt's, just begun
    put("1600000000.12345_2." + host);                                                  // mutt's, 36 hours old
    const auto old = std::filesystem::file_time_type::clock::now() - std::chrono::hours(37);
    std::filesystem::last_write_time(tmp / ("1600000000.12345_2." + host), old);
    CHECK(md.remove_stale_tmp() == 2);
    CHECK_FALSE(fs::exists(tmp / ("1700000000.M1P" + std::to_string(child) + "Q1." + host + ",S=10,U=7")));
    CHECK(fs::exists(tmp / ("1700000000.M2P" + std::to_string(::getpid()) + "Q2." + host + ",S=10,U=8")));
    CHECK(fs::exists(tmp / ("1700000000.M3P" + std::to_string(child) + "Q3.otherhost,S=10")));
    CHECK(fs::exists(tmp / ("1700000000.12345_1." + host)));
    CHECK_FALSE(fs::exists(tmp / ("1600000000.12345_2." + host)));
}

TEST_CASE("maildir file names") {
    auto n = parse_maildir_name("1700000000.M1P2.host,S=100:2,FS");
    CHECK(n.key == "1700000000.M1P2.host,S=100");
    CHECK(n.flags.has(Flags::Flagged));
    CHECK(n.flags.has(Flags::Seen));
    CHECK(n.has_info);
    n = parse_maildir_name("1700000000.M1P2.host");  // in new/: no info yet
    CHECK(n.key == "1700000000.M1P2.host");
    CHECK_FALSE(n.has_info);
}

TEST_CASE("the entry of a maildir file, from its directory and name or from its name relative to the maildir") {
    const MaildirEntry e = maildir_entry("cur/1700000000.M1P2.host:2,FS");
    CHECK(e.subdir == "cur");
    CHECK(e.name == "1700000000.M1P2.host:2,FS");
    CHECK(e.key == "1700000000.M1P2.host");
    CHECK(e.flags == Flags::from_maildir("FS"));
    CHECK_FALSE(e.stat_done);
    const MaildirEntry n = maildir_entry("new", "1700000000.M1P2.host");
    CHECK(n.path("/m") == "/m/new/1700000000.M1P2.host");
    CHECK(n.key == "1700000000.M1P2.host");
    CHECK(n.flags == Flags());
    const MaildirEntry bare = maildir_entry("1700000000.M1P2.host:2,S");  // no directory
    CHECK(bare.subdir.empty());
    CHECK(bare.key == "1700000000.M1P2.host");
}

TEST_CASE("deliver, list, flag and remove") {
    TempDir t;
    Maildir md((t.path / "Mail" / "INBOX").string(), true);
    struct stat st {};
    REQUIRE(::stat((t.path / "Mail" / "INBOX" / "cur").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);  // private

    const MaildirEntry a = md.deliver("Subject: a\n\nA\n", Flags(), false);
    const MaildirEntry b = md.deliver("Subject: b\n\nB\n", Flags::from_maildir("S"), true);
    CHECK(a.subdir == "new");
    CHECK(b.subdir == "cur");
    CHECK(b.name.find(":2,S") != std::string::npos);
    CHECK(a.key != b.key);
    REQUIRE(::stat(a.path(md.root()).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(fs::is_empty(t.path / "Mail" / "INBOX" / "tmp"));  // nothing left behind

    auto list = md.list();
    CHECK(list.size() == 2);

    const MaildirEntry a2 = md.set_flags(a, Flags::from_maildir("SF"));
    CHECK(a2.subdir == "cur");
    CHECK(a2.key == a.key);
    CHECK(fs::exists(a2.path(md.root())));
    CHECK_FALSE(fs::exists(a.path(md.root())));

    md.remove(b);
    list = md.list();
    REQUIRE(list.size() == 1);
    CHECK(list[0].flags == Flags::from_maildir("FS"));
}

TEST_CASE("changes made by another program are seen") {
    TempDir t;
    Maildir md(t.path.string(), true);
    const MaildirEntry e = md.deliver("x", Flags(), true);
    // mutt marks it read by renaming; another tool drops a new file
    fs::rename(e.path(md.root()), t.path / "cur" / (e.key + ":2,RS"));
    std::ofstream(t.path / "new" / "123.other.host") << "Subject: other\n\n";
    std::ofstream(t.path / "cur" / ".hidden") << "ignored";
    const auto list = md.list();
    REQUIRE(list.size() == 2);
    for (const auto& m : list) {
        if (m.key == e.key) CHECK(m.flags == Flags::from_maildir("RS"));
        else CHECK(m.subdir == "new");
    }
}

TEST_CASE("a missing maildir is a clear error") {
    CHECK_THROWS_WITH_AS(Maildir("/nonexistent/tern-maildir", false), "/nonexistent/tern-maildir is not a maildir (no new/ folder)", Failure);
}

TEST_CASE("a write that fails (a full disk) leaves no file and says why") {
    TempDir t;
    Maildir md(t.path.string(), true);
    bool threw = false;
    {
        const FileSizeLimit full(16);
        try {
            md.deliver(std::string(1000, 'x'), Flags(), false);
        } catch (const Failure& f) {
            threw = true;
            CHECK(f.error().summary.find("cannot write") != std::string::npos);
            CHECK(f.kind() == ErrorKind::Io);
        }
    }
    CHECK(threw);
    CHECK(fs::is_empty(t.path / "tmp"));
    CHECK(fs::is_empty(t.path / "new"));
    CHECK(md.list().empty());
}

TEST_CASE("a batch is delivered whole, or not at all when the disk is full") {
    TempDir t;
    Maildir md(t.path.string(), true);
    const std::vector<Maildir::Delivery> batch = {
        {"Subject: one\n\nx\n", Flags::from_maildir("S"), true, ",U=1"},
        {"Subject: two\n\ny\n", Flags(), false, ",U=2"},
    };
    const auto entries = md.deliver_all(batch);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].subdir == "cur");
    CHECK(entries[0].name.ends_with(",U=1:2,S"));
    CHECK(entries[1].subdir == "new");
    CHECK(md.list().size() == 2);
    CHECK(fs::is_empty(t.path / "tmp"));
    // the second message does not fit: neither lands, nothing stays in tmp/
    {
        const FileSizeLimit full(64);
        CHECK_THROWS_AS(md.deliver_all({{"short\n", Flags(), true, ""}, {std::string(1000, 'x'), Flags(), true, ""}}), Failure);
    }
    CHECK(md.list().size() == 2);
    CHECK(fs::is_empty(t.path / "tmp"));
}
