#include "mime/render.hpp"

#include <functional>
#include <memory>

#include "mime/address.hpp"
#include "mime/charset.hpp"
#include "mime/encoded_words.hpp"
#include "mime/html_to_text.hpp"
#include "util/strings.hpp"

namespace tern {

std::string safe_filename(std::string_view name) {
    // only the last path component: no directories, from any system
    const auto slash = name.find_last_of("/\\");
    if (slash != std::string_view::npos) name = name.substr(slash + 1);
    std::string out;
    for (const char c : sanitize_utf8(name)) {
        const auto u = static_cast<unsigned char>(c);
        out += u < 0x20 || u == 0x7f ? '_' : c;
    }
    // C1 controls (U+0080..U+009F) as well
    std::string clean;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (static_cast<unsigned char>(out[i]) == 0xC2 && i + 1 < out.size() &&
            static_cast<unsigned char>(out[i + 1]) >= 0x80 && static_cast<unsigned char>(out[i + 1]) <= 0x9F) {
            clean += '_';
            ++i;
        } else {
            clean += out[i];
        }
    }
    while (!clean.empty() && (clean.front() == '.' || clean.front() == ' ' || clean.front() == '-')) clean.erase(0, 1);
    while (!clean.empty() && (clean.back() == ' ' || clean.back() == '.')) clean.pop_back();
    if (clean.size() > 200) clean.resize(200);
    while (!clean.empty() && !is_valid_utf8(clean)) clean.pop_back();  // do not cut a character in half
    return clean.empty() ? "attachment" : clean;
}

std::string human_size(std::size_t b) {
    if (b < 1024) return std::to_string(b);
    if (b < 10 * 1024) return std::to_string(b / 1024) + "." + std::to_string(b % 1024 * 10 / 1024) + "K";
    if (b < 1024 * 1024) return std::to_string((b + 512) / 1024) + "K";
    const auto tenths = b * 10 / (1024 * 1024);
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "M";
}

std::string unflow(std::string_view text, bool delsp) {
    std::string out;
    std::string paragraph;
    int paragraph_depth = -1;
    auto flush = [&] {
        if (paragraph_depth < 0) return;
        for (int i = 0; i < paragraph_depth; ++i) out += '>';
        if (paragraph_depth > 0 && !paragraph.empty()) out += ' ';
        out += paragraph;
        out += '\n';
        paragraph.clear();
        paragraph_depth = -1;
    };
    auto lines = split(text, '\n');
    if (!text.empty() && text.back() == '\n') lines.pop_back();
    for (auto line : lines) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        int depth = 0;
        std::size_t i = 0;
        while (i < line.size() && line[i] == '>') ++depth, ++i;
        std::string content = line.substr(i);
        if (!content.empty() && content[0] == ' ') content.erase(0, 1);  // space stuffing
        const bool signature = content == "-- ";
        const bool soft = !signature && !content.empty() && content.back() == ' ';
        if (paragraph_depth >= 0 && depth != paragraph_depth) flush();
        if (soft && delsp) content.pop_back();
        paragraph += content;
        paragraph_depth = depth;
        if (!soft) flush();
    }
    flush();
    if (!out.empty() && (text.empty() || text.back() != '\n')) out.pop_back();
    return out;
}

