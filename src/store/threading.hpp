// Threads by the JWZ algorithm (https://www.jwz.org/doc/threading.html):
// References and In-Reply-To link messages through their Message-IDs, with
// missing parents kept as placeholders, loops and duplicate IDs broken, and
// root messages of the same subject gathered (as mutt does without
// strict_threads). Pure: summaries in, display order out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tern {

struct ThreadInput {
    std::string message_id;               // "<a@b>", may be empty
    std::vector<std::string> references;  // oldest first; In-Reply-To last when not among them
    std::string subject;                  // decoded
    std::int64_t date = 0;                // for ordering
};

struct ThreadRow {
    std::size_t message;       // index into the input
    int depth = 0;             // 0 for a thread's root
    std::string tree;          // "├─>", "│ └─>", ... as mutt draws it; empty for roots
    bool missing_parent = false;  // its parent is not in the folder (mutt's "-?-")
};

enum class ThreadOrder {
    FirstDate,  // threads ordered by their first message (sort_aux = date)
    LastDate,   // threads ordered by their newest message (sort_aux = last-date)
};

// All messages in thread order, threads oldest first (reverse for newest
// first); siblings by date.
std::vector<ThreadRow> thread_messages(const std::vector<ThreadInput>& messages, ThreadOrder order, bool reverse);

// The subject without reply prefixes, case-folded, for grouping.
std::string base_subject(std::string_view subject);

// The message IDs of a References or In-Reply-To value, in order.
std::vector<std::string> parse_message_ids(std::string_view value);

}  // namespace tern
