#include "net/imap_utf7.hpp"

#include <vector>

#include "util/utf8.hpp"

namespace tern {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int alphabet_value(char c) {
    const auto i = kAlphabet.find(c);
    return i == std::string_view::npos ? -1 : static_cast<int>(i);
}

void flush_utf16(std::string& out, const std::vector<char16_t>& units) {
    std::uint32_t bits = 0;
    int count = 0;
    out += '&';
    for (const char16_t u : units) {
        bits = (bits << 16) | u;
        count += 16;
        while (count >= 6) {
            count -= 6;
            out += kAlphabet[(bits >> count) & 0x3F];
        }
    }
    if (count > 0) out += kAlphabet[(bits << (6 - count)) & 0x3F];
    out += '-';
}

}  // namespace

std::string encode_imap_utf7(std::string_view utf8) {
    std::string out;
    std::vector<char16_t> pending;
    std::size_t i = 0;
    while (i < utf8.size()) {
        const auto decoded = decode_utf8(utf8, i);
        if (!decoded) ++i;  // invalid UTF-8 travels as U+FFFD
        const char32_t cp = decoded.value_or(U'\uFFFD');
        if (cp >= 0x20 && cp <= 0x7E) {
            if (!pending.empty()) flush_utf16(out, pending), pending.clear();
            out += cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(cp));
        } else if (cp >= 0x10000) {
            pending.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
            pending.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
        } else {
            pending.push_back(static_cast<char16_t>(cp));
        }
    }
    if (!pending.empty()) flush_utf16(out, pending);
    return out;
}

std::optional<std::string> decode_imap_utf7(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (c < 0x20 || c > 0x7E) return std::nullopt;
        if (c != '&') {
            out += c;
            continue;
        }
        const auto end = name.find('-', i + 1);
        if (end == std::string_view::npos) return std::nullopt;
        if (end == i + 1) {  // "&-" is "&"
            out += '&';
            i = end;
            continue;
        }
        std::uint32_t bits = 0;
        int count = 0;
        std::vector<char16_t> units;
        for (std::size_t j = i + 1; j < end; ++j) {
            const int v = alphabet_value(name[j]);
            if (v < 0) return std::nullopt;
            bits = (bits << 6) | static_cast<std::uint32_t>(v);
            count += 6;
            if (count >= 16) {
                count -= 16;
                units.push_back(static_cast<char16_t>((bits >> count) & 0xFFFF));
            }
        }
        if (count >= 6 || (bits & ((1u << count) - 1)) != 0) return std::nullopt;  // leftover bits must be zero padding
        for (std::size_t k = 0; k < units.size(); ++k) {
            const char16_t u = units[k];
            if (u >= 0xD800 && u <= 0xDBFF && k + 1 < units.size() && units[k + 1] >= 0xDC00 && units[k + 1] <= 0xDFFF) {
                append_utf8(out, 0x10000 + ((static_cast<char32_t>(u) - 0xD800) << 10) + (units[k + 1] - 0xDC00));
                ++k;
            } else if (u >= 0xD800 && u <= 0xDFFF) {
                return std::nullopt;  // a lone surrogate
            } else if (u >= 0x20 && u <= 0x7E) {
                return std::nullopt;  // printable ASCII must not be encoded
            } else {
                append_utf8(out, u);
            }
        }
        i = end;
    }
    return out;
}

}  // namespace tern
