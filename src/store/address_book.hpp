// Addresses for completion: mutt's alias file, the people in the store
// (senders of every message, and the recipients of mail you sent), ranked by
// how often and how recently, and an external book through query_command.
// Completion over 50,000 addresses is one pass over a vector per key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mime/address.hpp"
#include "store/index_db.hpp"

namespace tern {

struct Alias {
    std::string key;
    std::vector<Address> addresses;
};

// `alias key Name <addr>, other@example.com` lines (mutt's syntax; '#'
// comments; -group options skipped). Bad lines are ignored.
std::vector<Alias> parse_aliases(std::string_view text);
// One line for the alias file.
std::string alias_line(const Alias& alias);

// query_command's output (mutt's): a first line for the user, then
// "address<TAB>name<TAB>other" per match.
std::vector<Address> parse_query_output(std::string_view text);

struct BookEntry {
    Address address;
    std::string alias;        // the alias key, when it comes from the alias file
    std::size_t count = 0;    // messages from (or sent to) the address
    std::int64_t last = 0;    // the newest of them
};

class AddressBook {
public:
    void add_aliases(const std::vector<Alias>& aliases);
    // Every sender in the account's store; for mail from `mine`, its recipients too.
    void harvest(IndexDb& index, std::string_view account, const AddressSet& mine);
    // Entries whose alias key, name or address contain `text` (ignoring
    // case), best first: aliases, then matches at a word's start, then by
    // frequency and recency. At most `limit`.
    std::vector<BookEntry> complete(std::string_view text, std::size_t limit, std::int64_t now) const;
    // The addresses of an alias key, or nothing.
    const Alias* alias(std::string_view key) const;
    std::size_t size() const { return entries_.size(); }

private:
    std::vector<BookEntry> entries_;
    std::vector<Alias> aliases_;
    std::vector<std::string> lower_;  // per entry: "alias name email", lower case, for matching
};

}  // namespace tern
