// The one wrapper around curses: screen set-up and tear-down, styled text,
// colors from the config, and keys read together with a wake-up descriptor
// (worker events), so the UI waits on both at once and never blocks on the
// network. Only terminal.cpp includes <curses.h>.
#pragma once

#include <array>
#include <vector>

#include "config/config.hpp"
#include "ui/canvas.hpp"

namespace tern {

// A key code from the terminal beyond config/vocabulary.hpp's: the window
// changed size.
inline constexpr int kKeyResize = 0x110000 + 64;

struct Input {
    enum class Kind { Key, Wake, Timeout } kind = Kind::Timeout;
    int key = 0;  // Kind::Key: a code point or a SpecialKey / kKeyResize
};

class Terminal final : public Canvas {
public:
    Terminal();   // initscr; throws Failure when there is no usable terminal
    ~Terminal() override;  // endwin, always
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    int rows() const override;
    int cols() const override;
    void put(int row, int col, std::string_view text, Style style, int width = -1) override;
    void place_cursor(int row, int col) override;

    // The config's color lines (those without a pattern); unknown objects are
    // the screens' business and ignored here.
    void apply_colors(const std::vector<ColorRule>& rules);
    // Sends what changed since the last show() to the terminal.
    void show();
    // Waits at most `timeout_ms` (-1: forever) for a key or for `wake_fd`
    // (-1: none) to become readable.
    Input read(int timeout_ms, int wake_fd);
    // Gives the terminal to a child (editor, pager) and takes it back.
    // With `wait_for_key`, the child's output stays on the screen until a key is pressed.
    void suspend();
    void resume(bool wait_for_key = false);
    void beep();
    // Puts `text` on the terminal's clipboard with OSC 52 (xterm, kitty,
    // tmux with set-clipboard, ...); a terminal without it ignores the sequence.
    void copy_to_clipboard(std::string_view text);

private:
    std::array<int, static_cast<std::size_t>(Style::Count)> attrs_{};
    int next_pair_ = 1;
};

}  // namespace tern
