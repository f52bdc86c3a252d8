// One message as the index shows it: flags, size, dates and the decoded
// header fields that the index line, threading and patterns read. A folder
// of a million of these stays in memory while it is open, so the text fields
// live packed back to back (one piece of memory, not nine), read as
// string_views, in blocks shared by many rows when read in bulk
// (RowTextBlocks); the row is still a plain value that copies and moves.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/flags.hpp"

namespace tern {

// The text of a row, as views: what builds a row and what a row gives back.
struct MessageText {
    std::string_view file{};  // "cur/NAME" relative to the folder's maildir; empty in the reader's rows
    std::string_view from_name{}, from_addr{}, to{}, cc{}, subject{};  // decoded UTF-8
    std::string_view message_id{}, in_reply_to{}, references{};
};

// Writes the text of many rows into shared blocks of 1 MiB instead of an
// allocation a row: malloc's header and rounding cost 12 MB at a million
// rows. A block counts the rows whose text it holds (and their copies) and
// is freed with the last of them, so a row may outlive the writer.
class RowTextBlocks {
public:
    RowTextBlocks() = default;
    RowTextBlocks(const RowTextBlocks&) = delete;
    RowTextBlocks& operator=(const RowTextBlocks&) = delete;
    ~RowTextBlocks();

private:
    friend class MessageRow;
    // Room for one text of `bytes` in the current block (a new one when it
    // is full), counted for the row that takes it.
    char* take(std::size_t bytes);
    char* block_ = nullptr;  // counted for this writer too, while it writes into it
    std::size_t used_ = 0;
};

class MessageRow {
public:
    // A field longer than this is cut (References keeps its newest IDs,
    // the rest their start); the packed offsets are 16 bits wide.
    static constexpr std::size_t kMaxField = 7000;

    MessageRow() = default;
    explicit MessageRow(const MessageText& text) { set_text(text); }
    MessageRow(const MessageRow& other);  // shares the text (it is never changed in place)
    MessageRow& operator=(const MessageRow& other);
    MessageRow(MessageRow&& other) noexcept;
    MessageRow& operator=(MessageRow&& other) noexcept;
    ~MessageRow();

    // The members are in the order that packs them into 64 bytes: a row is
    // kept for every message of an open folder (the small ones follow the
    // private text offsets, below).
    std::int64_t id = 0;
    std::int64_t size = 0;
    std::int64_t date = 0;      // Date: header (epoch), else received
    std::int64_t received = 0;  // file time

    std::string_view file() const { return field(0); }
    std::string_view from_name() const { return field(1); }
    std::string_view from_addr() const { return field(2); }
    std::string_view to() const { return field(3); }
    std::string_view cc() const { return field(4); }
    std::string_view subject() const { return field(5); }
    std::string_view message_id() const { return field(6); }
    std::string_view in_reply_to() const { return field(7); }
    std::string_view references() const { return field(8); }
    // The sender as the index shows it: the name, else the address.
    std::string_view author() const { return from_name().empty() ? from_addr() : from_name(); }

    MessageText text() const;
    // Sets in_new and in_cur from the file name when there is one. The text
    // goes into `blocks` when given, else into memory of its own.
    void set_text(const MessageText& text, RowTextBlocks* blocks = nullptr);
    // Replaces one field, keeping the others (e.g. the file after a scan).
    void set_file(std::string_view file);

private:
    static constexpr std::size_t kFields = 9;
    void copy_numbers(const MessageRow& other);  // everything but the text
    std::string_view field(std::size_t i) const {
        const std::size_t begin = i == 0 ? 0 : end_[i - 1];
        return packed_ ? std::string_view(packed_ + begin, end_[i] - begin) : std::string_view();
    }
    // the text fields back to back, in a block counted for this row (see
    // message_row.cpp); a bare pointer, not a std::string, saves 24 bytes a row
    const char* packed_ = nullptr;
    std::array<std::uint16_t, kFields> end_{};

public:
    Flags flags;
    bool has_attachments = false;
    // in the maildir's new/ or cur/ (mutt's ~N, ~O; neither: only the headers
    // are here): known even when the row was read without its file name (the
    // reader's rows, see IndexDb::messages)
    bool in_new = false, in_cur = false;
};

}  // namespace tern
