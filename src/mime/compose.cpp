#include "mime/compose.hpp"

#include <cctype>
#include <cstdio>
#include <random>

#include "mime/charset.hpp"
#include "mime/date.hpp"
#include "mime/header_encode.hpp"
#include "mime/transfer_encoding.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

std::string normalize_newlines(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') continue;
            out += '\n';
        } else {
            out += text[i];
        }
    }
    return out;
}

struct BodyEncoding {
    std::string cte;   // 7bit, quoted-printable or base64
    std::string text;  // encoded, CRLF line ends
};

std::string with_crlf(std::string_view lf_text) {
    std::string out;
    out.reserve(lf_text.size() + lf_text.size() / 40);
    for (const char c : lf_text) {
        if (c == '\n') out += "\r\n";
        else out += c;
    }
    return out;
}

// 7bit when the text is ASCII with short lines; else quoted-printable. Text
// to be signed (`for_signing`) is quoted-printable also when a relay could
// change it in transit and so break the signature (RFC 3156 section 3): a
// line with trailing blanks, or one starting "From " (mbox quoting) or ".".
BodyEncoding encode_text_body(std::string_view utf8, bool for_signing) {
    const std::string text = normalize_newlines(sanitize_utf8(utf8));
    bool plain = true;
    std::size_t line_len = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            if (for_signing && i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) plain = false;
            line_len = 0;
            continue;
        }
        if (for_signing && line_len == 0 && (c == '.' || text.compare(i, 5, "From ") == 0)) plain = false;
        if (c >= 0x80 || (c < 0x20 && c != '\t') || ++line_len > 76) plain = false;
    }
    if (for_signing && !text.empty() && (text.back() == ' ' || text.back() == '\t')) plain = false;
    if (plain) {
        std::string t = text;
        if (t.empty() || t.back() != '\n') t += '\n';
        return {"7bit", with_crlf(t)};
    }
    return {"quoted-printable", with_crlf(encode_quoted_printable(text))};
}

std::string random_token(std::size_t n) {
    static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device rd;
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += kChars[rd() % 36];
    return out;
}

// Content-Disposition with the file name as a quoted string when it is
// plain ASCII, else as RFC 2231 UTF-8 (with an ASCII fallback for old readers).
std::string disposition(std::string_view filename) {
    bool plain = !filename.empty();
    for (const unsigned char c : filename)
        if (c >= 0x80 || c < 0x20 || c == '"' || c == '\\') plain = false;
    if (plain) return "Content-Disposition: attachment; filename=\"" + std::string(filename) + "\"";
    std::string encoded;
    for (const unsigned char c : filename) {
        if (std::isalnum(c) || std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
            encoded += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            encoded += buf;
        }
    }
    std::string out = "Content-Disposition: attachment;\r\n filename*=UTF-8''";
    // RFC 2231 continuations keep each line short
    if (encoded.size() <= 50) return out + encoded;
    out = "Content-Disposition: attachment";
    for (std::size_t i = 0, n = 0; i < encoded.size(); ++n) {
        std::size_t len = std::min<std::size_t>(50, encoded.size() - i);
        // never split a %XX escape
        while (len > 0 && i + len < encoded.size() && (encoded[i + len - 1] == '%' || (len >= 2 && encoded[i + len - 2] == '%'))) --len;
        out += ";\r\n filename*" + std::to_string(n) + "*=" + (n == 0 ? "UTF-8''" : "") + encoded.substr(i, len);
        i += len;
    }
    return out;
}

}  // namespace

std::string encode_quoted_printable(std::string_view text) {
    std::string out;
    std::size_t col = 0;
    auto put = [&](std::string_view piece) {
        if (col + piece.size() > 75) {  // soft break: "=" ends a line of at most 76
            out += "=\n";
            col = 0;
        }
        out += piece;
        col += piece.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            out += '\n';
            col = 0;
            continue;
        }
        const bool at_line_end = i + 1 == text.size() || text[i + 1] == '\n';
        const bool line_start = col == 0;
        bool encode = c == '=' || c >= 0x7f || (c < 0x20 && c != '\t') ||
                      ((c == ' ' || c == '\t') && at_line_end) ||              // trailing blanks get lost
                      (line_start && c == '.') ||                             // SMTP's end of data
                      (line_start && c == 'F' && text.compare(i, 5, "From ") == 0);  // mbox quoting
        if (encode) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "=%02X", c);
            put(buf);
        } else {
            put(std::string_view(&text[i], 1));
        }
    }
    if (out.empty() || out.back() != '\n') out += '\n';
    return out;
}

