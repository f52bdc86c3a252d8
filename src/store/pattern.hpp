// mutt's pattern language for limit, search and tagging: ~f ~t ~c ~C ~s ~e
// ~i ~x ~h ~b ~B ~N ~O ~U ~R ~F ~D ~T ~P ~Q ~l ~u ~d ~z, '=' for substrings
// instead of regular expressions, '!' '|' '(' ')', juxtaposition as "and",
// and a plain word as "~f word | ~s word". Regular expressions are POSIX
// extended; they ignore case unless they contain an upper-case letter, as
// mutt's smart case does. Parsing is pure; matching takes a context.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/address.hpp"
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
    bool uses_message_text() const;  // ~h, ~b or ~B: the caller must supply message text
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
    AddressSet my_addresses;  // for ~P
    AddressSet lists, subscribed;  // for ~l and ~u (mutt's lists and subscribe)
    // Text of the message read on demand, decoded as mutt's thorough_search
    // does: 'h' its header lines (~h), 'b' its body text (~b), 'B' both (~B).
    std::function<std::string(const MessageRow&, char part)> message_text;
    // Ids of the messages whose part ('h', 'b' or 'B', as above) contains a
    // literal, ignoring case, from a full-text index (IndexDb); nullopt when
    // the index cannot answer. Each ~h ~b ~B term asks it once per pass;
    // message text is read only to check case or a regular expression.
    std::function<std::optional<std::vector<std::int64_t>>(std::string_view literal, char part)> search_text;
    bool is_tagged = false;
};

// A pattern and its context for one pass over a folder: what the full-text
// index answers is asked once here, not once per message.
class PatternMatcher {
public:
    PatternMatcher(const Pattern& pattern, const MatchContext& ctx);
    ~PatternMatcher();
    PatternMatcher(const PatternMatcher&) = delete;
    PatternMatcher& operator=(const PatternMatcher&) = delete;
    bool matches(const MessageRow& row) const;

private:
    struct BodyHits;
    const Pattern& pattern_;
    const MatchContext& ctx_;
    std::unique_ptr<BodyHits> hits_;
};

bool pattern_matches(const Pattern& p, const MessageRow& row, const MatchContext& ctx);

}  // namespace tern
