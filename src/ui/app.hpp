// The mail reader: screens (index, pager, help, folder list, attachments,
// compose), the keys that drive them, the prompts, and the account workers
// whose events it shows. One thread; it waits on the terminal and on the
// workers' wake-up descriptor together, so no key waits on the network.
// Functions that keys call are App members listed in one table
// (functions.cpp) that the help screen reads too.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/vocabulary.hpp"
#include "crypto/gpgme_backend.hpp"
#include "crypto/two_keyrings.hpp"
#include "mime/compose.hpp"
#include "mime/mailto.hpp"
#include "mime/secure_compose.hpp"
#include "store/address_book.hpp"
#include "store/autocrypt_keys.hpp"
#include "store/index_format.hpp"
#include "sync/store_worker.hpp"
#include "sync/worker.hpp"
#include "ui/attachment_saver.hpp"
#include "ui/keymap.hpp"
#include "store/mailbox.hpp"
#include "ui/pager.hpp"
#include "ui/terminal.hpp"
#include "util/regex.hpp"

namespace tern {

struct UiOptions {
    std::string account;  // -a
    std::string folder;   // -f
    std::optional<MailtoRequest> mailto;  // tern mailto:...: compose this once the index is up
};

class App;

// A function a key can call: its name (mutt's), the menus it works in, what it does.
struct UiFunction {
    const char* name;
    const char* menus;  // space separated
    const char* help;
    void (App::*run)();
};
const std::vector<UiFunction>& ui_functions();

class App {
public:
    App(Config config, EnvLookup env, UiOptions options);
    ~App();
    int run();

    // --- functions (one per key binding; see functions.cpp) ---
    // moving
    void next_entry();
    void previous_entry();
    void next_undeleted();
    void previous_undeleted();
    void next_page();
    void previous_page();
    void half_down();
    void half_up();
    void first_entry();
    void last_entry();
    void top_page();
    void middle_page();
    void bottom_page();
    void jump();
    void next_new_then_unread();
    void previous_new_then_unread();
    void next_thread();
    void previous_thread();
    void parent_message();
    void search();
    void search_reverse();
    void search_next();
    // screens
    void select_entry();
    void display_message();
    void exit_screen();
    void quit();
    void help();
    void redraw();
    void enter_command();
    void shell_escape();
    void change_folder();
    void toggle_unified_inbox();
    void sidebar_toggle();
    void sidebar_next();
    void sidebar_prev();
    void sidebar_open();
    // triage
    void delete_message();
    void undelete_message();
    void delete_thread();
    void undelete_thread();
    void delete_subthread();
    void delete_pattern();
    void undelete_pattern();
    void save_message();
    void copy_message();
    void flag_message();
    void toggle_new();
    void set_flag();
    void clear_flag();
    void read_thread();
    void tag_entry();
    void tag_thread();
    void tag_pattern();
    void untag_pattern();
    void tag_prefix();
    void limit();
    void sort_mailbox();
    void sort_reverse();
    void collapse_thread();
    void collapse_all();
    void sync_mailbox();
    void undo();
    void pipe_message();
    void view_attachments();
    void view_urls();
    void copy_url();
    // pager
    void next_line();
    void previous_line();
    void pager_top();
    void pager_bottom();
    void toggle_quoted();
    void skip_quoted();
    void search_toggle();
    // attachments
    void view_attach();
    void view_text();
    void save_entry();
    void pipe_entry();
    // compose
    void mail();
    void reply();
    void group_reply();
    void list_reply();
    void forward_message();
    void send_message();
    void attach_file();
    void detach_file();
    void edit_to();
    void edit_cc();
    void edit_bcc();
    void edit_subject();
    void edit_from();
    void edit_reply_to();
    void edit_message();
    void postpone_message();
    void recall_message();
    void create_alias();
    void pgp_menu();
    void smime_menu();

private:
    enum class Screen { Index, Pager, Help, Browser, Attach, Compose, Urls };

    struct AccountState {
        std::unique_ptr<AccountWorker> worker;
        bool syncing = false, offline = false, failed_this_round = false;
        std::string progress;  // "INBOX 120/3000"
    };

