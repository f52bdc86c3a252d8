// What the pager shows of a message, as lines with a kind and a quote level
// (for colors): the chosen headers, the readable body parts, markers for
// attachments and forwarded messages. All text is UTF-8 and terminal-safe.
// `tern render` prints exactly these lines.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "mime/crypto_backend.hpp"
#include "mime/message.hpp"

namespace tern {

struct RenderOptions {
    std::vector<std::string> headers = {"From", "To", "Cc", "Date", "Subject"};
    // mutt's weeding, when `ignore` is not empty (then `headers` is not used):
    // a header is shown unless an `ignore` name begins its name and no
    // `unignore` name does ("*" is every header); those named in `hdr_order`
    // come first in that order, the rest as the message has them. Lower case.
    std::vector<std::string> ignore, unignore, hdr_order;
    // multipart/alternative: the first of these types that is present wins
    std::vector<std::string> alternative_order = {"text/plain", "text/enriched", "text/html"};
    // mutt's auto_view: the types ("type/sub", "type/*") shown inline through
    // `viewer`; a text/html part not among them gets the built-in converter.
    std::vector<std::string> auto_view = {"text/html"};
    // Renders a part of one of those types as text from its decoded bytes
    // (a mailcap copiousoutput entry); nothing means no viewer for it.
    std::function<std::optional<std::string>(const ContentType&, std::string_view)> viewer;
    // Checks PGP/MIME signatures and decrypts (crypto/gpgme); nothing: signed
    // parts are shown unchecked and encrypted ones closed. Not owned.
    CryptoBackend* crypto = nullptr;
};

// The options the config sets (header_display, ignore, unignore, hdr_order,
// alternative_order); the html viewer is the caller's.
RenderOptions render_options_from(const GlobalOptions& options);

enum class LineKind { Header, Body, Quoted, Signature, Marker };

struct RenderedLine {
    LineKind kind = LineKind::Body;
    int quote_level = 0;  // for Quoted lines: 1 for "> ", 2 for "> > ", ...
    std::string text;
};

struct AttachmentInfo {
    int number = 0;         // 1-based, in document order of leaf parts
    std::string filename;   // decoded, may be empty; sanitise before using as a path
    std::string type;       // "application/pdf"
    std::size_t size = 0;   // decoded size in bytes (estimated for base64)
};

std::vector<RenderedLine> render_message(const Message& message, const RenderOptions& options = {});

// Every leaf part, as the attachment menu lists them.
std::vector<AttachmentInfo> list_attachments(const Message& message);
// The leaf part that list_attachments numbers `number`; null when there is none.
const Part* attachment_part(const Message& message, int number);

// Undoes format=flowed (RFC 3676): joins soft-broken lines, removes space
// stuffing, honours DelSp.
std::string unflow(std::string_view text, bool delsp);

// A file name for saving an attachment: the last path component only, no
// control characters, no leading dots or dashes, at most 200 bytes, never
// empty ("attachment").
std::string safe_filename(std::string_view name);

// "12K", "1.5M" as mutt shows sizes.
std::string human_size(std::size_t bytes);

}  // namespace tern
