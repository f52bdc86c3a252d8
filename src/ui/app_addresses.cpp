// Addresses in the reader: completion with Tab in every address prompt
// (aliases, the people in the store, query_command), aliases expanded
// before a message goes out, `a` to add a sender to the alias file; and
// what new mail sets off (new_mail_command, the bell, the folder marks).
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "core/error.hpp"
#include "mime/address.hpp"
#include "ui/app.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/subprocess.hpp"

namespace tern {

std::string App::alias_file() const {
    if (!config_.options.alias_file.empty()) return config_.options.alias_file;
    return dir_name(config_.path) + "/aliases";
}

AddressBook& App::book() {
    if (book_) return *book_;
    book_ = std::make_unique<AddressBook>();
    if (auto text = read_file(alias_file())) book_->add_aliases(parse_aliases(*text));
    for (const auto& a : config_.accounts) {
        try {
            book_->harvest(indexes_.of(a), a.name, my_addresses_);
        } catch (const Failure&) {
            // an account without an index yet has nobody to offer
        }
    }
    return *book_;
}

std::vector<std::string> App::address_completions(const std::string& typed) {
    // the item being typed is the one after the last comma
    const auto comma = typed.rfind(',');
    const std::string head = comma == std::string::npos ? "" : typed.substr(0, comma + 1) + " ";
    const std::string item(trim(comma == std::string::npos ? typed : typed.substr(comma + 1)));
    if (item.empty()) return {};
    std::vector<std::string> out;
    std::vector<std::string> seen;
    const auto offer = [&](const Address& a) {
        const std::string text = format_address(a);
        if (std::find(seen.begin(), seen.end(), to_lower(a.email)) != seen.end()) return;
        seen.push_back(to_lower(a.email));
        out.push_back(head + text);
    };
    if (const Alias* alias = book().alias(item)) {  // an alias typed whole becomes its addresses
        std::vector<std::string> parts;
        for (const auto& a : alias->addresses) parts.push_back(format_address(a));
        return {head + join(parts, ", ")};
    }
    for (const auto& e : book().complete(item, 20, static_cast<std::int64_t>(std::time(nullptr)))) offer(e.address);
    if (!config_.options.query_command.empty() && item.size() >= 2) {
        std::string command = config_.options.query_command;
        const auto at = command.find("%s");
        if (at != std::string::npos) command.replace(at, 2, shell_quote(item));
        else command += " " + shell_quote(item);
        try {
            const CommandResult r = run_shell_command(command, std::chrono::milliseconds(5000));
            for (const auto& a : parse_query_output(r.out)) offer(a);
        } catch (const std::exception& e) {
            error(std::string("query_command: ") + e.what());
        }
    }
    return out;
}

std::string App::expand_aliases(const std::string& list) {
    std::vector<std::string> parts;
    for (const auto& raw : split(list, ',')) {
        const std::string item(trim(raw));
        if (item.empty()) continue;
        const Alias* alias = item.find('@') == std::string::npos ? book().alias(item) : nullptr;
        if (!alias) {
            parts.push_back(item);
            continue;
        }
        for (const auto& a : alias->addresses) parts.push_back(format_address(a));
    }
    return join(parts, ", ");
}

void App::create_alias() {
    const auto row = current_row();
    if (!row) return;
    const MessageRow& r = mailbox_->row(*row);
    const std::string name(r.from_name()), email(r.from_addr());
    std::string suggestion = name.empty() ? email.substr(0, email.find('@')) : to_lower(split_words(name).front());
    auto key = ask("Alias as: ", suggestion);
    if (!key || trim(*key).empty()) return;
    const std::string k(trim(*key));
    if (k.find_first_of(" \t,@") != std::string::npos) return error("An alias is one word, without '@' or ','.");
    if (book().alias(k)) return error("You already have an alias defined with that name!");
    auto addr = ask("Address: ", email);
    if (!addr || trim(*addr).empty()) return;
    auto personal = ask("Personal name: ", name);
    if (!personal) return;
    const Alias alias{k, {{std::string(trim(*personal)), std::string(trim(*addr))}}};
    const std::string path = alias_file();
    if (const int err = make_private_dirs(dir_name(path))) return error("Cannot make " + dir_name(path) + ": " + std::strerror(err));
    if (const int err = append_file(path, alias_line(alias) + "\n", 0600))
        return error("Cannot write " + path + ": " + std::strerror(err) + " (the alias was not added)");
    book().add_aliases({alias});
    info("Alias added: " + alias_line(alias));
}

void App::notify_new_mail(const std::string& account, const FolderSyncResult& r) {
    const std::string where = account + "/" + r.folder;
    bool open_now = false;  // the folder you are looking at needs no mark
    if (mailbox_)
        for (const auto& ref : mailbox_->folders()) open_now |= ref.account->name == account && ref.folder == r.folder;
    if (!open_now && std::find(new_mail_folders_.begin(), new_mail_folders_.end(), where) == new_mail_folders_.end())
        new_mail_folders_.push_back(where);
    if (sidebar_visible_ || screen_ == Screen::Browser) build_browser();
    if (config_.options.beep_new) terminal_->beep();
    if (config_.options.new_mail_command.empty()) return;
    // %f the folder, %n the new messages, %u its unread ones, %a the account: each one shell word
    std::string command;
    const std::string& c = config_.options.new_mail_command;
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (c[i] != '%' || i + 1 >= c.size()) {
            command += c[i];
            continue;
        }
        switch (c[++i]) {
            case 'f': command += shell_quote(where); break;
            case 'n': command += std::to_string(r.fetched); break;
            case 'u': command += std::to_string(r.unseen); break;
            case 'a': command += shell_quote(account); break;
            case '%': command += '%'; break;
            default: command += '%', command += c[i]; break;
        }
    }
    try {
        spawn_detached(command);
    } catch (const std::exception& e) {
        error(std::string("new_mail_command: ") + e.what());
    }
}

}  // namespace tern
