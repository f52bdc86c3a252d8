#include "store/index_view.hpp"

#include <algorithm>
#include <ctime>
#include <numeric>

#include "mime/address.hpp"
#include "mime/charset.hpp"
#include "mime/render.hpp"
#include "store/threading.hpp"
#include "util/strings.hpp"
#include "util/two_halves.hpp"
#include "util/width.hpp"

namespace tern {
namespace {

// The number a sort orders by, for the methods that sort by one: read
// from the row as it is sorted, not kept per row beside it (a million rows).
enum class NumberKey { None, Date, Received, Size, Flagged };

NumberKey number_key(std::string_view method) {
    if (method == "date-received") return NumberKey::Received;
    if (method == "size") return NumberKey::Size;
    if (method == "flagged") return NumberKey::Flagged;
    if (method == "unsorted" || method == "mailbox-order") return NumberKey::None;
    return NumberKey::Date;  // date, date-sent; score, spam and label too: tern keeps no scores, spam tags or labels
}

std::int64_t number_of(NumberKey key, const MessageRow& r) {
    switch (key) {
        case NumberKey::Received: return r.received;
        case NumberKey::Size: return r.size;
        case NumberKey::Flagged: return r.flags.has(Flags::Flagged) ? 0 : 1;  // flagged first
        case NumberKey::Date: return r.date;
        case NumberKey::None: break;
    }
    return 0;  // unsorted, mailbox-order: the folder's order
}

bool sorts_by_text(std::string_view method) { return method == "from" || method == "to" || method == "subject"; }

// A text sort's key for every row, made once (not per comparison).
struct SortKeys {
    std::vector<std::string> texts;
    std::vector<std::int64_t> numbers;
    int compare(std::size_t a, std::size_t b) const {
        if (!texts.empty()) return texts[a].compare(texts[b]);
        if (!numbers.empty()) return numbers[a] < numbers[b] ? -1 : numbers[a] > numbers[b] ? 1 : 0;
        return 0;
    }
};

SortKeys sort_keys(std::string_view method, const std::vector<MessageRow>& rows) {
    SortKeys k;
    if (sorts_by_text(method)) {
        k.texts.reserve(rows.size());
        for (const auto& r : rows)
            k.texts.push_back(method == "from" ? to_lower(r.author()) : method == "to" ? to_lower(r.to()) : base_subject(r.subject()));
    } else if (const NumberKey key = number_key(method); key != NumberKey::None) {
        k.numbers.reserve(rows.size());
        for (const auto& r : rows) k.numbers.push_back(number_of(key, r));
    }
    return k;
}

// Sorts `items` by `before` on two cores when it is big: the halves at once, then merged.
template <class T, class Before>
void sort_in_two_halves(std::vector<T>& items, Before before) {
    const auto at = [&items](std::size_t i) { return items.begin() + static_cast<std::ptrdiff_t>(i); };
    const std::size_t mid = in_two_halves(items.size(), kTwoHalvesAbove, [&](std::size_t b, std::size_t e) { std::sort(at(b), at(e), before); });
    std::inplace_merge(items.begin(), at(mid), items.end(), before);
}

// A numeric sort (date, size, ...): the row breaks ties, so an unstable sort
// keeps the folder's order. When both keys fit in 32 bits (dates from 1970
// to 2106, sizes under 4 GB: nearly always), they make one 64-bit key that
// the entries themselves carry while they are sorted, in their shapes (a
// sort by number draws no tree): no memory beside the result (a million
// rows: 16 MB, where keys beside them took 56). Else key, key and row side
// by side. Either sorts in about half the time of indexes compared through
// two key vectors (bench/ui_keys).
std::vector<IndexEntry> order_by_numbers(const std::vector<MessageRow>& rows, NumberKey first, bool reverse, NumberKey second,
                                         bool second_reverse) {
    constexpr std::int64_t kMax32 = UINT32_MAX;
    const auto fits = [](std::int64_t v) { return v >= 0 && v <= kMax32; };
    std::vector<IndexEntry> out(rows.size());
    // the keys made in one pass over the rows, which stops at the first that does not fit
    std::size_t made = 0;
    for (; made < rows.size(); ++made) {
        const std::int64_t a = number_of(first, rows[made]), b = number_of(second, rows[made]);
        if (!fits(a) || !fits(b)) break;
        out[made].row = static_cast<std::uint32_t>(made);
        out[made].shape.branches = static_cast<std::uint64_t>(reverse ? kMax32 - a : a) << 32 | static_cast<std::uint64_t>(second_reverse ? kMax32 - b : b);
    }
    if (made == rows.size()) {
        sort_in_two_halves(out, [](const IndexEntry& x, const IndexEntry& y) {
            const std::uint64_t kx = x.shape.branches, ky = y.shape.branches;
            return kx != ky ? kx < ky : x.row < y.row;
        });
        for (IndexEntry& e : out) e.shape = ThreadShape{};
        return out;
    }
    struct Keyed {
        std::int64_t first, second;
        std::uint32_t row;
    };
    std::vector<Keyed> keyed(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) keyed[i] = {number_of(first, rows[i]), number_of(second, rows[i]), static_cast<std::uint32_t>(i)};
    sort_in_two_halves(keyed, [&](const Keyed& x, const Keyed& y) {
        if (x.first != y.first) return reverse ? x.first > y.first : x.first < y.first;
        if (x.second != y.second) return second_reverse ? x.second > y.second : x.second < y.second;
        return x.row < y.row;
    });
    for (std::size_t i = 0; i < keyed.size(); ++i) out[i] = {keyed[i].row, ThreadShape{}};
    return out;
}

}  // namespace

std::optional<ThreadOrdering> thread_ordering(std::string_view sort, std::string_view sort_aux) {
    bool reverse = false, aux_reverse = false;
    if (sort.starts_with("reverse-")) reverse = true, sort.remove_prefix(8);
    if (sort != "threads") return std::nullopt;
    if (sort_aux.starts_with("reverse-")) aux_reverse = true, sort_aux.remove_prefix(8);
    return ThreadOrdering{sort_aux.starts_with("last-") ? ThreadOrder::LastDate : ThreadOrder::FirstDate, reverse != aux_reverse};
}

std::vector<IndexEntry> order_index(const std::vector<MessageRow>& rows, std::string_view sort, std::string_view sort_aux) {
    if (const auto threads = thread_ordering(sort, sort_aux)) {
        const auto input = [&rows](std::size_t i) { return thread_input(rows[i]); };
        return thread_messages(rows.size(), input, threads->order, threads->reverse);
    }
    std::string method(sort);
    bool reverse = false;
    if (method.rfind("reverse-", 0) == 0) reverse = true, method = method.substr(8);
    std::string aux(sort_aux);
    bool aux_reverse = false;
    if (aux.rfind("reverse-", 0) == 0) aux_reverse = true, aux = aux.substr(8);
    if (aux.rfind("last-", 0) == 0) aux = aux.substr(5);
    // sort_aux breaks ties (as in mutt; its last- prefix means something only for threads), then the folder's order
    if (!sorts_by_text(method) && !sorts_by_text(aux)) return order_by_numbers(rows, number_key(method), reverse, number_key(aux), aux_reverse);
    const SortKeys primary = sort_keys(method, rows), secondary = sort_keys(aux, rows);
    std::vector<IndexEntry> out;
    out.reserve(rows.size());
    std::vector<std::size_t> idx(rows.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        if (const int c = primary.compare(a, b)) return reverse ? c > 0 : c < 0;
        const int c = secondary.compare(a, b);
        return aux_reverse ? c > 0 : c < 0;
    });
    for (const auto i : idx) out.push_back({static_cast<std::uint32_t>(i), ThreadShape{}});
    return out;
}

