// The order and look of a folder's index: mutt's sort methods (threads with
// sort_aux, date, date-received, from, to, subject, size, unsorted; a
// reverse- prefix) and the index line ("%4C %Z %{%b %d} %-15.15L (%4c) %s").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mime/address.hpp"
#include "store/message_row.hpp"
#include "store/threading.hpp"

namespace tern {

// A row of the index: `row` indexes the rows given, `shape` is its place
// in a thread (depth 0 when not threaded).
using IndexEntry = ThreadRow;

// What threading reads of a row (views into it).
inline ThreadInput thread_input(const MessageRow& r) { return {r.message_id(), r.references(), r.in_reply_to(), r.subject(), r.date}; }

// Orders rows by `sort` ("threads", "reverse-date", ...) and, for threads,
// `sort_aux`. Unknown methods sort by date.
std::vector<IndexEntry> order_index(const std::vector<MessageRow>& rows, std::string_view sort, std::string_view sort_aux);

// How threads are ordered for `sort` and `sort_aux`, with whether newest
// first; nothing when `sort` is not threads.
struct ThreadOrdering {
    ThreadOrder order;
    bool reverse;
};
std::optional<ThreadOrdering> thread_ordering(std::string_view sort, std::string_view sort_aux);

// What an order reads besides dates, sizes and threading's headers: the
// flags (an order kept over a change of flags is then wrong) and the
// addresses (rows read without them cannot be ordered).
bool order_reads_flags(std::string_view sort, std::string_view sort_aux);
bool order_reads_addresses(std::string_view sort, std::string_view sort_aux);

// Index lines, appended to a buffer; `number` is 1-based. Times are shown
// in the local time zone. Remembers the dates it formatted: a folder's
// 100,000 lines fall on a few hundred days.
class IndexLineFormatter {
public:
    IndexLineFormatter() = default;
    // Mail from one of these addresses shows "To <recipient>" as its author
    // (mutt's %L).
    explicit IndexLineFormatter(AddressSet my_addresses) : my_addresses_(std::move(my_addresses)) {}
    // One line, without a trailing newline.
    void append(std::string& out, const MessageRow& row, const IndexEntry& entry, std::size_t number);

private:
    AddressSet my_addresses_;
    std::unordered_map<std::int64_t, std::string> dates_;  // by 15-minute slot: every zone offset is a multiple
};

// The author an index line shows (mutt's %L): "To <recipient>" for mail
// from one of `my_addresses`, else the sender's name or address.
std::string index_author(const MessageRow& row, const AddressSet& my_addresses);

std::string format_index_line(const MessageRow& row, const IndexEntry& entry, std::size_t number);

}  // namespace tern
