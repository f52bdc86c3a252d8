// POP3's memory in the index database: the UIDL of every message downloaded
// from the server, with its maildir key and when it came, so a message is
// downloaded once however often the server lists it, and deleted there
// (leave_on_server) only once it is recorded here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/sqlite.hpp"

namespace tern {

class Pop3Uidls {
public:
    Pop3Uidls(Database& db, std::string account) : db_(db), account_(std::move(account)) {}
    // UIDL -> when it was downloaded (epoch seconds).
    std::unordered_map<std::string, std::int64_t> all();
    void add(std::string_view uidl, std::string_view maildir_key, std::int64_t downloaded);
    // The server no longer has it (deleted there, by us or another client).
    void forget(std::string_view uidl);

private:
    Database& db_;
    std::string account_;
};

// The maildir key part that carries a UIDL (",P=" + hex), so a file that a
// crash left without its record is recognised, not downloaded again.
std::string uidl_key_suffix(std::string_view uidl);
// The UIDL in a maildir key, empty when none.
std::string uidl_in_key(std::string_view key);

}  // namespace tern
