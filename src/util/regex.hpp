// A compiled POSIX extended regular expression (mutt's kind), freed once.
// It moves but does not copy: regex_t owns memory that regfree releases.
#pragma once

#include <regex.h>

#include <string>
#include <string_view>

namespace tern {

class Regex {
public:
    // On a bad expression ok() is false and `error` says why.
    Regex(const std::string& text, bool icase, std::string& error);
    ~Regex();
    Regex(Regex&& other) noexcept;
    Regex& operator=(Regex&& other) noexcept;
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;
    bool ok() const { return ok_; }
    // Whether the expression matches anywhere in `s`. REG_STARTEND (glibc,
    // BSD) bounds the text by its length, so a view needs no copy; a NUL must
    // still follow somewhere in its buffer, as AddressSanitizer's regexec
    // reads to one.
    bool search(std::string_view s) const;

private:
    regex_t re_{};
    bool ok_ = false;
};

// "" when `text` compiles, else what is wrong with it.
std::string regex_problem(const std::string& text);

}  // namespace tern
