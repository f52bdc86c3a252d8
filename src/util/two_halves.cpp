#include "util/two_halves.hpp"

#include <exception>
#include <thread>

namespace tern {

std::size_t in_two_halves(std::size_t count, std::size_t split_above, const std::function<void(std::size_t, std::size_t)>& work) {
    if (count <= split_above || std::thread::hardware_concurrency() < 2) {
        work(0, count);
        return count;
    }
    const std::size_t mid = count / 2;
    std::exception_ptr other_failed;
    std::thread other([&] {
        try {
            work(mid, count);
        } catch (...) {
            other_failed = std::current_exception();
        }
    });
    try {
        work(0, mid);
    } catch (...) {
        other.join();
        throw;
    }
    other.join();
    if (other_failed) std::rethrow_exception(other_failed);
    return mid;
}

}  // namespace tern