namespace {

struct Context {
    const RenderOptions& options;
    std::vector<RenderedLine> lines;
    int attachment_number = 0;
    std::string from_address;  // the message's From, for "Signer ... does not match"
    std::vector<std::unique_ptr<Message>> opened;  // decrypted parts, in memory only, while they render
};

// An encrypted part inside a decrypted one starts a new MIME tree: its depth is bounded here.
constexpr std::size_t kMaxDecryptions = 8;

std::size_t decoded_size(const Part& p) {
    if (p.transfer_encoding != "base64") return p.body.size();
    // a big body's size from its line length, as every encoder writes lines of one length: counting
    // would read (and keep resident) every page of a 200 MB attachment to print "200M"
    constexpr std::size_t kCountUpTo = 1 << 20;
    if (p.body.size() > kCountUpTo) {
        const std::size_t eol = p.body.find('\n');
        if (eol != std::string_view::npos && eol > 0) {
            const std::size_t line = eol + 1, blank = p.body[eol - 1] == '\r' ? 2 : 1;
            const std::size_t lines = (p.body.size() + line - 1) / line;
            return (p.body.size() - std::min(p.body.size(), lines * blank)) * 3 / 4;
        }
    }
    std::size_t n = 0;
    for (const char c : p.body) n += c != '\n' && c != '\r' && c != ' ';
    return n * 3 / 4;
}

void add(Context& ctx, LineKind kind, const std::string& text) { ctx.lines.push_back({kind, 0, text}); }

// Header values and names from a message may decode to text with line
// breaks; a screen line must stay one line.
std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return terminal_safe(text);
}

void add_text(Context& ctx, std::string_view utf8) {
    std::string normalized;
    normalized.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        if (utf8[i] == '\r') {
            if (i + 1 < utf8.size() && utf8[i + 1] == '\n') continue;
            normalized += '\n';  // a lone CR would let text overwrite itself on screen
        } else {
            normalized += utf8[i];
        }
    }
    while (!normalized.empty() && normalized.back() == '\n') normalized.pop_back();
    bool in_signature = false;
    for (auto& line : split(terminal_safe(normalized), '\n')) {
        if (line == "-- ") in_signature = true;
        RenderedLine l{LineKind::Body, 0, line};
        if (in_signature) {
            l.kind = LineKind::Signature;
        } else {
            int depth = 0;
            for (const char c : line) {
                if (c == '>') ++depth;
                else if (c != ' ') break;
            }
            if (depth > 0) l.kind = LineKind::Quoted, l.quote_level = depth;
        }
        ctx.lines.push_back(std::move(l));
    }
}

std::string header_text(const std::string& raw, std::string_view name, const std::string& charset) {
    const std::string n = to_lower(name);
    if (n == "from" || n == "to" || n == "cc" || n == "bcc" || n == "reply-to" || n == "sender") {
        std::vector<std::string> parts;
        for (const auto& a : parse_address_list(raw)) parts.push_back(format_address(a));
        if (!parts.empty()) return join(parts, ", ");
    }
    return decode_header_text(raw, charset);
}

// Whether one of `names` (lower case, "*" for all) begins `header`, as mutt's ignore lists match.
bool named_by(const std::vector<std::string>& names, std::string_view header) {
    for (const auto& n : names)
        if (n == "*" || (header.size() >= n.size() && iequals(header.substr(0, n.size()), n))) return true;
    return false;
}

void render_headers(Context& ctx, const Part& part) {
    const std::string charset = part.charset();
    const auto show = [&](const HeaderField& f) {  // shown as the message spells the name
        add(ctx, LineKind::Header, one_line(f.name + ": " + header_text(f.value, f.name, charset)));
    };
    const RenderOptions& o = ctx.options;
    if (o.ignore.empty()) {
        for (const auto& name : o.headers)
            for (const auto& f : part.headers.fields)
                if (iequals(f.name, name)) show(f);
        return;
    }
    std::vector<const HeaderField*> kept;
    for (const auto& f : part.headers.fields)
        if (!named_by(o.ignore, f.name) || named_by(o.unignore, f.name)) kept.push_back(&f);
    std::vector<bool> done(kept.size(), false);
    for (const auto& first : o.hdr_order)
        for (std::size_t i = 0; i < kept.size(); ++i)
            if (!done[i] && named_by({first}, kept[i]->name)) {
                show(*kept[i]);
                done[i] = true;
            }
    for (std::size_t i = 0; i < kept.size(); ++i)
        if (!done[i]) show(*kept[i]);
}

