// The index: moving around, triage actions, folders, limit, search, sort,
// sync and undo. Every action changes the local store at once (Mailbox);
// the workers take it to the server.
#include <algorithm>

#include "core/error.hpp"
#include "ui/app.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/subprocess.hpp"

namespace tern {

// --- the open mailbox ---

bool App::open_mailbox(std::vector<FolderRef> folders) {
    run_folder_hooks(folders);  // before the folder is read, so a hook's sort applies
    try {
        auto opened = std::make_unique<Mailbox>(folders, indexes_, config_, Mailbox::Scan::Elsewhere);
        if (mailbox_) previous_folders_ = mailbox_->folders();
        mailbox_ = std::move(opened);
    } catch (const Failure& f) {
        if (mailbox_ || f.kind() != ErrorKind::NotFound) error(f.error().summary);
        return false;
    }
    cursor_ = top_ = 0;
    // mutt opens on the first unread message, else the last one
    const std::size_t n = mailbox_->size();
    cursor_ = n ? n - 1 : 0;
    for (std::size_t p = 0; p < n; ++p)
        if (!mailbox_->row_at(p).flags.has(Flags::Seen) && !mailbox_->row_at(p).flags.has(Flags::Trashed)) {
            cursor_ = p;
            break;
        }
    if (mailbox_->sort().find("reverse") != std::string::npos && n) {
        cursor_ = 0;
    }
    screen_ = Screen::Index;
    screen_stack_.clear();
    for (const auto& ref : mailbox_->folders())  // seen now: no longer marked as having new mail
        new_mail_folders_.erase(std::remove(new_mail_folders_.begin(), new_mail_folders_.end(), ref.account->name + "/" + ref.folder),
                                new_mail_folders_.end());
    if (sidebar_visible_) build_browser();
    hand_over_snapshot_seed();
    rescan_open_folders();
    return true;
}

void App::rescan_open_folders() {
    for (const auto& ref : mailbox_->folders()) store_worker_->scan(*ref.account, ref.folder);
}

void App::hand_over_snapshot_seed() {
    // the rows were read from the database and ordered here: the store worker writes the snapshot from that
    // order, not from its own reading and threading of every row (beside these, at a million: 550 MB)
    if (auto seed = mailbox_->take_snapshot_seed())
        store_worker_->snapshot(*mailbox_->folders()[0].account, mailbox_->folders()[0].folder, std::move(seed));
}

void App::keep_cursor_on(const std::optional<Mailbox::RowKey>& at) {
    if (at)
        if (auto r = mailbox_->row_of(*at))
            if (auto p = mailbox_->position_of_row(*r)) cursor_ = *p;
}

void App::reload_mailbox(bool rescan, bool scanned) {
    if (!mailbox_) return;
    std::optional<Mailbox::RowKey> at;
    if (auto r = current_row()) at = mailbox_->key_of(*r);
    const std::size_t old_cursor = cursor_;
    mailbox_->reload(scanned);
    hand_over_snapshot_seed();
    if (rescan) rescan_open_folders();
    cursor_ = std::min(old_cursor, mailbox_->size() ? mailbox_->size() - 1 : 0);
    keep_cursor_on(at);
    if (sidebar_visible_) build_browser();
}

std::optional<std::size_t> App::current_row() const {
    if (!mailbox_ || mailbox_->size() == 0) return std::nullopt;
    if (screen_ == Screen::Pager && pager_row_) return mailbox_->row_of(*pager_row_);
    return mailbox_->row_index(std::min(cursor_, mailbox_->size() - 1));
}

std::vector<std::size_t> App::action_rows() {
    if (tag_prefix_ && mailbox_) return mailbox_->tagged_rows();
    if (auto r = current_row()) return {*r};
    return {};
}

void App::move_cursor_to(std::size_t pos) {
    if (!mailbox_ || mailbox_->size() == 0) return;
    cursor_ = std::min(pos, mailbox_->size() - 1);
    if (screen_ == Screen::Pager) open_pager(mailbox_->row_index(cursor_));
}

// --- moving ---

void App::next_entry() {
    if (screen_ == Screen::Help) return static_cast<void>(help_top_ += 1);
    if (screen_ == Screen::Browser) return static_cast<void>(browser_cursor_ = std::min(browser_cursor_ + 1, browser_.empty() ? 0 : browser_.size() - 1));
    if (screen_ == Screen::Attach) return static_cast<void>(attach_cursor_ = std::min(attach_cursor_ + 1, attach_.list.empty() ? 0 : attach_.list.size() - 1));
    if (screen_ == Screen::Urls) return static_cast<void>(url_cursor_ = std::min(url_cursor_ + 1, urls_.empty() ? 0 : urls_.size() - 1));
    if (screen_ == Screen::Compose && compose_) return static_cast<void>(compose_->cursor = std::min(compose_->cursor + 1, compose_->attachments.empty() ? 0 : compose_->attachments.size() - 1));
    if (!mailbox_) return;
    if (cursor_ + 1 >= mailbox_->size()) return error("You are on the last message.");
    move_cursor_to(cursor_ + 1);
}

void App::previous_entry() {
    if (screen_ == Screen::Help) return static_cast<void>(help_top_ = help_top_ ? help_top_ - 1 : 0);
    if (screen_ == Screen::Browser) return static_cast<void>(browser_cursor_ = browser_cursor_ ? browser_cursor_ - 1 : 0);
    if (screen_ == Screen::Attach) return static_cast<void>(attach_cursor_ = attach_cursor_ ? attach_cursor_ - 1 : 0);
    if (screen_ == Screen::Urls) return static_cast<void>(url_cursor_ = url_cursor_ ? url_cursor_ - 1 : 0);
    if (screen_ == Screen::Compose && compose_) return static_cast<void>(compose_->cursor = compose_->cursor ? compose_->cursor - 1 : 0);
    if (!mailbox_) return;
    if (cursor_ == 0) return error("You are on the first message.");
    move_cursor_to(cursor_ - 1);
}

void App::next_undeleted() {
    if (!mailbox_) return;
    for (std::size_t p = cursor_ + 1; p < mailbox_->size(); ++p)
        if (!mailbox_->row_at(p).flags.has(Flags::Trashed)) return move_cursor_to(p);
    error("No undeleted messages.");
}

void App::previous_undeleted() {
    if (!mailbox_) return;
    for (std::size_t p = cursor_; p-- > 0;)
        if (!mailbox_->row_at(p).flags.has(Flags::Trashed)) return move_cursor_to(p);
    error("No undeleted messages.");
}

namespace {
std::size_t page_rows(int screen_rows) { return static_cast<std::size_t>(std::max(1, screen_rows - 3)); }
}  // namespace

void App::next_page() {
    if (screen_ == Screen::Pager) {
        const int rows = terminal_->rows() - 3;
        if (pager_.at_end(rows)) return next_undeleted();
        pager_.scroll(rows - 1, rows);
        return;
    }
    if (screen_ == Screen::Help) return static_cast<void>(help_top_ += page_rows(terminal_->rows()));
    if (!mailbox_ || mailbox_->size() == 0) return;
    const std::size_t page = page_rows(terminal_->rows());
    if (top_ + page >= mailbox_->size()) {
        if (cursor_ + 1 >= mailbox_->size()) return error("You are on the last page.");
        cursor_ = mailbox_->size() - 1;
        return;
    }
    top_ += page;
    cursor_ = top_;
}

void App::previous_page() {
    if (screen_ == Screen::Pager) {
        const int rows = terminal_->rows() - 3;
        if (!pager_.scroll(-(rows - 1), rows)) error("Top of message is shown.");
        return;
    }
    if (screen_ == Screen::Help) {
        help_top_ = help_top_ > page_rows(terminal_->rows()) ? help_top_ - page_rows(terminal_->rows()) : 0;
        return;
    }
    if (!mailbox_) return;
    const std::size_t page = page_rows(terminal_->rows());
    if (top_ == 0) {
        if (cursor_ == 0) return error("You are on the first page.");
        cursor_ = 0;
        return;
    }
    top_ = top_ > page ? top_ - page : 0;
    cursor_ = top_ + page - 1;
}

void App::half_down() {
    if (screen_ == Screen::Pager) return static_cast<void>(pager_.scroll((terminal_->rows() - 3) / 2, terminal_->rows() - 3));
    if (!mailbox_ || mailbox_->size() == 0) return;
    const std::size_t half = page_rows(terminal_->rows()) / 2;
    cursor_ = std::min(cursor_ + half, mailbox_->size() - 1);
    top_ = std::min(top_ + half, cursor_);
}

void App::half_up() {
    if (screen_ == Screen::Pager) return static_cast<void>(pager_.scroll(-(terminal_->rows() - 3) / 2, terminal_->rows() - 3));
    if (!mailbox_) return;
    const std::size_t half = page_rows(terminal_->rows()) / 2;
    cursor_ = cursor_ > half ? cursor_ - half : 0;
    top_ = top_ > half ? top_ - half : 0;
}

void App::first_entry() {
    if (screen_ == Screen::Help) return static_cast<void>(help_top_ = 0);
    if (screen_ == Screen::Browser) return static_cast<void>(browser_cursor_ = 0);
    if (screen_ == Screen::Attach) return static_cast<void>(attach_cursor_ = 0);
    if (screen_ == Screen::Urls) return static_cast<void>(url_cursor_ = 0);
    move_cursor_to(0);
}

void App::last_entry() {
    if (screen_ == Screen::Browser) return static_cast<void>(browser_cursor_ = browser_.empty() ? 0 : browser_.size() - 1);
    if (screen_ == Screen::Attach) return static_cast<void>(attach_cursor_ = attach_.list.empty() ? 0 : attach_.list.size() - 1);
    if (screen_ == Screen::Urls) return static_cast<void>(url_cursor_ = urls_.empty() ? 0 : urls_.size() - 1);
    if (mailbox_ && mailbox_->size()) move_cursor_to(mailbox_->size() - 1);
}

void App::top_page() { cursor_ = top_; }
void App::middle_page() {
    if (!mailbox_ || !mailbox_->size()) return;
    cursor_ = std::min(top_ + page_rows(terminal_->rows()) / 2, mailbox_->size() - 1);
}
void App::bottom_page() {
    if (!mailbox_ || !mailbox_->size()) return;
    cursor_ = std::min(top_ + page_rows(terminal_->rows()) - 1, mailbox_->size() - 1);
}

void App::jump() {
    auto answer = ask("Jump to message: ");
    if (!answer || !mailbox_) return;
    std::size_t n = 0;
    try {
        n = std::stoul(*answer);
    } catch (const std::exception&) {
    }
    if (n == 0 || n > mailbox_->size()) return error("Invalid message number.");
    move_cursor_to(n - 1);
}

void App::next_new_then_unread() {
    if (!mailbox_ || !mailbox_->size()) return;
    const std::size_t n = mailbox_->size();
    for (std::size_t k = 1; k <= n; ++k) {  // wraps around, as mutt does
        const std::size_t p = (cursor_ + k) % n;
        const Flags f = mailbox_->row_at(p).flags;
        if (!f.has(Flags::Seen) && !f.has(Flags::Trashed)) {
            if (p <= cursor_) info("Search wrapped to top.");
            return move_cursor_to(p);
        }
    }
    error("No new messages in this limited view.");
}

void App::previous_new_then_unread() {
    if (!mailbox_ || !mailbox_->size()) return;
    const std::size_t n = mailbox_->size();
    for (std::size_t k = 1; k <= n; ++k) {
        const std::size_t p = (cursor_ + n - k) % n;
        const Flags f = mailbox_->row_at(p).flags;
        if (!f.has(Flags::Seen) && !f.has(Flags::Trashed)) return move_cursor_to(p);
    }
    error("No new messages in this limited view.");
}

void App::next_thread() {
    if (!mailbox_ || !mailbox_->threaded()) return error("Threading is not enabled.");
    if (auto p = mailbox_->thread_start(cursor_, 1)) move_cursor_to(*p);
    else error("There are no more threads.");
}

void App::previous_thread() {
    if (!mailbox_ || !mailbox_->threaded()) return error("Threading is not enabled.");
    if (auto p = mailbox_->thread_start(cursor_, -1)) move_cursor_to(*p);
    else error("You are on the first thread.");
}

void App::parent_message() {
    if (!mailbox_) return;
    if (auto p = mailbox_->parent_of(cursor_)) move_cursor_to(*p);
    else error("Parent message is not available.");
}

// --- search and limit ---

void App::index_search(bool reverse_direction, bool again) {
    if (!mailbox_ || !mailbox_->size()) return;
    if (!again) {
        auto text = ask(reverse_direction ? "Reverse search for: " : "Search for: ", "", {}, &history_search_);
        if (!text || text->empty()) return;
        search_text_ = *text;
        search_reverse_ = reverse_direction;
    } else if (search_text_.empty()) {
        return error("No search pattern.");
    }
    const bool backwards = search_reverse_ != (again && reverse_direction);
    const std::vector<std::size_t> hits = mailbox_->matching(search_text_);
    if (hits.empty()) {
        error("Not found.");
        return note_unsearched(false);
    }
    std::vector<bool> hit(mailbox_->row(0).id >= 0 ? hits.size() : 0);
    const std::size_t n = mailbox_->size();
    std::vector<std::size_t> sorted = hits;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t k = 1; k <= n; ++k) {
        const std::size_t p = backwards ? (cursor_ + n - k) % n : (cursor_ + k) % n;
        if (std::binary_search(sorted.begin(), sorted.end(), mailbox_->row_index(p))) {
            if (backwards ? p > cursor_ : p < cursor_) info(backwards ? "Search wrapped to bottom." : "Search wrapped to top.");
            return move_cursor_to(p);
        }
    }
    error("Not found.");
}

