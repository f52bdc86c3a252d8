// A message's flags, as maildir names them (the letters after ":2,") and as
// IMAP's system flags map onto them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tern {

class Flags {
public:
    enum Bit : std::uint8_t {
        Draft = 1 << 0,    // D  \Draft
        Flagged = 1 << 1,  // F  \Flagged
        Passed = 1 << 2,   // P  forwarded ($Forwarded)
        Replied = 1 << 3,  // R  \Answered
        Seen = 1 << 4,     // S  \Seen
        Trashed = 1 << 5,  // T  \Deleted
    };

    constexpr Flags() = default;
    constexpr explicit Flags(std::uint8_t bits) : bits_(bits) {}

    // From maildir letters ("FRS"); unknown letters are ignored.
    static Flags from_maildir(std::string_view letters);
    // Maildir letters in ASCII order, as the specification requires.
    std::string to_maildir() const;

    constexpr bool has(Bit b) const { return bits_ & b; }
    constexpr Flags with(Bit b) const { return Flags(static_cast<std::uint8_t>(bits_ | b)); }
    constexpr Flags without(Bit b) const { return Flags(static_cast<std::uint8_t>(bits_ & ~b)); }
    constexpr std::uint8_t bits() const { return bits_; }
    constexpr bool operator==(const Flags&) const = default;

private:
    std::uint8_t bits_ = 0;
};

}  // namespace tern
