#include "util/netrc.hpp"

namespace tern {
namespace {

class Tokens {
public:
    explicit Tokens(std::string_view t) : text_(t) {}

    std::optional<std::string> next() {
        skip_space();
        if (pos_ >= text_.size()) return std::nullopt;
        std::string tok;
        if (text_[pos_] == '"') {
            for (++pos_; pos_ < text_.size() && text_[pos_] != '"'; ++pos_) {
                if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
                tok += text_[pos_];
            }
            ++pos_;
            return tok;
        }
        while (pos_ < text_.size() && !is_space(text_[pos_])) tok += text_[pos_++];
        return tok;
    }

    // A macdef body runs to the first empty line.
    void skip_macro() {
        const auto end = text_.find("\n\n", pos_);
        pos_ = end == std::string_view::npos ? text_.size() : end + 2;
    }

private:
    static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    void skip_space() {
        while (pos_ < text_.size()) {
            if (is_space(text_[pos_])) {
                ++pos_;
            } else if (text_[pos_] == '#') {
                while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
            } else {
                break;
            }
        }
    }
    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

std::vector<NetrcEntry> parse_netrc(std::string_view text) {
    std::vector<NetrcEntry> entries;
    Tokens tokens(text);
    NetrcEntry* current = nullptr;
    while (auto tok = tokens.next()) {
        if (*tok == "machine") {
            entries.push_back({tokens.next().value_or(""), "", Secret()});
            current = &entries.back();
        } else if (*tok == "default") {
            entries.push_back({"", "", Secret()});
            current = &entries.back();
        } else if (*tok == "login" && current) {
            current->login = tokens.next().value_or("");
        } else if (*tok == "password" && current) {
            current->password = Secret(tokens.next().value_or(""));
        } else if (*tok == "account" && current) {
            tokens.next();
        } else if (*tok == "macdef") {
            tokens.next();
            tokens.skip_macro();
        }
    }
    return entries;
}

std::optional<NetrcEntry> find_netrc_entry(const std::vector<NetrcEntry>& entries, std::string_view host,
                                           std::string_view login) {
    const NetrcEntry* fallback = nullptr;
    for (const auto& e : entries) {
        if (e.machine.empty()) {
            if (!fallback && (login.empty() || e.login.empty() || e.login == login)) fallback = &e;
            continue;
        }
        if (e.machine == host && (login.empty() || e.login.empty() || e.login == login)) return e;
    }
    if (fallback) return *fallback;
    return std::nullopt;
}

}  // namespace tern
