// A 64-bit hash of bytes, 8 bytes a step: fast, not cryptographic. It
// finds damage (the folder snapshot's checksum) and names a string in 8
// bytes where holding the string would cost too much (a scan's list of the
// files the index knows, at a million files).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace tern {

class Hash64 {
public:
    Hash64& add(std::string_view data) {
        std::size_t i = 0;
        for (; i + 8 <= data.size(); i += 8) {
            std::uint64_t w;
            std::memcpy(&w, data.data() + i, 8);
            mix(w);
        }
        // the tail a byte a step, each marked: "ab" and "ab\0" differ
        for (; i < data.size(); ++i) mix(static_cast<unsigned char>(data[i]) | std::uint64_t{1} << 63);
        return *this;
    }
    Hash64& add(std::uint64_t word) {
        mix(word);
        return *this;
    }
    std::uint64_t value() const { return h_; }

private:
    // each step is a bijection of the state for a given word: two strings
    // of one length that differ in one word never meet
    void mix(std::uint64_t w) {
        h_ = (h_ ^ w) * 0x9E3779B97F4A7C15ULL;
        h_ ^= h_ >> 29;
    }
    std::uint64_t h_ = 0x6A09E667F3BCC908ULL;
};

}  // namespace tern