void marker(Context& ctx, const Part& part) {
    ++ctx.attachment_number;
    std::string name = part.filename.empty() ? "" : ": " + part.filename;
    if (name.empty() && !part.children.empty())  // an attached message: its subject
        if (const std::string* subject = part.children.front().headers.get("Subject"))
            name = ": " + decode_header_text(*subject, part.children.front().charset());
    add(ctx, LineKind::Marker, one_line("[-- Attachment #" + std::to_string(ctx.attachment_number) + name + " --]"));
    add(ctx, LineKind::Marker, one_line("[-- Type: " + part.type.full() + ", Encoding: " + part.transfer_encoding +
                                            ", Size: " + human_size(decoded_size(part)) + " --]"));
}

void render_part(Context& ctx, const Part& part, bool top);

bool auto_viewed(const RenderOptions& o, const ContentType& type) {
    const std::string full = type.full();
    for (const auto& t : o.auto_view)
        if (iequals(t, full) || (t.size() > 2 && t.ends_with("/*") && iequals(t.substr(0, t.size() - 1), full.substr(0, t.size() - 1)))) return true;
    return false;
}

bool render_inline_pgp(Context& ctx, const Part& part, const std::string& bytes);

void render_text(Context& ctx, const Part& part) {
    const std::string bytes = part.decoded_body();
    if (part.type.subtype == "plain" && render_inline_pgp(ctx, part, bytes)) return;
    const Utf8Text t = to_utf8(bytes, part.charset());
    if (t.unknown_charset())
        add(ctx, LineKind::Marker, one_line("[-- Unknown charset '" + part.charset() + "': shown as " +
                                            std::string(t.shown_as) + " --]"));
    std::string text = t.text;
    if (part.type.subtype == "html") {
        std::optional<std::string> external;
        if (ctx.options.viewer && auto_viewed(ctx.options, part.type)) external = ctx.options.viewer(part.type, bytes);
        text = external ? sanitize_utf8(*external) : html_to_text(text);
    } else {
        const std::string* format = part.type.params.get("format");
        if (format && iequals(*format, "flowed")) {
            const std::string* delsp = part.type.params.get("delsp");
            text = unflow(text, delsp && iequals(*delsp, "yes"));
        }
    }
    add_text(ctx, text);
}

const Part* choose_alternative(const Context& ctx, const Part& part) {
    for (const auto& wanted : ctx.options.alternative_order) {
        const std::string w = to_lower(wanted);
        for (const auto& child : part.children) {
            if (child.type.full() == w) return &child;
            if (w.size() > 2 && w.back() == '*' && child.type.full().rfind(w.substr(0, w.size() - 1), 0) == 0) return &child;
        }
    }
    for (const auto& child : part.children)
        if (child.type.type == "multipart") return &child;  // e.g. multipart/related holding the HTML
    return part.children.empty() ? nullptr : &part.children.back();
}

// The status of one signature, in the words scripts and tests rely on.
void signature_lines(Context& ctx, const SignatureInfo& s) {
    const std::string who = s.name.empty() && s.address.empty() ? std::string()
                            : s.name.empty()                    ? "<" + s.address + ">"
                                                                : s.name + (s.address.empty() ? "" : " <" + s.address + ">");
    std::string line;
    switch (s.status) {
        case SignatureInfo::Status::Good:
            line = "Good signature from " + (who.empty() ? "key " + s.key_id : who) + " (key " + s.key_id + ", trust " + s.trust + ")";
            break;
        case SignatureInfo::Status::Bad:
            line = "BAD signature" + (who.empty() ? "" : " from " + who) + " (key " + s.key_id + "): the signed text was changed";
            break;
        case SignatureInfo::Status::NoKey: line = "Signature not verified: no public key " + s.key_id; break;
        case SignatureInfo::Status::Expired:
            line = "Signature by a key that is expired: " + s.key_id + (who.empty() ? "" : " (" + who + ")");
            break;
        case SignatureInfo::Status::Revoked:
            line = "Signature by a key that is revoked: " + s.key_id + (who.empty() ? "" : " (" + who + ")");
            break;
        case SignatureInfo::Status::Error: line = "Signature not verified: " + s.detail; break;
    }
    add(ctx, LineKind::Marker, one_line("[-- " + line + " --]"));
    if (s.status == SignatureInfo::Status::Good && !ctx.from_address.empty() && !s.address.empty() && !iequals(s.address, ctx.from_address))
        add(ctx, LineKind::Marker, one_line("[-- Signer " + s.address + " does not match the From address " + ctx.from_address + " --]"));
}

