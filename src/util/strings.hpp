// Small string helpers used by every layer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
// Line ends as a maildir keeps them: each CRLF becomes LF (a lone CR stays).
std::string crlf_to_lf(std::string_view s);
// crlf_to_lf over a stream cut into pieces anywhere (a CRLF may be split
// between two): feed() gives what is known so far, finish() the rest.
class CrlfToLfStream {
public:
    std::string feed(std::string_view piece);
    std::string finish();

private:
    bool pending_cr_ = false;  // the last piece ended in CR
};
// Line ends as the wire wants them: each LF not after a CR becomes CRLF.
std::string lf_to_crlf(std::string_view s);
// lf_to_crlf of the piece [from, from + length) of s, as a piece of the whole
// (the byte before it counts): the pieces joined are lf_to_crlf(s).
std::string lf_to_crlf_piece(std::string_view s, std::size_t from, std::size_t length);
// The size of lf_to_crlf(s), without making it (IMAP's RFC822.SIZE of a file);
// of a piece [from, from + length) of s, as lf_to_crlf_piece would make it.
std::uint64_t crlf_size(std::string_view s);
std::uint64_t crlf_size_piece(std::string_view s, std::size_t from, std::size_t length);
bool iequals(std::string_view a, std::string_view b);
// No byte of s is 0x80 or above.
bool is_ascii(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
// Splits on runs of spaces and tabs; no quoting.
std::vector<std::string> split_words(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// The first line of s, without its line end, cut to at most max bytes and
// made terminal-safe (util/utf8.hpp).
std::string first_line(std::string_view s, std::size_t max = 200);
// Undoes %XX escapes. Strict: a bad escape gives nothing; lenient (strict =
// false): a bad escape is kept as written.
std::optional<std::string> percent_decode(std::string_view s, bool strict);
// "3 s", "120 ms", from milliseconds.
std::string format_millis(long ms);

}  // namespace tern
