// RFC 5322 address lists as senders really write them: display names
// (quoted or not, RFC 2047 encoded), comments, groups, obsolete routes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tern {

struct Address {
    std::string name;   // UTF-8, may be empty
    std::string email;  // addr-spec as written
    bool operator==(const Address&) const = default;
};

std::vector<Address> parse_address_list(std::string_view raw);

// "Name <email>", or the bare email when there is no name.
std::string format_address(const Address& a);

}  // namespace tern
