#include "sync/server_copy.hpp"

#include <algorithm>

#include "sync/imap_spool.hpp"
#include "util/strings.hpp"

namespace tern {

std::uint32_t uid_in_key(std::string_view key) {
    const auto pos = key.rfind(",U=");
    if (pos == std::string_view::npos || pos + 3 == key.size()) return 0;
    std::uint64_t uid = 0;
    for (std::size_t i = pos + 3; i < key.size(); ++i) {
        if (key[i] < '0' || key[i] > '9') return 0;
        uid = uid * 10 + static_cast<std::uint64_t>(key[i] - '0');
        if (uid > 0xffffffffu) return 0;
    }
    return static_cast<std::uint32_t>(uid);
}

ServerCopyFinder::ServerCopyFinder(ImapConnection& conn, std::function<bool(std::uint32_t)> mirrored)
    : conn_(conn), mirrored_(std::move(mirrored)) {}

bool ServerCopyFinder::same_bytes(std::uint32_t uid, std::string_view bytes) {
    std::string converted;  // rare: a file here with CRLF line ends, compared as LF like the server's
    if (bytes.find('\r') != std::string_view::npos) bytes = converted = crlf_to_lf(bytes);
    // the server's a piece at a time, stopping at the first difference: a big message is never whole in memory
    std::size_t at = 0;
    bool same = true;
    const auto about = fetch_lf_pieces(conn_, uid, [&](std::string_view piece) {
        same = bytes.substr(at, piece.size()) == piece;
        at += piece.size();
        return same;
    });
    return about && same && at == bytes.size();
}

std::optional<MessageIdentity> ServerCopyFinder::find(std::string_view bytes, const std::string& message_id, std::uint32_t hint,
                                                      std::optional<std::uint64_t> size) {
    if (!loaded_) {
        for (MessageIdentity& m : fetch_identities(conn_)) {
            auto key = std::make_pair(m.message_id, m.size);
            by_identity_[std::move(key)].push_back(std::move(m));
        }
        loaded_ = true;
    }
    const auto group = by_identity_.find({message_id, size ? *size : crlf_size(bytes)});
    if (group == by_identity_.end()) return std::nullopt;
    std::vector<const MessageIdentity*> candidates;
    for (const MessageIdentity& m : group->second)
        if (!taken_.count(m.uid) && !mirrored_(m.uid)) candidates.push_back(&m);
    std::stable_partition(candidates.begin(), candidates.end(), [hint](const MessageIdentity* m) { return m->uid == hint; });
    // the one message of the folder with this Message-ID and size, and the UID the file was
    // fetched from: it is that one; anything else (several of them, no Message-ID to tell them
    // by, a file saved here by another program) only the same bytes prove
    for (const MessageIdentity* m : candidates) {
        const bool certain = !message_id.empty() && group->second.size() == 1 && m->uid == hint;
        if (!certain && !same_bytes(m->uid, bytes)) continue;
        taken_.insert(m->uid);
        return *m;
    }
    return std::nullopt;
}

}  // namespace tern
