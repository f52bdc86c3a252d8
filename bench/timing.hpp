// The benchmarks' one timing rule: the median of a few runs of an operation.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

namespace tern {

// Runs `op` `rounds` times; the median in milliseconds, and its last result.
inline double median_ms(int rounds, const std::function<std::size_t()>& op, std::size_t& result) {
    std::vector<double> ms;
    for (int i = 0; i < rounds; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        result = op();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace tern
