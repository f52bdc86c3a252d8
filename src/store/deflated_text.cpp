#include "store/deflated_text.hpp"

#include <zlib.h>

#include "core/error.hpp"

namespace tern {

std::string deflate_text(std::string_view text) {
    if (text.empty()) return {};
    uLongf out_size = compressBound(static_cast<uLong>(text.size()));
    std::string out(out_size, '\0');
    // level 6, zlib's default: levels above it gain about 1% here at twice the time
    const int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &out_size, reinterpret_cast<const Bytef*>(text.data()),
                             static_cast<uLong>(text.size()), 6);
    if (rc != Z_OK) throw Failure(ErrorKind::Io, "cannot deflate a message's text: zlib error " + std::to_string(rc));
    out.resize(out_size);
    return out;
}

std::string inflate_text(std::string_view deflated, std::size_t size) {
    if (size == 0) return {};
    std::string out(size, '\0');
    uLongf out_size = static_cast<uLongf>(size);
    const int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &out_size, reinterpret_cast<const Bytef*>(deflated.data()),
                              static_cast<uLong>(deflated.size()));
    if (rc != Z_OK || out_size != size)
        throw Failure(ErrorKind::Damaged, "a message's stored text is damaged (zlib error " + std::to_string(rc) +
                                              "): run tern sync --rebuild");
    return out;
}

}  // namespace tern
