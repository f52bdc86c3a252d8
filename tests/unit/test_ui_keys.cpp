// The reader's pure parts: key bindings (mutt's defaults, config binds,
// sequences, help listing), the prompt's line editor, completion prefixes.
#include <doctest/doctest.h>

#include "config/vocabulary.hpp"
#include "ui/folder_order.hpp"
#include "ui/keymap.hpp"
#include "ui/line_editor.hpp"

using namespace tern;

namespace {
std::vector<int> keys(const char* notation) { return *parse_key_sequence(notation); }
}  // namespace

TEST_CASE("keymap: mutt's defaults, menus falling back to generic") {
    const Keymap k = Keymap::defaults();
    CHECK(k.lookup("index", keys("d")).function == "delete-message");
    CHECK(k.lookup("index", keys("<enter>")).function == "display-message");
    CHECK(k.lookup("pager", keys("<space>")).function == "next-page");   // the pager's own
    CHECK(k.lookup("index", keys("<pagedown>")).function == "next-page");  // from generic
    CHECK(k.lookup("index", keys("X")).function == "undo");  // a key mutt leaves free
    CHECK(k.lookup("compose", keys("y")).function == "send-message");
    CHECK(k.lookup("index", keys("\\e")).match == Keymap::Match::Prefix);  // \ed, \ev, ... follow
    CHECK(k.lookup("index", keys("\\ev")).function == "collapse-thread");
    CHECK(k.lookup("index", keys("^D")).function == "delete-thread");
    CHECK(k.lookup("index", keys("Y")).match == Keymap::Match::None);
    CHECK(k.lookup("attach", keys("j")).function == "next-entry");  // mutt's generic j and k move in the lists
    CHECK(k.lookup("attach", keys("k")).function == "previous-entry");
    CHECK(k.lookup("index", keys("j")).function == "next-undeleted");  // the index's own j comes first
}

TEST_CASE("keymap: bind lines override, sequences shadow their prefixes, noop unbinds") {
    std::vector<Binding> b = {{"index", "D", "delete-thread", "c:1"},
                              {"index", "gg", "first-entry", "c:2"},
                              {"index", "d", "noop", "c:3"}};
    const Keymap k = Keymap::from_config(b);
    CHECK(k.lookup("index", keys("D")).function == "delete-thread");
    CHECK(k.lookup("index", keys("g")).match == Keymap::Match::Prefix);  // group-reply gave way to gg
    CHECK(k.lookup("index", keys("gg")).function == "first-entry");
    CHECK(k.lookup("index", keys("d")).match == Keymap::Match::None);
    CHECK(k.lookup("pager", keys("d")).function == "delete-message");  // other menus keep theirs
}

TEST_CASE("keymap: a macro's key calls macro:N, after the bind lines") {
    const std::vector<Binding> b = {{"index", "A", "delete-message", "c:1"}};
    const std::vector<Macro> m = {{"index", "A", "<save-message>=Archive<enter>", "archive", "c:2", {}},
                                  {"pager", "\\Cx", "<exit>", "", "c:3", {}}};
    const Keymap k = Keymap::from_config(b, m);
    CHECK(k.lookup("index", keys("A")).function == "macro:0");
    CHECK(k.lookup("pager", {0x18}).function == "macro:1");
    CHECK(macro_index("macro:1") == std::optional<std::size_t>(1));
    CHECK_FALSE(macro_index("delete-message"));
    CHECK_FALSE(macro_index("macro:x"));
}

TEST_CASE("keymap: what the help screen and the help line show") {
    const Keymap k = Keymap::defaults();
    CHECK(k.key_for("pager", "exit") == "q");  // the first key bound, not i or x
    CHECK(k.key_for("index", "next-page") == "z");
    CHECK(k.key_for("index", "bottom-page") == "");  // generic's L is shadowed by list-reply in the index
    bool listed = false;
    for (const auto& [key, fn] : k.bindings("index")) listed |= key == "^D" && fn == "delete-thread";
    CHECK(listed);
    CHECK(key_notation(keys("<pagedown>")) == "<PageDown>");
    CHECK(key_notation(keys("\\ed")) == "\\ed");
    CHECK(key_notation({' '}) == "<Space>");
}

TEST_CASE("line editor: typing, moving, killing, history, abort") {
    LineEditor e("hello");
    CHECK(e.feed(' ') == LineEditor::Outcome::Editing);
    for (char c : std::string("wörld")) e.feed(static_cast<unsigned char>(c) < 0x80 ? c : 0);
    CHECK(e.text() == "hello wrld");  // bytes of a UTF-8 character are not keys; code points are
    e.set_text("hello ");
    e.feed(0xF6);  // ö as one code point
    CHECK(e.text() == "hello ö");
    e.feed(0x17);  // ^W kills the word before the cursor
    CHECK(e.text() == "hello ");
    e.feed(0x01);  // ^A to the start
    e.feed('>');
    CHECK(e.text() == ">hello ");
    e.feed(0x0b);  // ^K kills to the end
    CHECK(e.text() == ">");
    e.feed(KeyBackspace);
    CHECK(e.text().empty());
    CHECK(e.feed('\t') == LineEditor::Outcome::Complete);
    CHECK(e.feed(0x07) == LineEditor::Outcome::Aborted);
    CHECK(e.feed('\n') == LineEditor::Outcome::Done);
    const std::vector<std::string> history = {"~f alice", "~U"};
    LineEditor h("", &history);
    h.feed(KeyUp);
    CHECK(h.text() == "~U");
    h.feed(KeyUp);
    CHECK(h.text() == "~f alice");
    h.feed(KeyDown);
    h.feed(KeyDown);
    CHECK(h.text().empty());
}

TEST_CASE("line editor: a long line scrolls to keep the cursor in view") {
    LineEditor e(std::string(100, 'a'));
    int col = -1;
    const std::string shown = e.visible(20, col);
    CHECK(col < 20);
    CHECK(shown.size() <= 100);
    CHECK(col >= 0);
}

TEST_CASE("completion: the common prefix never cuts a UTF-8 character") {
    CHECK(common_prefix({"Archive", "Archive/2025", "Archives"}) == "Archive");
    CHECK(common_prefix({"Café", "Cafè"}) == "Caf");  // é and è share their first byte
    CHECK(common_prefix({"Lists/rust"}) == "Lists/rust");
    CHECK(common_prefix({}) == "");
}

TEST_CASE("mailboxes puts the folders it names first, in its order") {
    const std::vector<std::string> local = {"Archive", "Drafts", "INBOX", "Lists/dev", "Sent"};
    CHECK(order_folders(local, "work", {}) == local);
    CHECK(order_folders(local, "work", {"INBOX", "work/Lists/dev", "home/Sent", "Nowhere"}) ==
          std::vector<std::string>{"INBOX", "Lists/dev", "Archive", "Drafts", "Sent"});
}
