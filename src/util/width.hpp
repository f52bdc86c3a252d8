// Display width of UTF-8 text on a terminal (wide CJK characters take two
// columns, combining marks none), and fitting text into a column.
#pragma once

#include <string>
#include <string_view>

namespace tern {

int display_width(std::string_view utf8);

// Cuts to at most `columns` columns and pads with spaces to exactly that.
std::string fit_columns(std::string_view utf8, int columns);

}  // namespace tern
