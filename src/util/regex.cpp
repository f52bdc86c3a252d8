#include "util/regex.hpp"

#include <array>
#include <utility>

namespace tern {

Regex::Regex(const std::string& text, bool icase, std::string& error) {
    const int rc = ::regcomp(&re_, text.c_str(), REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0));
    if (rc != 0) {
        std::array<char, 200> buf{};
        ::regerror(rc, &re_, buf.data(), buf.size());
        error = buf.data();
        return;
    }
    ok_ = true;
}

Regex::~Regex() {
    if (ok_) ::regfree(&re_);
}

Regex::Regex(Regex&& other) noexcept : re_(other.re_), ok_(std::exchange(other.ok_, false)) {}

Regex& Regex::operator=(Regex&& other) noexcept {
    if (this != &other) {
        if (ok_) ::regfree(&re_);
        re_ = other.re_;
        ok_ = std::exchange(other.ok_, false);
    }
    return *this;
}

bool Regex::search(std::string_view s) const {
    if (!ok_) return false;
    regmatch_t range{};
    range.rm_so = 0;
    range.rm_eo = static_cast<regoff_t>(s.size());
    return ::regexec(&re_, s.data(), 1, &range, REG_STARTEND) == 0;
}

std::string regex_problem(const std::string& text) {
    std::string error;
    Regex r(text, true, error);
    return error;
}

}  // namespace tern
