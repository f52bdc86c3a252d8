#include "store/pattern.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "mime/date.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

namespace tern {


struct PatternNode {
    enum class Kind { And, Or, Not, Field, Flag, DateRange, SizeRange } kind = Kind::And;
    std::vector<std::unique_ptr<PatternNode>> children;
    char letter = 0;           // f t c C s e i x h b B, or a flag letter
    bool substring = false;    // '=' form
    bool icase = false;
    std::string text;          // the argument
    std::unique_ptr<Regex> regex;
    std::int64_t min = INT64_MIN, max = INT64_MAX;  // dates (epoch) or sizes (bytes), inclusive
};

Pattern::Pattern() = default;
Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::Pattern(std::unique_ptr<PatternNode> root) : root_(std::move(root)) {}

namespace {

bool is_text_field(const PatternNode& n) { return n.kind == PatternNode::Kind::Field && (n.letter == 'h' || n.letter == 'b' || n.letter == 'B'); }

bool node_uses_text(const PatternNode& n) {
    if (is_text_field(n)) return true;
    for (const auto& c : n.children)
        if (node_uses_text(*c)) return true;
    return false;
}

bool has_upper(std::string_view s) {
    for (const unsigned char c : s)
        if (std::isupper(c)) return true;
    return false;
}

class Parser {
public:
    Parser(std::string_view text, std::int64_t now) : s_(text), now_(now) {}

    std::unique_ptr<PatternNode> parse() {
        auto n = parse_or();
        skip_space();
        if (pos_ < s_.size()) fail(s_[pos_] == ')' ? "')' without '('" : "unexpected '" + std::string(1, s_[pos_]) + "'");
        return n;
    }

private:
    [[noreturn]] void fail(const std::string& msg) const {
        throw Failure(ErrorKind::Usage, "pattern: " + msg + " at column " + std::to_string(pos_ + 1));
    }
    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
    }

    std::unique_ptr<PatternNode> parse_or() {
        auto left = parse_and();
        skip_space();
        if (pos_ >= s_.size() || s_[pos_] != '|') return left;
        auto n = std::make_unique<PatternNode>();
        n->kind = PatternNode::Kind::Or;
        n->children.push_back(std::move(left));
        while (pos_ < s_.size() && s_[pos_] == '|') {
            ++pos_;
            n->children.push_back(parse_and());
            skip_space();
        }
        return n;
    }

    std::unique_ptr<PatternNode> parse_and() {
        auto n = std::make_unique<PatternNode>();
        n->kind = PatternNode::Kind::And;
        for (;;) {
            skip_space();
            if (pos_ >= s_.size() || s_[pos_] == '|' || s_[pos_] == ')') break;
            n->children.push_back(parse_unary());
        }
        if (n->children.empty()) fail("an empty pattern");
        if (n->children.size() == 1) return std::move(n->children.front());
        return n;
    }

