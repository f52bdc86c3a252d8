// Finds the server's copy of a message that is only here, in the selected
// folder: a file a killed sync delivered but never recorded, an APPEND whose
// answer a crash lost, a file whose row `--rebuild` dropped. Message-IDs
// repeat (a list copy and a direct copy, resent mail, two deliveries of one
// generator in the same second) and their contents can differ, so a copy
// is never found by Message-ID alone: it is the same Message-ID and the same
// size, and then either the UID the file was fetched from (",U=N" in its
// name) when no other message of the folder shares both, or the same bytes
// (fetched to compare). When in doubt there is no copy: the message is then
// fetched or uploaded again, never taken for another.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "net/imap_mailbox.hpp"

namespace tern {

// The UID a tern delivery put into a file's maildir key (",U=42"), or 0.
std::uint32_t uid_in_key(std::string_view key);

class ServerCopyFinder {
public:
    // `mirrored(uid)`: that server message already has its file here.
    ServerCopyFinder(ImapConnection& conn, std::function<bool(std::uint32_t)> mirrored);

    // The server message that holds `bytes` (a maildir file's, LF line
    // ends) with `message_id`; `hint` (the UID in the file's name, or 0) is
    // tried first. A message found is not found again for another file.
    // `size`: the file's size on the wire (crlf_size), when the caller has it.
    std::optional<MessageIdentity> find(std::string_view bytes, const std::string& message_id, std::uint32_t hint,
                                        std::optional<std::uint64_t> size = std::nullopt);

private:
    bool same_bytes(std::uint32_t uid, std::string_view bytes);
    ImapConnection& conn_;
    std::function<bool(std::uint32_t)> mirrored_;
    bool loaded_ = false;
    // the folder's messages by (Message-ID, size), fetched once at the first find
    std::map<std::pair<std::string, std::uint64_t>, std::vector<MessageIdentity>> by_identity_;
    std::unordered_set<std::uint32_t> taken_;
};

}  // namespace tern
