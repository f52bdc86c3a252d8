// Splits one config line into words: "double quotes" (with \ escapes and
// $VAR expansion), 'single quotes' (literal), # comments, and '=' as a word
// of its own. Pure: the environment is passed in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/paths.hpp"

namespace tern {

struct Word {
    std::string text;
    bool quoted = false;  // any part was quoted: never a keyword or '=' / '{' / '}'
    bool is(std::string_view s) const { return !quoted && text == s; }
};

// Throws std::invalid_argument with a message (no file:line; the parser adds it)
// on an unterminated quote or an unset variable. `equals_is_word`: '=' ends a
// word and is one of its own (set and account lines); off, it is an ordinary
// character (mutt's `save-hook . =Archive`, a macro's `<save-message>=Archive`).
std::vector<Word> lex_config_line(std::string_view line, const EnvLookup& env, bool equals_is_word = true);

// A value written so that lex_config_line reads it back as one word: in
// double quotes (with \ before " \ and $) when it holds a blank or a
// character the lexer gives a meaning, or always with `always_quote`.
std::string config_word(std::string_view value, bool always_quote = false);

// mutt's "cmd1; cmd2" on one line: the commands, split at each ';' outside
// quotes (and not escaped as \;). A line without one gives itself.
std::vector<std::string> split_config_commands(std::string_view line);

}  // namespace tern
