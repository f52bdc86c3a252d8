// The config file: lexing, every option, and every kind of mistake with its
// file:line message.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "config/lexer.hpp"
#include "config/config_edit.hpp"
#include "config/parser.hpp"
#include "config/vocabulary.hpp"

using namespace tern;

namespace {

const EnvLookup kEnv = [](const std::string& n) -> std::optional<std::string> {
    if (n == "HOME") return "/home/u";
    if (n == "XDG_DATA_HOME") return "/data";
    if (n == "MAILHOST") return "imap.example.com";
    return std::nullopt;
};

// A small in-memory file system for `source` and `ca_file`.
struct FakeFiles {
    std::map<std::string, std::string> files;
    ConfigFiles io() const {
        ConfigFiles f;
        f.read = [this](const std::string& p, std::string& err) -> std::optional<std::string> {
            auto it = files.find(p);
            if (it == files.end()) {
                err = "No such file or directory";
                return std::nullopt;
            }
            return it->second;
        };
        f.readable = [this](const std::string& p, std::string& err) {
            if (files.count(p)) return true;
            err = "No such file or directory";
            return false;
        };
        return f;
    }
};

const char* kAccount =
    "account work {\n"
    "    from = \"Alice Example <alice@example.com>\"\n"
    "    receive = imaps://alice@imap.example.com\n"
    "    send = smtp://alice@smtp.example.com:587\n"
    "    password_command = \"pass show mail/work\"\n"
    "}\n";

Config parse(const std::string& text, const FakeFiles& fs = {}) {
    return parse_config(text, "/home/u/.config/tern/config", kEnv, fs.io());
}

// The error lines of a config that must not parse.
std::vector<std::string> errors_of(const std::string& text, const FakeFiles& fs = {}) {
    try {
        parse(text, fs);
    } catch (const ConfigErrors& e) {
        return e.lines();
    }
    return {};
}

bool has_error(const std::vector<std::string>& errs, const std::string& needle) {
    for (const auto& e : errs)
        if (e.find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("lexer: quotes, escapes, comments, variables") {
    auto w = lex_config_line(R"(set editor = "vim -c 'set tw=72'" # comment)", kEnv);
    REQUIRE(w.size() == 4);
    CHECK(w[1].text == "editor");
    CHECK(w[2].is("="));
    CHECK(w[3].text == "vim -c 'set tw=72'");
    CHECK(w[3].quoted);

    w = lex_config_line(R"(x = "a \"b\" \\ \$HOME" '$HOME' $MAILHOST ${MAILHOST}x)", kEnv);
    REQUIRE(w.size() == 6);
    CHECK(w[2].text == "a \"b\" \\ $HOME");
    CHECK(w[3].text == "$HOME");  // single quotes are literal
    CHECK(w[4].text == "imap.example.com");
    CHECK(w[5].text == "imap.example.comx");

    w = lex_config_line("a=b", kEnv);  // '=' is a word of its own
    REQUIRE(w.size() == 3);
    CHECK(w[1].is("="));

    w = lex_config_line("color#1 x", kEnv);  // '#' inside a word is not a comment
    CHECK(w[0].text == "color#1");
    CHECK(lex_config_line("   # only a comment", kEnv).empty());
    CHECK(lex_config_line("\"\"", kEnv).size() == 1);  // an empty quoted value is a word

    CHECK_THROWS_WITH_AS(lex_config_line("x = \"open", kEnv), "unterminated \" quote", std::invalid_argument);
    CHECK_THROWS_WITH_AS(lex_config_line("x = 'open", kEnv), "unterminated ' quote", std::invalid_argument);
    CHECK_THROWS_AS(lex_config_line("x = $NOPE", kEnv), std::invalid_argument);
}

TEST_CASE("a full account and global options") {
    FakeFiles fs;
    fs.files["/home/u/certs/ca.pem"] = "PEM";
    const Config c = parse(
        "# comment\n"
        "set editor = \"vim\"\n"
        "set sort = reverse-date\n"
        "set sort_aux=last-date-received check_interval=5m\n"
        "set connect_timeout = 10\n" +
            std::string(kAccount) +
            "account home {\n"
            "    from             = \"Alice <alice@example.net>\"\n"
            "    receive          = pop3s://pop.example.net\n"
            "    user             = alice\n"
            "    send             = smtps://smtp.example.net\n"
            "    send_user        = alice@example.net\n"
            "    password_command = \"secret-tool lookup mail home\"\n"
            "    send_password_command = \"secret-tool lookup smtp home\"\n"
            "    leave_on_server  = 30d\n"
            "    max_download_size = 20M\n"
            "    cache_bodies     = opened\n"
            "    ca_file          = ~/certs/ca.pem\n"
            "    maildir          = ~/Mail/home\n"
            "    sent = \"Sent Items\"\n"
            "    trash = Deleted\n"
            "    timeout = 2m\n"
            "}\n"
            "bind index D delete-thread\n"
            "bind index,pager \\Cn next-unread\n"
            "color index_new brightwhite default\n"
            "color index bold red default \"~F\"\n",
        fs);
    CHECK(c.options.editor == "vim");
    CHECK(c.options.sort == "reverse-date");
    CHECK(c.options.sort_aux == "last-date-received");
    CHECK(c.options.check_interval == 300);
    CHECK(c.options.header_display == std::vector<std::string>{"From", "To", "Cc", "Date", "Subject"});  // default
    REQUIRE(c.accounts.size() == 2);
    const Account& w = c.accounts[0];
    CHECK(w.name == "work");
    CHECK(w.receive_user == "alice");
    CHECK(w.send_user == "alice");
    CHECK(w.send->port == 587);
    CHECK(w.maildir == "/data/tern/work");  // $XDG_DATA_HOME/tern/ACCOUNT
    CHECK(w.connect_timeout == 10);         // the global default at the time
    CHECK(w.defined_at == "/home/u/.config/tern/config:6");
    const Account& h = c.accounts[1];
    CHECK(h.receive.protocol == Protocol::Pop3);
    CHECK(h.receive_user == "alice");
    CHECK(h.send_user == "alice@example.net");
    CHECK(h.leave_on_server.mode == LeaveOnServer::Mode::Days);
    CHECK(h.leave_on_server.days == 30);
    CHECK(h.max_download_size == 20u * 1024 * 1024);
    CHECK(h.cache_bodies.mode == CacheBodies::Mode::Opened);
    CHECK(h.ca_file == "/home/u/certs/ca.pem");
    CHECK(h.maildir == "/home/u/Mail/home");
    CHECK(h.roles.sent == "Sent Items");
    CHECK(h.roles.trash == "Deleted");
    CHECK(h.timeout == 120);
    REQUIRE(c.bindings.size() == 3);
    CHECK(c.bindings[1].menu == "index");
    CHECK(c.bindings[2].menu == "pager");
    CHECK(c.bindings[2].function == "next-unread");
    REQUIRE(c.colors.size() == 2);
    CHECK(c.colors[1].attributes == std::vector<std::string>{"bold"});
    CHECK(c.colors[1].pattern == "~F");
    CHECK(c.default_account()->name == "work");
}

TEST_CASE("default_account picks the account; unknown names are errors") {
    auto c = parse(std::string(kAccount) + "account b {\n receive = imaps://x@h\n}\nset default_account = b\n");
    CHECK(c.default_account()->name == "b");
    const auto errs = errors_of(std::string(kAccount) + "set default_account = nope\n");
    REQUIRE(errs.size() == 1);
    CHECK(errs[0] == "/home/u/.config/tern/config:7: default_account: unknown account 'nope' (valid: work)");
}

TEST_CASE("mistakes are reported with file:line and the valid choices") {
    struct Row {
        const char* comment;
        std::string text;
        std::string expected;
    };
    const std::string P = "/home/u/.config/tern/config:";
    const Row rows[] = {
        {"unknown global option, with a suggestion", std::string(kAccount) + "set edtor = vim\n",
         P + "7: unknown option 'edtor', did you mean 'editor'? (valid: alias_file, alternative_order, attribution, autocrypt, autocrypt_prefer_encrypt, beep_new, check_interval, connect_timeout, crypt_autoencrypt, crypt_autosign, crypt_opportunistic_encrypt, crypt_replyencrypt, crypt_use_gpgme, default_account, delete, editor, forward_format, header_display, index_decrypted, index_format, new_mail_command, pgp_default_key, pgp_self_encrypt, query_command, reverse_name, sidebar_visible, sidebar_width, sig_dashes, signature, smime_default_key, smime_is_default, sort, sort_aux, timeout, url_command)"},
        {"rule without an action", std::string(kAccount) + "rule work INBOX ~d >90d archive\n", P + "7: rule: 'archive' is not an action (valid: delete, read, flag, move FOLDER, copy FOLDER)"},
        {"rule without a pattern", std::string(kAccount) + "rule work INBOX delete\n", P + "7: write it as: rule ACCOUNT FOLDER PATTERN ACTION"},
        {"rule for an unknown account", std::string(kAccount) + "rule nobody INBOX ~A delete\n", P + "7: rule: unknown account 'nobody'"},
        {"bad sidebar_visible", std::string(kAccount) + "set sidebar_visible = maybe\n", P + "7: sidebar_visible: 'maybe' (valid: yes, no)"},
        {"bad sidebar_width", std::string(kAccount) + "set sidebar_width = 3\n", P + "7: sidebar_width: '3' is not a width (valid: 8 to 100 columns)"},
        {"bad delete", std::string(kAccount) + "set delete = sometimes\n", P + "7: delete: 'sometimes' (valid: yes, no, ask-yes, ask-no)"},
        {"bad alternative_order", std::string(kAccount) + "set alternative_order = \"text/plain html\"\n", P + "7: alternative_order: 'html' is not a MIME type"},
        {"bad header_display", std::string(kAccount) + "set header_display = \"From: To\"\n", P + "7: header_display: 'From:': write header names without ':'"},
        {"unknown command", std::string(kAccount) + "sett editor = vim\n", P + "7: unknown command 'sett', did you mean 'set'?"},
        {"bad sort value", std::string(kAccount) + "set sort = newest\n", P + "7: sort: unknown sort method 'newest'"},
        {"bad duration", std::string(kAccount) + "set check_interval = soon\n", P + "7: check_interval: 'soon' is not a duration"},
        {"set without a value", std::string(kAccount) + "set editor\n", P + "7: set editor: missing '= VALUE'"},
        {"unknown account key", "account a {\n receive = imaps://u@h\n pasword_command = x\n}\n",
         P + "3: unknown account key 'pasword_command', did you mean 'password_command'?"},
        {"duplicate account", std::string(kAccount) + kAccount, P + "7: duplicate account 'work' (first defined at " + P + "1)"},
        {"unterminated quote", std::string(kAccount) + "set editor = \"vim\n", P + "7: unterminated \" quote"},
        {"missing receive", "account a {\n from = a@b.c\n}\n", P + "1: account a: missing receive"},
        {"no user anywhere", "account a {\n receive = imaps://h\n}\n", P + "1: account a: no user name: put it in the URL (imaps://alice@h) or set user = alice"},
        {"bad receive scheme", "account a {\n receive = smtp://u@h\n}\n", P + "2: receive: unsupported scheme 'smtp' (valid: imap, imaps, pop3, pop3s)"},
        {"bad send scheme", "account a {\n receive = imaps://u@h\n send = imaps://u@h\n}\n", P + "3: send: unsupported scheme 'imaps' (valid: smtp, smtps)"},
        {"send without from", "account a {\n receive = imaps://u@h\n send = smtps://u@h\n}\n", P + "1: account a: send is set but from is missing"},
        {"bad from", "account a {\n receive = imaps://u@h\n from = Alice\n}\n", P + "3: from: 'Alice' is not a mail address"},
        {"bad leave_on_server", "account a {\n receive = pop3s://u@h\n leave_on_server = sometimes\n}\n",
         P + "3: leave_on_server: bad value 'sometimes' (valid: yes, no, or a number of days like 30d)"},
        {"leave_on_server on IMAP", "account a {\n receive = imaps://u@h\n leave_on_server = no\n}\n", P + "1: account a: leave_on_server is for POP3 accounts"},
        {"bad max_download_size", "account a {\n receive = pop3s://u@h\n max_download_size = big\n}\n",
         P + "3: max_download_size: 'big' is not a size (valid: bytes, or with K or M, e.g. 500K, 20M; 0 = no limit)"},
        {"max_download_size on IMAP", "account a {\n receive = imaps://u@h\n max_download_size = 1M\n}\n",
         P + "1: account a: max_download_size is for POP3 accounts; for IMAP use cache_bodies"},
        {"bad cache_bodies", "account a {\n receive = imaps://u@h\n cache_bodies = some\n}\n", P + "3: cache_bodies: bad value 'some' (valid: all, opened"},
        {"unreadable ca_file", "account a {\n receive = imaps://u@h\n ca_file = /nope.pem\n}\n", P + "3: ca_file: cannot read /nope.pem: No such file or directory"},
        {"value with spaces unquoted", "account a {\n receive = imaps://u@h\n password_command = pass show x\n}\n",
         P + "3: password_command: the value has spaces; put it in quotes: password_command = \"pass show ...\""},
        {"account not closed", "account a {\n receive = imaps://u@h\n", P + "1: account a is not closed: add a line with '}'"},
        {"account inside account", "account a {\n account b {\n}\n", P + "2: account a (" + P + "1) is still open"},
        {"stray brace", std::string(kAccount) + "}\n", P + "7: '}' without an open account block"},
        {"account without brace", "account a\n", P + "1: write an account as: account NAME {"},
        {"bad account name", "account a/b {\n receive = imaps://u@h\n}\n", P + "1: account name 'a/b' may use only"},
        {"both secrets", "account a {\n receive = imaps://u@h\n password_command = x\n oauth2_token_command = y\n}\n", "set either password_command or oauth2_token_command"},
        {"bind: unknown menu", std::string(kAccount) + "bind indx d delete-message\n", P + "7: bind: unknown menu 'indx', did you mean 'index'?"},
        {"bind: unknown function", std::string(kAccount) + "bind index d delete-mesage\n", P + "7: bind: unknown function 'delete-mesage' in menu index, did you mean 'delete-message'?"},
        {"bind: function of another menu", std::string(kAccount) + "bind editor d delete-message\n", P + "7: bind: unknown function 'delete-message' in menu editor"},
        {"bind: bad key", std::string(kAccount) + "bind index <nokey> delete-message\n", P + "7: bind: bad key '<nokey>'"},
        {"bind: wrong arity", std::string(kAccount) + "bind index d\n", P + "7: write a binding as: bind MENU KEY FUNCTION"},
        {"macro: wrong arity", std::string(kAccount) + "macro index A\n", P + "7: write a macro as: macro MENU KEY SEQUENCE [DESCRIPTION]"},
        {"macro: unknown menu", std::string(kAccount) + "macro indx A x\n", P + "7: macro: unknown menu 'indx', did you mean 'index'?"},
        {"macro: bad key", std::string(kAccount) + "macro index <nokey> x\n", P + "7: macro: bad key '<nokey>'"},
        {"macro: unknown function", std::string(kAccount) + "macro index A \"<save-mesage>=Archive<enter>\"\n",
         P + "7: macro: '<save-mesage>' is neither a key nor a function of menu index, did you mean '<save-message>'?"},
        {"macro: function of another menu", std::string(kAccount) + "macro pager A <limit>\n",
         P + "7: macro: '<limit>' is neither a key nor a function of menu pager"},
        {"color: unknown object", std::string(kAccount) + "color indx red default\n", P + "7: color: unknown object 'indx', did you mean 'index'?"},
        {"color: unknown color", std::string(kAccount) + "color status purple default\n", P + "7: color: unknown color 'purple'"},
        {"color: pattern on a plain object", std::string(kAccount) + "color status red default ~N\n", P + "7: color status: takes no pattern"},
        {"color: header needs a pattern", std::string(kAccount) + "color header red default\n", P + "7: color header: needs a pattern"},
        {"source: missing file", std::string(kAccount) + "source ~/nothing.rc\n", P + "7: source: cannot read /home/u/nothing.rc: No such file or directory"},
        {"unset variable", std::string(kAccount) + "set editor = $NOPE\n", P + "7: environment variable $NOPE is not set"},
        {"no account at all", "set editor = vim\n", "/home/u/.config/tern/config: no account defined"},
    };
    for (const auto& r : rows) {
        CAPTURE(std::string(r.comment));
        const auto errs = errors_of(r.text);
        CAPTURE(errs.empty() ? std::string("(parsed without error)") : errs[0]);
        CHECK(has_error(errs, r.expected));
    }
}

TEST_CASE("macro lines: menus, key, sequence and description, as mutt writes them") {
    const auto c = parse(std::string(kAccount) + "macro index,pager A \"<save-message>=Archive<enter>\" \"archive it\"\n"
                                                 "macro index \\Cx <sync-mailbox>\n");
    REQUIRE(c.macros.size() == 3);
    CHECK(c.macros[0].menu == "index");
    CHECK(c.macros[1].menu == "pager");
    CHECK(c.macros[0].key == "A");
    CHECK(c.macros[0].sequence == "<save-message>=Archive<enter>");
    CHECK(c.macros[0].description == "archive it");
    CHECK(c.macros[2].description.empty());
    CHECK(c.macros[2].defined_at == "/home/u/.config/tern/config:8");
    REQUIRE(c.macros[0].steps.size() == 10);  // read once, at load: <save-message> = A r c h i v e <enter>
    CHECK(c.macros[0].steps.front().function == "save-message");
    CHECK(c.macros[0].steps.back().key == '\n');
    CHECK(c.macros[2].steps == std::vector<MacroStep>{{0, "sync-mailbox"}});
}

TEST_CASE("macro sequences: keys in mutt's notation and <function-name>s") {
    const auto steps = parse_macro_sequence("<save-message>=Ar<enter>\\Cd<esc>x<f5>", "index");
    REQUIRE(steps);
    const std::vector<MacroStep> want = {{0, "save-message"}, {'=', ""}, {'A', ""}, {'r', ""}, {'\n', ""}, {4, ""}, {0x1b, ""}, {'x', ""}, {KeyF0 + 5, ""}};
    CHECK(*steps == want);
    CHECK(parse_macro_sequence("<exit>", "pager")->front().function == "exit");  // generic functions everywhere
    CHECK(parse_macro_sequence("a < b", "index")->size() == 5);                   // a '<' without '>' is a key
    std::string bad;
    CHECK_FALSE(parse_macro_sequence("<nosuch-function>", "index", &bad));
    CHECK(bad == "nosuch-function");
    CHECK_FALSE(parse_macro_sequence("", "index"));
}

TEST_CASE("all mistakes of a file are reported, not just the first") {
    const auto errs = errors_of(std::string(kAccount) + "set nope = 1\nset sort = x\nbind index d nope\n");
    CHECK(errs.size() == 3);
}

TEST_CASE("source reads files relative to the including file, and finds loops") {
    FakeFiles fs;
    fs.files["/home/u/.config/tern/colors"] = "color status red default\nsource accounts\n";
    fs.files["/home/u/.config/tern/accounts"] = kAccount;
    auto c = parse("source colors\n", fs);
    CHECK(c.colors.size() == 1);
    CHECK(c.accounts.size() == 1);
    CHECK(c.accounts[0].defined_at == "/home/u/.config/tern/accounts:1");

    fs.files["/home/u/.config/tern/loop"] = "source config\n";
    fs.files["/home/u/.config/tern/config"] = "source loop\n";
    const auto errs = errors_of("source loop\n", fs);
    CHECK(has_error(errs, "source loop: /home/u/.config/tern/config is already being read"));
}

TEST_CASE("line continuation and CRLF files") {
    const auto c = parse("account work {\r\n receive = \\\n imaps://u@h\r\n}\r\n");
    CHECK(c.accounts[0].receive.host == "h");
}

TEST_CASE("key notation") {
    CHECK(parse_key_sequence("d") == std::vector<int>{'d'});
    CHECK(parse_key_sequence("gg") == std::vector<int>{'g', 'g'});
    CHECK(parse_key_sequence("\\Cd") == std::vector<int>{4});
    CHECK(parse_key_sequence("^D") == std::vector<int>{4});
    CHECK(parse_key_sequence("<esc>x") == std::vector<int>{27, 'x'});
    CHECK(parse_key_sequence("\\ex") == std::vector<int>{27, 'x'});
    CHECK(parse_key_sequence("<PageDown>") == std::vector<int>{KeyPageDown});
    CHECK(parse_key_sequence("<f5>") == std::vector<int>{KeyF0 + 5});
    CHECK(parse_key_sequence("<") == std::vector<int>{'<'});  // a lone < is the key itself
    CHECK(parse_key_sequence("ü") == std::vector<int>{0xfc});
    CHECK_FALSE(parse_key_sequence("<f99>"));
    CHECK_FALSE(parse_key_sequence("<bogus>"));
    CHECK_FALSE(parse_key_sequence(""));
    CHECK_FALSE(parse_key_sequence("\xff"));
}

TEST_CASE("color names") {
    CHECK(is_color_name("brightwhite"));
    CHECK(is_color_name("color231"));
    CHECK(is_color_name("default"));
    CHECK_FALSE(is_color_name("color256"));
    CHECK_FALSE(is_color_name("purple"));
}

TEST_CASE("config.example parses and shows every option") {
    std::ifstream in("config.example");
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    // ca_file and source name files on the user's machine: accept any path here
    ConfigFiles files = FakeFiles{}.io();
    files.readable = [](const std::string&, std::string&) { return true; };
    files.read = [](const std::string&, std::string&) -> std::optional<std::string> { return std::string("# colors\n"); };
    const Config c = parse_config(text, "config.example", kEnv, files);
    CHECK(c.accounts.size() >= 2);
    for (const char* option : {"editor", "header_display", "alternative_order", "sort", "sort_aux", "check_interval", "connect_timeout", "timeout",
                               "default_account", "from", "receive", "send", "user", "password_command",
                               "send_user", "send_password_command", "oauth2_token_command", "ca_file",
                               "maildir", "sent", "drafts", "trash", "junk", "archive", "leave_on_server",
                               "cache_bodies", "signature", "bind", "color", "source"}) {
        CAPTURE(std::string(option));
        CHECK(text.find(std::string(option) + " ") != std::string::npos);
    }
}

TEST_CASE("a command typed at the reader's ':' prompt changes options and keys, never accounts") {
    const EnvLookup env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    const Config base = parse_config("account a {\n    receive = imaps://u@h\n}\n", "/c", env, real_config_files());
    Config c = apply_config_line(base, "set sort = reverse-date", env, real_config_files());
    CHECK(c.options.sort == "reverse-date");
    c = apply_config_line(c, "bind index D delete-thread", env, real_config_files());
    REQUIRE(c.bindings.size() == 1);
    CHECK(c.bindings[0].function == "delete-thread");
    CHECK(c.accounts.size() == 1);
    CHECK_THROWS_AS(apply_config_line(c, "account b {", env, real_config_files()), ConfigErrors);
    CHECK_THROWS_AS(apply_config_line(c, "set sort = newest", env, real_config_files()), ConfigErrors);
}

TEST_CASE("set_account_keys: a key replaced or added in one account block, the rest kept") {
    const std::string text = "# top\naccount a {\n    receive = imaps://u@h\n}\naccount b {\n  receive = imaps://u@h2\n  pinned_key = old\n}\n";
    auto added = set_account_keys(text, 2, {{"pinned_key", "\"new\""}});
    REQUIRE(added);
    CHECK(*added == "# top\naccount a {\n    receive = imaps://u@h\n    pinned_key = \"new\"\n}\naccount b {\n  receive = imaps://u@h2\n  pinned_key = old\n}\n");
    auto replaced = set_account_keys(text, 5, {{"pinned_key", "\"x\""}, {"send_pinned_key", "\"y\""}});
    REQUIRE(replaced);
    CHECK(replaced->find("  pinned_key = \"x\"\n    send_pinned_key = \"y\"\n}") != std::string::npos);
    CHECK(replaced->find("old") == std::string::npos);
    CHECK_FALSE(set_account_keys(text, 1, {{"k", "v"}}));     // not an account line
    CHECK_FALSE(set_account_keys("account a {\n", 1, {{"k", "v"}}));  // no end
    CHECK_FALSE(set_account_keys(text, 99, {{"k", "v"}}));
}

TEST_CASE("rule lines: account, folder, the pattern's words, the action and its folder") {
    const EnvLookup env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    const Config c = parse_config("account work {\n    receive = imaps://u@h\n}\n"
                                  "rule work INBOX ~d>90d ~R !~F move Archive\n"
                                  "rule work Trash ~s \"old news\" delete\n",
                                  "/c", env, real_config_files());
    REQUIRE(c.rules.size() == 2);
    CHECK(c.rules[0].account == "work");
    CHECK(c.rules[0].folder == "INBOX");
    CHECK(c.rules[0].pattern == "~d>90d ~R !~F");
    CHECK(c.rules[0].action == Rule::Action::Move);
    CHECK(c.rules[0].target == "Archive");
    CHECK(c.rules[0].defined_at == "/c:4");
    CHECK(c.rules[1].pattern == "~s \"old news\"");  // a quoted word stays one term
    CHECK(c.rules[1].action == Rule::Action::Delete);
}

TEST_CASE("lexer: '=' is an ordinary character where it names a folder") {
    auto w = lex_config_line("save-hook . =Archive", kEnv, false);
    REQUIRE(w.size() == 3);
    CHECK(w[2].text == "=Archive");
    w = lex_config_line("macro index S <save-message>=Archive<enter>", kEnv, false);
    REQUIRE(w.size() == 4);
    CHECK(w[3].text == "<save-message>=Archive<enter>");
    CHECK(lex_config_line("set a=b", kEnv, true).size() == 4);
}

TEST_CASE("hooks: mutt's names, patterns and commands") {
    const Config c = parse(std::string(kAccount) +
                           "folder-hook . 'set sort = date'\n"
                           "folder-hook '^work/lists' \"set sort = threads\"\n"
                           "account-hook !work 'set editor = nano'\n"
                           "send-hook . 'unmy_hdr *'\n"
                           "send-hook '~t @client\\.example' 'my_hdr X-Client: yes'\n"
                           "send-hook boss@example.com 'set signature = ~/.sig-formal'\n"
                           "send2-hook '~s urgent' 'my_hdr Importance: high'\n"
                           "reply-hook '~f list@' 'set attribution = \"%n said:\"'\n"
                           "message-hook '~f news@' 'ignore *'\n"
                           "save-hook . =Archive\n"
                           "save-hook '~f bank' +Money\n"
                           "fcc-hook '~t @work' =Sent/work\n"
                           "fcc-save-hook alice \"=People/Alice\"\n"
                           "folder-hook . set sort=reverse-date\n"
                           "folder-hook . 'set sort = date'\n");  // the same hook twice is kept once
    REQUIRE(c.hooks.size() == 14);
    CHECK(c.hooks[0].event == Hook::Event::Folder);
    CHECK(c.hooks[0].pattern == ".");
    CHECK(c.hooks[0].command == "set sort = date");
    CHECK(c.hooks[0].defined_at == "/home/u/.config/tern/config:7");
    CHECK(c.hooks[1].pattern == "^work/lists");
    CHECK(c.hooks[2].event == Hook::Event::Account);
    CHECK(c.hooks[2].negated);
    CHECK(c.hooks[2].pattern == "work");
    CHECK(c.hooks[3].event == Hook::Event::Send);
    CHECK(c.hooks[3].pattern == "~A");  // "." is every message
    CHECK(c.hooks[4].pattern == "~t @client\\.example");
    // a bare regular expression is mutt's "from it, or to it when I wrote it"
    CHECK(c.hooks[5].pattern == "~f \"boss@example.com\" !~P | (~P ~C \"boss@example.com\")");
    CHECK(c.hooks[6].event == Hook::Event::Send2);
    CHECK(c.hooks[7].event == Hook::Event::Reply);
    CHECK(c.hooks[7].command == "set attribution = \"%n said:\"");
    CHECK(c.hooks[8].event == Hook::Event::Message);
    CHECK(c.hooks[9].event == Hook::Event::Save);
    CHECK(c.hooks[9].command == "Archive");  // '=' and '+' are mutt's folder shorthands
    CHECK(c.hooks[10].command == "Money");
    CHECK(c.hooks[11].event == Hook::Event::Fcc);
    CHECK(c.hooks[11].command == "Sent/work");
    CHECK(c.hooks[12].event == Hook::Event::FccSave);
    CHECK(c.hooks[12].command == "People/Alice");
    CHECK(c.hooks[13].command == "set sort=reverse-date");  // unquoted words go back together
}

TEST_CASE("hooks: unhook, and the mistakes") {
    Config c = parse(std::string(kAccount) + "send-hook . 'my_hdr X: 1'\nfolder-hook . 'set sort = date'\nunhook send-hook\n");
    REQUIRE(c.hooks.size() == 1);
    CHECK(c.hooks[0].event == Hook::Event::Folder);
    c = parse(std::string(kAccount) + "send-hook . 'my_hdr X: 1'\nfolder-hook . 'set sort = date'\nunhook *\n");
    CHECK(c.hooks.empty());

    const std::string P = "/home/u/.config/tern/config:";
    const auto errs = errors_of(std::string(kAccount) +
                                "folder-hook '(' 'set sort = date'\n"
                                "send-hook .\n"
                                "save-hook . =a =b\n"
                                "save-hook . =../x\n"
                                "unhook sendhook\n"
                                "folder-hook '' 'set sort = date'\n");
    CHECK(has_error(errs, P + "7: folder-hook: bad regular expression '('"));
    CHECK(has_error(errs, P + "8: write it as: send-hook PATTERN COMMAND"));
    CHECK(has_error(errs, P + "9: save-hook: name one folder"));
    CHECK(has_error(errs, P + "10: save-hook: '=../x' is not a folder name"));
    CHECK(has_error(errs, P + "11: unhook: unknown hook 'sendhook', did you mean 'send-hook'?"));
    CHECK(has_error(errs, P + "12: folder-hook: the pattern is empty"));
}

TEST_CASE("my_hdr and unmy_hdr") {
    Config c = parse(std::string(kAccount) +
                     "my_hdr X-Clacks-Overhead: GNU Terry Pratchett\n"
                     "my_hdr 'Organization: Example Inc'\n"
                     "my_hdr x-clacks-overhead: GNU TP\n");  // the same name again replaces it
    REQUIRE(c.options.my_headers.size() == 2);
    CHECK(c.options.my_headers[0].name == "Organization");
    CHECK(c.options.my_headers[0].value == "Example Inc");
    CHECK(c.options.my_headers[1].name == "x-clacks-overhead");
    CHECK(c.options.my_headers[1].value == "GNU TP");
    c = parse(std::string(kAccount) + "my_hdr A: 1\nmy_hdr B: 2\nunmy_hdr a:\n");
    REQUIRE(c.options.my_headers.size() == 1);
    CHECK(c.options.my_headers[0].name == "B");
    c = parse(std::string(kAccount) + "my_hdr A: 1\nmy_hdr B: 2\nunmy_hdr *\n");
    CHECK(c.options.my_headers.empty());

    const std::string P = "/home/u/.config/tern/config:";
    const auto errs = errors_of(std::string(kAccount) + "my_hdr NoColon\nmy_hdr X:\nmy_hdr Message-ID: <x@y>\nunmy_hdr\n");
    CHECK(has_error(errs, P + "7: write it as: my_hdr NAME: VALUE"));
    CHECK(has_error(errs, P + "8: my_hdr X: the value is empty"));
    CHECK(has_error(errs, P + "9: my_hdr: tern writes Message-ID itself"));
    CHECK(has_error(errs, P + "10: unmy_hdr: give at least one argument"));
}

TEST_CASE("alternates, lists, subscribe, and their un- commands") {
    Config c = parse(std::string(kAccount) +
                     "alternates '^alice@example\\.(com|net)$' alice.old@example.org\n"
                     "lists -group work 'dev@lists\\.example\\.com' announce@\n"
                     "subscribe 'users@lists\\.example\\.com'\n"
                     "unlists announce@\n");
    CHECK(c.options.alternates == std::vector<std::string>{"^alice@example\\.(com|net)$", "alice.old@example.org"});
    CHECK(c.options.lists == std::vector<std::string>{"dev@lists\\.example\\.com", "users@lists\\.example\\.com"});
    CHECK(c.options.subscribe == std::vector<std::string>{"users@lists\\.example\\.com"});
    c = parse(std::string(kAccount) + "alternates a b\nunalternates *\nsubscribe x\nunsubscribe x\n");
    CHECK(c.options.alternates.empty());
    CHECK(c.options.subscribe.empty());
    CHECK(c.options.lists == std::vector<std::string>{"x"});  // still a list, no longer subscribed

    const auto errs = errors_of(std::string(kAccount) + "alternates 'a[b'\nlists\n");
    CHECK(has_error(errs, "config:7: alternates: bad regular expression 'a[b'"));
    CHECK(has_error(errs, "config:8: lists: give at least one argument"));
}

TEST_CASE("ignore, unignore, hdr_order") {
    Config c = parse(std::string(kAccount) +
                     "ignore *\n"
                     "unignore From: To Cc Subject date\n"
                     "ignore cc\n"
                     "hdr_order From: Date: To Subject\n"
                     "unhdr_order subject\n");
    CHECK(c.options.ignore == std::vector<std::string>{"*", "cc"});
    CHECK(c.options.unignore == std::vector<std::string>{"from", "to", "subject", "date"});
    CHECK(c.options.hdr_order == std::vector<std::string>{"from", "date", "to"});
    c = parse(std::string(kAccount) + "ignore x-spam received\nunignore *\n");
    CHECK(c.options.ignore.empty());
    CHECK(c.options.unignore == std::vector<std::string>{"*"});
    CHECK(has_error(errors_of(std::string(kAccount) + "hdr_order\n"), "config:7: hdr_order: give at least one argument"));
}

TEST_CASE("mailboxes, auto_view, mime_lookup") {
    Config c = parse(std::string(kAccount) +
                     "mailboxes =INBOX =Lists/dev +Archive INBOX\n"
                     "unmailboxes =Lists/dev\n"
                     "auto_view text/calendar Text/X-Diff\n"
                     "unauto_view text/html\n"
                     "mime_lookup application/x-tar\n");
    CHECK(c.options.mailboxes == std::vector<std::string>{"INBOX", "Archive"});
    CHECK(c.options.auto_view == std::vector<std::string>{"text/calendar", "text/x-diff"});
    CHECK(c.options.mime_lookup == std::vector<std::string>{"application/octet-stream", "application/x-tar"});
    const auto errs = errors_of(std::string(kAccount) + "auto_view html\nalias bob Bob <bob@x>\nmbox-hook . =old\n");
    CHECK(has_error(errs, "config:7: auto_view: 'html' is not a MIME type"));
    CHECK(has_error(errs, "config:8: alias: tern keeps aliases in their own file"));
    CHECK(has_error(errs, "config:9: mbox-hook: tern has no mbox"));
}

TEST_CASE("signature, sig_dashes, attribution, forward_format, reverse_name; set noX and unset") {
    Config c = parse(std::string(kAccount) +
                     "set signature = ~/.signature\n"
                     "set nosig_dashes reverse_name\n"
                     "set attribution = \"%n <%a> wrote on %d:\" forward_format = \"[Fwd: %s]\"\n");
    CHECK(c.options.signature == "/home/u/.signature");
    CHECK_FALSE(c.options.sig_dashes);
    CHECK(c.options.reverse_name);
    CHECK(c.options.attribution == "%n <%a> wrote on %d:");
    CHECK(c.options.forward_format == "[Fwd: %s]");
    c = parse(std::string(kAccount) + "set signature = \"fortune -s|\"\nset invsig_dashes\n");
    CHECK(c.options.signature == "fortune -s|");  // a command: not a path
    CHECK_FALSE(c.options.sig_dashes);
    c = parse(std::string(kAccount) + "set signature = x reverse_name = yes attribution = y\nunset signature reverse_name attribution\n");
    CHECK(c.options.signature.empty());
    CHECK_FALSE(c.options.reverse_name);
    CHECK(c.options.attribution == GlobalOptions{}.attribution);

    const auto errs = errors_of(std::string(kAccount) + "set sig_dashes = maybe\nunset sort\nset editor\nunset\n");
    CHECK(has_error(errs, "config:7: sig_dashes: 'maybe' (valid: yes, no)"));
    CHECK(has_error(errs, "config:8: unset sort: only yes/no options"));
    CHECK(has_error(errs, "config:9: set editor: missing '= VALUE'"));
    CHECK(has_error(errs, "config:10: write it as: unset NAME"));
}

TEST_CASE("source \"command|\" reads what a command prints") {
    FakeFiles fs;
    ConfigFiles io = fs.io();
    std::vector<std::string> ran;
    io.run = [&](const std::string& cmd, std::string& err) -> std::optional<std::string> {
        ran.push_back(cmd);
        if (cmd == "gen-accounts") return std::string(kAccount) + "set sort = date\n";
        err = "it exited with status 1: gen: not found";
        return std::nullopt;
    };
    const Config c = parse_config("source \"gen-accounts |\"\n", "/c", kEnv, io);
    CHECK(ran == std::vector<std::string>{"gen-accounts"});
    REQUIRE(c.accounts.size() == 1);
    CHECK(c.accounts[0].defined_at == "'gen-accounts|':1");
    try {
        parse_config(std::string(kAccount) + "source 'broken|'\n", "/c", kEnv, io);
        FAIL("a failing command is an error");
    } catch (const ConfigErrors& e) {
        CHECK(has_error(e.lines(), "/c:7: source: the command 'broken' gave no config: it exited with status 1: gen: not found"));
    }
}

TEST_CASE("the unknown-command error lists mutt's commands too") {
    const auto errs = errors_of(std::string(kAccount) + "folderhook . 'set sort = date'\n");
    CHECK(has_error(errs, "config:7: unknown command 'folderhook', did you mean 'folder-hook'?"));
}

TEST_CASE("mutt's ';' puts several commands on a line, outside quotes") {
    CHECK(split_config_commands("set sort = date; set editor = vim") == std::vector<std::string>{"set sort = date", " set editor = vim"});
    CHECK(split_config_commands("folder-hook . 'set a = 1; push x'").size() == 1);
    CHECK(split_config_commands("set editor = \"a;b\"").size() == 1);
    CHECK(split_config_commands("set x = a\\;b").size() == 1);
    CHECK(split_config_commands("set x = 1 # a; comment").size() == 1);
    const Config c = parse(std::string(kAccount) + "set sort = date; set editor = nano ; folder-hook . 'set sort = to; push <last-entry>'\n");
    CHECK(c.options.sort == "date");
    CHECK(c.options.editor == "nano");
    REQUIRE(c.hooks.size() == 1);
    CHECK(c.hooks[0].command == "set sort = to; push <last-entry>");
}
