// A pass over a big range split in two, run on two cores at once: a key
// press over a million rows (a limit, a sort) takes over 100 ms on one.
#pragma once

#include <cstddef>
#include <functional>

namespace tern {

// Above this many items a pass is worth a second thread.
constexpr std::size_t kTwoHalvesAbove = 50000;

// Runs work(begin, end) over [0, count): when count is above `split_above`
// and the machine has two cores or more, [0, mid) on this thread and
// [mid, count) on another at once; else all of it here. Returns mid (count
// when it did not split). An exception from either half is thrown here,
// after both have ended.
std::size_t in_two_halves(std::size_t count, std::size_t split_above, const std::function<void(std::size_t begin, std::size_t end)>& work);

}  // namespace tern
