// mailcap parsing and safe command expansion.
#include <doctest/doctest.h>

#include "mime/mailcap.hpp"
#include "mime/mime_types.hpp"

using namespace tern;

TEST_CASE("mailcap entries with flags, continuations and escaped semicolons") {
    const auto e = parse_mailcap(
        "# comment\n"
        "text/html; lynx -dump -force_html %s; copiousoutput; nametemplate=%s.html\n"
        "text/html; firefox %s; test=test -n \"$DISPLAY\"\n"
        "image; feh \\\n  %s; needsterminal\n"
        "text/x-a; echo a\\;b; copiousoutput\n"
        "broken line without a command\n");
    REQUIRE(e.size() == 4);
    CHECK(e[0].type == "text/html");
    CHECK(e[0].command == "lynx -dump -force_html %s");
    CHECK(e[0].copiousoutput);
    CHECK(e[0].nametemplate == "%s.html");
    CHECK(e[1].test == "test -n \"$DISPLAY\"");
    CHECK(e[2].type == "image/*");  // a bare major type means all subtypes
    CHECK(e[2].command == "feh   %s");
    CHECK(e[2].needsterminal);
    CHECK(e[3].command == "echo a;b");
}

TEST_CASE("mailcap type matching") {
    CHECK(mailcap_type_matches("text/html", "TEXT/HTML"));
    CHECK(mailcap_type_matches("image/*", "image/png"));
    CHECK_FALSE(mailcap_type_matches("image/*", "imagex/png"));
    CHECK_FALSE(mailcap_type_matches("text/plain", "text/html"));
}

TEST_CASE("mailcap expansion quotes every value from the message") {
    const ContentType t = parse_content_type("text/html; charset=\"x'; rm -rf ~; '\"");
    CHECK(expand_mailcap_command("view %s", "/tmp/f", t) == "view '/tmp/f'");
    CHECK(expand_mailcap_command("conv %{charset} %t", "/tmp/f", t) ==
          "conv 'x'\\''; rm -rf ~; '\\''' 'text/html' < '/tmp/f'");
    CHECK(expand_mailcap_command("cat", "/tmp/f", t) == "cat < '/tmp/f'");  // no %s: standard input
    CHECK(expand_mailcap_command("printf 100%%", "/f", t) == "printf 100% < '/f'");
}

TEST_CASE("mime.types: a file name's extension gives its type, the first file first") {
    const MimeTypes types({"# mine\ntext/x-diff  diff patch\napplication/x-mine pdf\n", "application/pdf pdf\nimage/png png # a comment\n"});
    CHECK(types.type_for("fix.PATCH") == "text/x-diff");
    CHECK(types.type_for("report.pdf") == "application/x-mine");  // ~/.mime.types before /etc/mime.types
    CHECK(types.type_for("dir/a.b/pic.png") == "image/png");
    CHECK_FALSE(types.type_for("README"));
    CHECK_FALSE(types.type_for(".png"));
    CHECK_FALSE(types.type_for("x.unknown"));
}
