#include "mime/content_type.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "mime/charset.hpp"
#include "mime/encoded_words.hpp"
#include "util/strings.hpp"

namespace tern {

const std::string* MimeParams::get(std::string_view name) const {
    for (const auto& [k, v] : items)
        if (k == name) return &v;
    return nullptr;
}

bool ContentType::is(std::string_view t, std::string_view s) const {
    return type == t && (s == "*" || subtype == s);
}

namespace {

struct RawParam {
    std::string name;   // without the *N / * suffix, lower case
    int section = -1;   // continuation number, -1 for none
    bool extended = false;  // value is charset'lang'percent-encoded (first) or percent-encoded
    std::string value;
};

// Splits "a=1; b=\"x;y\"" at unquoted ';'.
std::vector<std::string_view> split_params(std::string_view s) {
    std::vector<std::string_view> out;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && quoted) {
            ++i;
        } else if (s[i] == '"') {
            quoted = !quoted;
        } else if (s[i] == ';' && !quoted) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

std::string unquote(std::string_view v) {
    v = trim(v);
    if (v.size() >= 2 && v.front() == '"') {
        std::string out;
        for (std::size_t i = 1; i < v.size(); ++i) {
            if (v[i] == '\\' && i + 1 < v.size()) out += v[++i];
            else if (v[i] == '"') break;
            else out += v[i];
        }
        return out;
    }
    // an unquoted value ends at blanks or a comment
    const auto end = v.find_first_of(" \t(");
    return std::string(v.substr(0, end));
}

}  // namespace

MimeParams parse_params(std::string_view text) {
    std::vector<RawParam> raw;
    for (auto part : split_params(text)) {
        part = trim(part);
        const auto eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        RawParam p;
        std::string name = to_lower(trim(part.substr(0, eq)));
        p.value = unquote(part.substr(eq + 1));
        if (!name.empty() && name.back() == '*') {
            p.extended = true;
            name.pop_back();
        }
        if (const auto star = name.find('*'); star != std::string::npos) {
            int n = -1;
            const auto digits = std::string_view(name).substr(star + 1);
            if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ptr == digits.data() + digits.size())
                p.section = n;
            name.resize(star);
        }
        p.name = name;
        if (!p.name.empty()) raw.push_back(std::move(p));
    }
    // Join continuations per name in section order; decode RFC 2231 charsets.
    // Grouped through a map: a header with thousands of parameters stays linear-time.
    MimeParams params;
    std::vector<std::string> names;
    std::map<std::string, std::vector<const RawParam*>> groups;
    for (const auto& p : raw) {
        auto& g = groups[p.name];
        if (g.empty()) names.push_back(p.name);
        g.push_back(&p);
    }
    for (const auto& name : names) {
        std::vector<const RawParam*>& parts = groups[name];
        std::stable_sort(parts.begin(), parts.end(), [](auto* a, auto* b) { return a->section < b->section; });
        // a plain value and an RFC 2231 one for the same name: the RFC 2231 one wins
        const bool any_sections = std::any_of(parts.begin(), parts.end(), [](auto* p) { return p->section >= 0 || p->extended; });
        std::string charset;
        std::string bytes;
        bool first = true;
        bool extended = false;
        for (const RawParam* p : parts) {
            if (any_sections && p->section < 0 && !p->extended) continue;
            std::string v = p->value;
            if (p->extended) {
                extended = true;
                if (first) {  // charset'language'value
                    const auto q1 = v.find('\'');
                    const auto q2 = q1 == std::string::npos ? std::string::npos : v.find('\'', q1 + 1);
                    if (q2 != std::string::npos) {
                        charset = v.substr(0, q1);
                        v = v.substr(q2 + 1);
                    }
                }
                v = *percent_decode(v, false);
            }
            bytes += v;
            first = false;
        }
        std::string value = extended ? to_utf8(bytes, charset.empty() ? "us-ascii" : charset).text
                                     : decode_header_text(bytes);
        params.items.emplace_back(name, std::move(value));
    }
    return params;
}

ContentType parse_content_type(std::string_view value) {
    ContentType ct;
    const auto semi = value.find(';');
    const std::string head = to_lower(trim(value.substr(0, semi)));
    const auto slash = head.find('/');
    if (slash != std::string::npos && slash > 0 && slash + 1 < head.size() &&
        head.find_first_of(" \t\"") == std::string::npos) {
        ct.type = head.substr(0, slash);
        ct.subtype = head.substr(slash + 1);
    } else if (head == "text") {
        ct.subtype = "plain";  // seen in the wild: a bare "text"
    }
    if (semi != std::string_view::npos) ct.params = parse_params(value.substr(semi + 1));
    return ct;
}

Disposition parse_disposition(std::string_view value) {
    Disposition d;
    const auto semi = value.find(';');
    d.kind = to_lower(trim(value.substr(0, semi)));
    if (semi != std::string_view::npos) d.params = parse_params(value.substr(semi + 1));
    return d;
}

}  // namespace tern