namespace {
std::string_view method_of(std::string_view sort) {  // "reverse-last-from" -> "from"
    for (const std::string_view prefix : {"reverse-", "last-"})
        if (sort.starts_with(prefix)) sort.remove_prefix(prefix.size());
    return sort;
}
}  // namespace

bool order_reads_flags(std::string_view sort, std::string_view sort_aux) {
    return method_of(sort) == "flagged" || method_of(sort_aux) == "flagged";
}

bool order_reads_addresses(std::string_view sort, std::string_view sort_aux) {
    for (const std::string_view method : {method_of(sort), method_of(sort_aux)})
        if (method == "from" || method == "to") return true;
    return false;
}

std::string index_author(const MessageRow& r, const AddressSet& my_addresses) {
    if (my_addresses.contains(r.from_addr())) {
        const auto to = parse_address_list(r.to());
        if (!to.empty()) return "To " + (to[0].name.empty() ? to[0].email : to[0].name);
    }
    return std::string(r.author());
}

void IndexLineFormatter::append(std::string& out, const MessageRow& r, const IndexEntry& e, std::size_t number) {
    const std::size_t start = out.size();
    const std::string n = std::to_string(number);
    if (n.size() < 4) out.append(4 - n.size(), ' ');
    out += n;
    // %Z: deleted / new / replied, then flagged, then an attachment mark
    out += ' ';
    out += r.flags.has(Flags::Trashed) ? 'D' : !r.flags.has(Flags::Seen) ? 'N' : r.flags.has(Flags::Replied) ? 'r' : ' ';
    out += r.flags.has(Flags::Flagged) ? '!' : ' ';
    out += r.has_attachments ? '+' : ' ';
    out += ' ';
    const std::int64_t slot = r.date >= 0 ? r.date / 900 : (r.date - 899) / 900;
    auto [date, inserted] = dates_.try_emplace(slot);
    if (inserted) {
        char buf[16] = "";
        const std::time_t t = static_cast<std::time_t>(r.date);
        std::tm tm{};
        if (localtime_r(&t, &tm)) std::strftime(buf, sizeof buf, "%b %d", &tm);
        date->second = buf;
    }
    out += date->second;
    out += ' ';
    out += fit_columns(terminal_safe(index_author(r, my_addresses_)), 15);
    const std::string size = human_size(static_cast<std::size_t>(std::max<std::int64_t>(0, r.size)));
    out += " (";
    if (size.size() < 4) out.append(4 - size.size(), ' ');
    out += size;
    out += ") ";
    if (e.shape.depth > 0) out += thread_tree(e.shape);
    out += terminal_safe(r.subject());
    for (std::size_t i = start; i < out.size(); ++i)
        if (out[i] == '\n' || out[i] == '\t') out[i] = ' ';
}

std::string format_index_line(const MessageRow& row, const IndexEntry& entry, std::size_t number) {
    std::string line;
    IndexLineFormatter().append(line, row, entry, number);
    return line;
}

}  // namespace tern