void App::search() {
    if (screen_ == Screen::Pager) {
        auto text = ask("Search for: ", "", {}, &history_search_);
        if (!text || text->empty()) return;
        if (!pager_.search(*text, true)) error("Not found.");
        return;
    }
    index_search(false, false);
}

void App::search_reverse() {
    if (screen_ == Screen::Pager) {
        auto text = ask("Reverse search for: ", "", {}, &history_search_);
        if (!text || text->empty()) return;
        if (!pager_.search(*text, false)) error("Not found.");
        return;
    }
    index_search(true, false);
}

void App::search_next() {
    if (screen_ == Screen::Pager) {
        if (!pager_.search_again(false)) error("Not found.");
        return;
    }
    index_search(false, true);
}

void App::limit() {
    if (!mailbox_) return;
    auto text = ask("Limit to messages matching: ", mailbox_->limit(), {}, &history_limit_);
    if (!text) return;
    std::optional<Mailbox::RowKey> at;
    if (auto r = current_row()) at = mailbox_->key_of(*r);
    mailbox_->set_limit(*text);
    cursor_ = 0;
    keep_cursor_on(at);
    if (mailbox_->size() == 0) error("No messages matched the criteria.");
    else if (!text->empty()) info(std::to_string(mailbox_->size()) + " messages match.");
    limit_partial_ = false;
    note_unsearched(true);
}

