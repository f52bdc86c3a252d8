#include "ui/line_editor.hpp"

#include "config/vocabulary.hpp"
#include "util/utf8.hpp"
#include "util/width.hpp"

namespace tern {
namespace {

std::u32string decode(const std::string& s) {
    std::u32string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (auto cp = decode_utf8(s, i)) out += *cp;
        else {
            out += U'\uFFFD';
            ++i;
        }
    }
    return out;
}

std::string encode(std::u32string_view s) {
    std::string out;
    for (char32_t c : s) append_utf8(out, c);
    return out;
}

bool is_word(char32_t c) { return c != ' ' && c != '\t' && c != ',' && c != '/'; }

constexpr int ctrl(char c) { return c & 0x1f; }

}  // namespace

LineEditor::LineEditor(const std::string& initial, const std::vector<std::string>* history) : history_(history) {
    set_text(initial);
    history_pos_ = history_ ? history_->size() : 0;
}

std::string LineEditor::text() const { return encode(text_); }

void LineEditor::set_text(const std::string& utf8) {
    text_ = decode(utf8);
    cursor_ = text_.size();
}

LineEditor::Outcome LineEditor::feed(int key) {
    switch (key) {
        case '\n': return Outcome::Done;
        case 0x1b: case ctrl('G'): case ctrl('C'): return Outcome::Aborted;
        case '\t': return Outcome::Complete;
        case KeyLeft: case ctrl('B'): if (cursor_ > 0) --cursor_; break;
        case KeyRight: case ctrl('F'): if (cursor_ < text_.size()) ++cursor_; break;
        case KeyHome: case ctrl('A'): cursor_ = 0; break;
        case KeyEnd: case ctrl('E'): cursor_ = text_.size(); break;
        case KeyBackspace: case ctrl('H'):
            if (cursor_ > 0) text_.erase(--cursor_, 1);
            break;
        case KeyDelete: case ctrl('D'):
            if (cursor_ < text_.size()) text_.erase(cursor_, 1);
            break;
        case ctrl('K'): text_.erase(cursor_); break;
        case ctrl('U'): text_.erase(0, cursor_); cursor_ = 0; break;
        case ctrl('W'): {
            std::size_t start = cursor_;
            while (start > 0 && !is_word(text_[start - 1])) --start;
            while (start > 0 && is_word(text_[start - 1])) --start;
            text_.erase(start, cursor_ - start);
            cursor_ = start;
            break;
        }
        case KeyUp: case KeyDown:
            if (history_ && !history_->empty()) {
                if (key == KeyUp && history_pos_ > 0) --history_pos_;
                else if (key == KeyDown && history_pos_ < history_->size()) ++history_pos_;
                set_text(history_pos_ < history_->size() ? (*history_)[history_pos_] : std::string());
            }
            break;
        default:
            if (key >= 0x20 && key < 0x110000 && key != 0x7f) text_.insert(cursor_++, 1, static_cast<char32_t>(key));
            break;
    }
    return Outcome::Editing;
}

std::string LineEditor::visible(int width, int& cursor_column) const {
    // scroll so that the cursor stays in view, a third from the right edge when it must move
    std::size_t start = 0;
    const auto width_of = [&](std::size_t from, std::size_t to) { return display_width(encode(std::u32string_view(text_).substr(from, to - from))); };
    while (start < cursor_ && width_of(start, cursor_) >= width) start += std::max<std::size_t>(1, static_cast<std::size_t>(width) / 3);
    if (start > cursor_) start = cursor_;
    cursor_column = width_of(start, cursor_);
    return encode(std::u32string_view(text_).substr(start));
}

std::string common_prefix(const std::vector<std::string>& choices) {
    if (choices.empty()) return "";
    std::string p = choices.front();
    for (const auto& c : choices) {
        std::size_t n = 0;
        while (n < p.size() && n < c.size() && p[n] == c[n]) ++n;
        p.resize(n);
    }
    // never cut a UTF-8 sequence in two
    std::size_t lead = p.size();
    while (lead > 0 && (static_cast<unsigned char>(p[lead - 1]) & 0xC0) == 0x80) --lead;
    if (lead > 0 && static_cast<unsigned char>(p[lead - 1]) >= 0xC0) {
        const auto b = static_cast<unsigned char>(p[lead - 1]);
        const std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (p.size() - (lead - 1) < need) p.resize(lead - 1);
    }
    return p;
}

}  // namespace tern
