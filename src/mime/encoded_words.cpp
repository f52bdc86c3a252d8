#include "mime/encoded_words.hpp"

#include <optional>

#include "mime/charset.hpp"
#include "mime/transfer_encoding.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

constexpr std::size_t kMaxEncodedText = 2000;

struct EncodedWord {
    std::size_t begin = 0, end = 0;  // in the raw text
    std::string charset;
    std::string bytes;  // decoded, still in `charset`
};

// Parses an encoded word starting at raw[pos] == '='; returns nothing when it
// is not one (then it is left as text).
std::optional<EncodedWord> parse_word(std::string_view raw, std::size_t pos) {
    if (raw.compare(pos, 2, "=?") != 0) return std::nullopt;
    const auto q1 = raw.substr(0, std::min(raw.size(), pos + 80)).find('?', pos + 2);  // charset names are short
    if (q1 == std::string_view::npos || q1 + 2 >= raw.size() || raw[q1 + 2] != '?') return std::nullopt;
    const char enc = static_cast<char>(raw[q1 + 1] | 0x20);
    if (enc != 'b' && enc != 'q') return std::nullopt;
    // RFC 2047 caps a word at 75 characters; allow far more, but bound the
    // search so that text full of "=?" cannot make decoding quadratic
    const auto close = raw.substr(0, std::min(raw.size(), q1 + 3 + kMaxEncodedText)).find("?=", q1 + 3);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view text = raw.substr(q1 + 3, close - q1 - 3);
    if (text.find_first_of(" \t") != std::string_view::npos && enc == 'b') return std::nullopt;
    EncodedWord w;
    w.begin = pos;
    w.end = close + 2;
    w.charset = std::string(raw.substr(pos + 2, q1 - pos - 2));
    if (const auto star = w.charset.find('*'); star != std::string::npos) w.charset.resize(star);  // RFC 2231 language
    if (w.charset.empty()) return std::nullopt;
    w.bytes = enc == 'b' ? decode_base64(text) : decode_quoted_printable(text, true);
    return w;
}

// Raw (unencoded) header bytes: UTF-8 when valid, else the fallback charset.
std::string raw_text(std::string_view s, std::string_view fallback) {
    if (is_valid_utf8(s)) return std::string(s);
    return to_utf8(s, fallback).text;
}

}  // namespace

std::string decode_header_text(std::string_view raw, std::string_view fallback_charset) {
    std::string out;
    std::size_t pos = 0;        // start of text not yet copied
    std::string pending_bytes;  // adjacent encoded words of one charset, joined
    std::string pending_charset;
    auto flush = [&] {
        if (!pending_charset.empty()) out += to_utf8(pending_bytes, pending_charset).text;
        pending_bytes.clear();
        pending_charset.clear();
    };
    std::size_t search = 0;
    while (search < raw.size()) {
        const auto start = raw.find("=?", search);
        if (start == std::string_view::npos) break;
        auto word = parse_word(raw, start);
        if (!word) {
            search = start + 2;
            continue;
        }
        std::string_view between = raw.substr(pos, start - pos);
        const bool only_blanks = trim(between).empty();
        if (!(only_blanks && !pending_charset.empty())) {
            // text between words is kept, except blanks between two encoded words
            flush();
            out += raw_text(between, fallback_charset);
        }
        if (!pending_charset.empty() && !iequals(pending_charset, word->charset)) flush();
        pending_charset = word->charset;
        pending_bytes += word->bytes;
        pos = search = word->end;
    }
    flush();
    out += raw_text(raw.substr(pos), fallback_charset);
    return out;
}

}  // namespace tern