std::optional<std::size_t> App::text_unindexed() const {
    std::size_t n = 0;
    for (const auto& ref : mailbox_->folders()) {
        const auto it = text_left_.find(ref.account->name + "/" + ref.folder);
        if (it == text_left_.end()) return std::nullopt;
        n += it->second;
    }
    return n;
}

void App::note_unsearched(bool limit) {
    if (!mailbox_->searched_text()) return;
    const std::optional<std::size_t> left = text_unindexed();
    if (left && *left == 0) return;
    const std::string what = left ? "the text of " + std::to_string(*left) + " message" + (*left == 1 ? "" : "s")
                                  : std::string("messages whose text");
    message_ += std::string(message_.empty() ? "" : " ") + "Not searched yet: " + what +
                (limit ? " (still being indexed; the limit is done again when it is)." : " (still being indexed).");
    if (limit) limit_partial_ = true;
}

void App::sort_mailbox() {
    if (!mailbox_) return;
    const int k = ask_key(std::string(sort_reverse_next_ ? "Rev-" : "") +
                          "Sort (d)ate/(f)rm/(r)ecv/(s)ubj/t(o)/(t)hread/(u)nsort/si(z)e/(F)lagged?: ");
    static constexpr std::pair<int, const char*> kMethods[] = {{'d', "date"}, {'f', "from"}, {'r', "date-received"},
                                                               {'s', "subject"}, {'o', "to"}, {'t', "threads"},
                                                               {'u', "unsorted"}, {'z', "size"}, {'F', "flagged"}};
    const bool reverse = sort_reverse_next_;
    sort_reverse_next_ = false;
    for (const auto& [key, name] : kMethods) {
        if (k != key) continue;
        std::optional<Mailbox::RowKey> at;
        if (auto r = current_row()) at = mailbox_->key_of(*r);
        mailbox_->set_sort(std::string(reverse ? "reverse-" : "") + name);
        keep_cursor_on(at);
        return;
    }
}

