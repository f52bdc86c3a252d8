#include "mime/headers.hpp"

#include "util/strings.hpp"

namespace tern {

const std::string* Headers::get(std::string_view name) const {
    for (const auto& f : fields)
        if (iequals(f.name, name)) return &f.value;
    return nullptr;
}

std::vector<const std::string*> Headers::all(std::string_view name) const {
    std::vector<const std::string*> out;
    for (const auto& f : fields)
        if (iequals(f.name, name)) out.push_back(&f.value);
    return out;
}

namespace {

bool valid_field_name(std::string_view n) {
    if (n.empty()) return false;
    for (const unsigned char c : n)
        if (c <= 32 || c >= 127) return false;
    return true;
}

}  // namespace

HeaderBlock parse_headers(std::string_view m) {
    HeaderBlock block;
    std::size_t pos = 0;
    HeaderField* current = nullptr;
    bool first = true;
    while (pos < m.size()) {
        auto eol = m.find('\n', pos);
        const std::size_t next = eol == std::string_view::npos ? m.size() : eol + 1;
        std::string_view line = m.substr(pos, (eol == std::string_view::npos ? m.size() : eol) - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) {  // end of the header block
            block.body_offset = next;
            return block;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            if (current) {  // folded continuation: unfold by dropping the line break
                current->value += line;
            }
        } else if (first && line.rfind("From ", 0) == 0) {
            // an mbox separator line: not a header
        } else {
            const auto colon = line.find(':');
            std::string_view name = colon == std::string_view::npos ? std::string_view() : trim(line.substr(0, colon));
            if (colon != std::string_view::npos && valid_field_name(name)) {
                block.headers.fields.push_back({std::string(name), std::string(trim(line.substr(colon + 1)))});
                current = &block.headers.fields.back();
            } else {
                current = nullptr;  // a line that is not a header: skipped, with its continuations
            }
        }
        first = false;
        pos = next;
    }
    block.body_offset = m.size();
    return block;
}

}  // namespace tern
