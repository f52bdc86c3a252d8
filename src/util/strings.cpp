#include "util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

#include "util/utf8.hpp"

namespace tern {

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string to_upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

std::string crlf_to_lf(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
    return out;
}

std::string CrlfToLfStream::feed(std::string_view piece) {
    std::string out;
    if (piece.empty()) return out;
    out.reserve(piece.size() + 1);
    if (pending_cr_ && piece.front() != '\n') out += '\r';  // a lone CR stays
    pending_cr_ = piece.back() == '\r';
    out += crlf_to_lf(pending_cr_ ? piece.substr(0, piece.size() - 1) : piece);
    return out;
}

std::string CrlfToLfStream::finish() { return std::exchange(pending_cr_, false) ? "\r" : ""; }

std::string lf_to_crlf(std::string_view s) { return lf_to_crlf_piece(s, 0, s.size()); }

std::string lf_to_crlf_piece(std::string_view s, std::size_t from, std::size_t length) {
    const std::size_t end = std::min(s.size(), from + length);
    std::string out;
    out.reserve((end - std::min(from, end)) * 33 / 32);
    for (std::size_t i = from; i < end; ++i) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
        out += s[i];
    }
    return out;
}

std::uint64_t crlf_size(std::string_view s) { return crlf_size_piece(s, 0, s.size()); }

std::uint64_t crlf_size_piece(std::string_view s, std::size_t from, std::size_t length) {
    const std::size_t end = std::min(s.size(), from + length);
    std::uint64_t size = end - std::min(from, end);
    for (std::size_t i = from; i < end; ++i)
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) ++size;
    return size;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto pos = s.find(sep, start);
        out.emplace_back(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return out;
}

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const auto start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

std::string first_line(std::string_view s, std::size_t max) {
    auto line = s.substr(0, s.find_first_of("\r\n"));
    line = trim(line);
    std::string out = terminal_safe(line.substr(0, max));
    if (line.size() > max) out += "...";  // a character cut in half has become U+FFFD
    return out;
}

std::optional<std::string> percent_decode(std::string_view s, bool strict) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        int v = 0;
        if (s[i] == '%') {
            if (i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
                std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
                out += static_cast<char>(v);
                i += 2;
                continue;
            }
            if (strict) return std::nullopt;
        }
        out += s[i];
    }
    return out;
}

std::string format_millis(long ms) {
    if (ms < 1000) return std::to_string(ms) + " ms";
    return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

}  // namespace tern
