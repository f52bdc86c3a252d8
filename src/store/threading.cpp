#include "store/threading.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "util/strings.hpp"

namespace tern {

void for_each_message_id(std::string_view value, const std::function<void(std::string_view)>& f) {
    std::size_t pos = 0;
    while ((pos = value.find('<', pos)) != std::string_view::npos) {
        const auto end = value.find('>', pos);
        if (end == std::string_view::npos) break;
        const auto id = value.substr(pos, end - pos + 1);
        if (id.find(' ') == std::string_view::npos && id.size() > 2) f(id);
        pos = end + 1;
    }
}

std::vector<std::string> parse_message_ids(std::string_view value) {
    std::vector<std::string> ids;
    for_each_message_id(value, [&ids](std::string_view id) { ids.emplace_back(id); });
    return ids;
}

std::string base_subject(std::string_view s) {
    for (;;) {
        s = trim(s);
        std::size_t i = 0;
        while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
        if (i > 0 && i <= 4 && i < s.size()) {
            std::size_t j = i;
            if (s[j] == '[') {
                const auto close = s.find(']', j);
                if (close != std::string_view::npos) j = close + 1;
            }
            const std::string word = to_lower(s.substr(0, i));
            if (j < s.size() && s[j] == ':' && (word == "re" || word == "aw" || word == "sv" || word == "fwd" || word == "fw")) {
                s = s.substr(j + 1);
                continue;
            }
        }
        break;
    }
    return to_lower(trim(s));
}

SubjectKey subject_key(std::string_view subject) {
    const std::string base = base_subject(subject);
    if (base.empty()) return {};
    return {std::hash<std::string>{}(base), base != to_lower(trim(subject))};
}

std::string thread_tree(const ThreadShape& shape) {
    if (shape.depth == 0) return "";
    std::string tree;
    for (std::uint32_t k = 0; k + 1 < shape.depth; ++k) tree += k < 64 && (shape.branches >> k & 1) ? "│ " : "  ";
    return tree + (shape.last ? "└─>" : "├─>");
}

namespace {

// A node of the thread forest; children form a linked list. Only the links:
// what is known of a subtree (its dates, its lowest message) comes after the
// linking, when the table of IDs is gone (at a million messages the two
// together were the reader's peak).
struct Container {
    std::int32_t message = -1;  // index into the input, -1 for a placeholder
    std::int32_t parent = -1;
    std::int32_t first_child = -1, last_child = -1, next_sibling = -1;
};
static_assert(sizeof(Container) == 20);


// Message-IDs to containers by a 64-bit hash of the ID, open addressing.
// Two IDs with the same hash would be taken as one; among 10^6 IDs the
// chance is about 10^-7. The slots hold container numbers and the hashes
// are kept by container (8 bytes each, not a 16-byte entry per ID).
class IdTable {
public:
    explicit IdTable(std::size_t expected) {
        std::size_t capacity = 1024;
        while (!roomy(expected, capacity)) capacity *= 2;
        slots_.assign(capacity, -1);
        hashes_.reserve(expected + expected / 8);
    }
    void release() {
        std::vector<std::int32_t>().swap(slots_);
        std::vector<std::uint64_t>().swap(hashes_);
    }
    // The container of `id`; `make()` makes one when the ID is new
    // (containers are numbered from 0 in the order they are made).
    template <class Make>
    std::int32_t find_or_add(std::string_view id, Make make) {
        if (!roomy(ids_ + 1, slots_.size())) grow();
        const std::uint64_t h = std::hash<std::string_view>{}(id);
        std::size_t i = h & (slots_.size() - 1);
        for (; slots_[i] >= 0; i = (i + 1) & (slots_.size() - 1))
            if (hashes_[static_cast<std::size_t>(slots_[i])] == h) return slots_[i];
        const std::int32_t made = make();
        if (hashes_.size() <= static_cast<std::size_t>(made)) hashes_.resize(static_cast<std::size_t>(made) + 1);  // containers without an ID between
        hashes_[static_cast<std::size_t>(made)] = h;
        slots_[i] = made;
        ++ids_;
        return made;
    }

private:
    // at most 60% of the slots taken: linear probing stays short, and a
    // million IDs fit in 2^21 slots (8 MB), not 2^22
    static bool roomy(std::size_t ids, std::size_t slots) { return ids * 5 <= slots * 3; }
    void grow() {
        std::vector<std::int32_t> old(slots_.size() * 2, -1);
        old.swap(slots_);
        for (const std::int32_t c : old) {
            if (c < 0) continue;
            std::size_t i = hashes_[static_cast<std::size_t>(c)] & (slots_.size() - 1);
            while (slots_[i] >= 0) i = (i + 1) & (slots_.size() - 1);
            slots_[i] = c;
        }
    }
    std::vector<std::int32_t> slots_;
    std::vector<std::uint64_t> hashes_;  // by container
    std::size_t ids_ = 0;
};

class Threader {
public:
    Threader(std::size_t count, const std::function<ThreadInput(std::size_t)>& input)
        : count_(count), input_(input), ids_(count) {
        c_.reserve(count + count / 8);
    }

