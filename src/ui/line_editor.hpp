// The text being typed at a prompt: mutt's line editor keys (^A ^E ^B ^F
// ^D ^H ^K ^U ^W, arrows, Home, End, history with up and down), Tab asks
// the caller to complete, Enter ends, ^G / Escape / ^C abort. Pure: keys in,
// text and cursor out; the screen draws it.
#pragma once

#include <string>
#include <vector>

namespace tern {

class LineEditor {
public:
    explicit LineEditor(const std::string& initial = "", const std::vector<std::string>* history = nullptr);

    enum class Outcome { Editing, Done, Aborted, Complete };
    Outcome feed(int key);

    std::string text() const;
    void set_text(const std::string& utf8);  // cursor at the end
    // What fits in `width` columns around the cursor, and the cursor's column in it.
    std::string visible(int width, int& cursor_column) const;

private:
    std::u32string text_;
    std::size_t cursor_ = 0;
    const std::vector<std::string>* history_;
    std::size_t history_pos_ = 0;
};

// The longest common start of `choices` (UTF-8, byte-wise on whole strings).
std::string common_prefix(const std::vector<std::string>& choices);

}  // namespace tern