    struct ComposeState {
        const Account* account = nullptr;
        std::string from, to, cc, bcc, subject, reply_to;
        std::string in_reply_to;
        std::vector<std::string> references;
        std::vector<std::pair<std::string, std::string>> extra_headers;
        std::string body;
        std::vector<OutgoingAttachment> attachments;
        std::optional<Mailbox::RowKey> answers;  // the message replied to or forwarded
        Flags::Bit answer_flag = Flags::Replied;
        std::size_t cursor = 0;  // in the attachment list
        std::string recalled_from;  // the Drafts file this came from: removed once sent or postponed again
        // signing and encrypting (the p and S menus; the crypt_* options set where it starts)
        Security security;
        bool security_chosen = false;  // chosen in a menu: crypt_opportunistic_encrypt no longer decides
        bool opportunistic = false;
        std::string checked_for;       // what `key_check` was made for (addresses, choices)
        KeyCheck key_check;
        bool answers_encrypted = false;
        bool autocrypt = false;         // the account's autocrypt = yes
        std::string recommended_for;    // what `recommendation` was worked out for (the addresses)
        AutocryptRecommendation recommendation = AutocryptRecommendation::Disable;
    };
    // the crypt options' choices for a message begun; `answers_encrypted`: a reply to encrypted mail
    void init_security(ComposeState& s, bool answers_encrypted);
    // what y does, with opportunistic encryption decided, and its keys looked up (cached)
    Security effective_security(ComposeState& s);
    const KeyCheck& key_check(ComposeState& s, const Security& security);
    void security_menu(CryptoProtocol protocol);
    // the keys a choice uses: Autocrypt's for an Autocrypt message, else the user's keyring
    CryptoWriter& writer_for(ComposeState& s, const Security& security);
    AutocryptKeys& autocrypt_keys(const Account& account);
    AutocryptRecommendation autocrypt_recommendation(ComposeState& s);
    // a message's sender known to Autocrypt: its key into Autocrypt's keyring, so its signature verifies
    void learn_autocrypt_sender(const Account& account, std::string_view from);
    // the Autocrypt header on mail from an account with autocrypt = yes
    bool add_autocrypt_header(ComposeState& s, Draft& draft);
    std::vector<std::string> security_lines(ComposeState& s);
    std::string drafts_folder(const Account& account);
    // addresses: the book (aliases, the store's correspondents, query_command), built when first needed
    std::unique_ptr<AddressBook> book_;
    AddressBook& book();
    std::string alias_file() const;
    std::vector<std::string> address_completions(const std::string& typed);
    std::string expand_aliases(const std::string& list);
    // new mail: the command, the bell, and which folders got some since they were last opened
    void notify_new_mail(const std::string& account, const FolderSyncResult& result);
    std::vector<std::string> new_mail_folders_;  // "account/folder"

    struct BrowserEntry {
        std::string label;
        std::vector<FolderRef> folders;  // more than one: the unified inbox
        IndexDb::FolderCounts counts;
        int depth = 0;
    };

    // the main loop and its parts
    void draw();
    void draw_index(int first, int rows, int left, int width);
    void draw_sidebar(int first, int rows, int width);
    void draw_pager();
    void draw_help();
    void draw_browser();
    void draw_attach();
    void draw_compose();
    void draw_status(int row, const std::string& text);
    void draw_bottom();
    std::string help_line() const;
    std::string status_text() const;
    const char* menu() const;
    void handle_key(int key);
    void call(const std::string& function);
    void handle_events();
    void handle_event(const WorkerEvent& e);

    // prompts (each runs its own little loop, still taking worker events)
    using Completer = std::function<std::vector<std::string>(const std::string&)>;
    std::optional<std::string> ask(const std::string& prompt, const std::string& initial = "", Completer complete = {},
                                   std::vector<std::string>* history = nullptr);
    std::optional<bool> confirm(const std::string& question, bool default_yes);
    int ask_key(const std::string& prompt);
    int next_key();  // draws, takes worker events, returns the next key
    void info(const std::string& text) { message_ = text, message_is_error_ = false; }
    void error(const std::string& text) { message_ = text, message_is_error_ = true; }

