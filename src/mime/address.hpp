// RFC 5322 address lists as senders really write them: display names
// (quoted or not, RFC 2047 encoded), comments, groups, obsolete routes.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/regex.hpp"

namespace tern {

struct Address {
    std::string name;   // UTF-8, may be empty
    std::string email;  // addr-spec as written
    bool operator==(const Address&) const = default;
};

std::vector<Address> parse_address_list(std::string_view raw);

// "Name <email>", or the bare email when there is no name.
std::string format_address(const Address& a);

// A set of addresses given as exact ones (any case) and as mutt's regular
// expressions (alternates, lists, subscribe; case ignored): the user's own
// addresses, or the mailing lists they know. Copies share the compiled
// expressions.
class AddressSet {
public:
    AddressSet() = default;
    // An expression that does not compile is left out (the config reported it).
    explicit AddressSet(std::vector<std::string> emails, const std::vector<std::string>& patterns = {});
    void add(const std::string& email);
    bool contains(std::string_view email) const;
    const std::vector<std::string>& emails() const { return emails_; }
    bool empty() const { return emails_.empty() && patterns_.empty(); }

private:
    std::vector<std::string> emails_;
    std::vector<std::shared_ptr<const Regex>> patterns_;
};

}  // namespace tern