void App::sort_reverse() {
    sort_reverse_next_ = true;
    sort_mailbox();
}

void App::collapse_thread() {
    if (!mailbox_ || !mailbox_->size()) return;
    if (!mailbox_->threaded()) return error("Threading is not enabled.");
    std::size_t root_pos = cursor_;
    while (root_pos > 0 && mailbox_->entry_at(root_pos).shape.depth > 0) --root_pos;
    const std::size_t row = mailbox_->row_index(root_pos);
    mailbox_->toggle_collapse(root_pos);
    if (auto p = mailbox_->position_of_row(row)) cursor_ = *p;
}

void App::collapse_all() {
    if (!mailbox_ || !mailbox_->threaded()) return error("Threading is not enabled.");
    std::optional<Mailbox::RowKey> at;
    if (auto r = current_row()) at = mailbox_->key_of(*r);
    mailbox_->toggle_collapse_all();
    cursor_ = std::min(cursor_, mailbox_->size() ? mailbox_->size() - 1 : 0);
    keep_cursor_on(at);
}

// --- tags ---

void App::tag_entry() {
    if (screen_ != Screen::Index || !mailbox_ || !mailbox_->size()) return;
    const std::size_t row = mailbox_->row_index(cursor_);
    mailbox_->set_tag(row, !mailbox_->tagged(cursor_));
    if (cursor_ + 1 < mailbox_->size()) ++cursor_;
}

