// IMAP server responses (RFC 9051 / 3501): bytes in, values out, no I/O.
// A ResponseReader takes bytes as they arrive and hands out whole
// responses: a line counts as complete only with every literal it
// announces ({N} then N bytes, which may hold anything: "A005 OK",
// "* 3 EXPUNGE", CR, LF, NUL). parse_response turns one into values:
// numbers, atoms, quoted strings, literals, NIL and nested lists, with
// FETCH items, response codes and the text kept apart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

// One value of a response: an atom (including flags like \Seen and section
// names like BODY[HEADER.FIELDS (FROM)]), a number, a string (quoted or a
// literal: the bytes, unquoted), NIL, or a parenthesised list.
struct ImapValue {
    enum class Kind { Atom, Number, String, Nil, List } kind = Kind::Nil;
    std::string text;               // Atom, String
    std::uint64_t number = 0;       // Number
    std::vector<ImapValue> items;   // List

    bool is_atom(std::string_view name) const;  // case-blind
    // The text of a String or Atom; empty for NIL.
    const std::string& str() const { return text; }
};

struct ImapResponse {
    enum class Kind { Tagged, Untagged, Continuation } kind = Kind::Untagged;
    std::string tag;                     // Tagged
    std::optional<std::uint64_t> number; // "* 12 EXISTS", "* 3 FETCH (...)"
    std::string name;                    // upper case: OK NO BAD BYE PREAUTH EXISTS FETCH LIST ...
    std::vector<ImapValue> data;         // what follows the name (not for status responses)
    std::string code;                    // status responses: "UIDVALIDITY" of "[UIDVALIDITY 7]", upper case
    std::vector<ImapValue> code_data;    // its arguments
    std::string text;                    // status responses and continuations: the human text

    bool is_status() const;  // OK NO BAD BYE PREAUTH
};

// Thrown for bytes that are not IMAP; the connection cannot go on.
struct ImapProtocolError {
    std::string message;
};

// Parses one complete response (CRLF or LF at the end optional). Throws
// ImapProtocolError.
ImapResponse parse_response(std::string_view bytes);

// Cuts a byte stream into complete responses.
class ResponseReader {
public:
    // Literals beyond this are refused (a hostile or broken server).
    static constexpr std::uint64_t kMaxLiteral = std::uint64_t{1} << 31;

    void feed(std::string_view bytes) { buffer_.append(bytes); }
    // The bytes of the next complete response, or nothing yet. Throws
    // ImapProtocolError for an absurd literal length.
    std::optional<std::string> next();
    std::size_t buffered() const { return buffer_.size() - start_; }

private:
    std::string buffer_;
    std::size_t start_ = 0;  // where the next response begins
    std::size_t scan_ = 0;   // how far the current one is known to be complete
};

// The attributes of one message in a FETCH response.
struct FetchData {
    std::uint64_t sequence = 0;
    std::optional<std::uint32_t> uid;
    std::optional<std::vector<std::string>> flags;
    std::optional<std::uint64_t> size;         // RFC822.SIZE
    std::optional<std::string> internal_date;  // INTERNALDATE, as sent
    std::optional<std::uint64_t> modseq;       // MODSEQ (n)
    // BODY[...] and BINARY[...] items by their section as sent, upper case
    // ("BODY[]", "BODY[HEADER.FIELDS (FROM SUBJECT)]"); NIL is empty
    std::vector<std::pair<std::string, std::string>> sections;
    std::optional<ImapValue> envelope, body_structure;

    const std::string* section(std::string_view name) const;
};

// Reads "* N FETCH (...)"; throws ImapProtocolError when it is not one.
FetchData parse_fetch(const ImapResponse& response);

}  // namespace tern
