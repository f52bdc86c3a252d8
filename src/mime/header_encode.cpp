#include "mime/header_encode.hpp"

#include <cstdint>
#include <cctype>
#include <cstdio>

#include "mime/date.hpp"
#include "mime/transfer_encoding.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

bool printable_ascii(std::string_view s) {  // no 8-bit byte, no control character but tab
    for (const unsigned char c : s)
        if (c >= 0x80 || (c < 0x20 && c != '\t')) return false;
    return true;
}

// Encoded words of at most 75 characters, split between whole UTF-8
// characters (RFC 2047 section 5: each word decodes on its own).
std::vector<std::string> encoded_words(std::string_view utf8) {
    std::vector<std::string> out;
    constexpr std::size_t kMaxBytes = 42;  // 56 base64 + 12 of "=?UTF-8?B??=": 68, fits after "Subject: "
    std::size_t i = 0;
    while (i < utf8.size()) {
        std::size_t end = std::min(utf8.size(), i + kMaxBytes);
        while (end < utf8.size() && end > i && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
        if (end == i) end = std::min(utf8.size(), i + kMaxBytes);
        out.push_back("=?UTF-8?B?" + encode_base64(utf8.substr(i, end - i), 0) + "?=");
        i = end;
    }
    return out;
}

// Words of an unstructured value, each encoded when it must be. Adjacent
// encoded words are merged so the spaces between them survive decoding.
std::vector<std::string> unstructured_tokens(std::string_view value) {
    std::vector<std::string> words = split_words(value);
    std::vector<std::string> tokens;
    std::string pending;  // non-ASCII run (with its spaces) to encode together
    auto flush = [&] {
        if (pending.empty()) return;
        for (auto& w : encoded_words(pending)) tokens.push_back(std::move(w));
        pending.clear();
    };
    for (const auto& w : words) {
        const bool needs = !printable_ascii(w) || w.find("=?") != std::string::npos;
        if (needs) {
            if (!pending.empty()) pending += ' ';
            pending += w;
        } else {
            flush();
            tokens.push_back(w);
        }
    }
    flush();
    return tokens;
}

// Joins tokens after "Name: ", folding before a token that would pass 78 columns.
std::string fold(std::string_view name, const std::vector<std::string>& tokens) {
    std::string out = std::string(name) + ":";
    std::size_t col = out.size();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& piece = tokens[i];
        if (col + 1 + piece.size() > 78 && (i > 0 || col > 1)) {
            out += "\r\n ";
            col = 1;
        } else {
            out += ' ';
            ++col;
        }
        out += piece;
        col += piece.size();
    }
    return out;
}

bool needs_quotes(std::string_view name) {
    for (const char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos))
            return true;
    return false;
}

}  // namespace

std::string encode_header(std::string_view name, std::string_view utf8_value) {
    return fold(name, unstructured_tokens(utf8_value));
}

std::string encode_address_header(std::string_view name, const std::vector<Address>& addresses) {
    std::vector<std::string> tokens;
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const Address& a = addresses[i];
        const bool last = i + 1 == addresses.size();
        std::vector<std::string> parts;
        if (!a.name.empty()) {
            if (!printable_ascii(a.name)) {
                parts = encoded_words(a.name);
            } else if (needs_quotes(a.name)) {
                std::string q = "\"";
                for (const char c : a.name) {
                    if (c == '"' || c == '\\') q += '\\';
                    q += c;
                }
                parts.push_back(q + "\"");
            } else {
                parts = split_words(a.name);
            }
            parts.push_back("<" + a.email + ">");
        } else {
            parts.push_back(a.email);
        }
        if (!last) parts.back() += ",";
        for (auto& p : parts) tokens.push_back(std::move(p));
    }
    return fold(name, tokens);
}

std::string format_rfc5322_date(std::int64_t t, int offset) {
    static constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::int64_t local = t + offset * 60;
    std::int64_t days = local / 86400;
    std::int64_t secs = local % 86400;
    if (secs < 0) secs += 86400, --days;
    const int weekday = static_cast<int>(((days % 7) + 7) % 7);
    const CivilDate c = civil_from_days(days);
    const auto y = c.year;
    const auto m = static_cast<unsigned>(c.month);
    const auto d = static_cast<unsigned>(c.day);
    const int abs_off = offset < 0 ? -offset : offset;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %u %s %lld %02lld:%02lld:%02lld %c%02d%02d", kDays[weekday], d, kMonths[m - 1],
                  static_cast<long long>(y), static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                  static_cast<long long>(secs % 60), offset < 0 ? '-' : '+', abs_off / 60, abs_off % 60);
    return buf;
}

}  // namespace tern
