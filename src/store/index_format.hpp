// mutt's index_format: the index line as the user wants it. %-expandos with
// an optional width ("%-15.15L": left-justified, 15 columns, cut at 15):
//   %C number   %Z flags (D/N/r, then * tagged or ! flagged, then + attachment)
//   %S status   %L author, "To x" for your own mail   %n name   %a address
//   %F as %L    %t first recipient   %s subject with the thread tree
//   %c size     %M messages hidden in a collapsed thread   %e thread count
//   %d date ("%b %d")   %{fmt} and %[fmt] date by strftime   %% a percent
// Parsed once, applied per drawn line. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mime/address.hpp"
#include "store/index_view.hpp"

namespace tern {

// What a line shows beyond the row itself.
struct IndexLineState {
    std::size_t number = 0;  // 1-based
    bool tagged = false;
    std::size_t hidden = 0;  // a collapsed thread's other messages
};

class IndexFormat {
public:
    explicit IndexFormat(std::string_view format, AddressSet my_addresses = {});
    void append(std::string& out, const MessageRow& row, const IndexEntry& entry, const IndexLineState& state);
    std::string line(const MessageRow& row, const IndexEntry& entry, const IndexLineState& state) {
        std::string s;
        append(s, row, entry, state);
        return s;
    }

private:
    struct Item {
        char code = 0;       // 0: literal text
        std::string text;    // literal, or the strftime format of %{} %[]
        bool left = false;   // '-': pad on the right
        int min = 0, max = -1;
    };
    std::string expand(const Item& item, const MessageRow& row, const IndexEntry& entry, const IndexLineState& state);
    std::vector<Item> items_;
    AddressSet my_addresses_;
    std::unordered_map<std::int64_t, std::string> dates_;  // per 15-minute slot and format
};

}  // namespace tern