void App::tag_thread() {
    if (!mailbox_ || !mailbox_->size()) return;
    const auto rows = mailbox_->thread_rows(cursor_, false);
    const bool on = !mailbox_->tagged(cursor_);
    for (auto r : rows) mailbox_->set_tag(r, on);
}

void App::tag_pattern() {
    if (!mailbox_) return;
    auto text = ask("Tag messages matching: ", "", {}, &history_limit_);
    if (!text || text->empty()) return;
    const auto rows = mailbox_->matching(*text);
    for (auto r : rows) mailbox_->set_tag(r, true);
    info(std::to_string(rows.size()) + " messages tagged.");
    note_unsearched(false);
}

void App::untag_pattern() {
    if (!mailbox_) return;
    auto text = ask("Untag messages matching: ", "", {}, &history_limit_);
    if (!text || text->empty()) return;
    const auto rows = mailbox_->matching(*text);
    for (auto r : rows) mailbox_->set_tag(r, false);
    info(std::to_string(rows.size()) + " messages untagged.");
}

void App::tag_prefix() {
    if (!mailbox_ || mailbox_->counts().tagged == 0) return error("No tagged messages.");
    tag_prefix_ = true;
    info("tag-");
}

// --- flags, deletion, saving ---

void App::mark_rows(const std::vector<std::size_t>& rows, Flags::Bit bit, bool on, const std::string& what) {
    if (!mailbox_ || rows.empty()) return;
    mailbox_->begin_action(what);
    std::size_t changed = 0;
    for (auto r : rows) {
        const Flags f = mailbox_->row(r).flags;
        const Flags want = on ? f.with(bit) : f.without(bit);
        if (want == f) continue;
        if (auto problem = mailbox_->set_flags(r, want)) return error(*problem);
        ++changed;
    }
    if (rows.size() > 1) info(what + ": " + std::to_string(changed) + " messages.");
}

