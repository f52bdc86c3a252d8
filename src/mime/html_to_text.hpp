// The built-in HTML-to-text used when no mailcap entry renders text/html:
// drops script, style and head, decodes entities, keeps paragraphs, line
// breaks, lists, quotes and preformatted text, and lists link targets at the
// end ([1] https://...). Input and output are UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace tern {

std::string html_to_text(std::string_view html);

}  // namespace tern
