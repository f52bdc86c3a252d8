// libFuzzer target: any bytes as a message — parse the MIME tree, render it,
// list its attachments. Must never crash, hang or print a control character.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mime/message.hpp"
#include "mime/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const tern::Message m(std::string(reinterpret_cast<const char*>(data), size));
    for (const auto& line : tern::render_message(m))
        for (const char c : line.text) {
            const auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && u != '\t') || u == 0x7f) std::abort();
        }
    for (const auto& a : tern::list_attachments(m)) (void)tern::safe_filename(a.filename);
    return 0;
}
