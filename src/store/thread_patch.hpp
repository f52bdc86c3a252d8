// A folder's thread order brought up to date after a few rows were added,
// removed or changed, without threading the whole folder again.
//
// Why: the store worker writes a folder's snapshot again after new mail,
// while the reader holds the folder's rows. Threading a million rows needs
// them all in memory a second time (270 MB beside the reader's 270). A patch
// reads the old snapshot and the changes in passes, holding 13 bytes a row.
//
// How it stays exact: threading depends only on what links messages (their
// Message-IDs, References and In-Reply-To) and, for a reply left without
// links, on the root messages of its subject: it joins the latest original
// not newer than it (threading.cpp). So an old thread that shares no ID
// with a changed row, and is neither the original just before a changed
// row of its subject nor an unjoined reply of that subject after it, is
// threaded as it was. The patch threads again the changed rows with every
// old thread so reached (widened until nothing more joins) and puts the
// others back around them in their old order. Threads are ordered by their
// date and then their lowest row index, which the patch computes for both.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/threading.hpp"

namespace tern {

// An old row that is not in the new folder (removed, or changed: its new version is added).
constexpr std::uint32_t kRowGone = UINT32_MAX;

struct ThreadPatch {
    // The rows the old order was made from, in their index order.
    std::size_t old_count = 0;
    // Calls each(i, input) for every old row, i = 0, 1, ... (asked several
    // times; the views live during the call).
    std::function<void(const std::function<void(std::size_t, const ThreadInput&)>&)> old_rows;
    // Calls each(entry) for the old order's entries, front to back, until it
    // says false; says whether it gave them all.
    std::function<bool(const std::function<bool(const ThreadRow&)>&)> old_order;
    // The index in the new folder of each old row, or kRowGone.
    std::vector<std::uint32_t> new_index;
    // The new folder's rows that are not old rows kept, by new index, ascending.
    std::vector<std::pair<std::uint32_t, ThreadInput>> added;
    std::size_t new_count = 0;
    // Asked between passes: true gives up (plan_thread_patch gives nothing).
    std::function<bool()> stop;
};

// Each old row's date in 4 bytes, as an offset from the first one's (a
// million rows: 4 MB less beside the reader's rows); the few more than 68
// years from it are kept aside.
class RowDates {
public:
    void assign(std::size_t count) { near_.assign(count, 0), far_.clear(); }
    void set(std::size_t i, std::int64_t date);
    std::int64_t operator[](std::size_t i) const { return near_[i] == kFar ? far_.at(i) : base_ + near_[i]; }

private:
    static constexpr std::int32_t kFar = INT32_MIN;
    bool based_ = false;
    std::int64_t base_ = 0;
    std::vector<std::int32_t> near_;
    std::unordered_map<std::size_t, std::int64_t> far_;
};

// What the patch threads again, and the rest it needs to place the old threads.
struct ThreadPatchPlan {
    RowDates old_date;                       // each old row's date
    std::vector<char> redone;                // each old row: part of a thread threaded again
    std::vector<ThreadRow> threads;          // the threads threaded again, in new indices, in order
    struct Span {
        std::size_t begin, end;  // entries of `threads`
        std::int64_t date;       // the thread's first or last date, as the order sorts
        std::uint32_t low;       // its lowest new index
    };
    std::vector<Span> spans;                 // one per thread of `threads`
    std::size_t rethreaded = 0;              // rows threaded again
};

// Nothing when more than `max_rethreaded` rows would be threaded again
// (then thread the whole folder), when the old order is not whole, or when
// `stop` said so.
std::optional<ThreadPatchPlan> plan_thread_patch(const ThreadPatch& patch, ThreadOrder order, bool reverse, std::size_t max_rethreaded);

// Gives the new order to `emit`, entry by entry: the same as thread_messages
// over the new folder. False when `emit` said stop or the old order ended early.
bool emit_patched_order(const ThreadPatch& patch, const ThreadPatchPlan& plan, ThreadOrder order, bool reverse,
                        const std::function<bool(const ThreadRow&)>& emit);

}  // namespace tern
