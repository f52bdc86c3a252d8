// Changing one account block of a config file in place (tern check --trust
// writes pinned_key there): pure text in, text out, everything else in the
// file kept as it was.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern {

// Sets `key = value` lines in the account block that starts on line
// `block_line` (1-based, the "account NAME {" line): an existing line for a
// key is replaced, a new one goes before the closing '}'. Nothing when that
// line does not start an account block or the block has no end.
std::optional<std::string> set_account_keys(std::string_view text, std::size_t block_line,
                                            const std::vector<std::pair<std::string, std::string>>& keys);

}  // namespace tern
