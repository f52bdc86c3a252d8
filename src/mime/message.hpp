// A message as a MIME tree over its bytes: each part knows its headers, type,
// transfer encoding, disposition, file name and where its body lies. Parsing
// is linear per nesting level, bounded in depth and part count, and never
// fails: broken structure degrades to text.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/content_type.hpp"
#include "mime/headers.hpp"
#include "util/mapped_file.hpp"

namespace tern {

struct Part {
    Headers headers;
    ContentType type;
    std::string transfer_encoding;  // lower case, "7bit" when absent
    std::string disposition;        // "inline", "attachment" or empty
    std::string filename;           // UTF-8, from disposition or the name parameter; not yet safe as a path
    std::string_view body;          // raw (still transfer-encoded)
    std::string_view raw;           // the whole part as written, headers and body (what a signature covers)
    std::vector<Part> children;     // multipart parts, or the message inside message/rfc822
    std::string charset() const;    // the charset parameter, or "us-ascii"
    std::string decoded_body() const;  // transfer decoding undone (bytes)
};

class Message {
public:
    // Takes the message's bytes (any line ends).
    explicit Message(std::string bytes);
    // A message file mapped, not read: its parts point into the mapping, and
    // the pages a parse scans through are given back as it goes, so that a
    // message with a 200 MB attachment costs the pages of its headers and
    // text, not its size.
    explicit Message(MappedFile file);
    // The message in a file: read when small, mapped when big (see above).
    // Nothing, with the errno in *error, when it cannot be opened.
    static std::optional<Message> from_file(const std::string& path, int* error = nullptr);
    Message(Message&&) = default;
    Message& operator=(Message&&) = default;
    Message(const Message&) = delete;
    Message& operator=(const Message&) = delete;

    const Part& root() const { return root_; }
    const Headers& headers() const { return root_.headers; }
    std::string_view bytes() const { return bytes_; }
    // Gives back the resident pages of a mapped message's part of `bytes()`
    // (nothing for one held in memory); touched again, they are read again.
    void release(std::string_view within) const;

private:
    void parse();
    std::unique_ptr<std::string> owned_;  // stable address: parts point into it
    std::optional<MappedFile> mapped_;    // or this, also stable
    std::string_view bytes_;
    Part root_;
};

// The body of `part` (of `message`) with its transfer encoding undone, a
// piece at a time into `sink`, the pages read given back as it goes when the
// message is mapped: a 200 MB attachment saved without holding it. Stops
// when `sink` returns false, and returns false then.
bool decode_body_to(const Message& message, const Part& part, const std::function<bool(std::string_view)>& sink);

inline constexpr int kMaxMimeDepth = 32;
inline constexpr std::size_t kMaxMimeParts = 10000;
// Files from this size up are mapped by Message::from_file, not read.
inline constexpr std::size_t kMapMessagesFrom = 4 << 20;

}  // namespace tern