    // the open mailbox
    bool open_mailbox(std::vector<FolderRef> folders);
    // Reads the open folders' rows again (the index database only); `rescan`:
    // and has the store worker scan their maildirs, which reloads again when it
    // finds something changed. `scanned`: a scan of them all has just finished.
    void reload_mailbox(bool rescan = true, bool scanned = false);
    void hand_over_snapshot_seed();  // Mailbox::take_snapshot_seed to the store worker
    void rescan_open_folders();  // the store worker scans them (and then indexes their text)
    // puts the cursor on that row again when it is still shown
    void keep_cursor_on(const std::optional<Mailbox::RowKey>& at);
    std::optional<std::size_t> current_row() const;
    // the rows an action applies to: the tagged ones after ';', else the current one
    std::vector<std::size_t> action_rows();
    void set_row_flag(Flags::Bit bit, int how, const std::string& what);  // how: 1 set, 0 clear, -1 toggle
    void mark_rows(const std::vector<std::size_t>& rows, Flags::Bit bit, bool on, const std::string& what);
    void move_cursor_to(std::size_t pos);
    void after_delete();
    void next_undeleted_quiet();
    std::optional<FolderRef> ask_folder(const std::string& prompt, bool must_exist, const std::string& initial = "");
    std::vector<std::string> folder_completions(const std::string& typed) const;
    std::optional<FolderRef> parse_folder_name(const std::string& name) const;
    std::string folder_label(const FolderRef& ref) const;
    void copy_or_save(bool then_delete);
    void delete_rows(const std::vector<std::size_t>& rows, bool on, const std::string& what);
    bool purge_deleted(bool asking);
    void sync_all();
    void index_search(bool reverse_direction, bool again);

    // the pager
    void open_pager(std::size_t row);
    void show_in_pager();
    RenderOptions render_options();
    std::optional<Message> load_message(std::size_t row);
    // Attachment i decoded into a new file (0600) a piece at a time; 0 or an errno.
    int save_attachment(std::size_t i, const std::string& path, bool overwrite, std::size_t* written = nullptr);
    // A Saved event of saver_: progress in the status line, or how it ended.
    void attachment_saved(const WorkerEvent& e);

    // the folder list
    void build_browser();
    void open_browser_entry(std::size_t i);

    // attachments
    struct AttachSource {
        std::shared_ptr<const Message> message;  // shared with a save still running
        std::vector<AttachmentInfo> list;
    };
    std::optional<std::string> attachment_data(std::size_t i);

    // composing
    void start_compose(ComposeState state, bool edit_first);
    bool run_editor(ComposeState& state);
    std::string editor_command() const;
    const Account* compose_account() const;
    void reply_with(int mode);  // 0 sender, 1 group, 2 list
    std::optional<Draft> draft_from(const ComposeState& state, std::string& problem);
    void edit_field(std::string ComposeState::*field, const std::string& prompt);
    // reply-hooks and send-hooks, then my_hdr, before the body is made
    void run_compose_hooks(ComposeState& s, const MessageRow* answered, bool answers_encrypted = false);
    void run_send2_hooks(ComposeState& s);
    void compose_mailto(const MailtoRequest& m);
    void apply_my_headers(ComposeState& s, const std::vector<MyHeader>& headers);
    std::string signature_block(const Account& account);  // "\n-- \nSIG", or "" (an error shown when it cannot be had)
    std::string reverse_from(const Headers& original, const Account& account) const;

    // hooks (app_hooks.cpp): compiled once per config change
    struct CompiledHook {
        Hook hook;
        std::shared_ptr<Pattern> pattern;  // message hooks
        std::shared_ptr<Regex> regex;      // folder-hook, account-hook
    };
    std::vector<CompiledHook> hooks_;
    void compile_hooks();
    // A ':' line (set, bind, push, exec, my_hdr, ...) applied to the running
    // reader; false with `problem` when it is wrong. From the prompt the open
    // folder is reloaded; from a hook only when the sort changed.
    bool run_command_line(const std::string& line, bool from_prompt, std::string& problem);
    void run_hook_command(const CompiledHook& h);
    void run_folder_hooks(const std::vector<FolderRef>& folders);
    void run_message_hooks(Hook::Event event, const MessageRow& row);
    bool hook_matches(const CompiledHook& h, const MessageRow& row) const;
    std::optional<std::string> hook_folder(Hook::Event event, const MessageRow& row) const;
    MessageRow row_of_draft(const ComposeState& s) const;

