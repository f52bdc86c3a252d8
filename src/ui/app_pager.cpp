// The pager, the attachment list, the help screen and the folder list.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "mime/mailcap.hpp"
#include "mime/mime_types.hpp"
#include "ui/app.hpp"
#include "ui/folder_order.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/subprocess.hpp"
#include "util/utf8.hpp"
#include "util/width.hpp"

namespace tern {

RenderOptions App::render_options() {
    RenderOptions options = render_options_from(config_.options);
    options.crypto = reading_crypto_ ? static_cast<CryptoBackend*>(reading_crypto_.get()) : crypto_.get();
    const EnvLookup env = env_;
    options.viewer = [env, viewer = std::shared_ptr<MailcapViewer>()](const ContentType& type, std::string_view data) mutable {
        if (!viewer) viewer = std::make_shared<MailcapViewer>(MailcapViewer::from_files(env));
        return viewer->render(type, data);
    };
    return options;
}

std::optional<Message> App::load_message(std::size_t row) {
    const std::string path = mailbox_->path_of(row);
    if (path.empty()) {
        error("Only the headers of this message are here: open it to fetch its body.");
        return std::nullopt;
    }
    int err = 0;
    auto message = Message::from_file(path, &err);  // a big one is mapped, not read
    if (!message) error("Cannot read " + path + ": " + std::strerror(err) + " (press $ to sync: another program may have moved it)");
    return message;
}

void App::open_pager(std::size_t row) {
    if (!mailbox_) return;
    pager_row_ = mailbox_->key_of(row);
    if (auto p = mailbox_->position_of_row(row)) cursor_ = *p;
    if (screen_ != Screen::Pager) {
        screen_stack_.push_back(screen_);
        screen_ = Screen::Pager;
    }
    run_message_hooks(Hook::Event::Message, mailbox_->row(row));  // before rendering: a hook may change ignore, headers, ...
    if (mailbox_->path_of(row).empty()) {
        // a body that cache_bodies did not keep: the worker fetches it, the pager waits without blocking
        const FolderRef ref = mailbox_->folder_of(row);
        waiting_body_ = mailbox_->key_of(row);
        pager_.close();
        accounts_[ref.account->name].worker->fetch_body(ref.folder, mailbox_->row(row).id);
        info("Fetching the message from the server...");
        return;
    }
    auto message = load_message(row);
    if (!message) return exit_screen();
    if (const Account* account = mailbox_->folder_of(row).account) learn_autocrypt_sender(*account, mailbox_->row(row).from_addr());
    pager_.open(std::move(*message), render_options());
    pager_.layout(terminal_->cols());
    const Flags f = mailbox_->row(row).flags;
    if (!f.has(Flags::Seen)) {
        mailbox_->begin_action("read");
        if (auto problem = mailbox_->set_flags(row, f.with(Flags::Seen))) error(*problem);
    }
}

void App::display_message() {
    if (!mailbox_ || !mailbox_->size()) return error("No messages.");
    if (mailbox_->collapsed(cursor_)) return collapse_thread();
    open_pager(mailbox_->row_index(cursor_));
}

void App::select_entry() {
    switch (screen_) {
        case Screen::Index: return display_message();
        case Screen::Browser: return open_browser_entry(browser_cursor_);
        case Screen::Attach: return view_attach();
        case Screen::Urls: return open_url();
        case Screen::Pager: return next_line();
        default: return;
    }
}

void App::exit_screen() {
    if (screen_ == Screen::Index) {
        // x in the index: leave without purging (mutt's exit)
        if (auto ok = confirm("Exit tern without purging deleted messages?", true); ok && *ok) quit_ = true;
        return;
    }
    if (screen_ == Screen::Compose) {
        auto abort = confirm("Abort this message?", true);
        if (!abort || !*abort) return;
        compose_.reset();
        info("Message aborted.");
    }
    if (screen_ == Screen::Pager) {
        pager_.close();
        pager_row_.reset();
        waiting_body_.reset();
    }
    screen_ = screen_stack_.empty() ? Screen::Index : screen_stack_.back();
    if (!screen_stack_.empty()) screen_stack_.pop_back();
    if (screen_ == Screen::Pager && !pager_.is_open()) exit_screen();
}

void App::draw_pager() {
    const int rows = terminal_->rows() - 3;
    pager_.layout(terminal_->cols());
    if (!pager_.is_open()) {
        for (int r = 0; r < rows; ++r) terminal_->put(1 + r, 0, r == 0 ? "[-- fetching the message from the server... --]" : "", Style::Attachment);
    } else {
        pager_.draw(*terminal_, 1, rows);
    }
    std::string status = "-*-tern: ";
    if (mailbox_ && pager_row_)
        if (auto r = mailbox_->row_of(*pager_row_)) {
            const MessageRow& row = mailbox_->row(*r);
            if (auto p = mailbox_->position_of_row(*r)) status += std::to_string(*p + 1) + "/" + std::to_string(mailbox_->size()) + ": ";
            status += std::string(row.author()) + "   " + std::string(row.subject());
        }
    if (pager_.is_open()) {
        const std::size_t total = pager_.line_count();
        const std::size_t shown_to = std::min(total, pager_.top() + static_cast<std::size_t>(rows));
        status += shown_to >= total ? "   -- (end)" : "   -- (" + std::to_string(total ? shown_to * 100 / total : 100) + "%)";
    }
    draw_status(terminal_->rows() - 2, status);
}

void App::next_line() {
    if (screen_ == Screen::Help) return static_cast<void>(help_top_ += 1);
    if (!pager_.scroll(1, terminal_->rows() - 3)) error("Bottom of message is shown.");
}

void App::previous_line() {
    if (screen_ == Screen::Help) return static_cast<void>(help_top_ = help_top_ ? help_top_ - 1 : 0);
    if (!pager_.scroll(-1, terminal_->rows() - 3)) error("Top of message is shown.");
}

void App::pager_top() { pager_.to_top(); }
void App::pager_bottom() { pager_.to_bottom(terminal_->rows() - 3); }
void App::toggle_quoted() { pager_.toggle_quoted(); }
void App::skip_quoted() {
    if (!pager_.skip_quoted(terminal_->rows() - 3)) error("No more unquoted text after quoted text.");
}
void App::search_toggle() { pager_.toggle_search_highlight(); }

// --- attachments ---

void App::view_attachments() {
    const auto row = current_row();
    if (!row) return;
    auto message = load_message(*row);
    if (!message) return;
    attach_.message = std::make_shared<const Message>(std::move(*message));
    attach_.list = list_attachments(*attach_.message);
    // mime_lookup: a part sent as a type that says nothing (application/octet-stream) is what its name says
    std::optional<MimeTypes> mime_types;
    for (auto& a : attach_.list) {
        const auto& lookup = config_.options.mime_lookup;
        if (a.filename.empty() || std::find(lookup.begin(), lookup.end(), to_lower(a.type)) == lookup.end()) continue;
        if (!mime_types) mime_types = MimeTypes::from_files(env_);
        if (auto t = mime_types->type_for(a.filename)) a.type = *t;
    }
    attach_cursor_ = 0;
    screen_stack_.push_back(screen_);
    screen_ = Screen::Attach;
}

void App::draw_attach() {
    const int rows = terminal_->rows() - 3;
    for (int r = 0; r < rows; ++r) {
        const std::size_t i = static_cast<std::size_t>(r);
        if (i >= attach_.list.size()) {
            terminal_->put(1 + r, 0, "", Style::Normal);
            continue;
        }
        const auto& a = attach_.list[i];
        const std::string name = a.filename.empty() ? "(no name)" : terminal_safe(a.filename);
        const std::string line = (a.number < 10 ? "  " : " ") + std::to_string(a.number) + " " + fit_columns(name, 30) + " [" + a.type + ", " +
                                 human_size(a.size) + "]";
        terminal_->put(1 + r, 0, line, i == attach_cursor_ ? Style::Indicator : Style::Normal);
    }
    draw_status(terminal_->rows() - 2, "-*-tern: attachments (" + std::to_string(attach_.list.size()) + ")");
}

std::optional<std::string> App::attachment_data(std::size_t i) {
    if (!attach_.message || i >= attach_.list.size()) return std::nullopt;
    const Part* part = attachment_part(*attach_.message, attach_.list[i].number);
    if (!part) return std::nullopt;
    return part->decoded_body();
}

int App::save_attachment(std::size_t i, const std::string& path, bool overwrite, std::size_t* written) {
    if (!attach_.message || i >= attach_.list.size()) return ENOENT;
    const Part* part = attachment_part(*attach_.message, attach_.list[i].number);
    if (!part) return ENOENT;
    if (written) *written = 0;
    // a piece at a time: a 200 MB attachment is never whole in memory
    return write_new_file_by_pieces(path, 0600, overwrite, [&](const PieceWriter& write) {
        return decode_body_to(*attach_.message, *part, [&](std::string_view piece) {
            if (written) *written += piece.size();
            return write(piece);
        });
    });
}

void App::view_text() {
    auto data = attachment_data(attach_cursor_);
    if (!data) return;
    // shown by the pager as a message of its own, so charsets and wrapping work as for mail
    const Part* part = attachment_part(*attach_.message, attach_.list[attach_cursor_].number);
    std::string bytes = "Content-Type: text/plain; charset=" + part->charset() + "\nContent-Transfer-Encoding: binary\n\n" + *data;
    pager_.open(Message(std::move(bytes)), render_options());
    pager_.layout(terminal_->cols());
    screen_stack_.push_back(screen_);
    screen_ = Screen::Pager;
}

void App::view_attach() {
    if (attach_cursor_ >= attach_.list.size()) return;
    const auto& a = attach_.list[attach_cursor_];
    const ContentType type = parse_content_type(a.type);
    if (type.type == "text" && type.subtype == "plain") return view_text();
    // the user's mailcap viewer (not copiousoutput: it takes the terminal), on a private copy of the data
    std::vector<MailcapEntry> entries;
    for (const auto& path : mailcap_paths(env_))
        if (auto text = read_file(path)) {
            auto more = parse_mailcap(*text);
            entries.insert(entries.end(), more.begin(), more.end());
        }
    const MailcapEntry* chosen = nullptr;
    for (const auto& e : entries)
        if (mailcap_type_matches(e.type, a.type) && e.test.empty()) {
            chosen = &e;
            break;
        }
    if (!chosen) {
        if (type.type == "text" || type.type == "message") return view_text();
        return error("No mailcap entry for " + a.type + ": save it with s, or pipe it with |.");
    }
    char dir_template[] = "/tmp/tern-view-XXXXXX";
    if (!::mkdtemp(dir_template)) return error(std::string("cannot make a temporary folder: ") + std::strerror(errno));
    const std::string path = std::string(dir_template) + "/" + safe_filename(a.filename.empty() ? "attachment" : a.filename);
    if (const int err = save_attachment(attach_cursor_, path, false)) {
        ::rmdir(dir_template);
        return error("cannot write " + path + ": " + std::strerror(err));
    }
    terminal_->suspend();
    try {
        run_in_terminal(expand_mailcap_command(chosen->command, path, type));
    } catch (const std::exception& e) {
        error(e.what());
    }
    terminal_->resume(chosen->copiousoutput);
    ::unlink(path.c_str());
    ::rmdir(dir_template);
}

void App::save_entry() {
    if (!attach_.message || attach_cursor_ >= attach_.list.size()) return;
    const auto& a = attach_.list[attach_cursor_];
    auto answer = ask("Save to file: ", safe_filename(a.filename.empty() ? "attachment" : a.filename));
    if (!answer || trim(*answer).empty()) return;
    const std::string path = expand_tilde(std::string(trim(*answer)), env_);
    bool overwrite = false;
    if (::access(path.c_str(), F_OK) == 0) {
        auto over = confirm("File exists, overwrite?", false);
        if (!over || !*over) return;
        overwrite = true;
    }
    if (saver_.busy()) return error("An attachment is being saved: try again when it is done.");
    const Part* part = attachment_part(*attach_.message, a.number);
    if (!part) return;
    // on a thread of its own: a big one takes seconds, and keys go on meanwhile
    saver_.start(attach_.message, *part, path, overwrite, a.size);
    info("Saving " + path + " (" + human_size(a.size) + ")...");
}

void App::attachment_saved(const WorkerEvent& e) {
    if (!e.finished) {
        const std::size_t percent = e.total ? std::min<std::size_t>(99, e.done * 100 / e.total) : 0;
        return info("Saving " + e.folder + ": " + std::to_string(percent) + "% (" + human_size(e.done) + ")");
    }
    if (!e.error.empty()) return error(e.error);
    info("Saved " + e.folder + " (" + human_size(e.done) + ").");
}

void App::pipe_entry() {
    auto data = attachment_data(attach_cursor_);
    if (!data) return;
    auto command = ask("Pipe to command: ", "", {}, &history_pipe_);
    if (!command || trim(*command).empty()) return;
    terminal_->suspend();
    try {
        run_in_terminal(*command, &*data);
    } catch (const std::exception& e) {
        error(e.what());
    }
    terminal_->resume(true);
}

// --- help ---

void App::help() {
    if (screen_ == Screen::Help) return;
    help_lines_.clear();
    const std::string m = menu();
    // the user's macros first, then every binding by function
    for (const auto& [key, function] : keymap_.bindings(m))
        if (const auto i = macro_index(function); i && *i < config_.macros.size()) {
            const Macro& macro = config_.macros[*i];
            help_lines_.push_back(fit_columns(key, 12) + " " + fit_columns("macro", 26) + " " +
                                  (macro.description.empty() ? macro.sequence : macro.description + ": " + macro.sequence));
        }
    for (const auto& [key, function] : keymap_.bindings(m)) {
        if (macro_index(function)) continue;
        std::string description;
        for (const auto& f : ui_functions())
            if (function == f.name) description = f.help;
        help_lines_.push_back(fit_columns(key, 12) + " " + fit_columns(function, 26) + " " + description);
    }
    help_lines_.push_back("");
    help_lines_.push_back("Functions without a key (bind KEY to one with: bind " + m + " KEY FUNCTION):");
    for (const auto& f : ui_functions()) {
        const auto menus = split_words(f.menus);
        if (std::find(menus.begin(), menus.end(), m) == menus.end() && std::find(menus.begin(), menus.end(), "generic") == menus.end()) continue;
        if (keymap_.key_for(m, f.name).empty()) help_lines_.push_back(fit_columns("", 12) + " " + fit_columns(f.name, 26) + " " + f.help);
    }
    help_top_ = 0;
    screen_stack_.push_back(screen_);
    screen_ = Screen::Help;
}

void App::draw_help() {
    const int rows = terminal_->rows() - 3;
    if (help_top_ + 1 > help_lines_.size()) help_top_ = help_lines_.empty() ? 0 : help_lines_.size() - 1;
    for (int r = 0; r < rows; ++r) {
        const std::size_t i = help_top_ + static_cast<std::size_t>(r);
        terminal_->put(1 + r, 0, i < help_lines_.size() ? help_lines_[i] : "", Style::Normal);
    }
    const std::string menu_name = screen_stack_.empty() ? "index" : std::string(
        screen_stack_.back() == Screen::Pager ? "pager" : screen_stack_.back() == Screen::Compose ? "compose" :
        screen_stack_.back() == Screen::Attach ? "attach" : screen_stack_.back() == Screen::Browser ? "browser" :
        screen_stack_.back() == Screen::Urls ? "url" : "index");
    draw_status(terminal_->rows() - 2, "-*-tern: help for the " + menu_name + " (q leaves)");
}

void App::redraw() { terminal_->resume(); }

// --- folder list and sidebar ---

void App::build_browser() {
    browser_.clear();
    std::vector<FolderRef> inboxes;
    for (const auto& a : config_.accounts) {
        const auto folders = order_folders(local_folders(a), a.name, config_.options.mailboxes);
        browser_.push_back({a.name, {}, {}, 0});
        IndexDb& index = indexes_.of(a);
        for (const auto& f : folders) {
            BrowserEntry e{f, {{&a, f}}, index.folder_counts(index.folder_id(a.name, f)), 1};
            browser_.push_back(std::move(e));
            if (f == "INBOX") inboxes.push_back({&a, f});
        }
    }
    if (inboxes.size() > 1) {
        BrowserEntry unified{"unified inbox", inboxes, {}, 0};
        for (const auto& ref : inboxes) {
            IndexDb& index = indexes_.of(*ref.account);
            const auto c = index.folder_counts(index.folder_id(ref.account->name, ref.folder));
            unified.counts.total += c.total;
            unified.counts.unread += c.unread;
        }
        browser_.insert(browser_.begin(), std::move(unified));
    }
    if (browser_cursor_ >= browser_.size()) browser_cursor_ = browser_.empty() ? 0 : browser_.size() - 1;
    if (sidebar_cursor_ >= browser_.size()) sidebar_cursor_ = browser_.empty() ? 0 : browser_.size() - 1;
}

void App::open_browser_entry(std::size_t i) {
    if (i >= browser_.size()) return;
    if (browser_[i].folders.empty()) return error("That is an account: choose one of its folders.");
    if (!purge_deleted(true)) return;
    open_mailbox(browser_[i].folders);
}

void App::draw_browser() {
    const int rows = terminal_->rows() - 3;
    if (browser_cursor_ < browser_top_) browser_top_ = browser_cursor_;
    if (browser_cursor_ >= browser_top_ + static_cast<std::size_t>(rows)) browser_top_ = browser_cursor_ - static_cast<std::size_t>(rows) + 1;
    for (int r = 0; r < rows; ++r) {
        const std::size_t i = browser_top_ + static_cast<std::size_t>(r);
        if (i >= browser_.size()) {
            terminal_->put(1 + r, 0, "", Style::Normal);
            continue;
        }
        const BrowserEntry& e = browser_[i];
        std::string line;
        if (e.folders.empty()) line = e.label + ":";
        else {
            bool fresh = false;
            for (const auto& ref : e.folders)
                fresh |= std::find(new_mail_folders_.begin(), new_mail_folders_.end(), ref.account->name + "/" + ref.folder) != new_mail_folders_.end();
            line = std::string(fresh ? "N " : "  ") + std::string(static_cast<std::size_t>(e.depth) * 2, ' ') + fit_columns(e.label, 40) + " " +
                   std::to_string(e.counts.unread) + " unread / " + std::to_string(e.counts.total);
        }
        Style st = i == browser_cursor_ ? Style::Indicator : e.counts.unread ? Style::IndexNew : Style::Normal;
        terminal_->put(1 + r, 0, line, st);
    }
    draw_status(terminal_->rows() - 2, "-*-tern: folders (Enter opens)");
}

void App::draw_sidebar(int first, int rows, int width) {
    if (browser_.empty()) build_browser();
    for (int r = 0; r < rows; ++r) {
        const std::size_t i = static_cast<std::size_t>(r);
        std::string line;
        Style st = Style::Normal;
        if (i < browser_.size()) {
            const BrowserEntry& e = browser_[i];
            if (e.folders.empty()) line = e.label;
            else {
                const std::string counts = e.counts.unread ? std::to_string(e.counts.unread) + "/" + std::to_string(e.counts.total)
                                                           : std::to_string(e.counts.total);
                const int cw = display_width(counts);
                bool fresh = false;
                for (const auto& ref : e.folders)
                    fresh |= std::find(new_mail_folders_.begin(), new_mail_folders_.end(), ref.account->name + "/" + ref.folder) != new_mail_folders_.end();
                line = fit_columns(std::string(fresh ? "N" : " ") + std::string(static_cast<std::size_t>(e.depth), ' ') + e.label,
                                   std::max(1, width - cw - 1)) + " " + counts;
            }
            bool open_now = mailbox_ && e.folders == mailbox_->folders();
            if (i == sidebar_cursor_) st = Style::SidebarIndicator;
            else if (open_now) st = Style::Indicator;
            else if (e.counts.unread) st = Style::SidebarNew;
        }
        terminal_->put(first + r, 0, line, st, width);
        terminal_->put(first + r, width, "|", Style::Normal, 1);
    }
}

void App::sidebar_toggle() {
    sidebar_visible_ = !sidebar_visible_;
    if (sidebar_visible_) build_browser();
}

void App::sidebar_next() {
    if (!sidebar_visible_) sidebar_toggle();
    if (sidebar_cursor_ + 1 < browser_.size()) ++sidebar_cursor_;
}

void App::sidebar_prev() {
    if (!sidebar_visible_) sidebar_toggle();
    if (sidebar_cursor_ > 0) --sidebar_cursor_;
}

void App::sidebar_open() {
    if (!sidebar_visible_) return sidebar_toggle();
    open_browser_entry(sidebar_cursor_);
}

}  // namespace tern
