#include "store/threading.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "util/strings.hpp"

namespace tern {

std::vector<std::string> parse_message_ids(std::string_view value) {
    std::vector<std::string> ids;
    std::size_t pos = 0;
    while ((pos = value.find('<', pos)) != std::string_view::npos) {
        const auto end = value.find('>', pos);
        if (end == std::string_view::npos) break;
        const auto id = value.substr(pos, end - pos + 1);
        if (id.find(' ') == std::string_view::npos && id.size() > 2) ids.emplace_back(id);
        pos = end + 1;
    }
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

namespace {

struct Container {
    long message = -1;  // index into the input, -1 for a placeholder
    int parent = -1;
    std::vector<int> children;
    std::int64_t first = INT64_MAX, last = INT64_MIN;  // dates over the subtree
};

class Threader {
public:
    explicit Threader(const std::vector<ThreadInput>& m) : msgs_(m) { by_id_.reserve(m.size() * 2); }

    std::vector<ThreadRow> run(ThreadOrder order, bool reverse) {
        link();
        std::vector<int> roots;
        for (int i = 0; i < static_cast<int>(c_.size()); ++i)
            if (c_[i].parent < 0) roots.push_back(i);
        roots = prune(roots);
        roots = gather_subjects(roots);
        for (const int r : roots) compute_dates(r);
        auto key = [&](int i) { return order == ThreadOrder::LastDate ? c_[i].last : c_[i].first; };
        std::stable_sort(roots.begin(), roots.end(), [&](int a, int b) { return reverse ? key(a) > key(b) : key(a) < key(b); });
        std::vector<ThreadRow> rows;
        rows.reserve(msgs_.size());
        for (const int r : roots) emit(r, 0, "", true, false, rows);
        return rows;
    }

private:
    int container_for(const std::string& id) {
        auto [it, inserted] = by_id_.try_emplace(id, static_cast<int>(c_.size()));
        if (inserted) c_.emplace_back();
        return it->second;
    }

    bool is_ancestor(int maybe_ancestor, int node) const {
        if (maybe_ancestor != node && c_[maybe_ancestor].children.empty()) return false;  // a leaf is no one's ancestor
        for (int p = node; p >= 0; p = c_[p].parent)
            if (p == maybe_ancestor) return true;
        return false;
    }

    void set_parent(int child, int parent) {
        if (child == parent || is_ancestor(child, parent)) return;  // would make a loop
        if (c_[child].parent >= 0) {
            auto& sib = c_[c_[child].parent].children;
            sib.erase(std::remove(sib.begin(), sib.end(), child), sib.end());
        }
        c_[child].parent = parent;
        c_[parent].children.push_back(child);
    }

    void link() {
        for (std::size_t i = 0; i < msgs_.size(); ++i) {
            const ThreadInput& m = msgs_[i];
            int self;
            if (m.message_id.empty()) {
                self = static_cast<int>(c_.size());
                c_.emplace_back();
            } else {
                self = container_for(m.message_id);
                if (c_[self].message >= 0) {  // a duplicate Message-ID: keep both, unlinked by id
                    self = static_cast<int>(c_.size());
                    c_.emplace_back();
                }
            }
            c_[self].message = static_cast<long>(i);
            // link the reference chain, parent before child, without overriding existing links
            int prev = -1;
            for (const auto& ref : m.references) {
                if (ref == m.message_id) continue;
                const int r = container_for(ref);
                if (prev >= 0 && c_[r].parent < 0 && r != prev && !is_ancestor(r, prev)) set_parent(r, prev);
                prev = r;
            }
            // the last reference is the parent, whatever earlier messages claimed
            if (prev >= 0 && prev != self && !is_ancestor(self, prev)) set_parent(self, prev);
        }
    }

    // Drops placeholders without children and lifts the children of
    // placeholders (at the root level only when there is one child).
    std::vector<int> prune(const std::vector<int>& roots) {
        std::vector<int> out;
        std::function<void(int, std::vector<int>&, bool)> visit = [&](int n, std::vector<int>& into, bool root_level) {
            std::vector<int> kids;
            for (const int k : c_[n].children) visit(k, kids, false);
            c_[n].children = kids;
            for (const int k : kids) c_[k].parent = n;
            if (c_[n].message < 0) {
                if (kids.empty()) return;
                if (!root_level || kids.size() == 1) {
                    for (const int k : kids) {
                        c_[k].parent = -1;
                        into.push_back(k);
                    }
                    return;
                }
            }
            into.push_back(n);
        };
        for (const int r : roots) visit(r, out, true);
        for (const int r : out) c_[r].parent = -1;
        return out;
    }

    const std::string& subject_of(int n) const {
        static const std::string empty;
        int m = n;
        while (c_[m].message < 0 && !c_[m].children.empty()) m = c_[m].children.front();
        return c_[m].message >= 0 ? msgs_[static_cast<std::size_t>(c_[m].message)].subject : empty;
    }

    // Roots with the same base subject join one thread: the original (not a
    // "Re:") stays the root and the replies hang under it.
    std::vector<int> gather_subjects(const std::vector<int>& roots) {
        // each root's base subject and whether it is a reply, computed once
        std::vector<std::string> bases(roots.size());
        std::vector<char> reply(roots.size());
        std::unordered_map<std::string, std::size_t> by_subject;  // base -> index into roots
        for (std::size_t i = 0; i < roots.size(); ++i) {
            const std::string& subject = subject_of(roots[i]);
            bases[i] = base_subject(subject);
            reply[i] = bases[i] != to_lower(trim(subject));
            if (bases[i].empty()) continue;
            auto [it, inserted] = by_subject.try_emplace(bases[i], i);
            if (!inserted && reply[it->second] && !reply[i]) it->second = i;
        }
        std::vector<int> out;
        for (std::size_t i = 0; i < roots.size(); ++i) {
            const int r = roots[i];
            auto found = bases[i].empty() ? by_subject.end() : by_subject.find(bases[i]);
            if (found == by_subject.end() || found->second == i || !reply[i]) {
                out.push_back(r);
                continue;
            }
            set_parent(r, roots[found->second]);
            if (c_[r].parent < 0) out.push_back(r);
        }
        return out;
    }

    void compute_dates(int n) {
        if (c_[n].message >= 0) {
            const auto d = msgs_[static_cast<std::size_t>(c_[n].message)].date;
            c_[n].first = std::min(c_[n].first, d);
            c_[n].last = std::max(c_[n].last, d);
        }
        for (const int k : c_[n].children) {
            compute_dates(k);
            c_[n].first = std::min(c_[n].first, c_[k].first);
            c_[n].last = std::max(c_[n].last, c_[k].last);
        }
        std::stable_sort(c_[n].children.begin(), c_[n].children.end(), [&](int a, int b) { return c_[a].first < c_[b].first; });
    }

    // Depth-first, drawing mutt's tree: "├─>" for a child with later
    // siblings, "└─>" for the last, "│ " and "  " for the levels above.
    void emit(int n, int depth, const std::string& indent, bool last, bool missing_parent, std::vector<ThreadRow>& rows) {
        const bool placeholder = c_[n].message < 0;
        std::string child_indent = indent;
        if (!placeholder) {
            ThreadRow row;
            row.message = static_cast<std::size_t>(c_[n].message);
            row.depth = depth;
            row.missing_parent = missing_parent;
            if (depth > 0) row.tree = indent + (last ? "└─>" : "├─>");
            rows.push_back(std::move(row));
            if (depth > 0) child_indent += last ? "  " : "│ ";
        }
        const auto& kids = c_[n].children;
        for (std::size_t i = 0; i < kids.size(); ++i)
            emit(kids[i], placeholder ? depth : depth + 1, child_indent, i + 1 == kids.size(), placeholder, rows);
    }

    const std::vector<ThreadInput>& msgs_;
    std::vector<Container> c_;
    std::unordered_map<std::string, int> by_id_;
};

}  // namespace

std::vector<ThreadRow> thread_messages(const std::vector<ThreadInput>& messages, ThreadOrder order, bool reverse) {
    return Threader(messages).run(order, reverse);
}

}  // namespace tern
