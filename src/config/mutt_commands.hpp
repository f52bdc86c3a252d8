// The muttrc commands beyond set, bind, macro, color and source: the hooks,
// my_hdr, alternates, lists and subscribe, ignore and hdr_order, mailboxes,
// auto_view and mime_lookup, each with its un- command. They change the
// Config the way mutt's do, so a hook's command undoes what another set.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/lexer.hpp"

namespace tern {

// Every command this file reads ("folder-hook", "my_hdr", "unmy_hdr", ...).
std::span<const std::string_view> mutt_command_names();
bool is_mutt_command(std::string_view word);

// Applies one such line (words[0] is its command) to `config`. Mistakes are
// appended to `errors` as "WHERE: what is wrong".
void apply_mutt_command(const std::vector<Word>& words, const std::string& where, Config& config,
                        std::vector<std::string>& errors);

// A hook's message pattern as mutt reads it: "." is every message, a bare
// regular expression (no '~', '=' or '%') is "~f RE !~P | (~P ~C RE)".
std::string expand_hook_pattern(std::string_view pattern);

// mutt writes folders as "=name" or "+name" (under $folder): the name alone.
std::string folder_shortcut(std::string_view name);

}  // namespace tern
