// A password or token held in memory. It has no stream operator and no
// implicit conversion, so it cannot end up in a message or a log by accident,
// and its bytes are wiped when it goes away.
#pragma once

#include <string>
#include <string_view>

namespace tern {

// Overwrites a string's bytes with zeros (the compiler may not skip it) and
// empties it: for buffers that held a secret.
inline void wipe(std::string& s) noexcept {
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
    s.clear();
}

class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    Secret(const Secret& other) : value_(other.value_) {}
    Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
    Secret& operator=(Secret other) noexcept {
        wipe();
        value_.swap(other.value_);
        return *this;
    }
    ~Secret() { wipe(); }

    bool empty() const { return value_.empty(); }
    // For handing to libcurl; the only way to read the value.
    const char* c_str() const { return value_.c_str(); }
    std::string_view reveal() const { return value_; }

private:
    void wipe() noexcept { tern::wipe(value_); }
    std::string value_;
};

}  // namespace tern