    std::unique_ptr<PatternNode> parse_unary() {
        skip_space();
        if (s_[pos_] == '!') {
            ++pos_;
            auto n = std::make_unique<PatternNode>();
            n->kind = PatternNode::Kind::Not;
            n->children.push_back(parse_unary());
            return n;
        }
        if (s_[pos_] == '(') {
            ++pos_;
            auto n = parse_or();
            skip_space();
            if (pos_ >= s_.size() || s_[pos_] != ')') fail("'(' without ')'");
            ++pos_;
            return n;
        }
        if ((s_[pos_] == '~' || s_[pos_] == '=') && pos_ + 1 < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_ + 1])))
            return parse_term();
        // a plain word: mutt's simple search, "~f word | ~s word"
        const std::string word = argument();
        auto n = std::make_unique<PatternNode>();
        n->kind = PatternNode::Kind::Or;
        n->children.push_back(field('f', word, false));
        n->children.push_back(field('s', word, false));
        return n;
    }

    // An argument: "quoted", 'quoted', or up to a blank or ')' (backslash escapes).
    std::string argument() {
        skip_space();
        if (pos_ >= s_.size()) fail("a value is missing");
        std::string out;
        if (s_[pos_] == '"' || s_[pos_] == '\'') {
            const char q = s_[pos_++];
            while (pos_ < s_.size() && s_[pos_] != q) {
                if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
                out += s_[pos_++];
            }
            if (pos_ >= s_.size()) fail("unterminated quote");
            ++pos_;
            return out;
        }
        while (pos_ < s_.size() && s_[pos_] != ' ' && s_[pos_] != '\t' && s_[pos_] != ')' && s_[pos_] != '|') {
            if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
            out += s_[pos_++];
        }
        return out;
    }

    std::unique_ptr<PatternNode> field(char letter, const std::string& arg, bool substring) {
        auto n = std::make_unique<PatternNode>();
        n->kind = PatternNode::Kind::Field;
        n->letter = letter;
        n->substring = substring;
        n->icase = !has_upper(arg);
        n->text = n->icase ? to_lower(arg) : arg;
        // a regular expression without special characters is a substring: a
        // plain search is many times faster than regexec
        if (arg.find_first_of(".[]()*+?{}|^$\\") == std::string::npos) n->substring = true;
        if (!n->substring) {
            std::string error;
            n->regex = std::make_unique<Regex>(arg, n->icase, error);
            if (!n->regex->ok()) fail("bad regular expression '" + arg + "': " + error);
        }
        return n;
    }

    std::unique_ptr<PatternNode> parse_term() {
        const bool substring = s_[pos_] == '=';
        const char letter = s_[pos_ + 1];
        pos_ += 2;
        static constexpr std::string_view kFields = "ftcCseixhbB";
        static constexpr std::string_view kFlags = "NOURFDTPQAlu";
        if (kFields.find(letter) != std::string_view::npos) return field(letter, argument(), substring);
        if (substring) fail("'=" + std::string(1, letter) + "' is not a pattern (= works with f t c C s e i x h b B)");
        if (kFlags.find(letter) != std::string_view::npos) {
            auto n = std::make_unique<PatternNode>();
            n->kind = PatternNode::Kind::Flag;
            n->letter = letter;
            return n;
        }
        if (letter == 'd') return date_range(argument());
        if (letter == 'z') return size_range(argument());
        --pos_;
        fail("unknown pattern '~" + std::string(1, letter) +
             "' (valid: ~f ~t ~c ~C ~s ~e ~i ~x ~h ~b ~B ~N ~O ~U ~R ~F ~D ~T ~P ~Q ~A ~d ~z)");
    }

    // 1K, 2M, 300
    std::int64_t size_value(std::string_view v) {
        std::int64_t mult = 1;
        if (!v.empty() && (v.back() == 'K' || v.back() == 'k')) mult = 1024, v.remove_suffix(1);
        else if (!v.empty() && (v.back() == 'M' || v.back() == 'm')) mult = 1024 * 1024, v.remove_suffix(1);
        double n = 0;
        const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
        if (v.empty() || r.ec != std::errc() || r.ptr != v.data() + v.size()) fail("bad size '" + std::string(v) + "' (e.g. 10K, 2M)");
        return static_cast<std::int64_t>(n * static_cast<double>(mult));
    }

    std::unique_ptr<PatternNode> size_range(const std::string& arg) {
        auto n = std::make_unique<PatternNode>();
        n->kind = PatternNode::Kind::SizeRange;
        if (arg.empty()) fail("~z needs a size");
        if (arg[0] == '<') n->max = size_value(std::string_view(arg).substr(1)) - 1;
        else if (arg[0] == '>') n->min = size_value(std::string_view(arg).substr(1)) + 1;
        else if (const auto dash = arg.find('-'); dash != std::string::npos) {
            if (dash > 0) n->min = size_value(std::string_view(arg).substr(0, dash));
            if (dash + 1 < arg.size()) n->max = size_value(std::string_view(arg).substr(dash + 1));
        } else {
            n->min = n->max = size_value(arg);
        }
        return n;
    }

    // 3d, 2w, 1m, 1y, 5H, 10M, 30S
    std::int64_t span_seconds(std::string_view v) {
        if (v.size() < 2) fail("bad relative date '" + std::string(v) + "' (e.g. 3d, 2w, 1m, 1y)");
        const char unit = v.back();
        int n = 0;
        const auto r = std::from_chars(v.data(), v.data() + v.size() - 1, n);
        if (r.ec != std::errc() || r.ptr != v.data() + v.size() - 1) fail("bad relative date '" + std::string(v) + "'");
        const std::int64_t k = unit == 'd' ? 86400 : unit == 'w' ? 7 * 86400 : unit == 'm' ? 30 * 86400 : unit == 'y' ? 365 * 86400
                             : unit == 'H' ? 3600 : unit == 'M' ? 60 : unit == 'S' ? 1 : -1;
        if (k < 0) fail("bad unit in '" + std::string(v) + "' (valid: d w m y H M S)");
        return n * k;
    }

    // dd[/mm[/[yy]yy]]: missing parts from today; the start of that day (UTC).
    std::int64_t absolute_day(std::string_view v) {
        const CivilDate today = civil_from_days(now_ / 86400);
        const auto parts = split(v, '/');
        int day = 0, month = today.month;
        std::int64_t year = today.year;
        auto num = [&](const std::string& p) {
            int x = 0;
            const auto r = std::from_chars(p.data(), p.data() + p.size(), x);
            if (p.empty() || r.ec != std::errc() || r.ptr != p.data() + p.size()) fail("bad date '" + std::string(v) + "' (e.g. 15/03/2026)");
            return x;
        };
        if (parts.size() > 3) fail("bad date '" + std::string(v) + "' (e.g. 15/03/2026)");
        day = num(parts[0]);
        if (parts.size() > 1) month = num(parts[1]);
        if (parts.size() > 2) {
            year = num(parts[2]);
            if (year < 100) year += year < 70 ? 2000 : 1900;
        }
        if (day < 1 || day > 31 || month < 1 || month > 12) fail("bad date '" + std::string(v) + "'");
        return days_from_civil(static_cast<int>(year), month, day) * 86400;
    }

    std::unique_ptr<PatternNode> date_range(const std::string& arg) {
        auto n = std::make_unique<PatternNode>();
        n->kind = PatternNode::Kind::DateRange;
        if (arg.empty()) fail("~d needs a date");
        const std::string_view a = arg;
        if (a[0] == '<') {  // newer than
            n->min = now_ - span_seconds(a.substr(1));
        } else if (a[0] == '>') {  // older than
            n->max = now_ - span_seconds(a.substr(1));
        } else if (a[0] == '=') {  // exactly that many units ago (that day)
            const std::int64_t day = (now_ - span_seconds(a.substr(1))) / 86400 * 86400;
            n->min = day;
            n->max = day + 86399;
        } else if (const auto dash = a.find('-'); dash != std::string_view::npos) {
            if (dash > 0) n->min = absolute_day(a.substr(0, dash));
            if (dash + 1 < a.size()) n->max = absolute_day(a.substr(dash + 1)) + 86399;
        } else {
            n->min = absolute_day(a);
            n->max = n->min + 86399;
        }
        return n;
    }

    std::string_view s_;
    std::int64_t now_;
    std::size_t pos_ = 0;
};