std::string make_message_id(std::int64_t t, std::string_view sender) {
    std::string domain = "tern.invalid";
    if (const auto at = sender.rfind('@'); at != std::string_view::npos && at + 1 < sender.size()) {
        domain = std::string(sender.substr(at + 1));
        while (!domain.empty() && (domain.back() == '>' || domain.back() == ' ')) domain.pop_back();
    }
    const CivilDate c = civil_from_days(t / 86400);
    char stamp[32];
    const long long secs = static_cast<long long>(((t % 86400) + 86400) % 86400);
    std::snprintf(stamp, sizeof stamp, "%04lld%02d%02d%02lld%02lld%02lld", static_cast<long long>(c.year), c.month,
                  c.day, secs / 3600, secs / 60 % 60, secs % 60);
    return "<" + std::string(stamp) + "." + random_token(12) + "@" + domain + ">";
}

std::string system_mime_types() { return read_file("/etc/mime.types").value_or(""); }

std::string guess_content_type(std::string_view filename, std::string_view data, std::string_view mime_types) {
    const auto dot = filename.rfind('.');
    if (dot != std::string_view::npos && dot + 1 < filename.size()) {
        const std::string ext = to_lower(filename.substr(dot + 1));
        for (const auto& line : split(mime_types, '\n')) {
            if (line.empty() || line[0] == '#') continue;
            const auto words = split_words(line);
            for (std::size_t i = 1; i < words.size(); ++i)
                if (words[i] == ext) return words[0];
        }
    }
    auto starts = [&](std::string_view magic) { return data.substr(0, magic.size()) == magic; };
    if (starts("%PDF-")) return "application/pdf";
    if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
    if (starts("\xFF\xD8\xFF")) return "image/jpeg";
    if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
    if (starts("PK\x03\x04")) return "application/zip";
    if (data.find('\0') == std::string_view::npos && is_valid_utf8(data)) return "text/plain";
    return "application/octet-stream";
}

std::string compose_headers(const Draft& d) {
    std::string m;
    auto line = [&m](const std::string& l) { m += l + "\r\n"; };
    line("Date: " + format_rfc5322_date(d.date, d.utc_offset_minutes));
    line(encode_address_header("From", {d.from}));
    if (!d.to.empty()) line(encode_address_header("To", d.to));
    if (!d.cc.empty()) line(encode_address_header("Cc", d.cc));
    if (d.write_bcc && !d.bcc.empty()) line(encode_address_header("Bcc", d.bcc));
    if (!d.reply_to.empty()) line(encode_address_header("Reply-To", d.reply_to));
    line(encode_header("Subject", d.subject));
    line("Message-ID: " + (d.message_id.empty() ? make_message_id(d.date, d.from.email) : d.message_id));
    if (!d.in_reply_to.empty()) line("In-Reply-To: " + d.in_reply_to);
    if (!d.references.empty()) {
        std::string refs = "References:";
        std::size_t col = refs.size();
        for (const auto& r : d.references) {
            if (col + 1 + r.size() > 78) refs += "\r\n", col = 0;
            refs += " " + r;
            col += 1 + r.size();
        }
        line(refs);
    }
    for (const auto& [name, value] : d.extra_headers) line(encode_header(name, value));
    line("MIME-Version: 1.0");
    return m;
}

std::string compose_body(const Draft& d, bool for_signing) {
    std::string m;
    auto line = [&m](const std::string& l) { m += l + "\r\n"; };
    const BodyEncoding body = encode_text_body(d.body, for_signing);
    const std::string text_type = "Content-Type: text/plain; charset=" +
                                  std::string(body.cte == "7bit" ? "us-ascii" : "utf-8");
    if (d.attachments.empty()) {
        line(text_type);
        line("Content-Transfer-Encoding: " + body.cte);
        line("");
        m += body.text;
        return m;
    }
    const std::string boundary = make_boundary();
    line("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"");
    line("");
    line("This is a multi-part message in MIME format.");
    line("--" + boundary);
    line(text_type);
    line("Content-Transfer-Encoding: " + body.cte);
    line("");
    m += body.text;
    const std::string types = system_mime_types();
    for (const auto& a : d.attachments) {
        line("--" + boundary);
        const std::string type = a.content_type.empty() ? guess_content_type(a.filename, a.data, types) : a.content_type;
        if (type.rfind("text/", 0) == 0 && is_valid_utf8(a.data)) {
            const BodyEncoding enc = encode_text_body(a.data, for_signing);
            line("Content-Type: " + type + (enc.cte == "7bit" ? "" : "; charset=utf-8"));
            line(disposition(a.filename));
            line("Content-Transfer-Encoding: " + enc.cte);
            line("");
            m += enc.text;
        } else {
            line("Content-Type: " + type);
            line(disposition(a.filename));
            line("Content-Transfer-Encoding: base64");
            line("");
            line(encode_base64(a.data, 76));
        }
    }
    line("--" + boundary + "--");
    return m;
}

std::string make_boundary() { return "=_tern_" + random_token(24); }

std::string compose_message(const Draft& d) { return compose_headers(d) + compose_body(d, false); }

}  // namespace tern