    std::vector<ThreadRow> run(ThreadOrder order, bool reverse) {
        link();
        // the IDs are not looked up again: their table (18 MB at a million messages) goes before
        // the trees are ordered, so that the two never take memory at the same time (the reader's peak)
        ids_.release();
        std::vector<int> roots;
        for (int i = 0; i < static_cast<int>(c_.size()); ++i)
            if (c_[i].parent < 0) roots.push_back(i);
        roots = prune(roots);
        gathered_.assign(c_.size(), false);
        roots = gather_subjects(roots);
        order_children(roots);
        sort_threads(roots, order, reverse);
        return emit(roots);
    }

private:
    int add_container() {
        c_.emplace_back();
        return static_cast<int>(c_.size() - 1);
    }
    int container_for(std::string_view id) {
        return ids_.find_or_add(id, [this] { return add_container(); });
    }

    bool is_ancestor(int maybe_ancestor, int node) const {
        if (maybe_ancestor != node && c_[maybe_ancestor].first_child < 0) return false;  // a leaf is no one's ancestor
        for (int p = node; p >= 0; p = c_[p].parent)
            if (p == maybe_ancestor) return true;
        return false;
    }

    void append_child(int parent, int child) {
        c_[child].parent = parent;
        c_[child].next_sibling = -1;
        if (c_[parent].last_child >= 0) c_[c_[parent].last_child].next_sibling = child;
        else c_[parent].first_child = child;
        c_[parent].last_child = child;
    }

    void unlink(int child) {
        const int parent = c_[child].parent;
        if (parent < 0) return;
        int prev = -1;
        for (int k = c_[parent].first_child; k >= 0; prev = k, k = c_[k].next_sibling) {
            if (k != child) continue;
            (prev >= 0 ? c_[prev].next_sibling : c_[parent].first_child) = c_[k].next_sibling;
            if (c_[parent].last_child == child) c_[parent].last_child = prev;
            break;
        }
        c_[child].parent = -1;
        c_[child].next_sibling = -1;
    }

    void set_parent(int child, int parent) {
        if (child == parent || is_ancestor(child, parent)) return;  // would make a loop
        unlink(child);
        append_child(parent, child);
    }

    std::vector<int> children(int n) const {
        std::vector<int> kids;
        for (int k = c_[n].first_child; k >= 0; k = c_[k].next_sibling) kids.push_back(k);
        return kids;
    }

