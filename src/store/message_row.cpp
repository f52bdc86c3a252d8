#include "store/message_row.hpp"


namespace tern {
namespace {

// At most kMaxField bytes, cut at a character boundary.
std::string_view clamp_text(std::string_view s) {
    if (s.size() <= MessageRow::kMaxField) return s;
    std::size_t n = MessageRow::kMaxField;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

// The newest IDs that fit: threading needs the parent, not the oldest ancestors.
std::string_view clamp_references(std::string_view s) {
    if (s.size() <= MessageRow::kMaxField) return s;
    s = s.substr(s.size() - MessageRow::kMaxField);
    const auto start = s.find('<');
    return start == std::string_view::npos ? std::string_view() : s.substr(start);
}

}  // namespace

MessageText MessageRow::text() const {
    return {file(), from_name(), from_addr(), to(), cc(), subject(), message_id(), in_reply_to(), references()};
}

void MessageRow::set_text(const MessageText& t) {
    const std::array<std::string_view, kFields> parts = {
        clamp_text(t.file),    clamp_text(t.from_name),  clamp_text(t.from_addr),
        clamp_text(t.to),      clamp_text(t.cc),         clamp_text(t.subject),
        clamp_text(t.message_id), clamp_text(t.in_reply_to), clamp_references(t.references)};
    std::size_t total = 0;
    for (const auto p : parts) total += p.size();
    // NUL at the end: regexec's sanitizer interceptor reads a field to a NUL
    // even with REG_STARTEND
    auto packed = std::make_unique_for_overwrite<char[]>(total + 1);
    packed[total] = '\0';
    std::size_t at = 0;
    for (std::size_t i = 0; i < kFields; ++i) {
        parts[i].copy(packed.get() + at, parts[i].size());
        at += parts[i].size();
        end_[i] = static_cast<std::uint16_t>(at);
    }
    if (!t.file.empty()) {
        in_new = t.file.starts_with("new/");
        in_cur = t.file.starts_with("cur/");
    }
    packed_ = std::move(packed);  // last: `t` may point into the old text
}

MessageRow::MessageRow(const MessageRow& other) { *this = other; }

MessageRow& MessageRow::operator=(const MessageRow& other) {
    if (this == &other) return *this;
    id = other.id;
    flags = other.flags;
    has_attachments = other.has_attachments;
    in_new = other.in_new;
    in_cur = other.in_cur;
    size = other.size;
    date = other.date;
    received = other.received;
    set_text(other.text());
    return *this;
}

void MessageRow::set_file(std::string_view file) {
    MessageText t = text();  // views into packed_, which set_text replaces only at its end
    t.file = file;
    set_text(t);
}

}  // namespace tern

namespace tern {
// a million rows of an open folder: every 8 bytes here is 8 MB there
static_assert(sizeof(void*) != 8 || sizeof(MessageRow) == 64, "MessageRow grew past 64 bytes: see the member order");
}  // namespace tern
