#include "mime/transfer_encoding.hpp"

#include "util/strings.hpp"

namespace tern {
namespace {

int base64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;  // '-' and '_': the URL-safe alphabet some senders use
    if (c == '/' || c == '_') return 63;
    return -1;
}

int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

namespace {

// Base64 of `in` onto `out`, carrying the bits of an unfinished quantum in buffer and bits.
void decode_base64_into(std::string_view in, unsigned& buffer, int& bits, std::string& out) {
    for (const unsigned char c : in) {
        if (c == '=') {
            // padding: the quantum ends; later data (concatenated encodings) starts afresh
            bits = 0;
            buffer = 0;
            continue;
        }
        const int v = base64_value(c);
        if (v < 0) continue;  // line breaks and garbage
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
}

}  // namespace

std::string decode_base64(std::string_view in) {
    std::string out;
    out.reserve(in.size() * 3 / 4);
    unsigned buffer = 0;
    int bits = 0;
    decode_base64_into(in, buffer, bits, out);
    return out;
}

namespace {

// Decodes =XX escapes (and '_' in headers) in one line; bad escapes are kept.
void decode_qp_line(std::string_view line, bool header, std::string& out) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '_' && header) {
            out += ' ';
        } else if (c == '=' && i + 2 < line.size() + 0 && hex_value(static_cast<unsigned char>(line[i + 1])) >= 0 &&
                   hex_value(static_cast<unsigned char>(line[i + 2])) >= 0) {
            out += static_cast<char>(hex_value(static_cast<unsigned char>(line[i + 1])) * 16 +
                                     hex_value(static_cast<unsigned char>(line[i + 2])));
            i += 2;
        } else {
            out += c;
        }
    }
}

}  // namespace

std::string decode_quoted_printable(std::string_view in, bool header) {
    std::string out;
    out.reserve(in.size());
    if (header) {
        decode_qp_line(in, true, out);
        return out;
    }
    std::size_t pos = 0;
    while (pos < in.size()) {
        const auto eol = in.find('\n', pos);
        std::string_view line = in.substr(pos, eol == std::string_view::npos ? in.npos : eol - pos);
        const bool has_break = eol != std::string_view::npos;
        const bool crlf = !line.empty() && line.back() == '\r';
        if (crlf) line.remove_suffix(1);
        // blanks at the end of an encoded line were added in transport
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        if (!line.empty() && line.back() == '=') {  // soft line break
            line.remove_suffix(1);
            decode_qp_line(line, false, out);
        } else {
            decode_qp_line(line, false, out);
            if (has_break) out += crlf ? "\r\n" : "\n";
        }
        pos = has_break ? eol + 1 : in.size();
    }
    return out;
}

std::string decode_transfer(std::string_view body, std::string_view encoding) {
    const std::string e = to_lower(trim(encoding));
    if (e == "base64") return decode_base64(body);
    if (e == "quoted-printable") return decode_quoted_printable(body);
    return std::string(body);
}

TransferDecoder::TransferDecoder(std::string_view encoding) {
    const std::string e = to_lower(trim(encoding));
    kind_ = e == "base64" ? Kind::Base64 : e == "quoted-printable" ? Kind::QuotedPrintable : Kind::Identity;
}

std::string TransferDecoder::feed(std::string_view piece) {
    std::string out;
    switch (kind_) {
    case Kind::Base64:
        out.reserve(piece.size() * 3 / 4);
        decode_base64_into(piece, buffer_, bits_, out);
        return out;
    case Kind::QuotedPrintable: {
        // whole lines only: the decoder works line by line (a soft break joins two)
        const auto last_break = piece.rfind('\n');
        if (last_break == std::string_view::npos) {
            line_ += piece;
            return out;
        }
        line_ += piece.substr(0, last_break + 1);
        out = decode_quoted_printable(line_);
        line_.assign(piece.substr(last_break + 1));
        return out;
    }
    case Kind::Identity:
        break;
    }
    return std::string(piece);
}

std::string TransferDecoder::finish() {
    if (kind_ != Kind::QuotedPrintable) return "";
    std::string out = decode_quoted_printable(line_);
    line_.clear();
    return out;
}

std::string encode_base64(std::string_view in, std::size_t line_length) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(in.size() * 4 / 3 + in.size() / 57 * 2 + 4);
    std::size_t col = 0;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                           (i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) << 8 : 0) |
                           (i + 2 < in.size() ? static_cast<unsigned char>(in[i + 2]) : 0);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
        col += 4;
        if (line_length && col >= line_length && i + 3 < in.size()) {
            out += "\r\n";
            col = 0;
        }
    }
    return out;
}

}  // namespace tern