    void link() {
        for (std::size_t i = 0; i < count_; ++i) {
            const ThreadInput m = input_(i);
            int self;
            if (m.message_id.empty()) {
                self = add_container();
            } else {
                self = container_for(m.message_id);
                if (c_[self].message >= 0) self = add_container();  // a duplicate Message-ID: keep both, unlinked by id
            }
            c_[self].message = static_cast<std::int32_t>(i);
            // link the reference chain, parent before child, without overriding existing links;
            // In-Reply-To's ID counts as the last reference when References does not end with it
            int prev = -1;
            std::string_view last_ref;
            auto visit = [&](std::string_view ref) {
                last_ref = ref;
                if (ref == m.message_id) return;
                const int r = container_for(ref);
                if (prev >= 0 && c_[r].parent < 0 && r != prev && !is_ancestor(r, prev)) set_parent(r, prev);
                prev = r;
            };
            for_each_message_id(m.references, visit);
            std::string_view reply_to;
            for_each_message_id(m.in_reply_to, [&reply_to](std::string_view id) {
                if (reply_to.empty()) reply_to = id;
            });
            if (!reply_to.empty() && reply_to != last_ref) visit(reply_to);
            // the last reference is the parent, whatever earlier messages claimed
            if (prev >= 0 && prev != self && !is_ancestor(self, prev)) set_parent(self, prev);
        }
    }

    // Every node under `roots`, each before its children (no recursion: a
    // reply chain can be thousands deep).
    std::vector<int> preorder(const std::vector<int>& roots) const {
        std::vector<int> order, stack(roots.rbegin(), roots.rend());
        while (!stack.empty()) {
            const int n = stack.back();
            stack.pop_back();
            order.push_back(n);
            const auto kids = children(n);
            stack.insert(stack.end(), kids.rbegin(), kids.rend());
        }
        return order;
    }

    // Drops placeholders without children and lifts the children of
    // placeholders (at the root level only when there is one child).
    std::vector<int> prune(const std::vector<int>& roots) {
        enum : char { Keep, Drop, Lift };
        std::vector<char> fate(c_.size(), Keep);
        std::vector<char> is_root(c_.size(), 0);
        for (const int r : roots) is_root[static_cast<std::size_t>(r)] = 1;
        const auto order = preorder(roots);
        for (auto it = order.rbegin(); it != order.rend(); ++it) {  // children before parents
            const int n = *it;
            const auto kids = children(n);
            c_[n].first_child = c_[n].last_child = -1;
            std::size_t kept = 0;
            for (const int k : kids) {
                if (fate[static_cast<std::size_t>(k)] == Keep) {
                    append_child(n, k);
                    ++kept;
                } else if (fate[static_cast<std::size_t>(k)] == Lift) {
                    for (const int g : children(k)) append_child(n, g), ++kept;
                }
            }
            if (c_[n].message >= 0) continue;
            if (kept == 0) fate[static_cast<std::size_t>(n)] = Drop;
            else if (!is_root[static_cast<std::size_t>(n)] || kept == 1) fate[static_cast<std::size_t>(n)] = Lift;
        }
        std::vector<int> out;
        for (const int r : roots) {
            if (fate[static_cast<std::size_t>(r)] == Keep) out.push_back(r);
            else if (fate[static_cast<std::size_t>(r)] == Lift)
                for (const int k : children(r)) out.push_back(k);
        }
        for (const int r : out) c_[r].parent = -1, c_[r].next_sibling = -1;
        return out;
    }

