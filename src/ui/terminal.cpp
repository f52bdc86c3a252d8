#include "ui/terminal.hpp"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/vocabulary.hpp"
#include "core/error.hpp"
#include "mime/transfer_encoding.hpp"
#include "util/utf8.hpp"
#include "util/width.hpp"

namespace tern {
namespace {

std::size_t at(Style s) { return static_cast<std::size_t>(s); }

// Control characters and invalid UTF-8 never reach curses: util's
// terminal_safe makes them visible; a tab or line break inside one screen
// line is a blank.
std::string printable(std::string_view text) {
    std::string out = terminal_safe(text);
    for (char& c : out)
        if (c == '\t' || c == '\n') c = ' ';
    return out;
}

int color_number(const std::string& name, bool& bright) {
    static constexpr const char* kBase[] = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};
    std::string n = name;
    bright = false;
    if (n.rfind("bright", 0) == 0) {
        bright = true;
        n = n.substr(6);
    }
    if (n == "default") return -1;
    for (int i = 0; i < 8; ++i)
        if (n == kBase[i]) return bright && COLORS >= 16 ? i + 8 : i;
    if (n.rfind("color", 0) == 0) return std::atoi(n.c_str() + 5);
    return -1;
}

int attribute(const std::string& word) {
    if (word == "bold") return A_BOLD;
    if (word == "underline") return A_UNDERLINE;
    if (word == "reverse") return A_REVERSE;
    if (word == "standout") return A_STANDOUT;
    if (word == "blink") return A_BLINK;
    if (word == "dim") return A_DIM;
#ifdef A_ITALIC
    if (word == "italic") return A_ITALIC;
#endif
    return A_NORMAL;
}

int key_from_curses(int code) {
    switch (code) {
        case KEY_UP: return KeyUp;
        case KEY_DOWN: return KeyDown;
        case KEY_LEFT: return KeyLeft;
        case KEY_RIGHT: return KeyRight;
        case KEY_PPAGE: return KeyPageUp;
        case KEY_NPAGE: return KeyPageDown;
        case KEY_HOME: return KeyHome;
        case KEY_END: return KeyEnd;
        case KEY_IC: return KeyInsert;
        case KEY_DC: return KeyDelete;
        case KEY_BACKSPACE: return KeyBackspace;
        case KEY_BTAB: return KeyBackTab;
        case KEY_ENTER: return '\n';
        case KEY_RESIZE: return kKeyResize;
        default:
            if (code >= KEY_F0 && code <= KEY_F(63)) return KeyF0 + (code - KEY_F0);
            return 0;  // a key we have no name for: ignored
    }
}

}  // namespace

Terminal::Terminal() {
    if (!::isatty(0) || !::isatty(1)) throw Failure(ErrorKind::Usage, "the mail reader needs a terminal (for scripts: tern ls, tern show, tern sync)");
    ::setenv("ESCDELAY", "25", 0);  // an Escape alone is told from a key's sequence fast
    if (!initscr()) throw Failure(ErrorKind::Usage, "cannot set up the terminal: check TERM");
    raw();  // ^C and ^Z reach us as keys: a prompt aborts, tern suspends cleanly
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    leaveok(stdscr, FALSE);
    attrs_.fill(A_NORMAL);
    attrs_[at(Style::Indicator)] = A_REVERSE;
    attrs_[at(Style::Status)] = A_REVERSE;
    attrs_[at(Style::Error)] = A_BOLD;
    attrs_[at(Style::IndexNew)] = A_BOLD;
    attrs_[at(Style::IndexTag)] = A_BOLD;
    attrs_[at(Style::Header)] = A_BOLD;
    attrs_[at(Style::Search)] = A_REVERSE;
    attrs_[at(Style::Attachment)] = A_BOLD;
    attrs_[at(Style::SidebarIndicator)] = A_REVERSE;
    attrs_[at(Style::SidebarNew)] = A_BOLD;
    attrs_[at(Style::IndexDeleted)] = A_DIM;
    if (has_colors()) {
        start_color();
        use_default_colors();
        const auto pair = [this](Style s, short fg, int extra) {
            init_pair(static_cast<short>(next_pair_), fg, -1);
            attrs_[at(s)] = static_cast<int>(COLOR_PAIR(next_pair_)) | extra;
            ++next_pair_;
        };
        pair(Style::Error, COLOR_RED, A_BOLD);
        pair(Style::Quoted0, COLOR_BLUE, 0);
        pair(Style::Quoted1, COLOR_GREEN, 0);
        pair(Style::Quoted2, COLOR_YELLOW, 0);
        pair(Style::Quoted3, COLOR_CYAN, 0);
        pair(Style::Signature, COLOR_CYAN, 0);
        pair(Style::Tilde, COLOR_BLUE, A_BOLD);
        pair(Style::Tree, COLOR_MAGENTA, 0);
        pair(Style::IndexFlagged, COLOR_RED, A_BOLD);
    }
    curs_set(0);
}

