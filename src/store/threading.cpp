#include "store/threading.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

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

// A node of the thread forest; children form a linked list.
struct Container {
    std::int32_t message = -1;  // index into the input, -1 for a placeholder
    std::int32_t parent = -1;
    std::int32_t first_child = -1, last_child = -1, next_sibling = -1;
    std::int32_t low = INT32_MAX;  // the lowest message index in the subtree: breaks ties between threads
    std::int64_t first = INT64_MAX, last = INT64_MIN;  // dates over the subtree
};
static_assert(sizeof(Container) == 40);

// Message-IDs to containers by a 64-bit hash of the ID, open addressing.
// Two IDs with the same hash would be taken as one; among 10^5 IDs the
// chance is about 10^-9.
class IdTable {
public:
    explicit IdTable(std::size_t expected) {
        std::size_t capacity = 1024;
        while (capacity < expected * 2) capacity *= 2;
        slots_.assign(capacity, -1);
    }
    void release() {
        std::vector<std::int32_t>().swap(slots_);
        std::vector<Entry>().swap(entries_);
    }
    // The container of `id`; `make()` makes one when the ID is new.
    template <class Make>
    std::int32_t find_or_add(std::string_view id, Make make) {
        if (entries_.size() * 2 >= slots_.size()) grow();
        const std::uint64_t h = std::hash<std::string_view>{}(id);
        std::size_t i = h & (slots_.size() - 1);
        for (; slots_[i] >= 0; i = (i + 1) & (slots_.size() - 1))
            if (entries_[static_cast<std::size_t>(slots_[i])].hash == h) return entries_[static_cast<std::size_t>(slots_[i])].container;
        slots_[i] = static_cast<std::int32_t>(entries_.size());
        entries_.push_back({h, make()});
        return entries_.back().container;
    }

private:
    struct Entry {
        std::uint64_t hash;
        std::int32_t container;
    };
    void grow() {
        slots_.assign(slots_.size() * 2, -1);
        for (std::size_t e = 0; e < entries_.size(); ++e) {
            std::size_t i = entries_[e].hash & (slots_.size() - 1);
            while (slots_[i] >= 0) i = (i + 1) & (slots_.size() - 1);
            slots_[i] = static_cast<std::int32_t>(e);
        }
    }
    std::vector<std::int32_t> slots_;
    std::vector<Entry> entries_;
};

class Threader {
public:
    Threader(std::size_t count, const std::function<ThreadInput(std::size_t)>& input)
        : count_(count), input_(input), ids_(count) {
        c_.reserve(count + count / 8);
    }

    std::vector<ThreadRow> run(ThreadOrder order, bool reverse) {
        link();
        // the IDs are not looked up again: their table (3 MB at 75,000 messages) goes before the
        // rows are emitted, so that the two never take memory at the same time (the reader's peak)
        ids_.release();
        std::vector<int> roots;
        for (int i = 0; i < static_cast<int>(c_.size()); ++i)
            if (c_[i].parent < 0) roots.push_back(i);
        roots = prune(roots);
        gathered_.assign(c_.size(), false);
        roots = gather_subjects(roots);
        compute_dates(roots);
        auto key = [&](int i) { return order == ThreadOrder::LastDate ? c_[i].last : c_[i].first; };
        // ties by the lowest message index, which depends on nothing outside
        // the thread: patch_thread_order places a thread as a whole run would
        std::sort(roots.begin(), roots.end(), [&](int a, int b) {
            if (key(a) != key(b)) return reverse ? key(a) > key(b) : key(a) < key(b);
            return c_[a].low < c_[b].low;
        });
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
        struct Candidate {
            std::uint64_t base;
            std::int64_t date;
            std::int32_t message;
            int root;
            auto key() const { return std::tuple(base, date, message); }
        };
        enum : char { Neither, Original, Reply };  // a root message with a subject, "x" or "Re: x"
        std::vector<char> kind(roots.size(), Neither);
        std::vector<std::uint64_t> bases(roots.size());
        std::unordered_set<std::uint64_t> replied;  // the subjects of the replies to join: few, most replies have links
        for (std::size_t i = 0; i < roots.size(); ++i) {
            const int r = roots[i];
            if (c_[r].message < 0) continue;
            const SubjectKey key = subject_key(input_(static_cast<std::size_t>(c_[r].message)).subject);
            if (!key.base) continue;
            bases[i] = *key.base;
            kind[i] = key.reply ? Reply : Original;
            if (kind[i] == Reply) replied.insert(bases[i]);
        }
        std::vector<Candidate> originals;  // only of those subjects: at a million, not half a million roots
        for (std::size_t i = 0; i < roots.size(); ++i)
            if (kind[i] == Original && replied.contains(bases[i]))
                originals.push_back({bases[i], input_(static_cast<std::size_t>(c_[roots[i]].message)).date, c_[roots[i]].message, roots[i]});
        std::sort(originals.begin(), originals.end(), [](const Candidate& a, const Candidate& b) { return a.key() < b.key(); });
        std::vector<int> out;
        for (std::size_t i = 0; i < roots.size(); ++i) {
            const int r = roots[i];
            if (kind[i] != Reply) {
                out.push_back(r);
                continue;
            }
            const Candidate probe{bases[i], input_(static_cast<std::size_t>(c_[r].message)).date, INT32_MAX, -1};
            auto it = std::upper_bound(originals.begin(), originals.end(), probe,
                                       [](const Candidate& a, const Candidate& b) { return a.key() < b.key(); });
            if (it == originals.begin() || (--it)->base != bases[i]) {
                out.push_back(r);
                continue;
            }
            set_parent(r, it->root);
            if (c_[r].parent < 0) out.push_back(r);
            else gathered_[static_cast<std::size_t>(r)] = true;
        }
        return out;
    }

    // First and last dates over each subtree; children ordered by their first date.
    void compute_dates(const std::vector<int>& roots) {
        const auto order = preorder(roots);
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            Container& n = c_[*it];
            if (n.message >= 0) {
                const auto d = input_(static_cast<std::size_t>(n.message)).date;
                n.first = std::min(n.first, d);
                n.last = std::max(n.last, d);
                n.low = std::min(n.low, n.message);
            }
            if (n.first_child < 0) continue;
            auto kids = children(*it);
            for (const int k : kids) {
                n.first = std::min(n.first, c_[k].first);
                n.last = std::max(n.last, c_[k].last);
                n.low = std::min(n.low, c_[k].low);
            }
            std::stable_sort(kids.begin(), kids.end(), [&](int a, int b) { return c_[a].first < c_[b].first; });
            const int self = *it;
            c_[self].first_child = c_[self].last_child = -1;
            for (const int k : kids) append_child(self, k);
        }
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
