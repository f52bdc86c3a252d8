// The order and look of a folder's index: mutt's sort methods (threads with
// sort_aux, date, date-received, from, to, subject, size, unsorted; a
// reverse- prefix) and the index line ("%4C %Z %{%b %d} %-15.15L (%4c) %s").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/message_row.hpp"
#include "store/threading.hpp"

namespace tern {

struct IndexEntry {
    std::size_t row;    // into the rows given
    ThreadShape shape;  // its place in a thread (depth 0 when not threaded)
};

// Orders rows by `sort` ("threads", "reverse-date", ...) and, for threads,
// `sort_aux`. Unknown methods sort by date.
std::vector<IndexEntry> order_index(const std::vector<MessageRow>& rows, std::string_view sort, std::string_view sort_aux);

// One index line, without a trailing newline; `number` is 1-based.
// Times are shown in the local time zone.
std::string format_index_line(const MessageRow& row, const IndexEntry& entry, std::size_t number);

}  // namespace tern
