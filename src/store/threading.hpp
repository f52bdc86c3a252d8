// Threads by the JWZ algorithm (https://www.jwz.org/doc/threading.html):
// References and In-Reply-To link messages through their Message-IDs, with
// missing parents kept as placeholders, loops and duplicate IDs broken, and
// a reply left without links ("Re: x" whose client dropped References)
// joined by its subject to the latest message "x" not newer than it (as
// mutt does without strict_threads). Pure: summaries in, display order out.
//
// A folder of 100,000 messages is threaded on every open, so the input is
// views of the caller's rows (no copies), IDs are matched by 64-bit hashes
// and the tree of a row is kept as a few bits, drawn only when shown.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tern {

struct ThreadInput {
    std::string_view message_id;   // "<a@b>", may be empty
    std::string_view references;   // the References value: IDs, oldest first
    std::string_view in_reply_to;  // the In-Reply-To value
    std::string_view subject;      // decoded
    std::int64_t date = 0;         // for ordering
    bool operator==(const ThreadInput&) const = default;  // the same text and date: threaded the same
};

// Where a row sits in its thread: enough to draw mutt's tree. Packed in 12
// bytes (4-aligned), so that a ThreadRow takes 16: an open folder keeps one
// per message, a million of them.
struct [[gnu::packed, gnu::aligned(4)]] ThreadShape {
    std::uint64_t branches = 0;           // bit k: the ancestor at depth k + 1 has later siblings
    std::uint32_t depth : 28 = 0;         // 0 for a thread's root
    std::uint32_t last : 1 = 1;           // the last of its siblings
    std::uint32_t missing_parent : 1 = 0; // its parent is not in the folder (mutt's "-?-")
    // the first row of a thread: children of a missing root are all at depth
    // 0, so depth alone does not say where one thread ends (store/thread_patch)
    std::uint32_t thread_start : 1 = 0;
    // a reply without links, joined to the message of its subject by subject
    // alone (store/thread_patch must tell it from a reply by References)
    std::uint32_t gathered : 1 = 0;
};

struct ThreadRow {
    std::uint32_t row;  // index into the input
    ThreadShape shape;
};
static_assert(sizeof(ThreadShape) == 12 && sizeof(ThreadRow) == 16);

enum class ThreadOrder {
    FirstDate,  // threads ordered by their first message (sort_aux = date)
    LastDate,   // threads ordered by their newest message (sort_aux = last-date)
};

// All `count` messages in thread order, threads oldest first (reverse for
// newest first; threads of the same date by their lowest message index,
// either way); siblings by date. `input(i)` gives message i; its views
// must stay valid during the call (it may be asked more than once).
std::vector<ThreadRow> thread_messages(std::size_t count, const std::function<ThreadInput(std::size_t)>& input,
                                       ThreadOrder order, bool reverse);
std::vector<ThreadRow> thread_messages(const std::vector<ThreadInput>& messages, ThreadOrder order, bool reverse);

// The tree before a subject as mutt draws it: "├─>" for a child with later
// siblings, "└─>" for the last, "│ " and "  " for the levels above; empty
// for a root.
std::string thread_tree(const ThreadShape& shape);

// The subject without reply prefixes, case-folded, for grouping.
std::string base_subject(std::string_view subject);

// What joins a root to another by subject: its base subject (hashed; none
// when empty, never joined) and whether it is a reply ("Re: x").
struct SubjectKey {
    std::optional<std::uint64_t> base;
    bool reply = false;
};
SubjectKey subject_key(std::string_view subject);

// Calls `f` with each message ID of a References or In-Reply-To value, in order.
void for_each_message_id(std::string_view value, const std::function<void(std::string_view)>& f);
std::vector<std::string> parse_message_ids(std::string_view value);

}  // namespace tern
