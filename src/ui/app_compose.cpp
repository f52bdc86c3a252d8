// Writing mail: new messages, replies (to the sender, the group, the list)
// and forwards are written in the user's editor with their headers, then
// the compose menu sends them through the outbox (so it works offline),
// attaches files, or postpones them to Drafts.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "core/error.hpp"
#include "mime/address.hpp"
#include "mime/charset.hpp"
#include "mime/encoded_words.hpp"
#include "mime/reply.hpp"
#include "sync/outbox.hpp"
#include "ui/app.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/subprocess.hpp"
#include "util/utf8.hpp"
#include "util/width.hpp"

namespace tern {
namespace {

std::string address_list(const std::vector<Address>& list) {
    std::vector<std::string> parts;
    for (const auto& a : list) parts.push_back(format_address(a));
    return join(parts, ", ");
}

std::vector<std::string> file_completions(const std::string& typed, const EnvLookup& env) {
    const std::string path = expand_tilde(typed, env);
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    const std::string start = slash == std::string::npos ? path : path.substr(slash + 1);
    std::vector<std::string> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return out;
    while (const dirent* e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n == "." || n == ".." || n.compare(0, start.size(), start) != 0) continue;
        if (n[0] == '.' && (start.empty() || start[0] != '.')) continue;
        std::string full = (slash == std::string::npos ? "" : dir) + n;
        struct stat st {};
        if (::stat(full.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) full += "/";
        out.push_back(full);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

const Account* App::compose_account() const {
    if (auto r = current_row()) return mailbox_->folder_of(*r).account;
    if (mailbox_) return mailbox_->folders()[0].account;
    return config_.default_account();
}

std::string App::editor_command() const {
    if (!config_.options.editor.empty()) return config_.options.editor;
    if (auto v = env_("VISUAL"); v && !v->empty()) return *v;
    if (auto e = env_("EDITOR"); e && !e->empty()) return *e;
    return "vi";
}

bool App::run_editor(ComposeState& s) {
    const std::string tmpdir = env_("TMPDIR").value_or("/tmp");
    std::string path = (tmpdir.empty() ? std::string("/tmp") : tmpdir) + "/tern-compose-XXXXXX";
    const int fd = ::mkstemp(path.data());  // 0600: a draft is private
    if (fd < 0) throw Failure(ErrorKind::Io, "cannot make a file for the editor in " + tmpdir + ": " + std::strerror(errno));
    std::string text = "From: " + s.from + "\nTo: " + s.to + "\nCc: " + s.cc + "\nBcc: " + s.bcc + "\nSubject: " + s.subject + "\n";
    if (!s.reply_to.empty()) text += "Reply-To: " + s.reply_to + "\n";
    for (const auto& [name, value] : s.extra_headers) text += name + ": " + value + "\n";
    text += "\n" + s.body;
    const bool written = write_all(fd, text);
    ::close(fd);
    if (!written) {
        ::unlink(path.c_str());
        throw Failure(ErrorKind::Io, "cannot write the draft to " + path + ": " + std::strerror(errno));
    }
    terminal_->suspend();
    int status = -1;
    try {
        status = run_in_terminal(editor_command() + " " + shell_quote(path));
    } catch (const std::exception& e) {
        terminal_->resume();
        ::unlink(path.c_str());
        throw Failure(ErrorKind::Io, std::string("cannot start the editor: ") + e.what());
    }
    terminal_->resume();
    auto edited = read_file(path);
    ::unlink(path.c_str());
    if (status != 0) throw Failure(ErrorKind::Io, "the editor (" + editor_command() + ") exited with status " + std::to_string(status) + "; the message was not changed");
    if (!edited) throw Failure(ErrorKind::Io, "the edited message is gone");
    const bool changed = *edited != text;
    // the header block the user edited, then the body
    std::string rest = *edited;
    s.extra_headers.clear();
    s.from = s.to = s.cc = s.bcc = s.subject = s.reply_to = "";
    std::size_t pos = 0;
    std::string* last = nullptr;
    while (pos < rest.size()) {
        auto end = rest.find('\n', pos);
        if (end == std::string::npos) end = rest.size();
        const std::string line = rest.substr(pos, end - pos);
        if (line.empty()) {
            pos = end + 1;
            break;
        }
        if ((line[0] == ' ' || line[0] == '\t') && last) {
            *last += " " + std::string(trim(line));
        } else {
            const auto colon = line.find(':');
            if (colon == std::string::npos || colon == 0) break;  // not a header: the body starts here
            const std::string name(trim(line.substr(0, colon)));
            const std::string value(trim(line.substr(colon + 1)));
            last = nullptr;
            if (iequals(name, "From")) last = &(s.from = value);
            else if (iequals(name, "To")) last = &(s.to = value);
            else if (iequals(name, "Cc")) last = &(s.cc = value);
            else if (iequals(name, "Bcc")) last = &(s.bcc = value);
            else if (iequals(name, "Subject")) last = &(s.subject = value);
            else if (iequals(name, "Reply-To")) last = &(s.reply_to = value);
            else if (!value.empty()) {
                s.extra_headers.emplace_back(name, value);
                last = &s.extra_headers.back().second;
            }
        }
        pos = end + 1;
    }
    s.body = pos < rest.size() ? rest.substr(pos) : std::string();
    return changed;
}

void App::start_compose(ComposeState state, bool edit_first) {
    if (state.from.empty()) state.from = state.account->from;
    if (edit_first) {
        const bool changed = run_editor(state);
        if (!changed) return info("Aborted unmodified message.");
        run_send2_hooks(state);
    }
    compose_ = std::move(state);
    if (screen_ != Screen::Compose) {
        screen_stack_.push_back(screen_);
        screen_ = Screen::Compose;
    }
}

void App::run_compose_hooks(ComposeState& s, const MessageRow* answered, bool answers_encrypted) {
    if (s.from.empty()) s.from = s.account->from;
    if (answered) run_message_hooks(Hook::Event::Reply, *answered);  // mutt: reply-hooks before send-hooks
    run_message_hooks(Hook::Event::Send, row_of_draft(s));
    apply_my_headers(s, config_.options.my_headers);
    init_security(s, answers_encrypted);  // after the hooks: a send-hook may set crypt_autosign
}

// my_hdr lines: From and Reply-To replace, To Cc Bcc add, the rest are extra headers
void App::apply_my_headers(ComposeState& s, const std::vector<MyHeader>& headers) {
    for (const auto& h : headers) {
        const auto add_to = [&h](std::string& list) { list = list.empty() ? h.value : list + ", " + h.value; };
        if (iequals(h.name, "From")) s.from = h.value;
        else if (iequals(h.name, "Reply-To")) s.reply_to = h.value;
        else if (iequals(h.name, "To")) add_to(s.to);
        else if (iequals(h.name, "Cc")) add_to(s.cc);
        else if (iequals(h.name, "Bcc")) add_to(s.bcc);
        else if (iequals(h.name, "Subject")) {
            if (s.subject.empty()) s.subject = h.value;
        } else {
            std::erase_if(s.extra_headers, [&h](const auto& e) { return iequals(e.first, h.name); });
            s.extra_headers.emplace_back(h.name, h.value);
        }
    }
}

// send2-hooks run after each edit; a my_hdr they add or change goes into the
// message (those already there were the user's to edit or delete)
void App::run_send2_hooks(ComposeState& s) {
    const std::vector<MyHeader> before = config_.options.my_headers;
    run_message_hooks(Hook::Event::Send2, row_of_draft(s));
    std::vector<MyHeader> added;
    for (const auto& h : config_.options.my_headers)
        if (std::none_of(before.begin(), before.end(), [&h](const MyHeader& b) { return iequals(b.name, h.name) && b.value == h.value; }))
            added.push_back(h);
    apply_my_headers(s, added);
}

std::string App::signature_block(const Account& account) {
    // the account's own signature, else the global one (which a send-hook may set)
    const std::string& sig = account.signature.empty() ? config_.options.signature : account.signature;
    if (sig.empty()) return {};
    std::string text;
    if (sig.back() == '|') {
        const std::string command(trim(std::string_view(sig).substr(0, sig.size() - 1)));
        try {
            const CommandResult r = run_shell_command(command, std::chrono::seconds(5));
            if (r.timed_out || r.exit_status != 0) {
                error("signature: '" + command + "' " + (r.timed_out ? "took longer than 5 seconds" : "exited with status " + std::to_string(r.exit_status)) +
                      "; the message has no signature");
                return {};
            }
            text = r.out;
        } catch (const std::exception& e) {
            error("signature: cannot run '" + command + "': " + e.what());
            return {};
        }
    } else {
        int err = 0;
        auto file = read_file(sig, &err);
        if (!file) {
            error("signature: cannot read " + sig + ": " + std::strerror(err) + "; the message has no signature");
            return {};
        }
        text = std::move(*file);
    }
    if (text.empty()) return {};
    if (text.back() != '\n') text += '\n';
    return config_.options.sig_dashes ? "\n-- \n" + text : "\n" + text;
}

void App::mail() {
    ComposeState s;
    s.account = compose_account();
    if (!s.account) return;
    auto to = ask("To: ", "", [this](const std::string& t) { return address_completions(t); });
    if (!to) return;
    s.to = *to;
    auto subject = ask("Subject: ", "");
    if (!subject) return;
    s.subject = *subject;
    run_compose_hooks(s, nullptr);
    s.body = signature_block(*s.account);
    start_compose(std::move(s), true);
}

// tern mailto:...: the fields of the URI, the hooks and the signature, then the editor
void App::compose_mailto(const MailtoRequest& m) {
    ComposeState s;
    s.account = compose_account();
    if (!s.account) return;
    s.to = m.to;
    s.cc = m.cc;
    s.bcc = m.bcc;
    s.subject = m.subject;
    if (!m.in_reply_to.empty()) {
        s.in_reply_to = m.in_reply_to;
        s.references = {m.in_reply_to};
    }
    run_compose_hooks(s, nullptr);
    s.body = m.body + (m.body.empty() || m.body.back() == '\n' ? "" : "\n") + signature_block(*s.account);
    try {
        start_compose(std::move(s), true);
    } catch (const Failure& f) {
        error(f.error().summary);
    }
}

void App::reply_with(int mode) {
    const auto row = current_row();
    if (!row) return;
    auto original = load_message(*row);
    if (!original) return;
    const Headers h = original->headers();  // kept: the message itself goes to the renderer
    const ReplyMode rm = mode == 0 ? ReplyMode::Sender : mode == 1 ? ReplyMode::Group : ReplyMode::List;
    const ReplyRecipients who = reply_recipients(h, rm, my_addresses_, lists_);
    if (!who.ok) return error(who.problem);
    ComposeState s;
    s.account = mailbox_->folder_of(*row).account;
    s.to = address_list(who.to);
    s.cc = address_list(who.cc);
    s.subject = reply_subject(mailbox_->row(*row).subject());
    const ThreadHeaders th = reply_thread_headers(h);
    s.in_reply_to = th.in_reply_to;
    s.references = th.references;
    if (config_.options.reverse_name) s.from = reverse_from(h, *s.account);
    const MessageRow answered = mailbox_->row(*row);
    const ContentType& top = original->root().type;
    const std::string* smime_type = top.params.get("smime-type");
    const bool encrypted = top.is("multipart", "encrypted") ||
                           ((top.is("application", "pkcs7-mime") || top.is("application", "x-pkcs7-mime")) &&
                            !(smime_type && iequals(*smime_type, "signed-data")));
    run_compose_hooks(s, &answered, encrypted);
    Pager render;
    render.open(std::move(*original), render_options());
    s.body = quote_for_reply(h, render.body_text(), config_.options.attribution) + signature_block(*s.account);
    s.answers = mailbox_->key_of(*row);
    s.answer_flag = Flags::Replied;
    start_compose(std::move(s), true);
}

// reverse_name: the reply comes from the address of mine the message was sent
// to, with the account's name (mutt's behaviour); else the account's From.
std::string App::reverse_from(const Headers& h, const Account& account) const {
    const auto mine = parse_address_list(account.from);
    const std::string name = mine.empty() ? std::string() : mine[0].name;
    for (const char* field : {"To", "Cc", "Delivered-To"})
        if (const std::string* v = h.get(field))
            for (const auto& a : parse_address_list(*v))
                if (my_addresses_.contains(a.email)) return format_address(Address{a.name.empty() ? name : a.name, a.email});
    return account.from;
}

void App::reply() { reply_with(0); }
void App::group_reply() { reply_with(1); }
void App::list_reply() { reply_with(2); }

void App::forward_message() {
    const auto row = current_row();
    if (!row) return;
    auto original = load_message(*row);
    if (!original) return;
    ComposeState s;
    s.account = mailbox_->folder_of(*row).account;
    auto to = ask("To: ", "", [this](const std::string& t) { return address_completions(t); });
    if (!to) return;
    s.to = *to;
    s.subject = config_.options.forward_format.empty() ? forward_subject(mailbox_->row(*row).subject())
                                                       : format_about_message(config_.options.forward_format, original->headers());
    run_compose_hooks(s, nullptr);
    Pager render;
    const Headers headers = original->headers();
    render.open(std::move(*original), render_options());
    s.body = forward_inline(headers, render.body_text()) + signature_block(*s.account);
    s.answers = mailbox_->key_of(*row);
    s.answer_flag = Flags::Passed;
    start_compose(std::move(s), true);
}

void App::recall_message() {
    const Account* account = compose_account();
    if (!account) return;
    const std::string folder = drafts_folder(*account);
    const std::string root = account->maildir + "/" + folder;
    struct stat st {};
    if (::stat((root + "/cur").c_str(), &st) != 0) return error("No postponed messages.");
    Maildir drafts(root, false);
    auto entries = drafts.list();
    if (entries.empty()) return error("No postponed messages.");
    for (auto& e : entries) drafts.stat_entry(e);
    std::sort(entries.begin(), entries.end(), [](const MaildirEntry& a, const MaildirEntry& b) { return a.mtime > b.mtime; });
    const std::string path = entries.front().path(root);
    auto bytes = read_file(path);
    if (!bytes) return error("Cannot read " + path);
    const Message outer(std::move(*bytes));
    const Headers& h = outer.headers();
    // a draft kept encrypted (to ourselves) is opened in memory
    std::optional<Message> opened;
    const ContentType& top = outer.root().type;
    if ((top.is("multipart", "encrypted") && outer.root().children.size() == 2) || top.is("application", "pkcs7-mime")) {
        const bool smime = top.type == "application";
        CryptoBackend& keys = reading_crypto_ ? static_cast<CryptoBackend&>(*reading_crypto_) : *crypto_;
        DecryptResult r = keys.decrypt(smime ? outer.root().decoded_body() : outer.root().children[1].decoded_body(),
                                  smime ? CryptoProtocol::Smime : CryptoProtocol::OpenPgp);
        if (!r.ok) return error("Cannot decrypt the postponed message " + path + ": " + r.problem);
        opened.emplace(std::move(r.plaintext));
    }
    const Message& m = opened ? *opened : outer;
    const auto header = [&h](const char* name) {
        const std::string* v = h.get(name);
        return v ? decode_header_text(*v) : std::string();
    };
    ComposeState s;
    s.account = account;
    s.from = header("From");
    s.to = header("To");
    s.cc = header("Cc");
    s.bcc = header("Bcc");
    s.subject = header("Subject");
    s.reply_to = header("Reply-To");
    s.in_reply_to = header("In-Reply-To");
    for (const auto& id : split_words(header("References"))) s.references.push_back(id);
    // the first text part is the message; the other leaves are its attachments
    const auto parts = list_attachments(m);
    for (const auto& a : parts) {
        const Part* part = attachment_part(m, a.number);
        if (!part) continue;
        if (a.number == 1 && part->type.type == "text" && part->filename.empty()) {
            s.body = to_utf8(part->decoded_body(), part->charset()).text;
            continue;
        }
        s.attachments.push_back({a.filename.empty() ? "attachment" : a.filename, a.type, part->decoded_body()});
    }
    s.recalled_from = path;
    init_security(s, false);
    if (const std::string* kept = h.get(kSecurityHeader)) {
        s.security = parse_security_header(*kept, s.security);
        s.security_chosen = true;
    }
    start_compose(std::move(s), false);
    if (entries.size() > 1) info("Recalled the newest of " + std::to_string(entries.size()) + " postponed messages (in " + folder + ").");
}

std::optional<Draft> App::draft_from(const ComposeState& s, std::string& problem) {
    Draft d;
    const auto from = parse_address_list(s.from);
    if (from.empty() || from[0].email.find('@') == std::string::npos) {
        problem = "the From address '" + s.from + "' is not an address (press f to edit it)";
        return std::nullopt;
    }
    d.from = from[0];
    const auto parse = [&problem](const std::string& field, const std::string& value, std::vector<Address>& out) {
        out = parse_address_list(value);
        for (const auto& a : out)
            if (a.email.find('@') == std::string::npos || a.email.find(' ') != std::string::npos) {
                problem = field + ": '" + (a.email.empty() ? value : a.email) + "' is not an address";
                return false;
            }
        return true;
    };
    if (!parse("To", expand_aliases(s.to), d.to) || !parse("Cc", expand_aliases(s.cc), d.cc) || !parse("Bcc", expand_aliases(s.bcc), d.bcc) ||
        !parse("Reply-To", expand_aliases(s.reply_to), d.reply_to))
        return std::nullopt;
    d.subject = s.subject;
    d.body = s.body;
    d.in_reply_to = s.in_reply_to;
    d.references = s.references;
    d.extra_headers = s.extra_headers;
    d.attachments = s.attachments;
    const std::time_t now = std::time(nullptr);
    d.date = static_cast<std::int64_t>(now);
    std::tm tm{};
    if (localtime_r(&now, &tm)) d.utc_offset_minutes = static_cast<int>(tm.tm_gmtoff / 60);
    return d;
}

void App::send_message() {
    if (!compose_) return;
    ComposeState& s = *compose_;
    std::string problem;
    auto draft = draft_from(s, problem);
    if (!draft) return error(problem);
    if (draft->to.empty() && draft->cc.empty() && draft->bcc.empty()) return error("No recipients are specified!");
    if (trim(s.subject).empty()) {
        auto go = confirm("No subject, send anyway?", false);
        if (!go || !*go) return;
    }
    if (!s.account->send) return error("account " + s.account->name + " has no send = server in " + config_.path + ": add one, or postpone with P");
    // signed and/or encrypted as chosen; a key missing stops it here, nothing goes out in the clear
    const Security security = effective_security(s);
    if (!add_autocrypt_header(s, *draft)) return;
    const SecuredMail mail = secure_mail(*draft, security, writer_for(s, security));
    if (mail.copies.empty()) return error(mail.problem + " (p changes what is done)");
    // fcc-hook (or fcc-save-hook) chooses the folder of the copy kept once it is sent
    const MessageRow sent_row = row_of_draft(s);
    std::string fcc = hook_folder(Hook::Event::Fcc, sent_row).value_or(hook_folder(Hook::Event::FccSave, sent_row).value_or(""));
    queue_messages(*s.account, indexes_.of(*s.account), mail.copies, fcc);  // durable before anything else happens
    if (!s.recalled_from.empty()) ::unlink(s.recalled_from.c_str());  // sent: the draft has done its work
    if (s.answers && mailbox_)
        if (auto r = mailbox_->row_of(*s.answers)) mailbox_->set_flags(*r, mailbox_->row(*r).flags.with(s.answer_flag), false);
    AccountState& st = accounts_[s.account->name];
    st.syncing = true;
    st.worker->sync_now({});
    compose_.reset();
    screen_ = screen_stack_.empty() ? Screen::Index : screen_stack_.back();
    if (!screen_stack_.empty()) screen_stack_.pop_back();
    info(st.offline ? "Mail queued: it goes out when " + s.account->name + "'s server can be reached." : "Mail queued for sending; sending now...");
}

std::string App::drafts_folder(const Account& account) {
    std::string folder = account.roles.drafts;
    if (folder.empty()) folder = indexes_.of(account).role_folder(account.name, "drafts");
    return folder.empty() ? "Drafts" : folder;
}

void App::postpone_message() {
    if (!compose_) return;
    ComposeState& s = *compose_;
    std::string problem;
    auto draft = draft_from(s, problem);
    if (!draft) return error(problem);
    draft->write_bcc = true;
    // what was chosen comes back with the draft (mutt's X-Mutt-PGP); mail to be
    // encrypted (a reply quoting decrypted text, say) is kept encrypted to you alone
    const Security security = effective_security(s);
    if (s.security_chosen || security.any()) draft->extra_headers.emplace_back(kSecurityHeader, security_header(security));
    std::string bytes;
    if (security.encrypt) {
        const SecuredMail kept = encrypt_to_self(*draft, security, writer_for(s, security));
        if (kept.copies.empty()) return error(kept.problem + "; the message stays here (send it, or clear encryption with p)");
        bytes = kept.copies.front().bytes;
    } else {
        bytes = compose_message(*draft);
    }
    const std::string folder = drafts_folder(*s.account);
    Maildir drafts(s.account->maildir + "/" + folder, true);
    drafts.deliver(crlf_to_lf(bytes), Flags().with(Flags::Draft).with(Flags::Seen), true);
    if (!s.recalled_from.empty()) ::unlink(s.recalled_from.c_str());  // the new draft replaces the one recalled
    compose_.reset();
    screen_ = screen_stack_.empty() ? Screen::Index : screen_stack_.back();
    if (!screen_stack_.empty()) screen_stack_.pop_back();
    info("Message postponed to " + folder + ".");
}

void App::attach_file() {
    if (!compose_) return;
    auto path = ask("Attach file: ", "", [this](const std::string& t) { return file_completions(t, env_); });
    if (!path || trim(*path).empty()) return;
    const std::string file = expand_tilde(std::string(trim(*path)), env_);
    int err = 0;
    auto data = read_file(file, &err);
    if (!data) return error("Cannot attach " + file + ": " + std::strerror(err));
    const auto slash = file.rfind('/');
    compose_->attachments.push_back({slash == std::string::npos ? file : file.substr(slash + 1), "", std::move(*data)});
    compose_->cursor = compose_->attachments.size() - 1;
}

void App::detach_file() {
    if (!compose_ || compose_->attachments.empty()) return error("No attachments to remove (the message text stays).");
    compose_->attachments.erase(compose_->attachments.begin() + static_cast<long>(compose_->cursor));
    if (compose_->cursor >= compose_->attachments.size() && compose_->cursor > 0) --compose_->cursor;
}

void App::edit_field(std::string ComposeState::*field, const std::string& prompt) {
    if (!compose_) return;
    const bool addresses = field != &ComposeState::subject;
    auto value = addresses ? ask(prompt, (*compose_).*field, [this](const std::string& t) { return address_completions(t); })
                           : ask(prompt, (*compose_).*field);
    if (value) (*compose_).*field = *value;
}

void App::edit_to() { edit_field(&ComposeState::to, "To: "); }
void App::edit_cc() { edit_field(&ComposeState::cc, "Cc: "); }
void App::edit_bcc() { edit_field(&ComposeState::bcc, "Bcc: "); }
void App::edit_subject() { edit_field(&ComposeState::subject, "Subject: "); }
void App::edit_from() { edit_field(&ComposeState::from, "From: "); }
void App::edit_reply_to() { edit_field(&ComposeState::reply_to, "Reply-To: "); }

void App::edit_message() {
    if (!compose_) return;
    run_editor(*compose_);
    run_send2_hooks(*compose_);
}

void App::draw_compose() {
    const int rows = terminal_->rows() - 3;
    std::vector<std::pair<std::string, Style>> lines;
    if (compose_) {
        ComposeState& s = *compose_;
        lines.emplace_back("    From: " + s.from, Style::Normal);
        lines.emplace_back("      To: " + s.to, Style::Normal);
        lines.emplace_back("      Cc: " + s.cc, Style::Normal);
        lines.emplace_back("     Bcc: " + s.bcc, Style::Normal);
        lines.emplace_back(" Subject: " + s.subject, Style::Normal);
        lines.emplace_back("Reply-To: " + s.reply_to, Style::Normal);
        lines.emplace_back(" Account: " + s.account->name + (s.account->send ? " (" + s.account->send->display() + ")" : " (no send server)"), Style::Normal);
        for (const auto& l : security_lines(s)) lines.emplace_back(l, l.rfind(" Problem:", 0) == 0 ? Style::Error : Style::Normal);
        lines.emplace_back("-- Attachments", Style::Header);
        lines.emplace_back("  - [text/plain, " + human_size(s.body.size()) + "] the message text (e edits it)", Style::Normal);
        for (std::size_t i = 0; i < s.attachments.size(); ++i)
            lines.emplace_back(std::string(i == s.cursor ? "> " : "  ") + std::to_string(i + 1) + " [" + human_size(s.attachments[i].data.size()) +
                                   "] " + terminal_safe(s.attachments[i].filename),
                               i == s.cursor ? Style::Indicator : Style::Normal);
    }
    for (int r = 0; r < rows; ++r) {
        const std::size_t i = static_cast<std::size_t>(r);
        if (i < lines.size()) terminal_->put(1 + r, 0, terminal_safe(lines[i].first), lines[i].second);
        else terminal_->put(1 + r, 0, "", Style::Normal);
    }
    draw_status(terminal_->rows() - 2, "-*-tern: compose (y sends, q aborts)");
}

}  // namespace tern