// ASCII case folding of one byte (the bytes of other UTF-8 letters stay as they are)
constexpr unsigned char fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c; }

// Whether `value` holds `lower` (lower case) ignoring case: the first byte
// found by comparing two values, the rest folded; a limit over a million
// rows runs this twice a row.
bool contains_folded(std::string_view value, std::string_view lower) {
    if (lower.empty()) return true;
    if (value.size() < lower.size()) return false;
    const unsigned char first = static_cast<unsigned char>(lower[0]);
    const unsigned char first_upper = first >= 'a' && first <= 'z' ? static_cast<unsigned char>(first - 32) : first;
    const std::size_t last = value.size() - lower.size();
    for (std::size_t i = 0; i <= last; ++i) {
        const unsigned char c = static_cast<unsigned char>(value[i]);
        if (c != first && c != first_upper) continue;
        std::size_t k = 1;
        while (k < lower.size() && fold(static_cast<unsigned char>(value[i + k])) == static_cast<unsigned char>(lower[k])) ++k;
        if (k == lower.size()) return true;
    }
    return false;
}

bool text_matches(const PatternNode& n, std::string_view value) {
    if (!n.substring) return n.regex->search(value);
    if (!n.icase) return value.find(n.text) != std::string_view::npos;
    return contains_folded(value, n.text);  // n.text is lower case already
}

