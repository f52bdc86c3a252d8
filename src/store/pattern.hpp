// mutt's pattern language for limit, search and tagging: ~f ~t ~c ~C ~s ~e
// ~i ~x ~h ~b ~B ~N ~O ~U ~R ~F ~D ~T ~P ~Q ~d ~z, '=' for substrings
// instead of regular expressions, '!' '|' '(' ')', juxtaposition as "and",
// and a plain word as "~f word | ~s word". Regular expressions are POSIX
// extended; they ignore case unless they contain an upper-case letter, as
// mutt's smart case does. Parsing is pure; matching takes a context.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/index_db.hpp"

namespace tern {

struct PatternNode;

class Pattern {
public:
    Pattern();
    ~Pattern();
    Pattern(Pattern&&) noexcept;
    Pattern& operator=(Pattern&&) noexcept;
    const PatternNode& root() const { return *root_; }
    bool uses_body() const;  // ~b or ~B: the caller must supply message text
    explicit Pattern(std::unique_ptr<PatternNode> root);

private:
    std::unique_ptr<PatternNode> root_;
};

struct PatternError {
    std::size_t position;  // byte offset in the pattern
    std::string message;
};

// Parses a pattern; `now` (epoch seconds) anchors relative dates like <3d.
// Throws Failure(Usage) with "pattern: ... at column N" on a mistake.
Pattern parse_pattern(std::string_view text, std::int64_t now);

struct MatchContext {
    std::vector<std::string> my_addresses;  // for ~P
    // Text of the message read on demand: 'h' its header block (~h), 'b' its
    // decoded body text (~b), 'B' all of it (~B).
    std::function<std::string(const MessageRow&, char part)> message_text;
    bool is_tagged = false;
};

bool pattern_matches(const Pattern& p, const MessageRow& row, const MatchContext& ctx);

}  // namespace tern
