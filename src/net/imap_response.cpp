#include "net/imap_response.hpp"

#include <charconv>

#include "util/strings.hpp"

namespace tern {

bool ImapValue::is_atom(std::string_view name) const { return kind == Kind::Atom && iequals(text, name); }

bool ImapResponse::is_status() const {
    return name == "OK" || name == "NO" || name == "BAD" || name == "BYE" || name == "PREAUTH";
}

const std::string* FetchData::section(std::string_view name) const {
    for (const auto& [key, value] : sections)
        if (iequals(key, name)) return &value;
    return nullptr;
}

namespace {

[[noreturn]] void fail(const std::string& what) { throw ImapProtocolError{what}; }

// The length of a literal announced at the end of a line ("... {123}" or
// "{123+}" or "~{123}"), or nothing.
std::optional<std::uint64_t> literal_at_end(std::string_view line) {
    if (line.empty() || line.back() != '}') return std::nullopt;
    const auto open = line.rfind('{');
    if (open == std::string_view::npos) return std::nullopt;
    std::string_view digits = line.substr(open + 1, line.size() - open - 2);
    if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
    std::uint64_t n = 0;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
    return n;
}

class Parser {
public:
    explicit Parser(std::string_view s) : s_(s) {}

    ImapResponse response() {
        ImapResponse r;
        if (s_.starts_with("+")) {
            r.kind = ImapResponse::Kind::Continuation;
            pos_ = 1;
            if (peek() == ' ') ++pos_;
            r.text = std::string(rest());
            return r;
        }
        if (s_.starts_with("* ")) {
            r.kind = ImapResponse::Kind::Untagged;
            pos_ = 2;
            const std::string first = token();
            if (!first.empty() && first.find_first_not_of("0123456789") == std::string::npos) {
                r.number = to_number(first);
                expect(' ');
                r.name = to_upper(token());
            } else {
                r.name = to_upper(first);
            }
        } else {
            r.kind = ImapResponse::Kind::Tagged;
            r.tag = token();
            if (r.tag.empty()) fail("a response without a tag");
            expect(' ');
            r.name = to_upper(token());
            if (!r.is_status()) fail("tagged response '" + r.name + "' is not OK, NO or BAD");
        }
        if (r.name.empty()) fail("a response without a name");
        if (r.is_status()) {
            status_rest(r);
        } else {
            while (skip_space()) r.data.push_back(value(0));
        }
        return r;
    }

private:
    static constexpr int kMaxDepth = 64;

    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    bool at_end() const { return pos_ >= s_.size(); }
    std::string_view rest() const { return s_.substr(std::min(pos_, s_.size())); }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "' at byte " + std::to_string(pos_));
        ++pos_;
    }
    // Skips one space; false at the end.
    bool skip_space() {
        if (at_end()) return false;
        if (peek() == ' ') ++pos_;
        return !at_end();
    }

