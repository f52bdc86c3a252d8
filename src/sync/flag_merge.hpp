// The three-way merge of one message's flags, per flag, against what the
// server and this store agreed on last: a flag changed on one side since
// takes that side's value; changed on both, the local one wins. A STORE of
// an earlier sync that was killed before its answer was recorded (a
// FlagPush) is settled first: the bits the server now has as that STORE set
// them were taken, and count as agreed (pure).
#pragma once

#include <optional>

#include "core/flags.hpp"
#include "store/index_db.hpp"

namespace tern {

struct FlagMerge {
    Flags merged;  // what both sides are to have
    Flags agreed;  // what to record as agreed now, before any STORE is sent
    std::optional<IndexDb::FlagPush> push;  // the STORE the server needs, if any
};

FlagMerge merge_flags(Flags local, Flags agreed, Flags remote, const std::optional<IndexDb::FlagPush>& pushing);

}  // namespace tern