// RFC 3156 / RFC 8551 multipart/signed: the status above the signed part, a
// line after it, so text outside the signature is visibly outside.
void render_signed(Context& ctx, const Part& part, CryptoProtocol protocol) {
    const Part& content = part.children[0];
    if (!ctx.options.crypto) {
        add(ctx, LineKind::Marker, std::string("[-- Signature not verified: no ") + protocol_name(protocol) + " engine here --]");
    } else {
        const auto infos = ctx.options.crypto->verify_detached(lf_to_crlf(content.raw), part.children[1].decoded_body(), protocol);
        if (infos.empty()) add(ctx, LineKind::Marker, "[-- Signature not verified: the signature part holds none --]");
        for (const auto& s : infos) signature_lines(ctx, s);
    }
    add(ctx, LineKind::Marker, "[-- Begin signed data --]");
    render_part(ctx, content, false);
    add(ctx, LineKind::Marker, "[-- End of signed data --]");
}

// What an encrypted or opaque-signed part holds, decrypted (or unwrapped) in
// memory and shown like any MIME tree.
void render_opened(Context& ctx, DecryptResult r, bool decrypted) {
    if (!r.ok) {
        add(ctx, LineKind::Marker, one_line("[-- " + std::string(decrypted ? "Cannot decrypt: " : "Signature not verified: ") + r.problem + " --]"));
        return;
    }
    if (decrypted) add(ctx, LineKind::Marker, one_line("[-- Decrypted (encrypted for " + join(r.recipients, ", ") + ") --]"));
    if (!decrypted && r.signatures.empty()) add(ctx, LineKind::Marker, "[-- Signature not verified: the signed data holds no signature --]");
    for (const auto& s : r.signatures) signature_lines(ctx, s);
    if (!decrypted) add(ctx, LineKind::Marker, "[-- Begin signed data --]");
    ctx.opened.push_back(std::make_unique<Message>(std::move(r.plaintext)));
    render_part(ctx, ctx.opened.back()->root(), false);
    add(ctx, LineKind::Marker, decrypted ? "[-- End of decrypted data --]" : "[-- End of signed data --]");
}

bool may_open(Context& ctx, CryptoProtocol protocol, bool decrypt) {
    if (!ctx.options.crypto) {
        add(ctx, LineKind::Marker, std::string(decrypt ? "[-- Cannot decrypt: no " : "[-- Signature not verified: no ") + protocol_name(protocol) + " engine here --]");
        return false;
    }
    if (ctx.opened.size() >= kMaxDecryptions) {
        add(ctx, LineKind::Marker, "[-- Cannot decrypt: encrypted parts nested too deep --]");
        return false;
    }
    return true;
}

// RFC 3156 multipart/encrypted.
void render_encrypted(Context& ctx, const Part& part) {
    if (may_open(ctx, CryptoProtocol::OpenPgp, true))
        render_opened(ctx, ctx.options.crypto->decrypt(part.children[1].decoded_body(), CryptoProtocol::OpenPgp), true);
}

// RFC 8551 application/pkcs7-mime: enveloped-data (encrypted) or signed-data
// (the signature holds the text: "opaque-signed").
void render_pkcs7(Context& ctx, const Part& part) {
    const std::string* kind = part.type.params.get("smime-type");
    const bool signed_data = kind && iequals(trim(*kind), "signed-data");
    if (!may_open(ctx, CryptoProtocol::Smime, !signed_data)) return;
    const std::string der = part.decoded_body();
    if (signed_data) render_opened(ctx, ctx.options.crypto->verify_clearsigned(der, CryptoProtocol::Smime), false);
    else render_opened(ctx, ctx.options.crypto->decrypt(der, CryptoProtocol::Smime), true);
}

