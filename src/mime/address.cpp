#include "mime/address.hpp"

#include "mime/encoded_words.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

std::string collapse_blanks(std::string_view s) {
    std::string out;
    bool blank = false;
    for (const char c : trim(s)) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            blank = true;
            continue;
        }
        if (blank && !out.empty()) out += ' ';
        blank = false;
        out += c;
    }
    return out;
}

struct Pending {
    std::string phrase, angle, comment;
    bool has_angle = false;
    void clear() { *this = Pending(); }
};

}  // namespace

std::vector<Address> parse_address_list(std::string_view s) {
    std::vector<Address> out;
    Pending cur;
    auto finish = [&] {
        Address a;
        if (cur.has_angle) {
            std::string addr = collapse_blanks(cur.angle);
            if (addr.size() > 1 && addr[0] == '@') {  // obsolete source route: <@a,@b:user@host>
                const auto colon = addr.find(':');
                addr = colon == std::string::npos ? "" : addr.substr(colon + 1);
            }
            a.email = addr;
            a.name = decode_header_text(collapse_blanks(cur.phrase));
            if (a.name.empty()) a.name = decode_header_text(collapse_blanks(cur.comment));
        } else {
            std::string addr;
            for (const char c : cur.phrase)
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') addr += c;
            a.email = addr;
            a.name = decode_header_text(collapse_blanks(cur.comment));
        }
        if (!a.email.empty() || !a.name.empty()) out.push_back(std::move(a));
        cur.clear();
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"') {
            std::string q;
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                q += s[i];
            }
            if (!cur.phrase.empty() && cur.phrase.back() != ' ') cur.phrase += ' ';
            cur.phrase += q;
        } else if (c == '(') {
            int depth = 1;
            std::string comment;
            for (++i; i < s.size() && depth > 0; ++i) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    comment += s[++i];
                    continue;
                }
                if (s[i] == '(') ++depth;
                if (s[i] == ')' && --depth == 0) break;
                comment += s[i];
            }
            if (cur.comment.empty()) cur.comment = comment;
            cur.phrase += ' ';
        } else if (c == '<') {
            const auto close = s.find('>', i);
            cur.angle = std::string(s.substr(i + 1, close == std::string_view::npos ? s.npos : close - i - 1));
            cur.has_angle = true;
            if (close == std::string_view::npos) break;
            i = close;
        } else if (c == ':' && !cur.has_angle && cur.phrase.find('@') == std::string::npos) {
            cur.clear();  // "group name:" starts a group; the name is not an address
        } else if (c == ';' || c == ',') {
            finish();
        } else {
            cur.phrase += c;
        }
    }
    finish();
    return out;
}

std::string format_address(const Address& a) {
    if (a.name.empty()) return a.email;
    if (a.email.empty()) return a.name;
    const bool needs_quotes = a.name.find_first_of(",;:<>@\"()[]\\") != std::string::npos;
    std::string name = a.name;
    if (needs_quotes) {
        std::string q = "\"";
        for (const char c : name) {
            if (c == '"' || c == '\\') q += '\\';
            q += c;
        }
        name = q + "\"";
    }
    return name + " <" + a.email + ">";
}

AddressSet::AddressSet(std::vector<std::string> emails, const std::vector<std::string>& patterns) {
    for (auto& e : emails) add(e);
    for (const auto& p : patterns) {
        std::string error;
        auto re = std::make_shared<const Regex>(p, true, error);
        if (re->ok()) patterns_.push_back(std::move(re));
    }
}

void AddressSet::add(const std::string& email) {
    if (email.empty() || contains(email)) return;
    emails_.push_back(email);
}

bool AddressSet::contains(std::string_view email) const {
    if (email.empty()) return false;
    for (const auto& e : emails_)
        if (iequals(e, email)) return true;
    if (patterns_.empty()) return false;  // (~P runs this for every row of a folder)
    const std::string text(email);  // regexec reads to a NUL
    for (const auto& p : patterns_)
        if (p->search(text)) return true;
    return false;
}

}  // namespace tern
