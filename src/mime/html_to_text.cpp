#include "mime/html_to_text.hpp"

#include <charconv>
#include <cstdint>
#include <vector>

#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace tern {
namespace {

struct Entity {
    std::string_view name;
    std::string_view text;
};

constexpr Entity kEntities[] = {
    {"amp", "&"},      {"lt", "<"},        {"gt", ">"},        {"quot", "\""},     {"apos", "'"},
    {"nbsp", "\xC2\xA0"}, {"copy", "\xC2\xA9"}, {"reg", "\xC2\xAE"}, {"trade", "\xE2\x84\xA2"},
    {"hellip", "\xE2\x80\xA6"}, {"mdash", "\xE2\x80\x94"}, {"ndash", "\xE2\x80\x93"},
    {"lsquo", "\xE2\x80\x98"}, {"rsquo", "\xE2\x80\x99"}, {"ldquo", "\xE2\x80\x9C"}, {"rdquo", "\xE2\x80\x9D"},
    {"bull", "\xE2\x80\xA2"}, {"euro", "\xE2\x82\xAC"}, {"pound", "\xC2\xA3"}, {"yen", "\xC2\xA5"},
    {"deg", "\xC2\xB0"}, {"middot", "\xC2\xB7"}, {"laquo", "\xC2\xAB"}, {"raquo", "\xC2\xBB"},
    {"auml", "\xC3\xA4"}, {"ouml", "\xC3\xB6"}, {"uuml", "\xC3\xBC"}, {"Auml", "\xC3\x84"},
    {"Ouml", "\xC3\x96"}, {"Uuml", "\xC3\x9C"}, {"szlig", "\xC3\x9F"}, {"eacute", "\xC3\xA9"},
    {"egrave", "\xC3\xA8"}, {"agrave", "\xC3\xA0"}, {"ccedil", "\xC3\xA7"}, {"times", "\xC3\x97"},
    {"zwnj", ""}, {"zwj", ""}, {"shy", ""},
};

std::string decode_entities(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        const auto semi = s.substr(0, std::min(s.size(), i + 14)).find(';', i);  // entities are short
        if (semi == std::string_view::npos) {
            out += '&';
            continue;
        }
        const std::string_view name = s.substr(i + 1, semi - i - 1);
        bool done = false;
        if (!name.empty() && name[0] == '#') {
            std::uint32_t cp = 0;
            const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
            const auto digits = name.substr(hex ? 2 : 1);
            const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
            if (!digits.empty() && r.ec == std::errc() && r.ptr == digits.data() + digits.size()) {
                append_utf8(out, static_cast<char32_t>(cp));
                done = true;
            }
        } else {
            for (const auto& e : kEntities)
                if (e.name == name) {
                    out += e.text;
                    done = true;
                    break;
                }
        }
        if (done) i = semi;
        else out += '&';
    }
    return out;
}

// The value of attribute `name` in a tag's text (`a href="x"`).
std::string attribute(std::string_view tag, std::string_view name) {
    const std::string lower = to_lower(tag);
    std::size_t pos = 0;
    while ((pos = lower.find(name, pos)) != std::string::npos) {
        const bool start_ok = pos > 0 && (lower[pos - 1] == ' ' || lower[pos - 1] == '\t' || lower[pos - 1] == '\n');
        std::size_t j = pos + name.size();
        while (j < lower.size() && lower[j] == ' ') ++j;
        if (start_ok && j < lower.size() && lower[j] == '=') {
            ++j;
            while (j < tag.size() && tag[j] == ' ') ++j;
            if (j < tag.size() && (tag[j] == '"' || tag[j] == '\'')) {
                const auto close = tag.find(tag[j], j + 1);
                return decode_entities(tag.substr(j + 1, close == std::string_view::npos ? tag.npos : close - j - 1));
            }
            const auto end = tag.find_first_of(" \t\n>", j);
            return decode_entities(tag.substr(j, end == std::string_view::npos ? tag.npos : end - j));
        }
        pos = j;
    }
    return "";
}

