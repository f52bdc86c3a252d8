// The URL list (what mutt users get from urlview on ^B): the links of the
// current message, from its text and HTML parts and mailto: addresses.
// Enter opens one with url_command; y puts it on the terminal's clipboard
// (OSC 52), which works over SSH too.
#include "mime/render.hpp"
#include "mime/urls.hpp"
#include "ui/app.hpp"
#include "util/strings.hpp"
#include "util/subprocess.hpp"
#include "util/utf8.hpp"
#include "util/width.hpp"

namespace tern {

void App::view_urls() {
    const auto row = current_row();
    if (!row) return;
    const auto message = load_message(*row);
    if (!message) return;
    // the built-in HTML converter lists every link, where a mailcap viewer may drop them
    RenderOptions options = render_options_from(config_.options);
    options.auto_view.clear();
    options.ignore = {"*"};
    options.unignore.clear();  // the headers' addresses are not links of the message
    // the text part and the HTML part of an alternative can hold different links: both are read
    std::string text;
    for (const auto& order : {options.alternative_order, std::vector<std::string>{"text/html", "text/*"}}) {
        options.alternative_order = order;
        for (const auto& line : render_message(*message, options)) text += line.text + "\n";
    }
    urls_ = find_urls(text);
    if (urls_.empty()) return error("No URLs in this message.");
    url_cursor_ = 0;
    screen_stack_.push_back(screen_);
    screen_ = Screen::Urls;
}

void App::draw_urls() {
    const int rows = terminal_->rows() - 3;
    const std::size_t top = url_cursor_ >= static_cast<std::size_t>(rows) ? url_cursor_ - static_cast<std::size_t>(rows) + 1 : 0;
    for (int r = 0; r < rows; ++r) {
        const std::size_t i = top + static_cast<std::size_t>(r);
        if (i >= urls_.size()) {
            terminal_->put(1 + r, 0, "", Style::Normal);
            continue;
        }
        const std::string number = std::to_string(i + 1);
        const std::string line = std::string(number.size() < 3 ? 3 - number.size() : 0, ' ') + number + " " + terminal_safe(urls_[i]);
        terminal_->put(1 + r, 0, line, i == url_cursor_ ? Style::Indicator : Style::Normal);
    }
    draw_status(terminal_->rows() - 2, "-*-tern: URLs (" + std::to_string(urls_.size()) + ")");
}

// url_command, else xdg-open on a desktop; over SSH (no display to open on) $BROWSER, else nothing
std::string App::url_command() const {
    if (!config_.options.url_command.empty()) return config_.options.url_command;
    const bool remote = env_("SSH_CONNECTION").has_value() && !env_("DISPLAY") && !env_("WAYLAND_DISPLAY");
    if (!remote) return "xdg-open";
    if (auto b = env_("BROWSER"); b && !b->empty()) return *b;
    return {};
}

void App::open_url() {
    if (url_cursor_ >= urls_.size()) return;
    std::string url = urls_[url_cursor_];
    if (url.rfind("www.", 0) == 0) url = "http://" + url;
    const std::string command = url_command();
    if (command.empty())  // nowhere to open it: show it, for the terminal's own link handling or a copy
        return info(terminal_safe(url) + "  (no browser here: set url_command, or y copies it)");
    std::string line = command;
    if (const auto at = line.find("%s"); at != std::string::npos) line.replace(at, 2, shell_quote(url));
    else line += " " + shell_quote(url);
    terminal_->suspend();  // a text browser takes the terminal; a desktop one returns at once
    int status = -1;
    try {
        status = run_in_terminal(line);
    } catch (const std::exception& e) {
        terminal_->resume();
        return error(std::string("cannot start '") + command + "': " + e.what());
    }
    terminal_->resume();
    if (status != 0) return error("'" + command + "' exited with status " + std::to_string(status) + " (set url_command to what opens links here)");
    info("Opened " + terminal_safe(url));
}

void App::copy_url() {
    if (url_cursor_ >= urls_.size()) return;
    terminal_->copy_to_clipboard(urls_[url_cursor_]);
    info("Copied " + terminal_safe(urls_[url_cursor_]) + " (OSC 52: where the terminal allows it)");
}

}  // namespace tern
