#include "core/flags.hpp"

namespace tern {

Flags Flags::from_maildir(std::string_view letters) {
    std::uint8_t bits = 0;
    for (const char c : letters) {
        switch (c) {
        case 'D': bits |= Draft; break;
        case 'F': bits |= Flagged; break;
        case 'P': bits |= Passed; break;
        case 'R': bits |= Replied; break;
        case 'S': bits |= Seen; break;
        case 'T': bits |= Trashed; break;
        default: break;
        }
    }
    return Flags(bits);
}

std::string Flags::to_maildir() const {
    std::string out;
    if (has(Draft)) out += 'D';
    if (has(Flagged)) out += 'F';
    if (has(Passed)) out += 'P';
    if (has(Replied)) out += 'R';
    if (has(Seen)) out += 'S';
    if (has(Trashed)) out += 'T';
    return out;
}

}  // namespace tern