void App::after_delete() {
    // mutt's resolve: on to the next undeleted message
    if (screen_ == Screen::Index && !tag_prefix_) next_undeleted_quiet();
    else if (screen_ == Screen::Pager && !tag_prefix_) next_undeleted_quiet();
}

void App::delete_rows(const std::vector<std::size_t>& rows, bool on, const std::string& what) {
    mark_rows(rows, Flags::Trashed, on, what);
}

void App::delete_message() {
    const auto rows = action_rows();
    delete_rows(rows, true, "delete");
    if (rows.size() == 1) after_delete();
}

void App::undelete_message() {
    const auto rows = action_rows();
    delete_rows(rows, false, "undelete");
    if (rows.size() == 1) after_delete();
}

void App::delete_thread() {
    if (!mailbox_ || !mailbox_->size()) return;
    delete_rows(mailbox_->thread_rows(cursor_, false), true, "delete thread");
    after_delete();
}

void App::undelete_thread() {
    if (!mailbox_ || !mailbox_->size()) return;
    delete_rows(mailbox_->thread_rows(cursor_, false), false, "undelete thread");
}

void App::delete_subthread() {
    if (!mailbox_ || !mailbox_->size()) return;
    delete_rows(mailbox_->thread_rows(cursor_, true), true, "delete subthread");
    after_delete();
}

void App::delete_pattern() {
    if (!mailbox_) return;
    auto text = ask("Delete messages matching: ", "", {}, &history_limit_);
    if (!text || text->empty()) return;
    delete_rows(mailbox_->matching(*text), true, "delete");
}

void App::undelete_pattern() {
    if (!mailbox_) return;
    auto text = ask("Undelete messages matching: ", "", {}, &history_limit_);
    if (!text || text->empty()) return;
    delete_rows(mailbox_->matching(*text), false, "undelete");
}

void App::flag_message() {
    const auto rows = action_rows();
    if (rows.empty()) return;
    const bool on = !mailbox_->row(rows.front()).flags.has(Flags::Flagged);
    mark_rows(rows, Flags::Flagged, on, on ? "flag" : "unflag");
}

void App::toggle_new() {
    const auto rows = action_rows();
    if (rows.empty()) return;
    const bool read = !mailbox_->row(rows.front()).flags.has(Flags::Seen);
    mark_rows(rows, Flags::Seen, read, read ? "mark read" : "mark new");
    if (screen_ == Screen::Pager && !read) exit_screen();
}

namespace {
std::optional<Flags::Bit> flag_for_key(int k) {
    switch (k) {
        case 'N': case 'n': return Flags::Seen;
        case '!': case 'F': return Flags::Flagged;
        case 'D': case 'd': return Flags::Trashed;
        case 'r': case 'R': return Flags::Replied;
        default: return std::nullopt;
    }
}
}  // namespace

void App::set_flag() {
    const int k = ask_key("Set flag (N new, ! flagged, D deleted, r replied): ");
    const auto bit = flag_for_key(k);
    if (!bit) return;
    // "N" sets new, which clears Seen
    mark_rows(action_rows(), *bit, *bit != Flags::Seen, "set flag");
}

void App::clear_flag() {
    const int k = ask_key("Clear flag (N new, ! flagged, D deleted, r replied): ");
    const auto bit = flag_for_key(k);
    if (!bit) return;
    mark_rows(action_rows(), *bit, *bit == Flags::Seen, "clear flag");
}

void App::read_thread() {
    if (!mailbox_ || !mailbox_->size()) return;
    mark_rows(mailbox_->thread_rows(cursor_, false), Flags::Seen, true, "mark thread read");
    next_thread();
}