// Where the next inline PGP block starts at a line start, from `from`; its kind in `clearsigned`.
std::size_t next_inline_block(const std::string& text, std::size_t from, bool& clearsigned) {
    std::size_t best = std::string::npos;
    for (const auto& [marker, is_signed] : {std::pair{std::string_view("-----BEGIN PGP SIGNED MESSAGE-----"), true},
                                            std::pair{std::string_view("-----BEGIN PGP MESSAGE-----"), false}}) {
        for (std::size_t at = text.find(marker, from); at != std::string::npos; at = text.find(marker, at + 1))
            if (at == 0 || text[at - 1] == '\n') {
                if (at < best) best = at, clearsigned = is_signed;
                break;
            }
    }
    return best;
}

// Inline PGP in a text/plain part (Enigmail's and older mutts' way): each
// clear-signed or encrypted block gets its status and frame, the text around
// it stays outside. False when there is none, or no engine to read it.
bool render_inline_pgp(Context& ctx, const Part& part, const std::string& bytes) {
    bool clearsigned = false;
    std::size_t at = next_inline_block(bytes, 0, clearsigned);
    if (at == std::string::npos || !ctx.options.crypto) return false;
    const std::string charset = part.charset();
    const auto text_of = [&charset](std::string_view b) { return to_utf8(b, charset).text; };
    std::size_t pos = 0;
    while (at != std::string::npos) {
        const std::string_view end_marker = clearsigned ? "-----END PGP SIGNATURE-----" : "-----END PGP MESSAGE-----";
        const std::size_t end = bytes.find(end_marker, at);
        if (end == std::string::npos) break;  // not closed: the rest is text
        const std::size_t eol = bytes.find('\n', end);
        const std::size_t block_end = eol == std::string::npos ? bytes.size() : eol + 1;
        if (at > pos) add_text(ctx, text_of(std::string_view(bytes).substr(pos, at - pos)));
        const std::string_view block = std::string_view(bytes).substr(at, block_end - at);
        if (clearsigned) {
            const DecryptResult r = ctx.options.crypto->verify_clearsigned(block, CryptoProtocol::OpenPgp);
            if (r.signatures.empty()) add(ctx, LineKind::Marker, one_line("[-- Signature not verified: " + (r.problem.empty() ? std::string("none found") : r.problem) + " --]"));
            for (const auto& s : r.signatures) signature_lines(ctx, s);
            add(ctx, LineKind::Marker, "[-- Begin signed data --]");
            add_text(ctx, text_of(r.ok ? std::string_view(r.plaintext) : block));
            add(ctx, LineKind::Marker, "[-- End of signed data --]");
        } else {
            const DecryptResult r = ctx.options.crypto->decrypt(block, CryptoProtocol::OpenPgp);
            if (!r.ok) {
                add(ctx, LineKind::Marker, one_line("[-- Cannot decrypt: " + r.problem + " --]"));
            } else {
                add(ctx, LineKind::Marker, one_line("[-- Decrypted (encrypted for " + join(r.recipients, ", ") + ") --]"));
                for (const auto& s : r.signatures) signature_lines(ctx, s);
                add_text(ctx, text_of(r.plaintext));
                add(ctx, LineKind::Marker, "[-- End of decrypted data --]");
            }
        }
        pos = block_end;
        at = next_inline_block(bytes, pos, clearsigned);
    }
    if (pos < bytes.size()) add_text(ctx, text_of(std::string_view(bytes).substr(pos)));
    return true;
}

bool protocol_is(const Part& part, std::string_view protocol) {
    const std::string* p = part.type.params.get("protocol");
    return p && iequals(trim(*p), protocol) && part.children.size() == 2;
}

