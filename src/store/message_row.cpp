#include "store/message_row.hpp"

#include <atomic>
#include <cstring>
#include <new>
#include <utility>

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

// A text block: this header, then texts, each as [4 bytes: its distance
// from the block's start][the fields][NUL]. A row points at its fields, and
// finds the header (to count itself out) by the 4 bytes before them.
struct BlockHeader {
    std::atomic<std::uint32_t> rows{1};  // the rows pointing into it, and the writer filling it
};

constexpr std::size_t kBlockSize = std::size_t{1} << 20;
constexpr std::size_t kBack = sizeof(std::uint32_t);

char* new_block(std::size_t bytes) {
    static_assert(alignof(BlockHeader) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    char* block = static_cast<char*>(::operator new(bytes));
    new (block) BlockHeader;
    return block;
}

// A row (or a writer) counted in and out of a block; the last one out frees it.
void retain_block(char* block) { std::launder(reinterpret_cast<BlockHeader*>(block))->rows.fetch_add(1, std::memory_order_relaxed); }

void release_block(char* block) {
    auto* header = std::launder(reinterpret_cast<BlockHeader*>(block));
    if (header->rows.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    header->~BlockHeader();
    ::operator delete(block);
}

// The block a row's text lies in, by the 4 bytes before it.
char* block_of(const char* text) {
    std::uint32_t back = 0;
    std::memcpy(&back, text - kBack, kBack);
    return const_cast<char*>(text - back);
}

void retain_text(const char* text) {
    if (text) retain_block(block_of(text));
}

void release_text(const char* text) {
    if (text) release_block(block_of(text));
}

// Writes the 4 bytes back to `block` before `at` and returns where the fields go.
char* place(char* block, std::size_t at) {
    const auto back = static_cast<std::uint32_t>(at + kBack);
    std::memcpy(block + at, &back, kBack);
    return block + at + kBack;
}

// Room for one text of `bytes` in a block of its own, counted for its row.
char* text_of_its_own(std::size_t bytes) { return place(new_block(sizeof(BlockHeader) + kBack + bytes), sizeof(BlockHeader)); }

}  // namespace

RowTextBlocks::~RowTextBlocks() {
    if (block_) release_block(block_);
}

char* RowTextBlocks::take(std::size_t bytes) {
    const std::size_t need = kBack + bytes;
    if (need > kBlockSize - sizeof(BlockHeader)) return text_of_its_own(bytes);  // bigger than a block (not with today's field limits)
    if (!block_ || used_ + need > kBlockSize) {
        if (block_) release_block(block_);
        block_ = new_block(kBlockSize);
        used_ = sizeof(BlockHeader);
    }
    retain_block(block_);
    char* fields = place(block_, used_);
    used_ += need;
    return fields;
}

MessageText MessageRow::text() const {
    return {file(), from_name(), from_addr(), to(), cc(), subject(), message_id(), in_reply_to(), references()};
}

void MessageRow::set_text(const MessageText& t, RowTextBlocks* blocks) {
    const std::array<std::string_view, kFields> parts = {
        clamp_text(t.file),    clamp_text(t.from_name),  clamp_text(t.from_addr),
        clamp_text(t.to),      clamp_text(t.cc),         clamp_text(t.subject),
        clamp_text(t.message_id), clamp_text(t.in_reply_to), clamp_references(t.references)};
    std::size_t total = 0;
    for (const auto p : parts) total += p.size();
    // NUL at the end: regexec's sanitizer interceptor reads a field to a NUL
    // even with REG_STARTEND
    char* packed = blocks ? blocks->take(total + 1) : text_of_its_own(total + 1);
    packed[total] = '\0';
    std::size_t at = 0;
    for (std::size_t i = 0; i < kFields; ++i) {
        parts[i].copy(packed + at, parts[i].size());
        at += parts[i].size();
        end_[i] = static_cast<std::uint16_t>(at);
    }
    if (!t.file.empty()) {
        in_new = t.file.starts_with("new/");
        in_cur = t.file.starts_with("cur/");
    }
    release_text(packed_);  // last: `t` may point into the old text
    packed_ = packed;
}

MessageRow::MessageRow(const MessageRow& other) { *this = other; }

void MessageRow::copy_numbers(const MessageRow& other) {
    id = other.id;
    flags = other.flags;
    has_attachments = other.has_attachments;
    in_new = other.in_new;
    in_cur = other.in_cur;
    size = other.size;
    date = other.date;
    received = other.received;
}

MessageRow& MessageRow::operator=(const MessageRow& other) {
    if (this == &other) return *this;
    copy_numbers(other);
    retain_text(other.packed_);
    release_text(packed_);
    packed_ = other.packed_;
    end_ = other.end_;
    return *this;
}

MessageRow::MessageRow(MessageRow&& other) noexcept { *this = std::move(other); }

MessageRow& MessageRow::operator=(MessageRow&& other) noexcept {
    if (this == &other) return *this;
    copy_numbers(other);
    release_text(packed_);
    packed_ = std::exchange(other.packed_, nullptr);
    end_ = std::exchange(other.end_, {});
    return *this;
}

MessageRow::~MessageRow() { release_text(packed_); }

void MessageRow::set_file(std::string_view file) {
    MessageText t = text();  // views into packed_, which set_text lets go only at its end
    t.file = file;
    set_text(t);
}

}  // namespace tern

namespace tern {
// a million rows of an open folder: every 8 bytes here is 8 MB there
static_assert(sizeof(void*) != 8 || sizeof(MessageRow) == 64, "MessageRow grew past 64 bytes: see the member order");
}  // namespace tern
