#include "ui/pager.hpp"

#include <algorithm>

#include "util/strings.hpp"
#include "util/utf8.hpp"
#include "util/width.hpp"

namespace tern {
namespace {

std::string expand_tabs(std::string_view s) {
    std::string out;
    int col = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\t') {
            const int n = 8 - col % 8;
            out.append(static_cast<std::size_t>(n), ' ');
            col += n;
            continue;
        }
        out += s[i];
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++col;
    }
    return out;
}

// Cuts a line into pieces of at most `width` columns, at a blank when one is near.
std::vector<std::string> wrap(const std::string& line, int width) {
    std::vector<std::string> out;
    if (width < 10 || display_width(line) <= width) {
        out.push_back(line);
        return out;
    }
    std::size_t start = 0;
    while (start < line.size()) {
        std::size_t i = start, last_blank = std::string::npos;
        int cols = 0;
        while (i < line.size()) {
            std::size_t next = i;
            if (!decode_utf8(line, next)) next = i + 1;
            const int w = display_width(std::string_view(line).substr(i, next - i));
            if (cols + w > width) break;
            if (line[i] == ' ') last_blank = i;
            cols += w;
            i = next;
        }
        if (i < line.size() && last_blank != std::string::npos && last_blank > start + static_cast<std::size_t>(width) / 2) i = last_blank + 1;
        if (i == start) i = start + 1;
        out.push_back(line.substr(start, i - start));
        start = i;
    }
    return out;
}

Style style_of(LineKind kind, int quote_level) {
    switch (kind) {
        case LineKind::Header: return Style::Header;
        case LineKind::Quoted: {
            static constexpr Style kLevels[] = {Style::Quoted0, Style::Quoted1, Style::Quoted2, Style::Quoted3};
            return kLevels[std::max(0, quote_level - 1) % 4];
        }
        case LineKind::Signature: return Style::Signature;
        case LineKind::Marker: return Style::Attachment;
        case LineKind::Body: break;
    }
    return Style::Normal;
}

}  // namespace

void Pager::open(Message message, const RenderOptions& options) {
    message_ = std::make_unique<Message>(std::move(message));
    rendered_ = render_message(*message_, options);
    top_ = 0;
    hide_quoted_ = false;
    rewrap();
}

void Pager::layout(int width) {
    if (width == width_ && !screen_.empty()) return;
    width_ = width;
    rewrap();
}

void Pager::rewrap() {
    screen_.clear();
    bool hidden_run = false;
    for (const auto& l : rendered_) {
        if (hide_quoted_ && l.kind == LineKind::Quoted) {
            if (!hidden_run) screen_.push_back({"[-- quoted text hidden (T shows it) --]", LineKind::Marker, 0});
            hidden_run = true;
            continue;
        }
        hidden_run = false;
        for (auto& piece : wrap(expand_tabs(l.text), width_)) screen_.push_back({std::move(piece), l.kind, l.quote_level});
    }
    if (top_ >= screen_.size()) top_ = screen_.empty() ? 0 : screen_.size() - 1;
}

bool Pager::scroll(long lines, int page_rows) {
    const long max_top = std::max<long>(0, static_cast<long>(screen_.size()) - std::max(1, page_rows / 2));
    const long t = std::clamp(static_cast<long>(top_) + lines, 0L, std::max(0L, max_top));
    const bool moved = static_cast<std::size_t>(t) != top_;
    top_ = static_cast<std::size_t>(t);
    return moved;
}

void Pager::to_bottom(int page_rows) {
    top_ = screen_.size() > static_cast<std::size_t>(page_rows) ? screen_.size() - static_cast<std::size_t>(page_rows) : 0;
}

bool Pager::search(const std::string& text, bool forward) {
    search_ = text;
    search_lower_ = to_lower(text);
    search_forward_ = forward;
    highlight_ = true;
    return search_again(false);
}

bool Pager::search_again(bool reverse) {
    if (search_lower_.empty()) return false;
    const bool forward = search_forward_ != reverse;
    const auto hit = [&](std::size_t i) { return to_lower(screen_[i].text).find(search_lower_) != std::string::npos; };
    if (forward) {
        for (std::size_t i = top_ + 1; i < screen_.size(); ++i)
            if (hit(i)) return top_ = i, true;
    } else {
        for (std::size_t i = top_; i-- > 0;)
            if (hit(i)) return top_ = i, true;
    }
    return false;
}

void Pager::toggle_quoted() {
    hide_quoted_ = !hide_quoted_;
    top_ = 0;
    rewrap();
}

bool Pager::skip_quoted(int page_rows) {
    std::size_t i = top_;
    while (i < screen_.size() && screen_[i].kind != LineKind::Quoted) ++i;
    while (i < screen_.size() && screen_[i].kind == LineKind::Quoted) ++i;
    if (i >= screen_.size()) return false;
    top_ = i > 0 ? i - 1 : 0;  // one line of the quote stays in view, as mutt keeps it
    (void)page_rows;
    return true;
}

void Pager::draw(Canvas& canvas, int first_row, int rows) const {
    for (int r = 0; r < rows; ++r) {
        const std::size_t i = top_ + static_cast<std::size_t>(r);
        if (i >= screen_.size()) {
            canvas.put(first_row + r, 0, "~", Style::Tilde);
            continue;
        }
        const ScreenLine& line = screen_[i];
        const Style style = style_of(line.kind, line.quote_level);
        std::size_t at = std::string::npos;
        if (highlight_ && !search_lower_.empty()) at = to_lower(line.text).find(search_lower_);
        if (at == std::string::npos) {
            canvas.put(first_row + r, 0, line.text, style);
            continue;
        }
        // the line in three pieces: before, the match, after
        const std::string before = line.text.substr(0, at), match = line.text.substr(at, search_lower_.size());
        const int w1 = display_width(before), w2 = display_width(match);
        canvas.put(first_row + r, 0, before, style, w1);
        canvas.put(first_row + r, w1, match, Style::Search, w2);
        canvas.put(first_row + r, w1 + w2, line.text.substr(at + search_lower_.size()), style);
    }
}

std::string Pager::body_text() const {
    std::string out;
    bool in_body = false;
    for (const auto& l : rendered_) {
        if (!in_body) {
            if (l.kind != LineKind::Header) in_body = true;  // the blank line after the headers
            if (l.kind == LineKind::Header || l.text.empty()) continue;
        }
        out += l.text;
        out += '\n';
    }
    return out;
}

}  // namespace tern