Terminal::~Terminal() {
    curs_set(1);
    endwin();
}

int Terminal::rows() const { return LINES; }
int Terminal::cols() const { return COLS; }

void Terminal::put(int row, int col, std::string_view text, Style style, int width) {
    if (row < 0 || row >= LINES || col >= COLS) return;
    if (width < 0 || col + width > COLS) width = COLS - col;
    if (width <= 0) return;
    const std::string line = fit_columns(printable(text), width);
    attrset(static_cast<attr_t>(attrs_[at(style)]));
    // the bottom-right cell cannot be written without scrolling: curses says ERR and draws the rest
    mvaddnstr(row, col, line.c_str(), static_cast<int>(line.size()));
    attrset(A_NORMAL);
}

void Terminal::place_cursor(int row, int col) {
    if (row < 0) {
        curs_set(0);
        return;
    }
    curs_set(1);
    move(row, col);
}

void Terminal::apply_colors(const std::vector<ColorRule>& rules) {
    int index_rule = 0;
    for (const auto& rule : rules) {
        std::optional<Style> style;
        if (is_index_pattern_rule(rule)) {
            if (index_rule >= kIndexColorRules) continue;
            style = static_cast<Style>(static_cast<int>(Style::IndexRule0) + index_rule++);
        } else if (rule.pattern.empty()) {
            style = style_for_object(rule.object);
        }
        if (!style) continue;
        int attr = A_NORMAL;
        for (const auto& a : rule.attributes) attr |= attribute(a);
        bool bright_fg = false, bright_bg = false;
        if (has_colors() && !rule.foreground.empty() && next_pair_ < COLOR_PAIRS) {
            const int fg = color_number(rule.foreground, bright_fg);
            const int bg = color_number(rule.background, bright_bg);
            init_pair(static_cast<short>(next_pair_), static_cast<short>(fg), static_cast<short>(bg));
            attr |= static_cast<int>(COLOR_PAIR(next_pair_));
            ++next_pair_;
            if (bright_fg && COLORS < 16) attr |= A_BOLD;
        }
        attrs_[at(*style)] = attr;
    }
}

void Terminal::show() { refresh(); }

Input Terminal::read(int timeout_ms, int wake_fd) {
    for (;;) {
        timeout(0);
        wint_t ch = 0;
        const int rc = get_wch(&ch);
        if (rc == KEY_CODE_YES) {
            const int key = key_from_curses(static_cast<int>(ch));
            if (key) return {Input::Kind::Key, key};
            continue;
        }
        if (rc == OK) {
            int key = static_cast<int>(ch);
            if (key == '\r') key = '\n';
            if (key == 0x7f) key = KeyBackspace;
            if (key == 0x1a) {  // ^Z: stop like any terminal program, and come back drawn
                suspend();
                ::kill(0, SIGTSTP);
                resume();
                return {Input::Kind::Key, kKeyResize};
            }
            return {Input::Kind::Key, key};
        }
        pollfd fds[2] = {{0, POLLIN, 0}, {wake_fd, POLLIN, 0}};
        const int n = ::poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
        if (n < 0 && errno == EINTR) continue;  // SIGWINCH: curses has a KEY_RESIZE for us
        if (n <= 0) return {Input::Kind::Timeout, 0};
        if (wake_fd >= 0 && (fds[1].revents & POLLIN)) return {Input::Kind::Wake, 0};
        if (fds[0].revents & (POLLHUP | POLLERR)) throw Failure(ErrorKind::Io, "the terminal went away");
    }
}

void Terminal::suspend() {
    def_prog_mode();
    endwin();
}

void Terminal::resume(bool wait_for_key) {
    reset_prog_mode();
    if (wait_for_key) {
        std::fputs("\r\nPress any key to continue...", stdout);
        std::fflush(stdout);
        char c = 0;
        while (::read(0, &c, 1) < 0 && errno == EINTR) {
        }
    }
    clearok(stdscr, TRUE);
    refresh();
}

void Terminal::beep() { ::beep(); }

void Terminal::copy_to_clipboard(std::string_view text) {
    // ESC ] 52 ; c ; BASE64 BEL, after curses has written what it holds
    const std::string sequence = "\033]52;c;" + encode_base64(text, 0) + "\a";
    ::refresh();
    std::fwrite(sequence.data(), 1, sequence.size(), stdout);
    std::fflush(stdout);
}

}  // namespace tern
