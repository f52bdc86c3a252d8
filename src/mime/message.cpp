#include "mime/message.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "mime/transfer_encoding.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace tern {

std::string Part::charset() const {
    const std::string* c = type.params.get("charset");
    return c && !c->empty() ? *c : "us-ascii";
}

std::string Part::decoded_body() const { return decode_transfer(body, transfer_encoding); }

namespace {

struct Budget {
    std::size_t parts = 0;
    const Message* mapped = nullptr;  // a mapped message: scanned pages are given back
};

// body.find(needle, pos); over a mapped message a window at a time, each
// window's pages given back once it is searched.
std::size_t find_from(std::string_view body, std::string_view needle, std::size_t pos, const Budget& budget) {
    constexpr std::size_t kWindow = 4 << 20;
    if (!budget.mapped) return body.find(needle, pos);
    while (pos < body.size()) {
        const std::size_t end = std::min(body.size(), pos + kWindow);
        const std::size_t found = body.substr(0, std::min(body.size(), end + needle.size() - 1)).find(needle, pos);
        if (found != std::string_view::npos) return found;
        budget.mapped->release(body.substr(pos, end - pos));
        pos = end;
    }
    return std::string_view::npos;
}

// Finds the next delimiter line "--boundary" at a line start in body, from
// `from`. Returns its position (of the dashes) or npos; `closing` tells
// whether it is the final "--boundary--".
std::size_t find_delimiter(std::string_view body, std::string_view boundary, std::size_t from, bool& closing, const Budget& budget) {
    const std::string needle = "--" + std::string(boundary);
    std::size_t pos = from;
    while ((pos = find_from(body, needle, pos, budget)) != std::string_view::npos) {
        if (pos == 0 || body[pos - 1] == '\n') {
            const auto after = pos + needle.size();
            closing = body.compare(after, 2, "--") == 0;
            // the rest of the line may hold only blanks (transport padding)
            auto rest = after + (closing ? 2 : 0);
            while (rest < body.size() && (body[rest] == ' ' || body[rest] == '\t')) ++rest;
            if (rest >= body.size() || body[rest] == '\r' || body[rest] == '\n') return pos;
        }
        pos += needle.size();
    }
    return std::string_view::npos;
}

std::size_t next_line(std::string_view s, std::size_t pos) {
    const auto eol = s.find('\n', pos);
    return eol == std::string_view::npos ? s.size() : eol + 1;
}

// The body of a part ends before the line break that precedes the delimiter.
std::string_view before_delimiter(std::string_view body, std::size_t start, std::size_t delim) {
    std::size_t end = delim;
    if (end > start && body[end - 1] == '\n') --end;
    if (end > start && body[end - 1] == '\r') --end;
    return body.substr(start, end - start);
}

void parse_part(std::string_view bytes, Part& part, const ContentType& default_type, int depth, Budget& budget);

void parse_multipart(Part& part, int depth, Budget& budget) {
    const std::string* boundary = part.type.params.get("boundary");
    if (!boundary || boundary->empty()) {
        // no boundary: nothing can be split; show the body as text
        part.type = ContentType();
        return;
    }
    const ContentType child_default = part.type.subtype == "digest" ? parse_content_type("message/rfc822") : ContentType();
    const std::string_view body = part.body;
    bool closing = false;
    std::size_t delim = find_delimiter(body, *boundary, 0, closing, budget);
    while (delim != std::string_view::npos && !closing) {
        const std::size_t start = next_line(body, delim);
        bool next_closing = false;
        const std::size_t next = find_delimiter(body, *boundary, start, next_closing, budget);
        // a missing closing delimiter: the last part runs to the end
        const std::string_view child_bytes =
            next == std::string_view::npos ? body.substr(start) : before_delimiter(body, start, next);
        if (++budget.parts > kMaxMimeParts) return;
        Part child;
        parse_part(child_bytes, child, child_default, depth + 1, budget);
        part.children.push_back(std::move(child));
        delim = next;
        closing = next_closing;
    }
    if (part.children.empty()) part.type = ContentType();  // no delimiter found at all: plain text
}

void parse_part(std::string_view bytes, Part& part, const ContentType& default_type, int depth, Budget& budget) {
    HeaderBlock block = parse_headers(bytes);
    part.headers = std::move(block.headers);
    part.raw = bytes;
    part.body = bytes.substr(std::min(block.body_offset, bytes.size()));
    const std::string* ct = part.headers.get("Content-Type");
    part.type = ct ? parse_content_type(*ct) : default_type;
    const std::string* cte = part.headers.get("Content-Transfer-Encoding");
    part.transfer_encoding = cte ? to_lower(trim(*cte)) : "7bit";
    if (const std::string* cd = part.headers.get("Content-Disposition")) {
        Disposition d = parse_disposition(*cd);
        part.disposition = d.kind;
        if (const std::string* f = d.params.get("filename")) part.filename = *f;
    }
    if (part.filename.empty())
        if (const std::string* n = part.type.params.get("name")) part.filename = *n;

    if (depth >= kMaxMimeDepth) return;  // deeper nesting is shown as it is
    if (part.type.type == "multipart") {
        parse_multipart(part, depth, budget);
    } else if (part.type.is("message", "rfc822") || part.type.is("message", "global")) {
        if (part.transfer_encoding == "base64" || part.transfer_encoding == "quoted-printable") return;  // rare; left as attachment
        if (++budget.parts > kMaxMimeParts) return;
        Part inner;
        parse_part(part.body, inner, ContentType(), depth + 1, budget);
        part.children.push_back(std::move(inner));
    }
}

}  // namespace

Message::Message(std::string bytes) : owned_(std::make_unique<std::string>(std::move(bytes))), bytes_(*owned_) { parse(); }

Message::Message(MappedFile file) : mapped_(std::move(file)), bytes_(mapped_->view()) { parse(); }

void Message::parse() {
    Budget budget;
    if (mapped_) budget.mapped = this;
    parse_part(bytes_, root_, ContentType(), 0, budget);
}

void Message::release(std::string_view within) const {
    if (!mapped_ || within.empty()) return;
    const std::string_view all = mapped_->view();
    if (within.data() < all.data() || within.data() + within.size() > all.data() + all.size()) return;
    mapped_->release(static_cast<std::size_t>(within.data() - all.data()), within.size());
}

bool decode_body_to(const Message& message, const Part& part, const std::function<bool(std::string_view)>& sink) {
    constexpr std::size_t kPiece = 1 << 20;
    TransferDecoder decoder(part.transfer_encoding);
    for (std::size_t at = 0; at < part.body.size(); at += kPiece) {
        const std::string_view piece = part.body.substr(at, kPiece);
        const std::string out = decoder.feed(piece);
        message.release(piece);
        if (!out.empty() && !sink(out)) return false;
    }
    const std::string rest = decoder.finish();
    return rest.empty() || sink(rest);
}

std::optional<Message> Message::from_file(const std::string& path, int* error) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) >= kMapMessagesFrom) {
        if (auto mapped = MappedFile::open(path, error)) return Message(std::move(*mapped));
        return std::nullopt;
    }
    auto bytes = read_file(path, error);
    if (!bytes) return std::nullopt;
    return Message(std::move(*bytes));
}

}  // namespace tern
