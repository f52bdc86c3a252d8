#include "store/thread_patch.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace tern {
namespace {

std::uint64_t id_hash(std::string_view id) { return std::hash<std::string_view>{}(id); }

// The Message-IDs of the rows threaded again: an old thread that holds one
// of them is threaded again too. A hash met by chance only threads one more
// thread again.
class IdReach {
public:
    void add(const ThreadInput& m) {
        each_id(m, [this](std::string_view id) { ids_.insert(id_hash(id)); });
    }
    bool touches(const ThreadInput& m) const {
        bool hit = false;
        each_id(m, [&](std::string_view id) { hit = hit || ids_.contains(id_hash(id)); });
        return hit;
    }

private:
    template <class F>
    static void each_id(const ThreadInput& m, F f) {
        if (!m.message_id.empty()) f(m.message_id);
        for_each_message_id(m.references, f);
        for_each_message_id(m.in_reply_to, f);
    }
    std::unordered_set<std::uint64_t> ids_;
};

// The dates of the rows threaded again, by base subject: a reply joined by
// subject goes under the latest original of its subject not newer than it
// (threading.cpp), so around each of these dates the original before it
// and the unjoined replies after it may change.
class SubjectReach {
public:
    void add(const ThreadInput& m) {
        if (const auto base = subject_key(m.subject).base) dates_[*base].push_back(m.date);
    }
    const std::vector<std::int64_t>* dates(std::uint64_t base) const {
        const auto it = dates_.find(base);
        return it == dates_.end() ? nullptr : &it->second;
    }
    bool empty() const { return dates_.empty(); }

private:
    std::unordered_map<std::uint64_t, std::vector<std::int64_t>> dates_;
};

// An old row threaded again, with its text of its own (the old rows' views live one call).
struct KeptInput {
    std::uint32_t at;  // new index
    std::string message_id, references, in_reply_to, subject;
    std::int64_t date;
    ThreadInput input() const { return {message_id, references, in_reply_to, subject, date}; }
};

// A thread's place among the others: its date, then its lowest row index.
struct ThreadKey {
    std::int64_t date;
    std::uint32_t low;
};
bool before(const ThreadKey& a, const ThreadKey& b, bool reverse) {
    if (a.date != b.date) return reverse ? a.date > b.date : a.date < b.date;
    return a.low < b.low;
}

// Calls each(first, end) for every thread of the old order (entries
// [first, end) of one thread, buffered); false when the order ended early
// or `each` said stop.
template <class Each>
bool for_each_old_thread(const ThreadPatch& patch, Each each) {
    std::vector<ThreadRow> thread;
    bool stopped = false;
    const bool all = patch.old_order([&](const ThreadRow& e) {
        if (e.row >= patch.old_count) return !(stopped = true);
        if (e.shape.thread_start && !thread.empty()) {
            if (!each(thread)) return !(stopped = true);
            thread.clear();
        }
        thread.push_back(e);
        return true;
    });
    if (!all || stopped) return false;
    return thread.empty() || each(thread);
}

}  // namespace

void RowDates::set(std::size_t i, std::int64_t date) {
    if (!based_) based_ = true, base_ = date;
    std::int64_t offset = 0;
    if (!__builtin_sub_overflow(date, base_, &offset) && offset > kFar && offset <= INT32_MAX) {
        near_[i] = static_cast<std::int32_t>(offset);
    } else {
        near_[i] = kFar;
        far_[i] = date;
    }
}

