// String helpers and running users' shell commands.
#include <doctest/doctest.h>

#include "util/paths.hpp"
#include "util/strings.hpp"
#include "util/subprocess.hpp"
#include "util/two_halves.hpp"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace tern;
using namespace std::chrono_literals;

TEST_CASE("first_line: one terminal-safe line, cut to a length") {
    CHECK(first_line("a\x1b[31mred\x07\tx\x7f") == "a^[[31mred^G\tx^?");  // server text is disarmed
    CHECK(first_line("  first\r\nsecond") == "first");
    CHECK(first_line(std::string(300, 'x'), 10) == "xxxxxxxxxx...");
    CHECK(first_line("\xC3\xA9\xC3\xA9", 3) == "\xC3\xA9\xEF\xBF\xBD...");  // a cut character becomes U+FFFD
    CHECK(first_line("csi\xC2\x9B" "2J") == "csi<U+009B>2J");
}

TEST_CASE("percent decoding, strict and lenient") {
    CHECK(percent_decode("a%40b%2Fc", true) == "a@b/c");
    CHECK_FALSE(percent_decode("50%", true));
    CHECK_FALSE(percent_decode("%-1", true));     // a sign is no hex digit
    CHECK(percent_decode("50%-1%zz%4", false) == "50%-1%zz%4");  // lenient keeps bad escapes
    CHECK(percent_decode("%C3%A9", false) == "\xC3\xA9");
}

TEST_CASE("split and trim") {
    CHECK(split("a,b,,c", ',') == std::vector<std::string>{"a", "b", "", "c"});
    CHECK(split_words("  a \t b  ") == std::vector<std::string>{"a", "b"});
    CHECK(trim("\t x \r\n") == "x");
    CHECK(iequals("AbC", "aBc"));
    CHECK(format_millis(12) == "12 ms");
    CHECK(format_millis(1500) == "1.5 s");
}

TEST_CASE("run_shell_command captures output and status") {
    auto r = run_shell_command("printf 'pw\\nrest'; echo oops >&2; exit 3", 5s);
    CHECK(r.exit_status == 3);
    CHECK(r.out == "pw\nrest");
    CHECK(r.err == "oops\n");
    CHECK_FALSE(r.timed_out);
    // stdin is /dev/null: a command that reads it does not hang
    r = run_shell_command("cat; echo done", 5s);
    CHECK(r.out == "done\n");
}

TEST_CASE("run_shell_command stops a command that hangs") {
    const auto r = run_shell_command("sleep 30", 200ms);
    CHECK(r.timed_out);
    CHECK(r.exit_status == 128 + 9);
}

TEST_CASE("XDG paths and tilde") {
    const EnvLookup env = [](const std::string& n) -> std::optional<std::string> {
        if (n == "HOME") return "/home/u";
        if (n == "XDG_CONFIG_HOME") return "/cfg";
        return std::nullopt;
    };
    CHECK(default_config_path(env) == "/cfg/tern/config");
    CHECK(default_data_dir(env) == "/home/u/.local/share/tern");
    CHECK(expand_tilde("~/Mail", env) == "/home/u/Mail");
    CHECK(expand_tilde("~other/x", env) == "~other/x");
    CHECK(dir_name("/a/b/c") == "/a/b");
    CHECK(dir_name("c") == ".");
}

TEST_CASE("CRLF to LF for the maildir") {
    CHECK(tern::crlf_to_lf("a\r\nb\r\n") == "a\nb\n");
    CHECK(tern::crlf_to_lf("bare\rcr\r") == "bare\rcr\r");  // a lone CR is content
    CHECK(tern::crlf_to_lf("\r\r\n") == "\r\n");
    CHECK(tern::crlf_to_lf(std::string("nul\0\r\n", 6)) == std::string("nul\0\n", 5));
}

TEST_CASE("LF to CRLF for the wire") {
    CHECK(tern::lf_to_crlf("a\nb\r\n") == "a\r\nb\r\n");  // an existing CRLF stays one
    CHECK(tern::lf_to_crlf("\n\n") == "\r\n\r\n");
    CHECK(tern::crlf_to_lf(tern::lf_to_crlf("x\ny\n")) == "x\ny\n");
}

TEST_CASE("in_two_halves covers the range once, split above its bound, and throws what either half threw") {
    for (const std::size_t count : {std::size_t{0}, std::size_t{7}, std::size_t{100001}}) {
        std::vector<std::atomic<int>> seen(count);
        std::atomic<int> passes{0};
        const std::size_t mid = in_two_halves(count, 1000, [&](std::size_t b, std::size_t e) {
            ++passes;
            for (std::size_t i = b; i < e; ++i) ++seen[i];
        });
        std::size_t once = 0;
        for (const auto& v : seen) once += v == 1;
        CHECK(once == count);
        const bool split = count > 1000 && std::thread::hardware_concurrency() > 1;
        CHECK(mid == (split ? count / 2 : count));
        CHECK(passes == (split ? 2 : 1));
    }
    if (std::thread::hardware_concurrency() > 1) {
        CHECK_THROWS_WITH(in_two_halves(10, 1, [](std::size_t b, std::size_t) {
                              if (b != 0) throw std::runtime_error("second half");
                          }),
                          "second half");
        CHECK_THROWS_WITH(in_two_halves(10, 1, [](std::size_t b, std::size_t) {
                              if (b == 0) throw std::runtime_error("first half");
                          }),
                          "first half");
    }
}