std::string App::folder_label(const FolderRef& ref) const {
    if (mailbox_ && !mailbox_->unified() && ref.account == mailbox_->folders()[0].account) return ref.folder;
    return ref.account->name + ":" + ref.folder;
}

std::optional<FolderRef> App::parse_folder_name(const std::string& typed) const {
    std::string name(trim(typed));
    if (!name.empty() && (name[0] == '=' || name[0] == '+')) name = name.substr(1);
    if (name.empty()) return std::nullopt;
    const Account* account = mailbox_ ? mailbox_->folders()[0].account : config_.default_account();
    if (const auto colon = name.find(':'); colon != std::string::npos) {
        if (const Account* a = config_.find_account(name.substr(0, colon))) {
            account = a;
            name = name.substr(colon + 1);
        }
    }
    if (name.empty() || name.find("..") != std::string::npos || name[0] == '/' || name[0] == '.') return std::nullopt;
    if (iequals(name, "inbox")) name = "INBOX";
    return FolderRef{account, name};
}

std::vector<std::string> App::folder_completions(const std::string& typed) const {
    std::string prefix = typed;
    std::string lead;
    if (!prefix.empty() && (prefix[0] == '=' || prefix[0] == '+')) {
        lead = prefix.substr(0, 1);
        prefix = prefix.substr(1);
    }
    std::vector<std::string> out;
    for (const auto& a : config_.accounts)
        for (const auto& f : local_folders(a)) {
            const std::string label = folder_label({&a, f});
            if (label.compare(0, prefix.size(), prefix) == 0) out.push_back(lead + label);
        }
    return out;
}

std::optional<FolderRef> App::ask_folder(const std::string& prompt, bool must_exist, const std::string& initial) {
    auto typed = ask(prompt, initial, [this](const std::string& t) { return folder_completions(t); }, &history_folder_);
    if (!typed || trim(*typed).empty()) return std::nullopt;
    if (trim(*typed) == "?") {
        build_browser();
        screen_stack_.push_back(screen_);
        screen_ = Screen::Browser;
        return std::nullopt;
    }
    auto ref = parse_folder_name(*typed);
    if (!ref) {
        error("'" + *typed + "' is not a folder name (Tab completes, ? lists them)");
        return std::nullopt;
    }
    const auto folders = local_folders(*ref->account);
    if (std::find(folders.begin(), folders.end(), ref->folder) == folders.end()) {
        if (must_exist) {
            error("No folder " + folder_label(*ref) + " here (Tab completes, ? lists them).");
            return std::nullopt;
        }
        auto create = confirm("Create " + folder_label(*ref) + "?", true);
        if (!create || !*create) return std::nullopt;
    }
    return ref;
}

void App::copy_or_save(bool then_delete) {
    const auto rows = action_rows();
    if (rows.empty()) return;
    const std::string verb = then_delete ? "Save" : "Copy";
    // save-hook (fcc-save-hook too, as mutt) gives the folder the prompt offers
    std::string offered;
    if (auto f = hook_folder(Hook::Event::Save, mailbox_->row(rows[0]))) offered = *f;
    else if (auto g = hook_folder(Hook::Event::FccSave, mailbox_->row(rows[0]))) offered = *g;
    auto target = ask_folder(verb + (rows.size() > 1 ? " tagged" : "") + " to mailbox ('?' for list): ", false, offered);
    if (!target) return;
    mailbox_->begin_action(std::string(then_delete ? "save" : "copy") + " to " + folder_label(*target));
    for (auto r : rows)
        if (auto problem = mailbox_->copy_to(r, *target, then_delete)) return error(*problem);
    info(std::to_string(rows.size()) + (rows.size() == 1 ? " message " : " messages ") + (then_delete ? "saved" : "copied") + " to " +
         folder_label(*target) + ".");
    bool into_open = false;
    for (const auto& ref : mailbox_->folders())
        if (ref == *target) into_open = true;
    if (into_open) reload_mailbox();
    if (then_delete && rows.size() == 1) after_delete();
}