    // A root that is a reply ("Re: x") joins the latest root message "x"
    // (not a reply) whose date is not after its own, ties to the later
    // message: a reply whose client dropped References goes under the
    // message it answers, and each joins one thread, whatever other threads
    // of that subject there are (store/thread_patch relies on this). Roots
    // that are placeholders neither join nor are joined.
    std::vector<int> gather_subjects(const std::vector<int>& roots) {
        enum : char { Neither, Original, Reply };  // a root message with a subject, "x" or "Re: x"
        std::vector<char> kind(roots.size(), Neither);
        std::vector<std::uint64_t> bases(roots.size());
        // The replies to join, by subject and date. Few in most folders (most
        // replies have links), while the originals of a common subject can be
        // half the folder: each original is taken to the replies it may
        // serve, not kept in a list of its own (13 MB at a million).
        struct Wanting {
            std::uint64_t base;
            std::int64_t date;
            std::uint32_t at;  // into roots
            auto key() const { return std::tuple(base, date); }
        };
        std::vector<Wanting> replies;
        for (std::size_t i = 0; i < roots.size(); ++i) {
            const int r = roots[i];
            if (c_[r].message < 0) continue;
            const ThreadInput m = input_(static_cast<std::size_t>(c_[r].message));
            const SubjectKey key = subject_key(m.subject);
            if (!key.base) continue;
            bases[i] = *key.base;
            kind[i] = key.reply ? Reply : Original;
            if (kind[i] != Reply) continue;
            replies.push_back({bases[i], m.date, static_cast<std::uint32_t>(i)});
        }
        std::sort(replies.begin(), replies.end(), [](const Wanting& a, const Wanting& b) { return a.key() < b.key(); });
        // the best original for each reply: the latest (then highest message)
        // of its subject not newer than it; an original serves the first reply
        // of its subject not older than it, and every later one of that subject
        struct Best {
            std::int64_t date = INT64_MIN;
            std::int32_t message = -1;
            int root = -1;
        };
        std::vector<Best> best(replies.size());
        for (std::size_t i = 0; i < roots.size() && !replies.empty(); ++i) {
            if (kind[i] != Original) continue;
            const int r = roots[i];
            const Best mine{input_(static_cast<std::size_t>(c_[r].message)).date, c_[r].message, r};
            const auto it = std::lower_bound(replies.begin(), replies.end(), std::tuple(bases[i], mine.date),
                                             [](const Wanting& w, const auto& key) { return w.key() < key; });
            if (it == replies.end() || it->base != bases[i]) continue;
            Best& b = best[static_cast<std::size_t>(it - replies.begin())];
            if (std::tie(mine.date, mine.message) > std::tie(b.date, b.message)) b = mine;
        }
        std::vector<int> joins(roots.size(), -1);  // by root: the original a reply joins
        for (std::size_t p = 0; p < replies.size(); ++p) {
            if (p > 0 && replies[p].base == replies[p - 1].base &&
                std::tie(best[p - 1].date, best[p - 1].message) > std::tie(best[p].date, best[p].message))
                best[p] = best[p - 1];
            joins[replies[p].at] = best[p].root;
        }
        std::vector<int> out;
        for (std::size_t i = 0; i < roots.size(); ++i) {
            const int r = roots[i];
            if (joins[i] >= 0) set_parent(r, joins[i]);
            if (c_[r].parent < 0) out.push_back(r);
            else gathered_[static_cast<std::size_t>(r)] = true;
        }
        return out;
    }

    // Each node's children ordered by the first date in their subtrees.
    // Only that date is kept for every node (8 bytes each); what orders the
    // threads themselves is found per thread (sort_threads).
    void order_children(const std::vector<int>& roots) {
        std::vector<std::int64_t> first(c_.size(), INT64_MAX);  // the first date in the subtree
        const auto order = preorder(roots);
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const Container& n = c_[*it];
            std::int64_t& f = first[static_cast<std::size_t>(*it)];
            if (n.message >= 0) f = std::min(f, input_(static_cast<std::size_t>(n.message)).date);
            if (n.first_child < 0) continue;
            auto kids = children(*it);
            for (const int k : kids) f = std::min(f, first[static_cast<std::size_t>(k)]);
            std::stable_sort(kids.begin(), kids.end(), [&](int a, int b) { return first[a] < first[b]; });
            const int self = *it;
            c_[self].first_child = c_[self].last_child = -1;
            for (const int k : kids) append_child(self, k);
        }
    }

