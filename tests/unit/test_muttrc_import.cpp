// tern import-muttrc on muttrcs as people write them (tests/corpus/muttrc):
// a Gmail setup, two accounts switched by hooks, a sidebar and colours. What
// comes out must parse as a tern config, and every line left behind must be
// listed with its file:line; no password may appear anywhere.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "config/muttrc_import.hpp"

using namespace tern;

namespace {

const EnvLookup kHome = [](const std::string& n) -> std::optional<std::string> {
    if (n == "HOME") return "/home/u";
    return std::nullopt;
};

// ~/.mutt/multi/NAME is tests/corpus/muttrc/multi/NAME; other paths are read as they are.
ConfigFiles corpus_files() {
    ConfigFiles f = real_config_files();
    const auto real_read = f.read;
    f.read = [real_read](const std::string& path, std::string& err) {
        const std::string prefix = "/home/u/.mutt/";
        if (path.rfind(prefix, 0) == 0) return real_read("tests/corpus/muttrc/" + path.substr(prefix.size()), err);
        return real_read(path, err);
    };
    return f;
}

MuttrcImport imported(const std::string& name) { return import_muttrc("tests/corpus/muttrc/" + name, kHome, corpus_files()); }

bool listed(const MuttrcImport& r, const std::string& needle) {
    for (const auto& n : r.not_carried)
        if (n.find(needle) != std::string::npos) return true;
    return false;
}

// (a muttrc without a server gives a config that still needs an account)
void parses_as_tern(const MuttrcImport& r) {
    const std::string account = r.accounts ? "" : "account a {\n    receive = imaps://u@h\n}\n";
    try {
        parse_config(r.config + account, "/imported", kHome, real_config_files());
    } catch (const ConfigErrors& e) {
        FAIL("the imported config does not parse: " << e.lines().front() << "\n" << r.config);
    }
}

}  // namespace

TEST_CASE("import-muttrc: a Gmail IMAP setup") {
    const MuttrcImport r = imported("gmail.muttrc");
    parses_as_tern(r);
    const Config c = parse_config(r.config, "/imported", kHome, real_config_files());
    REQUIRE(c.accounts.size() == 1);
    const Account& a = c.accounts[0];
    CHECK(a.name == "gmail");
    CHECK(a.from == "Alice Example <alice.example@gmail.com>");
    CHECK(a.receive.display() == "imaps://imap.gmail.com:993");
    CHECK(a.receive_user == "alice.example@gmail.com");
    REQUIRE(a.send);
    CHECK(a.send->display() == "smtps://smtp.gmail.com:465");
    CHECK(a.roles.sent == "[Gmail]/Sent Mail");
    CHECK(a.roles.drafts == "[Gmail]/Drafts");
    CHECK(a.roles.trash == "[Gmail]/Trash");
    CHECK(c.options.sort_aux == "reverse-last-date-received");
    CHECK(c.options.check_interval == 120);
    CHECK(c.options.ignore == std::vector<std::string>{"*"});
    CHECK(c.options.alternative_order == std::vector<std::string>{"text/plain", "text/html"});
    // the password: never copied, a password_command suggested, the lines listed but not shown
    CHECK(r.config.find("correct horse") == std::string::npos);
    for (const auto& n : r.not_carried) CHECK(n.find("correct horse") == std::string::npos);
    CHECK(r.config.find("# password_command = \"pass show mail/gmail\"") != std::string::npos);
    CHECK(listed(r, "gmail.muttrc:3: imap_pass: the password is not copied"));
    CHECK(listed(r, "gmail.muttrc:5: smtp_pass: the password is not copied"));
    // what tern does itself, and what it lacks, each with its line
    CHECK(listed(r, "gmail.muttrc:13: not needed: tern keeps headers in its own index database: set header_cache"));
    CHECK(listed(r, "gmail.muttrc:22: tern has no option 'pager_index_lines'"));
    CHECK(listed(r, "gmail.muttrc:27: macro: '<quote-char>' is neither a key nor a function"));
    CHECK(listed(r, "gmail.muttrc:34: tern keeps aliases in the alias file"));
    CHECK(r.not_carried.size() == 11);
    CHECK(r.config.find("# ---- not carried over ----\n# tests/corpus/muttrc/gmail.muttrc:3:") != std::string::npos);
}

