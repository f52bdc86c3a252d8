// POP3's memory in the index database: every message downloaded from the
// server, by its UIDL and the size the server listed it with, with its
// maildir key and when it came, so a message is downloaded once however
// often the server lists it, and deleted there (leave_on_server) only once
// it is recorded here. The size is part of the identity because servers
// break RFC 1939's promise that a UIDL is never given to another message
// (a reused UIDL, two messages listed under one): a message listed under a
// known UIDL with another size is another message.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "store/sqlite.hpp"

namespace tern {

class Pop3Uidls {
public:
    // (UIDL, listed size) -> when it was downloaded (epoch seconds); size 0
    // when not known (recorded by an earlier tern): it matches any size.
    using Records = std::map<std::pair<std::string, std::uint64_t>, std::int64_t>;

    Pop3Uidls(Database& db, std::string account) : db_(db), account_(std::move(account)) {}
    Records all();
    void add(std::string_view uidl, std::uint64_t size, std::string_view maildir_key, std::int64_t downloaded);
    // The server no longer lists it (deleted there, by us or another client): every size.
    void forget(std::string_view uidl);

private:
    Database& db_;
    std::string account_;
};

// The record of a listed message in `records`: its own, else one of its
// UIDL whose size is not known; null when none.
const std::int64_t* find_record(const Pop3Uidls::Records& records, const std::string& uidl, std::uint64_t size);

// The maildir key part that carries a UIDL and its listed size
// (",P=" + hex + "~" + size), so a file that a crash left without its
// record is recognised, not downloaded again.
std::string uidl_key_suffix(std::string_view uidl, std::uint64_t size);
// The UIDL and size in a maildir key; an empty UIDL when none, size 0 when
// the key has none (named by an earlier tern).
struct KeyUidl {
    std::string uidl;
    std::uint64_t size = 0;
};
KeyUidl uidl_in_key(std::string_view key);

}  // namespace tern