    // The threads by their first or newest date (reverse: newest first),
    // ties by the lowest message index, which depends on nothing outside
    // the thread: store/thread_patch places a thread as a whole run would.
    // A walk of its own, after order_children's per-node dates are gone:
    // found in that pass, these keys (24 bytes a thread) would stand beside
    // them, 12 MB more at the reader's peak at a million.
    void sort_threads(std::vector<int>& roots, ThreadOrder order, bool reverse) const {
        struct Thread {
            std::int64_t first = INT64_MAX, last = INT64_MIN;
            std::int32_t low = INT32_MAX;
            int root = -1;
        };
        std::vector<Thread> threads(roots.size());
        std::vector<int> stack;
        for (std::size_t t = 0; t < roots.size(); ++t) {
            Thread& th = threads[t];
            th.root = roots[t];
            stack.assign(1, roots[t]);
            while (!stack.empty()) {
                const int n = stack.back();
                stack.pop_back();
                if (const std::int32_t m = c_[n].message; m >= 0) {
                    const std::int64_t d = input_(static_cast<std::size_t>(m)).date;
                    th.first = std::min(th.first, d);
                    th.last = std::max(th.last, d);
                    th.low = std::min(th.low, m);
                }
                for (int k = c_[n].first_child; k >= 0; k = c_[k].next_sibling) stack.push_back(k);
            }
        }
        const auto key = [order](const Thread& t) { return order == ThreadOrder::LastDate ? t.last : t.first; };
        std::sort(threads.begin(), threads.end(), [&](const Thread& a, const Thread& b) {
            if (key(a) != key(b)) return reverse ? key(a) > key(b) : key(a) < key(b);
            return a.low < b.low;
        });
        for (std::size_t t = 0; t < roots.size(); ++t) roots[t] = threads[t].root;
    }

    // Depth-first, each message with the shape of its place in the tree;
    // one thread at a time, so the stack holds one thread's pending nodes.
    std::vector<ThreadRow> emit(const std::vector<int>& roots) const {
        struct Visit {
            int node;
            ThreadShape shape;
        };
        std::vector<ThreadRow> rows;
        rows.reserve(count_);
        std::vector<Visit> stack;
        std::vector<int> kids;
        for (const int root : roots) {
            stack.push_back({root, ThreadShape{}});
            bool start = true;
            while (!stack.empty()) {
                const Visit v = stack.back();
                stack.pop_back();
                const bool placeholder = c_[v.node].message < 0;
                ThreadShape child = v.shape;
                if (!placeholder) {
                    rows.push_back({static_cast<std::uint32_t>(c_[v.node].message), v.shape});
                    rows.back().shape.thread_start = start;
                    rows.back().shape.gathered = gathered_[static_cast<std::size_t>(v.node)];
                    start = false;
                    if (v.shape.depth > 0 && !v.shape.last && v.shape.depth - 1 < 64) child.branches |= std::uint64_t{1} << (v.shape.depth - 1);
                    ++child.depth;
                }
                child.missing_parent = placeholder;
                kids.clear();
                for (int k = c_[v.node].first_child; k >= 0; k = c_[k].next_sibling) kids.push_back(k);
                for (std::size_t i = kids.size(); i-- > 0;) {
                    child.last = i + 1 == kids.size();
                    stack.push_back({kids[i], child});
                }
            }
        }
        return rows;
    }

    std::size_t count_;
    const std::function<ThreadInput(std::size_t)>& input_;
    IdTable ids_;
    std::vector<Container> c_;
    std::vector<bool> gathered_;  // joined its parent by subject
};

}  // namespace

std::vector<ThreadRow> thread_messages(std::size_t count, const std::function<ThreadInput(std::size_t)>& input,
                                       ThreadOrder order, bool reverse) {
    return Threader(count, input).run(order, reverse);
}

std::vector<ThreadRow> thread_messages(const std::vector<ThreadInput>& messages, ThreadOrder order, bool reverse) {
    return thread_messages(messages.size(), [&messages](std::size_t i) { return messages[i]; }, order, reverse);
}

}  // namespace tern
