// Autocrypt's memory in the index database: per account, what each
// correspondent's mail said of its key (Level 1's peer state), and the
// account's own key. Harvesting runs where messages are indexed (a sync,
// a delivery, a folder scan) and costs one header lookup per message: the
// table is written only for a message that carries an Autocrypt header or
// comes from a peer already known.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "mime/autocrypt.hpp"
#include "mime/headers.hpp"
#include "store/sqlite.hpp"

namespace tern {

struct AutocryptOwn {
    std::string addr, fingerprint;
    std::string keydata;  // the public key as the header carries it (binary)
    bool prefer_mutual = false;
};

class AutocryptPeers {
public:
    AutocryptPeers(Database& db, std::string account) : db_(db), account_(std::move(account)) {}
    std::optional<AutocryptPeer> peer(std::string_view addr);
    void save(const AutocryptPeer& peer);
    std::optional<AutocryptOwn> own(std::string_view addr);
    void save_own(const AutocryptOwn& own);

    // Brings the sender's state up to date with one message (its parsed
    // headers, `now` the current time). Returns whether it changed.
    bool harvest(const Headers& headers, std::int64_t now);

private:
    Database& db_;
    std::string account_;
    std::optional<std::unordered_set<std::string>> known_;  // peers' addresses, read at the first harvest
};

}  // namespace tern
