// The pager's model: a message rendered by the MIME engine, wrapped to the
// screen's width, with a scroll position, search in the text (highlighted),
// quoted text hidden or skipped. Draws on a Canvas; no curses here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mime/message.hpp"
#include "mime/render.hpp"
#include "ui/canvas.hpp"

namespace tern {

class Pager {
public:
    void open(Message message, const RenderOptions& options);
    bool is_open() const { return message_ != nullptr; }
    void close() { message_.reset(); }
    const Message& message() const { return *message_; }

    // Wraps the rendered lines to `width` columns (again after a resize).
    void layout(int width);
    std::size_t line_count() const { return screen_.size(); }
    std::size_t top() const { return top_; }
    // Scrolls by `lines` (negative: up), within the text; false at an end.
    bool scroll(long lines, int page_rows);
    void to_top() { top_ = 0; }
    void to_bottom(int page_rows);
    bool at_end(int page_rows) const { return top_ + static_cast<std::size_t>(page_rows) >= screen_.size(); }

    // Finds `text` (ignoring case) after (or before) the top line and
    // scrolls to it; false when it is not there. Matches are highlighted.
    bool search(const std::string& text, bool forward);
    bool search_again(bool reverse);
    void toggle_search_highlight() { highlight_ = !highlight_; }
    void toggle_quoted();
    // Moves past the quoted text at or after the top line; false when there is none.
    bool skip_quoted(int page_rows);

    void draw(Canvas& canvas, int first_row, int rows) const;

    // The text of the body (no header lines), for quoting in a reply.
    std::string body_text() const;

private:
    struct ScreenLine {
        std::string text;
        LineKind kind = LineKind::Body;
        int quote_level = 0;
    };
    void rewrap();
    std::unique_ptr<Message> message_;
    std::vector<RenderedLine> rendered_;
    std::vector<ScreenLine> screen_;
    std::size_t top_ = 0;
    int width_ = 80;
    bool hide_quoted_ = false;
    bool highlight_ = true;
    std::string search_, search_lower_;
    bool search_forward_ = true;
};

}  // namespace tern
