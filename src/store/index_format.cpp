#include "store/index_format.hpp"

#include <ctime>

#include "mime/address.hpp"
#include "mime/render.hpp"
#include "util/strings.hpp"
#include "util/utf8.hpp"
#include "util/width.hpp"

namespace tern {

IndexFormat::IndexFormat(std::string_view f, AddressSet my_addresses) : my_addresses_(std::move(my_addresses)) {
    std::string literal;
    const auto flush = [&] {
        if (!literal.empty()) items_.push_back({0, std::move(literal), false, 0, -1});
        literal.clear();
    };
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i] != '%' || i + 1 >= f.size()) {
            literal += f[i];
            continue;
        }
        Item item;
        std::size_t j = i + 1;
        if (f[j] == '%') {
            literal += '%';
            i = j;
            continue;
        }
        if (f[j] == '-') {
            item.left = true;
            ++j;
        }
        while (j < f.size() && f[j] >= '0' && f[j] <= '9') item.min = item.min * 10 + (f[j++] - '0');
        if (j < f.size() && f[j] == '.') {
            item.max = 0;
            ++j;
            while (j < f.size() && f[j] >= '0' && f[j] <= '9') item.max = item.max * 10 + (f[j++] - '0');
        }
        if (j >= f.size()) break;
        item.code = f[j];
        if (item.code == '{' || item.code == '[') {
            const char close = item.code == '{' ? '}' : ']';
            const auto end = f.find(close, j + 1);
            if (end == std::string_view::npos) break;
            item.text = std::string(f.substr(j + 1, end - j - 1));
            item.code = '{';
            j = end;
        } else if (item.code == 'd') {
            item.code = '{';
            item.text = "%b %d";
        }
        flush();
        items_.push_back(std::move(item));
        i = j;
    }
    flush();
}

std::string IndexFormat::expand(const Item& item, const MessageRow& r, const IndexEntry& e, const IndexLineState& st) {
    switch (item.code) {
        case 'C': return std::to_string(st.number);
        case 'Z': {
            std::string z;
            z += r.flags.has(Flags::Trashed) ? 'D' : !r.flags.has(Flags::Seen) ? 'N' : r.flags.has(Flags::Replied) ? 'r' : ' ';
            z += st.tagged ? '*' : r.flags.has(Flags::Flagged) ? '!' : ' ';
            z += r.has_attachments ? '+' : ' ';
            return z;
        }
        case 'S': return r.flags.has(Flags::Trashed) ? "D" : st.tagged ? "*" : r.flags.has(Flags::Flagged) ? "!" :
                         !r.flags.has(Flags::Seen) ? "N" : r.flags.has(Flags::Replied) ? "r" : "-";
        case 'L': case 'F': return terminal_safe(index_author(r, my_addresses_));
        case 'n': return terminal_safe(r.author());
        case 'a': return terminal_safe(r.from_addr());
        case 't': {
            const auto to = parse_address_list(r.to());
            return to.empty() ? std::string() : terminal_safe(to[0].name.empty() ? to[0].email : to[0].name);
        }
        case 's': return (e.shape.depth > 0 ? thread_tree(e.shape) : std::string()) + terminal_safe(r.subject());
        case 'c': return human_size(static_cast<std::size_t>(std::max<std::int64_t>(0, r.size)));
        case 'M': return st.hidden ? std::to_string(st.hidden) : std::string();
        case 'e': return st.hidden ? std::to_string(st.hidden + 1) : std::string();
        case '{': {
            // one strftime per 15-minute slot: a folder's lines fall on few of them
            const std::int64_t slot = (r.date >= 0 ? r.date / 900 : (r.date - 899) / 900) * 64 + static_cast<std::int64_t>(std::hash<std::string>()(item.text) % 64);
            auto [it, inserted] = dates_.try_emplace(slot);
            if (inserted) {
                char buf[128] = "";
                const std::time_t t = static_cast<std::time_t>(r.date);
                std::tm tm{};
                if (localtime_r(&t, &tm)) std::strftime(buf, sizeof buf, item.text.c_str(), &tm);
                it->second = buf;
            }
            return it->second;
        }
        default: return std::string("%") + item.code;
    }
}

void IndexFormat::append(std::string& out, const MessageRow& r, const IndexEntry& e, const IndexLineState& st) {
    const std::size_t start = out.size();
    for (const auto& item : items_) {
        if (!item.code) {
            out += item.text;
            continue;
        }
        std::string v = expand(item, r, e, st);
        if (item.max >= 0 && display_width(v) > item.max) v = fit_columns(v, item.max);
        const int w = display_width(v);
        if (w < item.min) {
            if (item.left) v.append(static_cast<std::size_t>(item.min - w), ' ');
            else v.insert(0, static_cast<std::size_t>(item.min - w), ' ');
        }
        out += v;
    }
    for (std::size_t i = start; i < out.size(); ++i)
        if (out[i] == '\n' || out[i] == '\t' || out[i] == '\r') out[i] = ' ';
}

}  // namespace tern
