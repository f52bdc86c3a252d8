#include "mime/urls.hpp"

#include <algorithm>
#include <array>

#include "util/strings.hpp"

namespace tern {
namespace {

constexpr std::array<std::string_view, 5> kStarts = {"https://", "http://", "ftp://", "mailto:", "www."};

bool ends_url(unsigned char c) {
    return c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '\'' || c == '`' || c == '{' || c == '}' || c == '|' ||
           c == '\\' || c == '^';
}

// Whether `text` at `i` begins a link: a known start, not in the middle of a word.
std::size_t start_length(std::string_view text, std::size_t i) {
    if (i > 0) {
        const unsigned char before = static_cast<unsigned char>(text[i - 1]);
        if (std::isalnum(before) || before == '.' || before == '/' || before == '@') return 0;
    }
    for (const auto s : kStarts)
        if (text.size() - i > s.size() && iequals(text.substr(i, s.size()), s)) return s.size();
    return 0;
}

}  // namespace

std::vector<std::string> find_urls(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::size_t prefix = start_length(text, i);
        if (!prefix) continue;
        std::size_t end = i + prefix;
        while (end < text.size() && !ends_url(static_cast<unsigned char>(text[end]))) ++end;
        std::string url(text.substr(i, end - i));
        // a sentence's punctuation is not the link's; a ')' is, when the link opened one (Wikipedia)
        while (!url.empty()) {
            const char last = url.back();
            if (last == ')' && std::count(url.begin(), url.end(), '(') >= std::count(url.begin(), url.end(), ')')) break;
            if (std::string_view(".,;:!?)]*").find(last) == std::string_view::npos) break;
            url.pop_back();
        }
        if (url.size() > prefix && std::find(out.begin(), out.end(), url) == out.end()) out.push_back(url);
        i = end;
    }
    return out;
}

}  // namespace tern
