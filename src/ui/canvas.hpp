// What the screens draw on: rows of styled text. The terminal implements it
// with curses; tests implement it in memory. Screens never see curses.
#pragma once

#include <string_view>

#include "ui/style.hpp"

namespace tern {

class Canvas {
public:
    virtual ~Canvas() = default;
    virtual int rows() const = 0;
    virtual int cols() const = 0;
    // Draws `text` (UTF-8) at (row, col), cut or padded with spaces to
    // exactly `width` columns (to the right edge when width < 0).
    virtual void put(int row, int col, std::string_view text, Style style, int width = -1) = 0;
    // Where the cursor rests after drawing (a prompt's insertion point); a
    // negative row hides it.
    virtual void place_cursor(int row, int col) = 0;
};

}  // namespace tern
