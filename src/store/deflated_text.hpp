// The index's copy of each message's body text, deflated (zlib): the text
// search reads it back only to check a regular expression or a
// case-sensitive ~b on the messages the trigram index found, and to take a
// message out of that index (a contentless FTS5 table is told the text it
// forgets). Mail text deflates about threefold; the index keeps positions, so
// a substring ~b never reads it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tern {

// `text` deflated; empty for empty text.
std::string deflate_text(std::string_view text);

// What deflate_text made of a text of `size` bytes; throws Failure (Damaged)
// when `deflated` is not that.
std::string inflate_text(std::string_view deflated, std::size_t size);

}  // namespace tern
