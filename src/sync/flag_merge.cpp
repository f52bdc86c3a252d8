#include "sync/flag_merge.hpp"

namespace tern {

FlagMerge merge_flags(Flags local, Flags agreed, Flags remote, const std::optional<IndexDb::FlagPush>& pushing) {
    std::uint8_t base = agreed.bits();
    if (pushing) {
        const auto taken = static_cast<std::uint8_t>(pushing->mask.bits() & ~(remote.bits() ^ pushing->value.bits()));
        base = static_cast<std::uint8_t>((base & ~taken) | (pushing->value.bits() & taken));
    }
    const auto changed_here = static_cast<std::uint8_t>(local.bits() ^ base);
    FlagMerge out;
    out.merged = Flags(static_cast<std::uint8_t>((local.bits() & changed_here) | (remote.bits() & ~changed_here)));
    out.agreed = out.merged == remote ? out.merged : Flags(base);
    if (!(out.merged == remote)) out.push = IndexDb::FlagPush{Flags(static_cast<std::uint8_t>(out.merged.bits() ^ remote.bits())), out.merged};
    return out;
}

}  // namespace tern
