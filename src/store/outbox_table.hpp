// The outbox's records in the index database: per queued message its file
// (in the account's outbox maildir), envelope sender, the recipients it is
// still owed to and those that already have it, so that a retry after a
// partial failure or a crash never sends to anyone twice. The message bytes
// live in the file; this table is one of the two things in the database that
// cannot be rebuilt, so it is changed in transactions only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite.hpp"

namespace tern {

struct OutboxEntry {
    std::int64_t id = 0;
    std::string file;  // "cur/NAME" in the outbox maildir
    std::string sender;
    std::vector<std::string> recipients;  // still to be sent to
    std::vector<std::string> sent_to;     // accepted already
    std::int64_t created = 0;
    int attempts = 0;
    std::string last_error;
    bool copy_owed = false;  // the server took it; its copy for the Sent folder is not kept yet
    std::string fcc;         // the folder for that copy (an fcc-hook's); "": the account's Sent
    bool keep_copy = true;   // false: no Sent copy of its own (a Bcc recipient's separately encrypted copy)
};

class OutboxTable {
public:
    explicit OutboxTable(Database& db) : db_(db) {}
    std::int64_t add(std::string_view account, std::string_view file, std::string_view sender, const std::vector<std::string>& recipients,
                     std::int64_t now, std::string_view fcc = {}, bool keep_copy = true);
    // Oldest first.
    std::vector<OutboxEntry> entries(std::string_view account);
    // Records an attempt: who is still owed the message, who has it, why not all.
    void update(const OutboxEntry& entry);
    void remove(std::int64_t id);

private:
    Database& db_;
};

}  // namespace tern