std::string from_text(const MessageRow& r) {
    if (r.from_name().empty()) return std::string(r.from_addr());
    std::string s;
    s.reserve(r.from_name().size() + r.from_addr().size() + 3);
    return s.append(r.from_name()).append(" <").append(r.from_addr()).append(">");
}

bool from_me(const MessageRow& r, const MatchContext& ctx) { return ctx.my_addresses.contains(r.from_addr()); }

// ~l / ~u: an address in To or Cc is one of the lists (mutt's lists / subscribe)
bool to_a_list(const MessageRow& r, const AddressSet& lists) {
    if (lists.empty()) return false;
    for (const auto field : {r.to(), r.cc()})
        for (const auto& a : parse_address_list(field))
            if (lists.contains(a.email)) return true;
    return false;
}

// For each ~h ~b ~B term the full-text index could answer: the ids of the
// messages that may match (they hold its required text), and of those that
// surely do (they hold the whole pattern, read as text), whose text need
// not be read and checked.
struct TextHits {
    std::unordered_set<std::int64_t> candidates, sure;
};
using BodyHitMap = std::unordered_map<const PatternNode*, TextHits>;

bool eval(const PatternNode& n, const MessageRow& r, const MatchContext& ctx, const BodyHitMap& hits) {
    using K = PatternNode::Kind;
    switch (n.kind) {
    case K::And:
        for (const auto& c : n.children)
            if (!eval(*c, r, ctx, hits)) return false;
        return true;
    case K::Or:
        for (const auto& c : n.children)
            if (eval(*c, r, ctx, hits)) return true;
        return false;
    case K::Not:
        return !eval(*n.children.front(), r, ctx, hits);
    case K::Field:
        switch (n.letter) {
        case 'f':
            // plain text without a space or angle bracket cannot span "Name <addr>": no string to build per row
            if (n.substring && n.text.find_first_of(" <>") == std::string::npos)
                return text_matches(n, r.from_name()) || text_matches(n, r.from_addr());
            return text_matches(n, from_text(r));
        case 't': return text_matches(n, r.to());
        case 'c': return text_matches(n, r.cc());
        case 'C': return text_matches(n, r.to()) || text_matches(n, r.cc());
        case 's': return text_matches(n, r.subject());
        case 'e': return text_matches(n, from_text(r));  // Sender is not indexed: the author stands in
        case 'i': return text_matches(n, r.message_id());
        case 'x': return text_matches(n, std::string(r.references()) + " " + std::string(r.in_reply_to()));
        case 'h':
        case 'b':
        case 'B':
            if (const auto found = hits.find(&n); found != hits.end()) {
                if (!found->second.candidates.contains(r.id)) return false;
                if (n.substring && n.icase) return true;  // the index answered exactly
                if (found->second.sure.contains(r.id)) return true;
            }
            if (!ctx.message_text) return false;
            return text_matches(n, ctx.message_text(r, n.letter));
        default: return false;
        }
    case K::Flag:
        switch (n.letter) {
        case 'N': return !r.flags.has(Flags::Seen) && r.in_new;
        case 'O': return !r.flags.has(Flags::Seen) && r.in_cur;
        case 'U': return !r.flags.has(Flags::Seen);
        case 'R': return r.flags.has(Flags::Seen);
        case 'F': return r.flags.has(Flags::Flagged);
        case 'D': return r.flags.has(Flags::Trashed);
        case 'Q': return r.flags.has(Flags::Replied);
        case 'P': return from_me(r, ctx);
        case 'l': return to_a_list(r, ctx.lists);
        case 'u': return to_a_list(r, ctx.subscribed);
        case 'T': return ctx.is_tagged;
        case 'A': return true;
        default: return false;
        }
    case K::DateRange:
        return r.date >= n.min && r.date <= n.max;
    case K::SizeRange:
        return r.size >= n.min && r.size <= n.max;
    }
    return false;
}

}  // namespace

