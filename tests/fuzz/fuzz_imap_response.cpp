// libFuzzer target: the IMAP response reader and parser. Any bytes, fed in
// two pieces, must give responses or an ImapProtocolError; a response the
// reader hands out must be whole (what it cut, fed again, comes out the same).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "net/imap_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string in(reinterpret_cast<const char*>(data), size);
    tern::ResponseReader reader;
    const std::size_t half = size / 2;
    try {
        reader.feed(std::string_view(in).substr(0, half));
        std::string joined;
        auto drain = [&] {
            while (auto r = reader.next()) {
                joined += *r;
                try {
                    const tern::ImapResponse response = tern::parse_response(*r);
                    if (response.name == "FETCH") (void)tern::parse_fetch(response);
                } catch (const tern::ImapProtocolError&) {
                }
            }
        };
        drain();
        reader.feed(std::string_view(in).substr(half));
        drain();
        // nothing is lost or invented: what came out plus what waits is the input
        if (joined.size() + reader.buffered() != in.size() || in.compare(0, joined.size(), joined) != 0) std::abort();
    } catch (const tern::ImapProtocolError&) {
    }
    return 0;
}
