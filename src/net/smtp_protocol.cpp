#include "net/smtp_protocol.hpp"

#include <stdexcept>

#include "util/strings.hpp"

namespace tern {

std::optional<SmtpReply> SmtpReplyReader::next() {
    SmtpReply reply;
    std::vector<std::string> texts;
    std::size_t at = pos_;
    for (;;) {
        const auto end = buffer_.find('\n', at);
        if (end == std::string::npos) return std::nullopt;
        std::string_view line(buffer_.data() + at, end - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        at = end + 1;
        if (line.size() < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '9' || line[2] < '0' || line[2] > '9' ||
            (line.size() > 3 && line[3] != ' ' && line[3] != '-'))
            throw std::runtime_error("not an SMTP reply: " + first_line(line, 80));
        const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        if (reply.code != 0 && code != reply.code) throw std::runtime_error("SMTP reply lines with different codes");
        reply.code = code;
        if (line.size() > 4) texts.emplace_back(trim(line.substr(4)));
        if (line.size() == 3 || line[3] == ' ') break;
    }
    reply.text = join(texts, "; ");
    pos_ = at;
    if (pos_ > 65536) {
        buffer_.erase(0, pos_);
        pos_ = 0;
    }
    return reply;
}

std::vector<std::string> smtp_extensions(std::string_view server_lines) {
    std::vector<std::string> ext;
    bool in_block = false;
    for (const auto& raw : split(server_lines, '\n')) {
        const std::string_view line = trim(raw);
        const bool is_250 = line.size() >= 4 && line.substr(0, 3) == "250" && (line[3] == '-' || line[3] == ' ');
        if (is_250 && !in_block) ext.clear();
        in_block = is_250 && line[3] == '-';
        if (is_250) ext.push_back(std::string(line.substr(4)));
    }
    if (!ext.empty()) ext.erase(ext.begin());  // the greeting: the server's name
    for (auto& e : ext) {
        const auto space = e.find(' ');
        e = to_upper(e.substr(0, space)) + (space == std::string::npos ? "" : e.substr(space));
    }
    return ext;
}

std::optional<std::string> smtp_extension(const std::vector<std::string>& extensions, std::string_view name) {
    for (const auto& e : extensions) {
        if (e.size() < name.size() || !iequals(std::string_view(e).substr(0, name.size()), name)) continue;
        if (e.size() == name.size()) return std::string();
        if (e[name.size()] == ' ') return std::string(trim(std::string_view(e).substr(name.size() + 1)));
    }
    return std::nullopt;
}

std::string smtp_mail_from(std::string_view sender, std::size_t size, bool body_8bit, bool smtputf8) {
    std::string out = "MAIL FROM:<" + std::string(sender) + ">";
    if (size) out += " SIZE=" + std::to_string(size);
    if (body_8bit) out += " BODY=8BITMIME";
    if (smtputf8) out += " SMTPUTF8";
    return out;
}

std::string smtp_data(std::string_view message) {
    std::string out;
    out.reserve(message.size() + message.size() / 32 + 5);
    bool line_start = true;
    for (std::size_t i = 0; i < message.size(); ++i) {
        const char c = message[i];
        if (line_start && c == '.') out += '.';
        if (c == '\r' || c == '\n') {
            out += "\r\n";
            if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') ++i;
            line_start = true;
            continue;
        }
        out += c;
        line_start = false;
    }
    if (!line_start) out += "\r\n";
    out += ".\r\n";
    return out;
}

bool has_8bit(std::string_view bytes) {
    for (const char c : bytes)
        if (static_cast<unsigned char>(c) >= 0x80 || c == '\0') return true;
    return false;
}

}  // namespace tern