void App::save_message() { copy_or_save(true); }
void App::copy_message() { copy_or_save(false); }

void App::undo() {
    if (!mailbox_) return;
    auto what = mailbox_->undo();
    if (!what) return error("Nothing to undo.");
    rescan_open_folders();  // an undone copy into an open folder removed its file: the scan takes its row out
    info("Undone: " + *what + ".");
}

// --- purge and sync ---

bool App::purge_deleted(bool asking) {
    if (!mailbox_) return true;
    const std::size_t deleted = mailbox_->counts().deleted;
    if (deleted == 0) return true;
    const std::string& mode = config_.options.purge;
    bool purge = mode == "yes";
    if (asking && (mode == "ask-yes" || mode == "ask-no")) {
        auto answer = confirm("Purge " + std::to_string(deleted) + " deleted message" + (deleted == 1 ? "" : "s") + "?", mode == "ask-yes");
        if (!answer) return false;
        purge = *answer;
    }
    if (purge) {
        const std::size_t n = mailbox_->purge();
        info(std::to_string(n) + " deleted message" + (n == 1 ? "" : "s") + " purged.");
        if (cursor_ >= mailbox_->size()) cursor_ = mailbox_->size() ? mailbox_->size() - 1 : 0;
    }
    return true;
}

void App::sync_all() {
    for (auto& [name, st] : accounts_) {
        st.syncing = true;
        st.worker->sync_now({});
    }
}

void App::sync_mailbox() {
    if (!purge_deleted(true)) return;
    sync_all();
    if (message_.empty()) info("Syncing...");
}

void App::quit() {
    if (!purge_deleted(true)) return;
    quit_ = true;
}

// --- folders ---

void App::change_folder() {
    auto ref = ask_folder("Open mailbox ('?' for list): ", true);
    if (!ref) return;
    if (!purge_deleted(true)) return;
    open_mailbox({*ref});
}

void App::toggle_unified_inbox() {
    if (mailbox_ && mailbox_->unified()) {
        if (!previous_folders_.empty()) open_mailbox(previous_folders_);
        return;
    }
    std::vector<FolderRef> inboxes;
    for (const auto& a : config_.accounts) {
        const auto folders = local_folders(a);
        if (std::find(folders.begin(), folders.end(), "INBOX") != folders.end()) inboxes.push_back({&a, "INBOX"});
    }
    if (inboxes.empty()) return error("No account has an INBOX here yet: sync first with $.");
    if (!purge_deleted(true)) return;
    open_mailbox(inboxes);
}

// --- pipe and shell ---

void App::pipe_message() {
    const auto rows = action_rows();
    if (rows.empty()) return;
    auto command = ask("Pipe to command: ", "", {}, &history_pipe_);
    if (!command || trim(*command).empty()) return;
    std::string input;
    for (auto r : rows) {
        const auto message = load_message(r);
        if (!message) return;
        input += message->bytes();
    }
    terminal_->suspend();
    int status = -1;
    try {
        status = run_in_terminal(*command, &input);
    } catch (const std::exception& e) {
        terminal_->resume();
        return error(e.what());
    }
    terminal_->resume(true);
    if (status != 0) error("'" + *command + "' exited with status " + std::to_string(status) + ".");
}

void App::shell_escape() {
    auto command = ask("Shell command: ", "", {}, &history_pipe_);
    if (!command || trim(*command).empty()) return;
    terminal_->suspend();
    try {
        run_in_terminal(*command);
    } catch (const std::exception& e) {
        terminal_->resume();
        return error(e.what());
    }
    terminal_->resume(true);
}

}  // namespace tern

namespace tern {

void App::next_undeleted_quiet() {
    if (!mailbox_) return;
    for (std::size_t p = cursor_ + 1; p < mailbox_->size(); ++p)
        if (!mailbox_->row_at(p).flags.has(Flags::Trashed)) {
            if (screen_ == Screen::Pager) return move_cursor_to(p);
            cursor_ = p;
            return;
        }
}

}  // namespace tern