std::optional<ThreadPatchPlan> plan_thread_patch(const ThreadPatch& patch, ThreadOrder order, bool reverse, std::size_t max_rethreaded) {
    ThreadPatchPlan plan;
    plan.old_date.assign(patch.old_count);
    plan.redone.assign(patch.old_count, 0);
    enum : char { Untouched = 0, Touched = 1, Taken = 2 };  // Taken: threaded again, its IDs and date in the reach
    std::vector<char>& state = plan.redone;
    // the old rows that are a thread's root message (a root that can join or be joined by subject)
    std::vector<char> root_message(patch.old_count, 0);
    if (!patch.old_order([&](const ThreadRow& e) {
            if (e.row >= patch.old_count) return false;
            root_message[e.row] = e.shape.thread_start && !e.shape.missing_parent;
            return true;
        }))
        return std::nullopt;

    IdReach ids;
    SubjectReach subjects;
    for (const auto& [at, m] : patch.added) ids.add(m), subjects.add(m);
    patch.old_rows([&](std::size_t i, const ThreadInput& m) {
        plan.old_date.set(i, m.date);
        // its thread changes, and whatever its IDs linked (also reached through the
        // rows that refer to it; a Message-ID it held first passes to a duplicate)
        if (patch.new_index[i] == kRowGone) ids.add(m), subjects.add(m), state[i] = Taken;
    });
    const auto stopped = [&patch] { return patch.stop && patch.stop(); };
    // widened until no old thread more is reached
    for (;;) {
        if (stopped()) return std::nullopt;
        // by ID; by subject, each date's original before it (all of that
        // date) and the unjoined replies not older than it
        std::unordered_map<std::uint64_t, std::vector<std::pair<std::int64_t, std::size_t>>> originals;
        patch.old_rows([&](std::size_t i, const ThreadInput& m) {
            if (state[i] != Untouched) return;
            if (ids.touches(m)) {
                state[i] = Touched;
                return;
            }
            if (!root_message[i] || subjects.empty()) return;
            const SubjectKey key = subject_key(m.subject);
            const auto* dates = key.base ? subjects.dates(*key.base) : nullptr;
            if (!dates) return;
            if (key.reply) {
                if (m.date >= *std::min_element(dates->begin(), dates->end())) state[i] = Touched;
            } else {
                originals[*key.base].emplace_back(m.date, i);
            }
        });
        for (auto& [hash, list] : originals) {
            std::sort(list.begin(), list.end());
            for (const std::int64_t d : *subjects.dates(hash)) {
                auto it = std::upper_bound(list.begin(), list.end(), std::pair(d, SIZE_MAX));
                if (it == list.begin()) continue;
                const std::int64_t latest = std::prev(it)->first;
                for (; it != list.begin() && std::prev(it)->first == latest; --it) state[std::prev(it)->second] = Touched;
            }
        }
        // whole threads
        std::size_t taken = patch.added.size();
        const bool whole = for_each_old_thread(patch, [&](const std::vector<ThreadRow>& thread) {
            const bool reached = std::any_of(thread.begin(), thread.end(), [&](const ThreadRow& e) { return state[e.row] != Untouched; });
            if (reached) {
                for (const ThreadRow& e : thread)
                    if (state[e.row] == Untouched) state[e.row] = Touched;
                taken += thread.size();
            }
            return taken <= max_rethreaded;
        });
        if (!whole || stopped()) return std::nullopt;
        bool grew = false;
        patch.old_rows([&](std::size_t i, const ThreadInput& m) {
            if (state[i] != Touched) return;
            ids.add(m), subjects.add(m), state[i] = Taken;
            grew = true;
        });
        if (!grew) break;
    }

    // the rows threaded again, in new index order: old ones kept, merged with the added
    std::vector<KeptInput> kept;
    patch.old_rows([&](std::size_t i, const ThreadInput& m) {
        if (state[i] != Untouched && patch.new_index[i] != kRowGone)
            kept.push_back({patch.new_index[i], std::string(m.message_id), std::string(m.references), std::string(m.in_reply_to),
                            std::string(m.subject), m.date});
    });
    std::vector<ThreadInput> inputs;
    std::vector<std::uint32_t> at;
    inputs.reserve(kept.size() + patch.added.size());
    at.reserve(inputs.capacity());
    for (std::size_t k = 0, a = 0; k < kept.size() || a < patch.added.size();) {
        if (a == patch.added.size() || (k < kept.size() && kept[k].at < patch.added[a].first)) {
            inputs.push_back(kept[k].input());
            at.push_back(kept[k++].at);
        } else {
            inputs.push_back(patch.added[a].second);
            at.push_back(patch.added[a++].first);
        }
    }
    plan.rethreaded = inputs.size();
    // the part threads as it would in the whole folder: its rows keep their relative order
    plan.threads = thread_messages(inputs, order, reverse);
    const bool by_last = order == ThreadOrder::LastDate;
    for (std::size_t j = 0; j < plan.threads.size(); ++j) {
        ThreadRow& e = plan.threads[j];
        if (e.shape.thread_start || plan.spans.empty())
            plan.spans.push_back({j, j, by_last ? INT64_MIN : INT64_MAX, UINT32_MAX});
        ThreadPatchPlan::Span& s = plan.spans.back();
        const std::int64_t d = inputs[e.row].date;
        s.date = by_last ? std::max(s.date, d) : std::min(s.date, d);
        e.row = at[e.row];
        s.low = std::min(s.low, e.row);
        s.end = j + 1;
    }
    return plan;
}

bool emit_patched_order(const ThreadPatch& patch, const ThreadPatchPlan& plan, ThreadOrder order, bool reverse,
                        const std::function<bool(const ThreadRow&)>& emit) {
    const bool by_last = order == ThreadOrder::LastDate;
    std::size_t next = 0;  // the next thread threaded again (plan.spans)
    // emits the threads threaded again that come before `key` (all of them without one)
    const auto emit_new_before = [&](const ThreadKey* key) {
        for (; next < plan.spans.size(); ++next) {
            const ThreadPatchPlan::Span& s = plan.spans[next];
            if (key && !before({s.date, s.low}, *key, reverse)) return true;
            for (std::size_t j = s.begin; j < s.end; ++j)
                if (!emit(plan.threads[j])) return false;
        }
        return true;
    };
    const bool whole = for_each_old_thread(patch, [&](const std::vector<ThreadRow>& thread) {
        if (plan.redone[thread.front().row]) return true;  // threaded again: among plan.spans
        ThreadKey key{by_last ? INT64_MIN : INT64_MAX, UINT32_MAX};
        for (const ThreadRow& e : thread) {
            const std::int64_t d = plan.old_date[e.row];
            key.date = by_last ? std::max(key.date, d) : std::min(key.date, d);
            key.low = std::min(key.low, patch.new_index[e.row]);
        }
        if (!emit_new_before(&key)) return false;
        for (ThreadRow e : thread) {
            e.row = patch.new_index[e.row];
            if (!emit(e)) return false;
        }
        return true;
    });
    return whole && emit_new_before(nullptr);
}

}  // namespace tern
