#include "ui/app.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "config/parser.hpp"
#include "config/vocabulary.hpp"
#include "core/error.hpp"
#include "mime/address.hpp"
#include "ui/line_editor.hpp"
#include "util/strings.hpp"
#include "util/utf8.hpp"
#include "util/width.hpp"

namespace tern {

App::App(Config config, EnvLookup env, UiOptions options)
    : config_(std::move(config)), env_(std::move(env)), ui_options_(std::move(options)), keymap_(Keymap::from_config(config_.bindings, config_.macros)),
      indexes_(env_) {
    sidebar_visible_ = config_.options.sidebar_visible;
    // tried without asking first; a key that needs its passphrase gets pinentry on the terminal
    crypto_ = std::make_unique<GpgmeBackend>(Prompting{true, [this] { if (terminal_) terminal_->suspend(); },
                                                        [this] { if (terminal_) terminal_->resume(); }});
    if (uses_autocrypt(config_)) {
        try {
            autocrypt_keyring_ = std::make_unique<GpgmeBackend>(false, autocrypt_home(env_));
            reading_crypto_ = std::make_unique<TwoKeyrings>(*crypto_, *autocrypt_keyring_);
        } catch (const Failure&) {
            // no place for the keyring: Autocrypt says why when a message is composed
        }
    }
    build_address_sets();
    format_ = std::make_unique<IndexFormat>(config_.options.index_format, my_addresses_);
}

void App::build_address_sets() {
    my_addresses_ = AddressSet({}, config_.options.alternates);
    for (const auto& a : config_.accounts)
        for (const auto& addr : parse_address_list(a.from)) my_addresses_.add(addr.email);
    lists_ = AddressSet({}, config_.options.lists);  // subscribe's are in lists too
    subscribed_ = AddressSet({}, config_.options.subscribe);
}

App::~App() {
    // workers finish the sync under way and stop; the terminal is given back last
    accounts_.clear();
    store_worker_.reset();
    terminal_.reset();
}

int run_reader(const Config& config, const EnvLookup& env, const UiOptions& options) {
    App app(config, env, options);
    return app.run();
}

int App::run() {
    const Account* account = ui_options_.account.empty() ? config_.default_account() : config_.find_account(ui_options_.account);
    if (!account) throw Failure(ErrorKind::Usage, "no account '" + ui_options_.account + "' in " + config_.path + " (valid: " +
                                                      join(config_.account_names(), ", ") + ")");
    terminal_ = std::make_unique<Terminal>();
    terminal_->apply_colors(config_.colors);
    compile_index_colors();
    compile_hooks();
    const std::string config_problem = message_is_error_ ? message_ : std::string();  // shown over "waiting for the first sync"
    // a worker per account: it syncs at once, then waits for new mail (IDLE) and syncs every check_interval
    for (const auto& a : config_.accounts) {
        AccountState& st = accounts_[a.name];
        st.worker = std::make_unique<AccountWorker>(a, env_, events_);
        st.syncing = true;
        if (config_.options.check_interval > 0) st.worker->watch({}, config_.options.check_interval);
        else st.worker->sync_now({});
    }
    store_worker_ = std::make_unique<StoreWorker>(env_, events_, config_.options.sort, config_.options.sort_aux);
    const std::string folder = ui_options_.folder.empty() ? "INBOX" : ui_options_.folder;
    if (!open_mailbox({{account, folder}}))
        info("waiting for the first sync of " + account->name + "/" + folder + "...");
    if (!config_problem.empty()) error(config_problem);
    if (ui_options_.mailto) compose_mailto(*ui_options_.mailto);
    while (!quit_) {
        if (!pushed_.empty()) {  // a macro's next step
            const MacroStep step = take_pushed();
            if (step.function.empty()) handle_key(step.key);
            else call(step.function);
            continue;
        }
        draw();
        const Input in = terminal_->read(mailbox_ ? -1 : 500, events_.wake_fd());
        if (in.kind == Input::Kind::Wake) handle_events();
        else if (in.kind == Input::Kind::Key && in.key != kKeyResize) {
            pushed_keys_ = 0;  // a key of the user's: whatever macros type now is new
            handle_key(in.key);
        }
        if (!mailbox_ && !quit_ && screen_ == Screen::Index) open_mailbox({{account, folder}});
    }
    if (saver_.busy()) {  // the user's file: finished, not cut off
        info("Waiting for the attachment being saved...");
        draw();
        saver_.wait();
    }
    terminal_.reset();
    return 0;
}

// --- drawing ---

const char* App::menu() const {
    switch (screen_) {
        case Screen::Index: return "index";
        case Screen::Pager: return "pager";
        case Screen::Help: return "generic";
        case Screen::Browser: return "browser";
        case Screen::Attach: return "attach";
        case Screen::Compose: return "compose";
        case Screen::Urls: return "url";
    }
    return "generic";
}

std::string App::help_line() const {
    struct Hint {
        const char* function;
        const char* label;
    };
    static constexpr Hint kIndex[] = {{"quit", "Quit"}, {"delete-message", "Del"}, {"undelete-message", "Undel"},
                                      {"save-message", "Save"}, {"mail", "Mail"}, {"reply", "Reply"},
                                      {"group-reply", "Group"}, {"undo", "Undo"}, {"help", "Help"}};
    static constexpr Hint kPager[] = {{"exit", "Exit"}, {"previous-page", "PrevPg"}, {"next-page", "NextPg"},
                                      {"view-attachments", "Attach"}, {"delete-message", "Del"}, {"reply", "Reply"},
                                      {"next-undeleted", "Next"}, {"help", "Help"}};
    static constexpr Hint kCompose[] = {{"send-message", "Send"}, {"exit", "Abort"}, {"edit-to", "To"}, {"edit-cc", "CC"},
                                        {"edit-subject", "Subj"}, {"attach-file", "Attach file"}, {"edit-message", "Edit"},
                                        {"postpone-message", "Postpone"}, {"help", "Help"}};
    static constexpr Hint kOther[] = {{"exit", "Exit"}, {"select-entry", "Select"}, {"help", "Help"}};
    static constexpr Hint kUrls[] = {{"exit", "Exit"}, {"select-entry", "Open"}, {"copy-url", "Copy"}, {"help", "Help"}};
    static constexpr Hint kAttach[] = {{"exit", "Exit"}, {"save-entry", "Save"}, {"pipe-entry", "Pipe"},
                                       {"view-attach", "View"}, {"help", "Help"}};
    std::string out;
    const auto add = [&](auto& hints) {
        for (const auto& h : hints) {
            const std::string key = keymap_.key_for(menu(), h.function);
            if (key.empty()) continue;
            if (!out.empty()) out += "  ";
            out += key + ":" + h.label;
        }
    };
    switch (screen_) {
        case Screen::Index: add(kIndex); break;
        case Screen::Pager: add(kPager); break;
        case Screen::Compose: add(kCompose); break;
        case Screen::Attach: add(kAttach); break;
        case Screen::Urls: add(kUrls); break;
        default: add(kOther); break;
    }
    return out;
}

std::string App::status_text() const {
    std::string s = "-*-tern: ";
    if (mailbox_) {
        const auto c = mailbox_->counts();
        s += mailbox_->name() + " [Msgs:" + std::to_string(c.total);
        if (c.unread) s += " New:" + std::to_string(c.unread);
        if (c.flagged) s += " Flag:" + std::to_string(c.flagged);
        if (c.deleted) s += " Del:" + std::to_string(c.deleted);
        if (c.tagged) s += " Tag:" + std::to_string(c.tagged);
        if (!mailbox_->limit().empty()) s += " Lim:" + std::to_string(c.shown);
        s += "]";
        s += " (" + mailbox_->sort() + ")";
        if (!mailbox_->limit().empty()) s += " limit: " + mailbox_->limit();
    } else {
        s += "no mailbox";
    }
    std::string net;
    for (const auto& [name, st] : accounts_) {
        std::string part;
        if (st.syncing) part = "syncing" + (st.progress.empty() ? std::string() : " " + st.progress);
        else if (st.offline) part = "offline";
        if (part.empty()) continue;
        if (!net.empty()) net += ", ";
        net += (accounts_.size() > 1 ? name + " " : std::string()) + part;
    }
    for (const auto& [key, what] : store_progress_) net += (net.empty() ? "" : ", ") + what;
    s += net.empty() ? " ---(online)" : " ---(" + net + ")";
    return s;
}

void App::draw_status(int row, const std::string& text) {
    std::string line = text;
    const int w = display_width(line);
    if (w < terminal_->cols()) line.append(static_cast<std::size_t>(terminal_->cols() - w), '-');
    terminal_->put(row, 0, line, Style::Status);
}

void App::draw_bottom() {
    const int row = terminal_->rows() - 1;
    if (prompt_cursor_ >= 0) {
        terminal_->put(row, 0, prompt_text_, Style::Prompt, display_width(prompt_text_));
        const int pw = display_width(prompt_text_);
        terminal_->put(row, pw, prompt_visible_, Style::Normal);
        if (!message_.empty()) terminal_->put(row - 1, 0, message_, Style::Message);  // completions, above the prompt
        terminal_->place_cursor(row, std::min(pw + prompt_cursor_, terminal_->cols() - 1));
        return;
    }
    terminal_->put(row, 0, message_, message_is_error_ ? Style::Error : Style::Message);
    terminal_->place_cursor(-1, 0);
}

void App::draw() {
    const int rows = terminal_->rows(), cols = terminal_->cols();
    if (rows < 4 || cols < 20) {
        terminal_->put(0, 0, "terminal too small", Style::Error);
        terminal_->show();
        return;
    }
    terminal_->put(0, 0, help_line(), Style::Status);
    switch (screen_) {
        case Screen::Index: {
            int left = 0;
            if (sidebar_visible_) {
                const int w = std::min(config_.options.sidebar_width, cols / 2);
                draw_sidebar(1, rows - 3, w);
                left = w + 1;
            }
            draw_index(1, rows - 3, left, cols - left);
            draw_status(rows - 2, status_text());
            break;
        }
        case Screen::Pager: draw_pager(); break;
        case Screen::Help: draw_help(); break;
        case Screen::Browser: draw_browser(); break;
        case Screen::Attach: draw_attach(); break;
        case Screen::Urls: draw_urls(); break;
        case Screen::Compose: draw_compose(); break;
    }
    draw_bottom();
    terminal_->show();
}

void App::draw_index(int first, int rows, int left, int width) {
    if (!mailbox_ || mailbox_->size() == 0) {
        for (int r = 0; r < rows; ++r) terminal_->put(first + r, left, r == 0 && mailbox_ ? "(no messages)" : "", Style::Normal, width);
        return;
    }
    const std::size_t n = mailbox_->size();
    if (cursor_ >= n) cursor_ = n - 1;
    const auto page = static_cast<std::size_t>(std::max(1, rows));
    if (cursor_ < top_) top_ = cursor_;
    if (cursor_ >= top_ + page) top_ = cursor_ - page + 1;
    if (n <= page) top_ = 0;
    else if (top_ + page > n) top_ = n - page;
    // the color rules over the rows in view: one matcher per rule and draw, not one per row
    std::vector<std::size_t> visible;
    for (std::size_t pos = top_; pos < std::min(n, top_ + page); ++pos) visible.push_back(mailbox_->row_index(pos));
    std::vector<std::vector<bool>> rule_hits;
    for (const auto& rule : index_colors_) rule_hits.push_back(mailbox_->matches(*rule.first, visible));
    std::string line;
    for (int r = 0; r < rows; ++r) {
        const std::size_t pos = top_ + static_cast<std::size_t>(r);
        if (pos >= n) {
            terminal_->put(first + r, left, "", Style::Normal, width);
            continue;
        }
        const MessageRow& row = mailbox_->row_at(pos);
        const bool tagged = mailbox_->tagged(pos);
        line.clear();
        format_->append(line, row, mailbox_->entry_at(pos), {pos + 1, tagged, mailbox_->hidden_under(pos)});
        Style style = Style::Normal;
        if (pos == cursor_) style = Style::Indicator;
        else if (tagged) style = Style::IndexTag;
        else if (row.flags.has(Flags::Trashed)) style = Style::IndexDeleted;
        else if (row.flags.has(Flags::Flagged)) style = Style::IndexFlagged;
        else if (!row.flags.has(Flags::Seen)) style = Style::IndexNew;
        if (pos != cursor_ && !tagged)
            for (std::size_t k = index_colors_.size(); k-- > 0;)  // the last line that matches wins
                if (rule_hits[k][static_cast<std::size_t>(r)]) {
                    style = index_colors_[k].second;
                    break;
                }
        terminal_->put(first + r, left, line, style, width);
    }
}

void App::compile_index_colors() {
    index_colors_.clear();
    int k = 0;
    for (const auto& rule : config_.colors) {
        if (!is_index_pattern_rule(rule) || k >= kIndexColorRules) continue;
        const Style style = static_cast<Style>(static_cast<int>(Style::IndexRule0) + k++);
        try {
            index_colors_.emplace_back(std::make_shared<Pattern>(parse_pattern(rule.pattern, static_cast<std::int64_t>(std::time(nullptr)))), style);
        } catch (const Failure& f) {
            error(rule.defined_at + ": color " + rule.object + ": " + f.error().summary);
        }
    }
}

// --- keys ---

void App::handle_key(int key) {
    if (key == 0x07 || (key == 0x1b && pending_keys_.empty() && false)) {  // ^G: abort a key sequence
        pending_keys_.clear();
        return;
    }
    pending_keys_.push_back(key);
    const Keymap::Result r = keymap_.lookup(menu(), pending_keys_);
    if (r.match == Keymap::Match::Prefix) return;
    const std::vector<int> keys = std::move(pending_keys_);
    pending_keys_.clear();
    if (r.match == Keymap::Match::None) {
        tag_prefix_ = false;
        const std::string help_key = keymap_.key_for(menu(), "help");
        error("Key is not bound (" + key_notation(keys) + ")." + (help_key.empty() ? "" : "  Press '" + help_key + "' for help."));
        return;
    }
    if (r.function == "jump" && keys.size() == 1 && keys[0] >= '0' && keys[0] <= '9') {
        auto answer = ask("Jump to message: ", std::string(1, static_cast<char>(keys[0])));
        if (!answer || !mailbox_) return;
        std::size_t n = 0;
        try {
            n = std::stoul(*answer);
        } catch (const std::exception&) {
            n = 0;
        }
        if (n == 0 || n > mailbox_->size()) error("Invalid message number.");
        else move_cursor_to(n - 1);
        return;
    }
    if (const auto i = macro_index(r.function)) {
        if (*i < config_.macros.size()) push_steps(config_.macros[*i].steps);
        return;
    }
    call(r.function);
}

void App::push_steps(const std::vector<MacroStep>& steps) {
    pushed_.insert(pushed_.begin(), steps.begin(), steps.end());  // before what was pushed earlier, as mutt does
}

MacroStep App::take_pushed() {
    MacroStep step = pushed_.front();
    pushed_.pop_front();
    // a macro that types its own key would run for ever: counted since the user's last key
    if (++pushed_keys_ > 10000) {
        pushed_.clear();
        error("A macro keeps typing itself (over 10000 keys): stopped.");
        return {0x07, {}};  // ^G: ends a key sequence or a prompt, does nothing else
    }
    return step;
}

void App::call(const std::string& function) {
    message_.clear();
    for (const auto& f : ui_functions()) {
        if (function != f.name) continue;
        const auto menus = split_words(f.menus);
        const bool here = std::find(menus.begin(), menus.end(), std::string(menu())) != menus.end() ||
                          std::find(menus.begin(), menus.end(), "generic") != menus.end();
        if (!here) continue;
        try {
            (this->*f.run)();
        } catch (const Failure& e) {
            error(e.error().summary);
        } catch (const std::exception& e) {
            error(std::string("internal error: ") + e.what());
        }
        if (function != "tag-prefix") tag_prefix_ = false;
        return;
    }
    tag_prefix_ = false;
    error("The function " + function + " is not available here.");
}

// --- worker events ---

void App::handle_events() {
    while (auto e = events_.try_pop()) handle_event(*e);
}

bool App::is_open(const std::string& account, const std::string& folder) const {
    if (mailbox_)
        for (const auto& ref : mailbox_->folders())
            if (ref.account->name == account && ref.folder == folder) return true;
    return false;
}

void App::handle_store_event(const WorkerEvent& e) {
    const std::string key = e.account + "/" + e.folder;
    const bool scan = e.kind == WorkerEvent::Kind::Scanned;
    if (!e.finished) {
        store_progress_[key] = !e.error.empty() ? e.folder + ": " + e.error
                               : (scan ? "scanning " : "indexing text of ") + e.folder + " " + std::to_string(e.done) + "/" +
                                     std::to_string(e.total);
    } else {
        store_progress_.erase(key);
        if (!e.error.empty()) error(e.error);
        else if (!e.notice.empty()) error(e.folder + ": " + e.notice);
    }
    if (!scan && e.error.empty()) text_left_[key] = e.finished ? 0 : e.total - std::min(e.done, e.total);
    if (scan && e.finished && e.changed) text_left_.erase(key);  // new messages: their text is indexed next
    if (!is_open(e.account, e.folder)) return;
    // the snapshot written from this reader's own order: the rows shown are that generation's, not behind
    if (e.seed_fingerprint) mailbox_->snapshot_seeded(*e.seed_fingerprint, e.seed_generation);
    using Clock = std::chrono::steady_clock;
    // a first scan's rows are shown as they come up to this many (the newest first): past it each re-read
    // would take this thread a second or more, and hold the rows and their threading beside the scan's own
    // lists (a million: 352 MB); the rest is shown when the scan ends
    constexpr std::size_t kFillShownUpTo = 100000;
    if (scan && !e.finished && e.done && e.total >= mailbox_->size() && mailbox_->size() < kFillShownUpTo) {
        // a first scan fills the folder: show what is there, but spend at most a tenth of the time re-reading
        // it (every row again). A scan adding fewer than are shown (new mail) is
        // shown when it ends, from the snapshot the store worker writes then: read from the database
        // now, a million rows would be read and threaded beside the ones the worker reads.
        const auto now = Clock::now();
        if (mailbox_->size() && now - partial_reload_at_ < std::max<Clock::duration>(std::chrono::seconds(1), 10 * partial_reload_took_))
            return;
        reload_mailbox(false);
        partial_reload_at_ = Clock::now();
        partial_reload_took_ = partial_reload_at_ - now;
    } else if (scan && e.finished && (e.changed || mailbox_->behind())) {
        // behind: a sync wrote rows since the ones shown were read (they are the snapshot's now)
        reload_mailbox(false, true);
    } else if (!scan && e.finished && limit_partial_ && mailbox_->limit_searches_text() && text_unindexed() == std::size_t{0}) {
        limit_partial_ = false;
        // a limit by message text asked before the text was indexed: done again, now that it is
        std::optional<Mailbox::RowKey> at;
        if (auto r = current_row()) at = mailbox_->key_of(*r);
        mailbox_->set_limit(mailbox_->limit());
        if (cursor_ >= mailbox_->size()) cursor_ = mailbox_->size() ? mailbox_->size() - 1 : 0;
        keep_cursor_on(at);
        info("Text indexed: the limit now searched every message (" + std::to_string(mailbox_->size()) + " match).");
    }
}

void App::handle_event(const WorkerEvent& e) {
    AccountState& st = accounts_[e.account];
    switch (e.kind) {
        case WorkerEvent::Kind::Scanned:
        case WorkerEvent::Kind::TextIndexed:
            handle_store_event(e);
            break;
        case WorkerEvent::Kind::Sync: {
            st.syncing = true;
            const SyncEvent& s = e.sync;
            if (s.kind == SyncEvent::Kind::FolderStarted) st.progress = s.folder;
            else if (s.kind == SyncEvent::Kind::Progress) st.progress = s.folder + " " + std::to_string(s.done) + "/" + std::to_string(s.total);
            else if (s.kind == SyncEvent::Kind::Notice) (s.warning ? static_cast<void>(error(s.text)) : info(s.text));
            else if (s.kind == SyncEvent::Kind::FolderDone) {
                const FolderSyncResult& r = s.result;
                bool open_here = false;
                if (mailbox_)
                    for (const auto& ref : mailbox_->folders())
                        if (ref.account->name == e.account && ref.folder == r.folder) open_here = true;
                if (r.fetched && r.folder == "INBOX") info("New mail in " + e.account + "/INBOX (" + std::to_string(r.unseen) + " unread).");
                if (r.fetched && r.unseen && r.folder != "Sent" && r.folder != "Trash" && r.folder != "Drafts") notify_new_mail(e.account, r);
                // the sync wrote the rows of what it changed: the store worker's scan brings the folder's
                // snapshot in line (patched, store/thread_patch), and its end reloads the rows from it. Not
                // read from the database here: at a million rows that is seconds on this thread and every
                // row threaded again beside the worker's patch (330 MB, not 290)
                if (open_here && r.changed()) rescan_open_folders();
                for (const auto& note : r.notes) info(e.account + "/" + r.folder + ": " + note);
            }
            break;
        }
        case WorkerEvent::Kind::Failed:
            st.failed_this_round = true;
            st.offline = true;
            error(e.error + " (working offline)");
            break;
        case WorkerEvent::Kind::Done:
            st.syncing = false;
            st.progress.clear();
            if (!st.failed_this_round) st.offline = false;
            st.failed_this_round = false;
            if (sidebar_visible_ || screen_ == Screen::Browser) build_browser();
            break;
        case WorkerEvent::Kind::Saved:
            attachment_saved(e);
            break;
        case WorkerEvent::Kind::BodyFetched: {
            if (!waiting_body_ || !mailbox_) break;
            const auto row = mailbox_->row_of(*waiting_body_);
            if (!row || mailbox_->folder_of(*row).account->name != e.account || mailbox_->row(*row).id != e.message) break;
            waiting_body_.reset();
            if (!e.error.empty()) {
                error(e.error);
                if (screen_ == Screen::Pager) exit_screen();
                break;
            }
            reload_mailbox(false);
            if (const auto again = mailbox_->row_of(mailbox_->key_of(*row))) {
                if (!mailbox_->path_of(*again).empty()) open_pager(*again);
            }
            break;
        }
    }
}

// --- prompts ---

std::optional<std::string> App::ask(const std::string& prompt, const std::string& initial, Completer complete,
                                    std::vector<std::string>* history) {
    LineEditor editor(initial, history);
    std::optional<std::string> result;
    prompt_text_ = prompt;
    std::vector<std::string> last_choices;
    for (;;) {
        const int width = std::max(1, terminal_->cols() - display_width(prompt) - 1);
        prompt_visible_ = editor.visible(width, prompt_cursor_);
        const auto outcome = editor.feed(next_key());
        if (outcome == LineEditor::Outcome::Done) {
            result = editor.text();
            break;
        }
        if (outcome == LineEditor::Outcome::Aborted) break;
        if (outcome == LineEditor::Outcome::Complete && complete) {
            const auto choices = complete(editor.text());
            if (choices.size() == 1) editor.set_text(choices[0]);
            else if (!choices.empty()) {
                const std::string common = common_prefix(choices);
                if (common.size() > editor.text().size()) editor.set_text(common);
                std::string list;
                const std::string typed = editor.text();
                const auto comma = typed.rfind(',');
                const std::string head = comma == std::string::npos ? "" : typed.substr(0, comma + 1) + " ";
                for (const auto& c : choices) list += (list.empty() ? "" : "  ") + (c.rfind(head, 0) == 0 ? c.substr(head.size()) : c);
                message_ = list;
                message_is_error_ = false;
            }
        }
    }
    prompt_cursor_ = -1;
    message_.clear();
    if (result && history && !result->empty() && (history->empty() || history->back() != *result)) history->push_back(*result);
    return result;
}

std::optional<bool> App::confirm(const std::string& question, bool default_yes) {
    const std::string prompt = question + (default_yes ? " ([yes]/no): " : " (yes/[no]): ");
    for (;;) {
        const int k = ask_key(prompt);
        if (k == 'y' || k == 'Y') return true;
        if (k == 'n' || k == 'N') return false;
        if (k == '\n') return default_yes;
        if (k == 0x07 || k == 0x1b || k == 0x03) return std::nullopt;
    }
}

int App::ask_key(const std::string& prompt) {
    prompt_text_ = prompt;
    prompt_visible_.clear();
    prompt_cursor_ = 0;
    const int key = next_key();
    prompt_cursor_ = -1;
    message_.clear();
    return key;
}

int App::next_key() {
    if (!pushed_.empty()) {  // a macro types into the prompt; a function in it ends the prompt first
        if (!pushed_.front().function.empty()) return 0x07;
        return take_pushed().key;
    }
    // a prompt waits here: the screen stays drawn and worker events keep arriving
    for (;;) {
        draw();
        const Input in = terminal_->read(-1, events_.wake_fd());
        if (in.kind == Input::Kind::Wake) handle_events();
        else if (in.kind == Input::Kind::Key && in.key != kKeyResize) return in.key;
    }
}


// --- ':' commands ---

void App::enter_command() {
    auto line = ask(":", "", {}, &history_command_);
    if (!line || line->empty()) return;
    std::string problem;
    if (!run_command_line(*line, true, problem)) return error(problem);
    const std::string first = split_words(*line).empty() ? std::string() : split_words(*line)[0];
    if (first != "push" && first != "exec") info(*line);
}

}  // namespace tern
