// mutt's hooks: config lines that run when something happens. folder-hook
// and account-hook when a folder opens, message-hook before a message is
// shown, send-hook when a message is begun, send2-hook after each edit,
// reply-hook when the message answers one; save-hook and fcc-hook choose a
// folder. Matching hooks run in the order the config gives them, and what
// they set stays set, as in mutt (so a config begins with a `.` hook that
// sets the defaults back).
#include <ctime>

#include "config/lexer.hpp"
#include "config/parser.hpp"
#include "core/error.hpp"
#include "mime/address.hpp"
#include "ui/app.hpp"
#include "util/strings.hpp"

namespace tern {

void App::compile_hooks() {
    hooks_.clear();
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    for (const Hook& h : config_.hooks) {
        CompiledHook c;
        c.hook = h;
        try {
            if (h.event == Hook::Event::Folder || h.event == Hook::Event::Account) {
                std::string problem;
                c.regex = std::make_shared<Regex>(h.pattern, true, problem);
                if (!c.regex->ok()) throw Failure(ErrorKind::Usage, "bad regular expression: " + problem);
            } else {
                c.pattern = std::make_shared<Pattern>(parse_pattern(h.pattern, now));
            }
        } catch (const Failure& f) {
            error(h.defined_at + ": " + f.error().summary);
            continue;
        }
        hooks_.push_back(std::move(c));
    }
}

bool App::run_command_line(const std::string& input, bool from_prompt, std::string& problem) {
    const auto commands = split_config_commands(input);  // mutt's "set sort = date; push <last-entry>"
    if (commands.size() > 1) {
        for (const auto& c : commands)
            if (!trim(c).empty() && !run_command_line(std::string(trim(c)), from_prompt, problem)) return false;
        return true;
    }
    const std::string& line = input;
    const std::vector<std::string> words = split_words(line);
    if (!words.empty() && (words[0] == "push" || words[0] == "exec")) {
        const std::string rest(trim(std::string_view(line).substr(line.find(words[0]) + words[0].size())));
        std::string text = rest;
        if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) text = text.substr(1, text.size() - 2);
        if (words[0] == "exec") {
            std::vector<MacroStep> steps;
            for (const auto& f : split_words(text)) {
                if (!is_function(menu(), f)) return problem = "exec: unknown function '" + f + "' in menu " + menu(), false;
                steps.push_back({0, f});
            }
            if (steps.empty()) return problem = "exec: name a function (e.g. exec sync-mailbox)", false;
            push_steps(steps);
            return true;
        }
        std::string bad;
        const auto steps = parse_macro_sequence(text, menu(), &bad);
        if (!steps) {
            problem = bad.empty() ? "push: bad key sequence '" + text + "'" : "push: '<" + bad + ">' is neither a key nor a function here";
            return false;
        }
        push_steps(*steps);
        return true;
    }
    try {
        const Config updated = apply_config_line(config_, line, env_, real_config_files());
        const bool hooks_changed = updated.hooks.size() != config_.hooks.size() ||
                                   !std::equal(updated.hooks.begin(), updated.hooks.end(), config_.hooks.begin(), [](const Hook& a, const Hook& b) {
                                       return a.event == b.event && a.negated == b.negated && a.pattern == b.pattern && a.command == b.command;
                                   });
        config_.options = updated.options;
        config_.bindings = updated.bindings;
        config_.macros = updated.macros;
        config_.colors = updated.colors;
        config_.hooks = updated.hooks;
        if (hooks_changed) compile_hooks();
        build_address_sets();  // alternates, lists
        keymap_ = Keymap::from_config(config_.bindings, config_.macros);
        if (terminal_) terminal_->apply_colors(config_.colors);
        compile_index_colors();
        sidebar_visible_ = config_.options.sidebar_visible;
        format_ = std::make_unique<IndexFormat>(config_.options.index_format, my_addresses_);
        if (mailbox_) {
            const bool resort = mailbox_->sort() != config_.options.sort;
            if (resort) mailbox_->set_sort(config_.options.sort);
            if (from_prompt || resort) reload_mailbox();
        }
        return true;
    } catch (const ConfigErrors& e) {
        problem = e.lines().empty() ? "bad command" : e.lines().front();
        return false;
    }
}

void App::run_hook_command(const CompiledHook& h) {
    std::string problem;
    if (!run_command_line(h.hook.command, false, problem)) error(h.hook.defined_at + ": " + problem);
}

void App::run_folder_hooks(const std::vector<FolderRef>& folders) {
    const std::vector<CompiledHook> hooks = hooks_;  // a hook may change the hooks
    for (const Hook::Event event : {Hook::Event::Account, Hook::Event::Folder})
        for (const auto& h : hooks) {
            if (h.hook.event != event) continue;
            bool matched = false;
            for (const auto& ref : folders) {
                if (event == Hook::Event::Account)  // the account's name, or its server as mutt's URL
                    matched = matched || h.regex->search(ref.account->name) || h.regex->search(ref.account->receive.display());
                else  // the folder's name, or ACCOUNT/FOLDER as the folder list shows it
                    matched = matched || h.regex->search(ref.folder) || h.regex->search(ref.account->name + "/" + ref.folder);
            }
            if (matched != h.hook.negated) run_hook_command(h);
        }
}

bool App::hook_matches(const CompiledHook& h, const MessageRow& row) const {
    MatchContext ctx;
    ctx.my_addresses = my_addresses_;
    ctx.lists = lists_;
    ctx.subscribed = subscribed_;
    return pattern_matches(*h.pattern, row, ctx) != h.hook.negated;
}

void App::run_message_hooks(Hook::Event event, const MessageRow& row) {
    const std::vector<CompiledHook> hooks = hooks_;
    for (const auto& h : hooks)
        if (h.hook.event == event && hook_matches(h, row)) run_hook_command(h);
}

std::optional<std::string> App::hook_folder(Hook::Event event, const MessageRow& row) const {
    for (const auto& h : hooks_)
        if (h.hook.event == event && hook_matches(h, row)) return h.hook.command;
    return std::nullopt;
}

MessageRow App::row_of_draft(const ComposeState& s) const {
    // the fields a pattern reads, as the index would hold them once sent
    const auto joined = [](const std::string& list) {
        std::vector<std::string> parts;
        for (const auto& a : parse_address_list(list)) parts.push_back(format_address(a));
        return join(parts, ", ");
    };
    const auto from = parse_address_list(s.from);
    const std::string from_name = from.empty() ? std::string() : from[0].name;
    const std::string from_addr = from.empty() ? std::string() : from[0].email;
    const std::string to = joined(s.to), cc = joined(s.cc);
    std::string references;
    for (const auto& r : s.references) references += (references.empty() ? "" : " ") + r;
    MessageText t;
    t.from_name = from_name;
    t.from_addr = from_addr;
    t.to = to;
    t.cc = cc;
    t.subject = s.subject;
    t.in_reply_to = s.in_reply_to;
    t.references = references;
    MessageRow row(t);
    row.date = row.received = static_cast<std::int64_t>(std::time(nullptr));
    row.size = static_cast<std::int64_t>(s.body.size());
    return row;
}

}  // namespace tern