    Config config_;
    EnvLookup env_;
    // OpenPGP and S/MIME for the pager and compose: when a key needs its
    // passphrase, the screen is handed to gpg-agent's pinentry and back
    std::unique_ptr<GpgmeBackend> crypto_;
    // Autocrypt's keyring (store/autocrypt_keys), when an account uses it: the
    // pager reads with both keyrings, compose writes with each account's keys
    std::unique_ptr<GpgmeBackend> autocrypt_keyring_;
    std::unique_ptr<TwoKeyrings> reading_crypto_;
    std::map<std::string, std::unique_ptr<AutocryptKeys>> autocrypt_keys_;
    UiOptions ui_options_;
    Keymap keymap_;
    std::unique_ptr<Terminal> terminal_;
    AccountIndexes indexes_;
    EventQueue events_;
    AttachmentSaver saver_{events_};  // after events_: its thread reports there until it is joined
    std::map<std::string, AccountState> accounts_;
    // folder scans and text indexing, off this thread; what each is doing, by "account/folder"
    std::unique_ptr<StoreWorker> store_worker_;
    std::map<std::string, std::string> store_progress_;
    // while the open folder's first scan fills it: when its rows were last read, and how long that took
    std::chrono::steady_clock::time_point partial_reload_at_{};
    std::chrono::steady_clock::duration partial_reload_took_{};
    void handle_store_event(const WorkerEvent& e);
    bool is_open(const std::string& account, const std::string& folder) const;
    // after a search of message text: says when part of it is not indexed yet
    void note_unsearched(bool limit);
    // per "account/folder": how many messages' text is not indexed yet, as the store worker last said
    // (none: it has not said since the folder last changed)
    std::map<std::string, std::size_t> text_left_;
    std::optional<std::size_t> text_unindexed() const;  // over the open folders; nothing when not known
    bool limit_partial_ = false;  // the limit was done before the text was indexed: done again after
    std::unique_ptr<Mailbox> mailbox_;
    std::vector<FolderRef> previous_folders_;
    AddressSet my_addresses_;  // every account's From, and alternates
    AddressSet lists_;         // lists and subscribe
    AddressSet subscribed_;    // subscribe
    void build_address_sets();
    std::unique_ptr<IndexFormat> format_;
    // `color index FG BG PATTERN` lines, compiled, each with its style
    std::vector<std::pair<std::shared_ptr<Pattern>, Style>> index_colors_;
    void compile_index_colors();
    Screen screen_ = Screen::Index;
    std::vector<Screen> screen_stack_;
    std::size_t cursor_ = 0, top_ = 0;
    std::optional<Mailbox::RowKey> pager_row_;
    std::optional<Mailbox::RowKey> waiting_body_;  // asked the worker for this message's body
    Pager pager_;
    std::vector<std::string> help_lines_;
    std::size_t help_top_ = 0;
    std::vector<BrowserEntry> browser_;
    std::size_t browser_cursor_ = 0, browser_top_ = 0;
    bool sidebar_visible_ = false;
    std::size_t sidebar_cursor_ = 0;
    AttachSource attach_;
    std::size_t attach_cursor_ = 0;
    // the URL list of the message it was opened on
    std::vector<std::string> urls_;
    std::size_t url_cursor_ = 0;
    void draw_urls();
    void open_url();
    std::string url_command() const;
    std::optional<ComposeState> compose_;
    std::vector<int> pending_keys_;
    // what a macro, `push` or `exec` typed: taken before the terminal's keys
    std::deque<MacroStep> pushed_;
    std::size_t pushed_keys_ = 0;  // steps taken since the user's last key
    void push_steps(const std::vector<MacroStep>& steps);
    MacroStep take_pushed();
    bool tag_prefix_ = false, quit_ = false, sort_reverse_next_ = false;
    std::string message_;
    bool message_is_error_ = false;
    std::string search_text_;
    bool search_reverse_ = false;
    std::vector<std::string> history_search_, history_limit_, history_command_, history_folder_, history_pipe_;
    // a prompt under way, drawn on the bottom line
    std::string prompt_text_;
    std::string prompt_visible_;
    int prompt_cursor_ = -1;
};

// tern [-a ACCOUNT] [-f FOLDER]: the reader.
int run_reader(const Config& config, const EnvLookup& env, const UiOptions& options);

}  // namespace tern