class Renderer {
public:
    void text(std::string_view t) {
        const std::string decoded = decode_entities(t);
        if (pre_ > 0) {
            for (const char c : decoded) {
                if (c == '\n') newline();
                else put(c);
            }
            return;
        }
        for (const char c : decoded) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pending_space_ = !line_.empty() || !prefix_written_;
            } else {
                if (pending_space_ && !at_line_start()) line_ += ' ';
                pending_space_ = false;
                put(c);
            }
        }
    }

    void tag(std::string_view raw) {
        std::string_view body = raw;
        const bool closing = !body.empty() && body[0] == '/';
        if (closing) body.remove_prefix(1);
        const auto end = body.find_first_of(" \t\n/>");
        const std::string name = to_lower(body.substr(0, end));
        if (name == "br") {
            newline();
        } else if (name == "p" || name == "div" || name == "table" || name == "h1" || name == "h2" || name == "h3" ||
                   name == "h4" || name == "h5" || name == "h6" || name == "ul" || name == "ol" || name == "hr") {
            paragraph();
            if (name == "hr" && !closing) {
                line_ += "----------";
                paragraph();
            }
        } else if (name == "tr") {
            if (!line_.empty()) newline();
        } else if (name == "td" || name == "th") {
            if (!closing && !at_line_start()) line_ += "  ";
        } else if (name == "li" && !closing) {
            if (!line_.empty()) newline();
            line_ += "* ";
            pending_space_ = false;
        } else if (name == "blockquote") {
            paragraph();
            quote_ += closing ? (quote_ > 0 ? -1 : 0) : 1;
        } else if (name == "pre") {
            paragraph();
            pre_ += closing ? (pre_ > 0 ? -1 : 0) : 1;
        } else if (name == "a") {
            if (!closing) {
                href_ = attribute(raw, "href");
            } else if (!href_.empty() && href_.rfind("mailto:", 0) != 0 && href_.rfind('#', 0) != 0) {
                links_.push_back(href_);
                line_ += "[" + std::to_string(links_.size()) + "]";
                href_.clear();
            }
        } else if (name == "img" && !closing) {
            const std::string alt = attribute(raw, "alt");
            if (!alt.empty()) text("[" + alt + "]");
        }
    }

    std::string finish() {
        newline();
        while (!out_.empty() && out_.back() == "") out_.pop_back();
        std::string result;
        for (const auto& l : out_) result += l + "\n";
        if (!links_.empty()) {
            result += "\n";
            for (std::size_t i = 0; i < links_.size(); ++i) result += "[" + std::to_string(i + 1) + "] " + links_[i] + "\n";
        }
        return result;
    }

private:
    bool at_line_start() const { return line_.empty(); }
    void put(char c) {
        if (line_.empty() && quote_ > 0) {
            for (int i = 0; i < quote_; ++i) line_ += "> ";
            prefix_written_ = true;
        }
        line_ += c;
    }
    void newline() {
        out_.push_back(std::string(trim(line_)) == "" ? "" : line_);
        line_.clear();
        pending_space_ = false;
        prefix_written_ = false;
    }
    void paragraph() {
        if (!line_.empty()) newline();
        if (!out_.empty() && !out_.back().empty()) out_.push_back("");
    }

    std::vector<std::string> out_;
    std::string line_;
    bool pending_space_ = false;
    bool prefix_written_ = false;
    int quote_ = 0;
    int pre_ = 0;
    std::string href_;
    std::vector<std::string> links_;
};

}  // namespace

std::string html_to_text(std::string_view html) {
    Renderer r;
    std::size_t i = 0;
    while (i < html.size()) {
        const auto lt = html.find('<', i);
        r.text(html.substr(i, lt == std::string_view::npos ? html.npos : lt - i));
        if (lt == std::string_view::npos) break;
        if (html.compare(lt, 4, "<!--") == 0) {  // comment
            const auto end = html.find("-->", lt + 4);
            i = end == std::string_view::npos ? html.size() : end + 3;
            continue;
        }
        const auto gt = html.find('>', lt);
        if (gt == std::string_view::npos) break;
        const std::string_view tag = html.substr(lt + 1, gt - lt - 1);
        const std::string name = to_lower(tag.substr(0, tag.find_first_of(" \t\n/>")));
        i = gt + 1;
        if (name == "script" || name == "style" || name == "head" || name == "title") {
            // skip to the matching close tag: its content is not text
            std::size_t close = i;
            while ((close = html.find("</", close)) != std::string_view::npos &&
                   !iequals(html.substr(close + 2, name.size()), name))
                close += 2;
            if (close == std::string_view::npos) break;
            const auto close_gt = html.find('>', close);
            i = close_gt == std::string_view::npos ? html.size() : close_gt + 1;
            continue;
        }
        r.tag(tag);
    }
    return r.finish();
}

}  // namespace tern