bool Pattern::uses_message_text() const { return root_ && node_uses_text(*root_); }

Pattern parse_pattern(std::string_view text, std::int64_t now) { return Pattern(Parser(text, now).parse()); }

struct PatternMatcher::BodyHits {
    BodyHitMap map;
};

namespace {

// The longest run of characters that any text matching a POSIX extended
// regular expression must contain; a ~b regex is looked up in the index by
// it, then checked on the candidates' text. Conservative: nothing under an
// alternation, inside a group or a bracket, or made optional by a quantifier.
std::string required_literal(std::string_view re) {
    if (re.find('|') != std::string_view::npos) return "";
    std::string best, run;
    int depth = 0;
    auto flush = [&] {
        if (depth == 0 && run.size() > best.size()) best = run;
        run.clear();
    };
    for (std::size_t i = 0; i < re.size(); ++i) {
        const char c = re[i];
        if (c == '[') {  // a bracket expression: skip it, ']' first is a member
            flush();
            std::size_t j = i + 1;
            if (j < re.size() && re[j] == '^') ++j;
            if (j < re.size() && re[j] == ']') ++j;
            while (j < re.size() && re[j] != ']') ++j;
            i = j;
        } else if (c == '*' || c == '?' || c == '{') {  // the character before may be absent
            while (!run.empty() && (static_cast<unsigned char>(run.back()) & 0xC0) == 0x80) run.pop_back();
            if (!run.empty()) run.pop_back();
            flush();
            if (c == '{') i = std::min(re.find('}', i), re.size());
        } else if (c == '(' || c == ')') {
            flush();
            depth += c == '(' ? 1 : -1;
        } else if (c == '\\' || c == '.' || c == '^' || c == '$' || c == '+') {
            flush();  // after '+' the run cannot continue: the character repeats
            if (c == '\\') ++i;
        } else {
            run += c;
        }
    }
    flush();
    return best;
}

// Whether every text that holds `re` itself, as plain text, matches `re`
// (ignoring case): true when its only special characters are dots, which
// match themselves too ("example.org", the usual ~b of a domain). ASCII only:
// the index and regcomp might fold other letters' case differently.
bool matches_itself(std::string_view re) {
    for (const char c : re)
        if ((static_cast<unsigned char>(c) & 0x80) || std::string_view("[]()*+?{}|^$\\").find(c) != std::string_view::npos) return false;
    return true;
}

void collect_text_hits(const PatternNode& n, const MatchContext& ctx, BodyHitMap& out) {
    for (const auto& c : n.children) collect_text_hits(*c, ctx, out);
    if (!is_text_field(n)) return;
    const std::string literal = n.substring ? n.text : required_literal(n.text);
    if (literal.size() < 3) return;
    auto ids = ctx.search_text(to_lower(literal), n.letter);
    if (!ids) return;
    TextHits& hits = out[&n];
    hits.candidates.insert(ids->begin(), ids->end());
    if (!n.substring && n.icase && n.text != literal && matches_itself(n.text))
        if (auto sure = ctx.search_text(n.text, n.letter)) hits.sure.insert(sure->begin(), sure->end());
}

}  // namespace

PatternMatcher::PatternMatcher(const Pattern& pattern, const MatchContext& ctx)
    : pattern_(pattern), ctx_(ctx), hits_(std::make_unique<BodyHits>()) {
    if (ctx.search_text && pattern.uses_message_text()) collect_text_hits(pattern.root(), ctx, hits_->map);
}

PatternMatcher::~PatternMatcher() = default;

bool PatternMatcher::matches(const MessageRow& row) const { return eval(pattern_.root(), row, ctx_, hits_->map); }

bool pattern_matches(const Pattern& p, const MessageRow& row, const MatchContext& ctx) { return PatternMatcher(p, ctx).matches(row); }

}  // namespace tern
