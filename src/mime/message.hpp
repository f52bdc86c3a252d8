// A message as a MIME tree over its bytes: each part knows its headers, type,
// transfer encoding, disposition, file name and where its body lies. Parsing
// is linear per nesting level, bounded in depth and part count, and never
// fails: broken structure degrades to text.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mime/content_type.hpp"
#include "mime/headers.hpp"

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
    Message(Message&&) = default;
    Message& operator=(Message&&) = default;
    Message(const Message&) = delete;
    Message& operator=(const Message&) = delete;

    const Part& root() const { return root_; }
    const Headers& headers() const { return root_.headers; }
    std::string_view bytes() const { return *bytes_; }

private:
    std::unique_ptr<std::string> bytes_;  // stable address: parts point into it
    Part root_;
};

inline constexpr int kMaxMimeDepth = 32;
inline constexpr std::size_t kMaxMimeParts = 10000;

}  // namespace tern