void render_part(Context& ctx, const Part& part, bool top) {
    if (part.type.is("multipart", "signed") && protocol_is(part, "application/pgp-signature")) return render_signed(ctx, part, CryptoProtocol::OpenPgp);
    // S/MIME's, and the x- names older Outlooks and Netscape wrote
    if (part.type.is("multipart", "signed") && (protocol_is(part, "application/pkcs7-signature") || protocol_is(part, "application/x-pkcs7-signature")))
        return render_signed(ctx, part, CryptoProtocol::Smime);
    if (part.type.is("multipart", "encrypted") && protocol_is(part, "application/pgp-encrypted")) return render_encrypted(ctx, part);
    if (part.type.is("application", "pkcs7-mime") || part.type.is("application", "x-pkcs7-mime")) return render_pkcs7(ctx, part);
    if (part.type.type == "multipart" && !part.children.empty()) {
        if (part.type.subtype == "alternative") {
            if (const Part* chosen = choose_alternative(ctx, part)) render_part(ctx, *chosen, false);
            return;
        }
        bool first = true;
        for (const auto& child : part.children) {
            if (!first && !ctx.lines.empty() && !ctx.lines.back().text.empty()) add(ctx, LineKind::Body, "");
            render_part(ctx, child, false);
            first = false;
        }
        return;
    }
    if ((part.type.is("message", "rfc822") || part.type.is("message", "global")) && !part.children.empty()) {
        marker(ctx, part);
        add(ctx, LineKind::Body, "");
        render_headers(ctx, part.children.front());
        add(ctx, LineKind::Body, "");
        render_part(ctx, part.children.front(), false);
        add(ctx, LineKind::Marker, "[-- End of attached message --]");
        return;
    }
    const bool inline_text = part.type.type == "text" && part.disposition != "attachment" &&
                             (part.type.subtype == "plain" || part.type.subtype == "html" ||
                              part.type.subtype == "enriched" || part.type.subtype == "rfc822-headers" || top);
    if (inline_text) {
        render_text(ctx, part);
        return;
    }
    marker(ctx, part);
    // auto_view: a part the user wants to see, through its mailcap viewer, under its marker
    if (part.disposition != "attachment" && part.type.type != "multipart" && ctx.options.viewer && auto_viewed(ctx.options, part.type))
        if (auto shown = ctx.options.viewer(part.type, part.decoded_body())) {
            add(ctx, LineKind::Marker, "[-- Autoview using mailcap --]");
            add_text(ctx, sanitize_utf8(*shown));
        }
}

void collect_leaves(const Part& part, std::vector<AttachmentInfo>& out) {
    if (!part.children.empty() && part.type.type == "multipart") {
        for (const auto& c : part.children) collect_leaves(c, out);
        return;
    }
    out.push_back({static_cast<int>(out.size()) + 1, one_line(part.filename), one_line(part.type.full()), decoded_size(part)});
}

}  // namespace

std::vector<RenderedLine> render_message(const Message& message, const RenderOptions& options) {
    Context ctx{options, {}, 0, {}, {}};
    if (const std::string* from = message.headers().get("From")) {
        const auto list = parse_address_list(*from);
        if (!list.empty()) ctx.from_address = list[0].email;
    }
    render_headers(ctx, message.root());
    add(ctx, LineKind::Body, "");
    render_part(ctx, message.root(), true);
    return std::move(ctx.lines);
}

const Part* attachment_part(const Message& message, int number) {
    int seen = 0;
    const std::function<const Part*(const Part&)> find = [&](const Part& part) -> const Part* {
        if (!part.children.empty() && part.type.type == "multipart") {
            for (const auto& c : part.children)
                if (const Part* p = find(c)) return p;
            return nullptr;
        }
        return ++seen == number ? &part : nullptr;
    };
    return find(message.root());
}

std::vector<AttachmentInfo> list_attachments(const Message& message) {
    std::vector<AttachmentInfo> out;
    collect_leaves(message.root(), out);
    return out;
}

RenderOptions render_options_from(const GlobalOptions& o) {
    RenderOptions r;
    r.headers = o.header_display;
    r.alternative_order = o.alternative_order;
    r.ignore = o.ignore;
    r.unignore = o.unignore;
    r.hdr_order = o.hdr_order;
    r.auto_view = o.auto_view;
    return r;
}

}  // namespace tern