    static std::uint64_t to_number(std::string_view digits) {
        std::uint64_t n = 0;
        const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) fail("number out of range: " + std::string(digits));
        return n;
    }
    static std::string to_upper(std::string s) {
        for (char& c : s)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        return s;
    }

    // An atom-like token: up to a space, a paren, a quote or ']', with a
    // bracketed part ("BODY[HEADER.FIELDS (FROM)]") taken whole.
    std::string token() {
        const std::size_t start = pos_;
        int brackets = 0;
        while (!at_end()) {
            const char c = s_[pos_];
            if (c == '[') ++brackets;
            else if (c == ']') {
                if (brackets == 0) break;
                --brackets;
            } else if (brackets == 0 && (c == ' ' || c == '(' || c == ')' || c == '"' || c == '\r' || c == '\n')) {
                break;
            }
            ++pos_;
        }
        if (brackets > 0) fail("unclosed '[' in " + std::string(s_.substr(start, pos_ - start)));
        return std::string(s_.substr(start, pos_ - start));
    }

    ImapValue value(int depth) {
        if (depth > kMaxDepth) fail("lists nested too deep");
        ImapValue v;
        const char c = peek();
        if (c == '(') {
            ++pos_;
            v.kind = ImapValue::Kind::List;
            while (peek() != ')') {
                if (at_end()) fail("unclosed '('");
                v.items.push_back(value(depth + 1));
                if (peek() == ' ') ++pos_;
            }
            ++pos_;
            return v;
        }
        if (c == '"') return quoted();
        if (c == '{' || (c == '~' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '{')) return literal();
        const std::string t = token();
        if (t.empty()) fail("unexpected '" + std::string(1, c) + "' at byte " + std::to_string(pos_));
        if (iequals(t, "NIL")) return v;
        if (t.find_first_not_of("0123456789") == std::string::npos) {
            v.kind = ImapValue::Kind::Number;
            v.number = to_number(t);
            return v;
        }
        v.kind = ImapValue::Kind::Atom;
        v.text = t;
        return v;
    }

    ImapValue quoted() {
        ++pos_;
        ImapValue v;
        v.kind = ImapValue::Kind::String;
        for (;;) {
            if (at_end()) fail("unterminated quoted string");
            char c = s_[pos_++];
            if (c == '"') return v;
            if (c == '\\') {
                if (at_end()) fail("unterminated quoted string");
                c = s_[pos_++];
            }
            v.text += c;
        }
    }

    ImapValue literal() {
        if (peek() == '~') ++pos_;
        const auto close = s_.find('}', pos_);
        if (close == std::string_view::npos) fail("unterminated literal length");
        std::string_view digits = s_.substr(pos_ + 1, close - pos_ - 1);
        if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) fail("bad literal length");
        const std::uint64_t n = to_number(digits);
        pos_ = close + 1;
        if (peek() == '\r') ++pos_;
        expect('\n');
        if (n > s_.size() - pos_) fail("literal of " + std::to_string(n) + " bytes is cut short");
        ImapValue v;
        v.kind = ImapValue::Kind::String;
        v.text = std::string(s_.substr(pos_, n));
        pos_ += n;
        return v;
    }

    // "[CODE args] text" after OK/NO/BAD/BYE/PREAUTH
    void status_rest(ImapResponse& r) {
        if (peek() == ' ') ++pos_;
        if (peek() == '[') {
            ++pos_;
            r.code = to_upper(token());
            while (peek() == ' ') {
                ++pos_;
                if (peek() == ']') break;
                r.code_data.push_back(value(0));
            }
            expect(']');
            if (peek() == ' ') ++pos_;
        }
        r.text = std::string(rest());
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace

ImapResponse parse_response(std::string_view bytes) {
    if (bytes.ends_with("\n")) bytes.remove_suffix(1);
    if (bytes.ends_with("\r")) bytes.remove_suffix(1);
    return Parser(bytes).response();
}

std::optional<std::string> ResponseReader::next() {
    for (;;) {
        const auto nl = buffer_.find('\n', scan_);
        if (nl == std::string::npos) return std::nullopt;
        std::string_view line(buffer_.data() + scan_, nl - scan_);
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (const auto n = literal_at_end(line)) {
            if (*n > kMaxLiteral) throw ImapProtocolError{"the server announced a literal of " + std::to_string(*n) + " bytes"};
            if (buffer_.size() - (nl + 1) < *n) return std::nullopt;  // the literal is still arriving
            scan_ = nl + 1 + static_cast<std::size_t>(*n);
            continue;
        }
        std::string response = buffer_.substr(start_, nl + 1 - start_);
        start_ = scan_ = nl + 1;
        if (start_ > (1 << 16) && start_ * 2 > buffer_.size()) {  // drop what was handed out
            buffer_.erase(0, start_);
            start_ = scan_ = 0;
        }
        return response;
    }
}

FetchData parse_fetch(const ImapResponse& r) {
    if (r.name != "FETCH" || !r.number || r.data.size() != 1 || r.data[0].kind != ImapValue::Kind::List)
        throw ImapProtocolError{"not a FETCH response"};
    FetchData f;
    f.sequence = *r.number;
    const auto& items = r.data[0].items;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
        const ImapValue& name = items[i];
        const ImapValue& v = items[i + 1];
        if (name.kind != ImapValue::Kind::Atom) throw ImapProtocolError{"FETCH item without a name"};
        if (name.is_atom("UID") && v.kind == ImapValue::Kind::Number) {
            if (v.number == 0 || v.number > UINT32_MAX) throw ImapProtocolError{"UID out of range"};
            f.uid = static_cast<std::uint32_t>(v.number);
        } else if (name.is_atom("FLAGS") && v.kind == ImapValue::Kind::List) {
            std::vector<std::string> flags;
            for (const auto& flag : v.items) flags.push_back(flag.text);
            f.flags = std::move(flags);
        } else if (name.is_atom("RFC822.SIZE") && v.kind == ImapValue::Kind::Number) {
            f.size = v.number;
        } else if (name.is_atom("INTERNALDATE") && v.kind == ImapValue::Kind::String) {
            f.internal_date = v.text;
        } else if (name.is_atom("MODSEQ") && v.kind == ImapValue::Kind::List && !v.items.empty()) {
            f.modseq = v.items[0].number;
        } else if (name.is_atom("ENVELOPE")) {
            f.envelope = v;
        } else if (name.is_atom("BODYSTRUCTURE") || name.is_atom("BODY")) {
            f.body_structure = v;
        } else {
            std::string section = name.text;
            const auto bracket = section.find('[');
            if (bracket == std::string::npos) continue;  // an item tern does not ask for
            const auto origin = section.rfind('<');  // BODY[]<0>: a partial fetch
            if (origin != std::string::npos && origin > section.rfind(']') && section.back() == '>') section.erase(origin);
            for (char& c : section)
                if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
            f.sections.emplace_back(std::move(section), v.kind == ImapValue::Kind::Nil ? std::string() : v.text);
        }
    }
    return f;
}

}  // namespace tern
