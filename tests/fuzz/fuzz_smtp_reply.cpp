// libFuzzer: SMTP replies cut from arbitrary bytes, fed in two pieces.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "net/smtp_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    tern::SmtpReplyReader reader;
    const std::size_t cut = size ? data[0] % (size + 1) : 0;
    try {
        reader.feed(bytes.substr(0, cut));
        while (reader.next()) {
        }
        reader.feed(bytes.substr(cut));
        while (reader.next()) {
        }
    } catch (const std::runtime_error&) {
        // not SMTP: refused, which is the point
    }
    (void)tern::smtp_extensions(bytes);
    (void)tern::smtp_data(bytes);
    return 0;
}