TEST_CASE("import-muttrc: two accounts switched by folder-hook and account-hook") {
    const MuttrcImport r = imported("multi.muttrc");
    parses_as_tern(r);
    const Config c = parse_config(r.config, "/imported", kHome, real_config_files());
    REQUIRE(c.accounts.size() == 2);
    CHECK(c.accounts[0].name == "personal");  // the top level's account is the hook's: one account, the default
    CHECK(c.accounts[0].receive.display() == "imaps://mail.personal.example:993");
    CHECK(c.accounts[0].receive_user == "alice");
    CHECK(c.accounts[0].send->display() == "smtp://mail.personal.example:587");
    CHECK(c.accounts[1].name == "work");
    CHECK(c.accounts[1].from == "Alice Work <alice.work@work.example>");
    CHECK(c.accounts[1].roles.sent == "Sent Items");
    CHECK(c.accounts[1].signature == "/home/u/.mutt/sig-work");
    CHECK(c.options.mailboxes == std::vector<std::string>{"personal/INBOX", "work/INBOX", "work/Projects"});
    CHECK(c.options.reverse_name);
    CHECK(c.options.subscribe == std::vector<std::string>{"announce@lists\\.example\\.org"});
    // what the work account's file set besides the account: whenever one of its folders opens
    bool sort_hook = false, header_hook = false;
    for (const auto& h : c.hooks) {
        sort_hook |= h.event == Hook::Event::Folder && h.pattern == "^work/" && h.command == "set sort = reverse-date";
        header_hook |= h.event == Hook::Event::Folder && h.pattern == "^work/" && h.command == "my_hdr Organization: Work Example Ltd";
    }
    CHECK(sort_hook);
    CHECK(header_hook);
    CHECK(r.config.find("hunter2") == std::string::npos);
    CHECK(listed(r, "multi.muttrc:4: imap_pass: the password is not copied"));
    CHECK(listed(r, "multi.muttrc:5: backticks (a command's output) are not run on import: (the line is not shown"));
}

TEST_CASE("import-muttrc: a sidebar and colours setup") {
    const MuttrcImport r = imported("sidebar.muttrc");
    parses_as_tern(r);
    CHECK(r.accounts == 0);
    CHECK(r.config.find("# No account came from the muttrc") != std::string::npos);
    const Config c = parse_config(r.config + "account a {\n    receive = imaps://u@h\n}\n", "/imported", kHome, real_config_files());
    CHECK(c.options.sidebar_visible);
    CHECK(c.options.sidebar_width == 28);
    CHECK(c.colors.size() >= 12);
    CHECK(listed(r, "sidebar.muttrc:4: tern has no option 'sidebar_format'"));
    CHECK(listed(r, "sidebar.muttrc:25: tern has no monochrome colors"));
    CHECK(r.carried + r.not_carried.size() >= 25);
}

TEST_CASE("import-muttrc: a missing sourced file and a source loop are listed, not fatal") {
    ConfigFiles f;
    f.read = [](const std::string& path, std::string& err) -> std::optional<std::string> {
        if (path == "/m/rc") return std::string("source /m/gone\nsource /m/rc\nset sort = date\n");
        err = "No such file or directory";
        return std::nullopt;
    };
    f.readable = [](const std::string&, std::string&) { return true; };
    const MuttrcImport r = import_muttrc("/m/rc", kHome, f);
    CHECK(r.not_carried.size() == 2);
    CHECK(r.not_carried[0] == "/m/rc:1: cannot read /m/gone: No such file or directory");
    CHECK(r.not_carried[1] == "/m/rc:2: source loop: /m/rc is already being read");
    CHECK(r.config.find("set sort = date") != std::string::npos);
}

TEST_CASE("import-muttrc: a bad %-escape in a URL's user is kept as written (it ended the import with 'internal error: stoi')") {
    ConfigFiles f;
    f.read = [](const std::string&, std::string&) -> std::optional<std::string> {
        return std::string("set folder = \"imaps://al%zzice@imap.example.org\"\nset from = a@example.org\n");
    };
    f.readable = [](const std::string&, std::string&) { return true; };
    const MuttrcImport r = import_muttrc("/m/rc", kHome, f);
    REQUIRE(r.accounts == 1);
    CHECK(r.config.find("user = \"al%zzice\"") != std::string::npos);
}
