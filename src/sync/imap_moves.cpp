#include "sync/imap_moves.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include "store/folder_scan.hpp"
#include "store/maildir.hpp"
#include "sync/imap_sync.hpp"
#include "sync/server_copy.hpp"
#include "util/files.hpp"
#include "util/mapped_file.hpp"

namespace tern {
namespace {

struct Place {
    const ImapFolder* folder;
    std::int64_t id;
};

// A message only here, waiting to be matched with a server copy.
struct Arrival {
    std::size_t place;  // index into the places
    IndexDb::LocalOnly row;
};

// Sends the messages `uids` of `source` to `dest` (move or copy) and gives
// the copies here their new UIDs when the server says them.
std::size_t carry(ImapConnection& conn, IndexDb& index, const Place& source, const Place& dest, std::int64_t validity,
                  const std::vector<std::pair<std::uint32_t, const Arrival*>>& items, bool keep_source) {
    const SelectedFolder sel = select_folder(conn, *source.folder, false);
    if (sel.uidvalidity != validity) return 0;  // renumbered since: the per-folder sync sorts it out
    std::vector<std::uint32_t> uids;
    for (const auto& [uid, arrival] : items) uids.push_back(uid);
    // the server's copy has the source's flags: recorded as what both sides agree on, so the
    // destination's flag merge pushes what differs here (a change made here later, too, even
    // when a kill comes between)
    std::unordered_map<std::uint32_t, Flags> on_server;
    for (const MessageIdentity& m : fetch_identities(conn, uid_set(uids))) on_server.emplace(m.uid, m.flags);
    // a move done twice finds nothing the second time; a copy would be made twice, so it is marked
    // first, and one whose new UID a kill lost is the destination's to find (or upload) by its bytes
    if (keep_source) {
        Transaction t(index.db());
        for (const auto& [uid, arrival] : items) index.set_carried(arrival->row.id);
        t.commit();
    }
    const auto copied = transfer_messages(conn, uids, *dest.folder, keep_source);
    if (copied) {
        std::unordered_map<std::uint32_t, std::uint32_t> to;
        for (const auto& [from, dest_uid] : copied->uids) to.emplace(from, dest_uid);
        Transaction t(index.db());
        for (const auto& [uid, arrival] : items)
            if (const auto it = to.find(uid); it != to.end())
                index.set_server_state(arrival->row.id, copied->uidvalidity, it->second, on_server[uid]);
        t.commit();
    }
    return items.size();
}

// Whether the file that arrived in another folder is the message whose
// deletion `op` queued: the very file (its maildir key, as a rename by mutt
// or mv keeps it), or a copy of it under a new name (the same Message-ID,
// as both come here by it, and the same size). A file named by a fetch
// (",U=N") under another key is a download of its own folder, not a move.
bool same_message(const IndexDb::QueuedOp& op, const IndexDb::LocalOnly& arrival) {
    if (!op.key.empty() && op.key == arrival.key) return true;
    return op.size > 0 && op.size == arrival.size && !uid_in_key(arrival.key);
}

}  // namespace

MoveReplay replay_moves_and_copies(const Account& account, ImapConnection& conn, IndexDb& index, const std::vector<const ImapFolder*>& folders) {
    MoveReplay result;
    std::vector<Place> places;
    std::vector<std::string> maildirs;  // by place
    std::unordered_multimap<std::string, Arrival> arrivals;  // by Message-ID
    for (const ImapFolder* f : folders) {
        const std::string name = local_folder_name(*f);
        const Place place{f, index.folder_id(account.name, name)};
        const Maildir maildir(account.maildir + "/" + name, true);
        maildirs.push_back(maildir.root());
        if (const std::size_t kept = scan_folder(index, place.id, maildir).vanished_not_propagated) result.not_propagated[place.id] = kept;
        for (auto& row : index.local_only(place.id)) {
            if (row.message_id.empty() || row.file.empty()) continue;
            std::string key = row.message_id;  // before the row is moved from
            arrivals.emplace(std::move(key), Arrival{places.size(), std::move(row)});
        }
        places.push_back(place);
    }
    if (arrivals.empty()) return result;  // nothing arrived anywhere: nothing moved or copied
    std::unordered_map<std::int64_t, std::size_t> place_of;
    for (std::size_t i = 0; i < places.size(); ++i) place_of.emplace(places[i].id, i);

    // moves: an expunge queued in one folder, its Message-ID arrived in another
    std::vector<const Arrival*> taken;
    const auto is_taken = [&taken](const Arrival* a) { return std::find(taken.begin(), taken.end(), a) != taken.end(); };
    for (std::size_t s = 0; s < places.size(); ++s) {
        // (destination, validity) -> (source UID, arrival), and the ops they settle
        std::map<std::pair<std::size_t, std::int64_t>, std::vector<std::pair<std::uint32_t, const Arrival*>>> moves;
        std::vector<std::int64_t> settled;
        for (const auto& op : index.queued_ops(places[s].id)) {
            if (op.kind != "expunge" || op.message_id.empty()) continue;
            for (auto [it, end] = arrivals.equal_range(op.message_id); it != end; ++it) {
                if (it->second.place == s || is_taken(&it->second)) continue;
                if (!same_message(op, it->second.row)) continue;
                moves[{it->second.place, op.uidvalidity}].emplace_back(op.uid, &it->second);
                taken.push_back(&it->second);
                settled.push_back(op.id);
                break;
            }
        }
        for (const auto& [key, items] : moves) result.moved += carry(conn, index, places[s], places[key.first], key.second, items, false);
        if (!settled.empty()) {
            Transaction t(index.db());
            for (const auto id : settled) index.drop_op(id);
            t.commit();
        }
    }
    // copies: a message only here whose Message-ID another folder mirrors
    std::map<std::tuple<std::size_t, std::size_t, std::int64_t>, std::vector<std::pair<std::uint32_t, const Arrival*>>> copies;
    for (const auto& [message_id, arrival] : arrivals) {
        // a file named by a fetch (",U=N") may be this folder's own download that a killed sync did
        // not record: its folder's sync finds it on the server, a copy would make it twice there;
        // so would a second copy of one a killed sync already copied
        if (is_taken(&arrival) || uid_in_key(arrival.row.key) || arrival.row.carried) continue;
        const auto bytes = MappedFile::open(maildirs[arrival.place] + "/" + arrival.row.file);  // mapped: never read whole
        for (const auto& copy : index.server_copies(account.name, message_id, places[arrival.place].id)) {
            const auto source = place_of.find(copy.folder_id);
            if (source == place_of.end() || copy.file.empty() || !bytes) continue;
            // the same Message-ID is not the same message: a copy has the bytes of its original
            const auto original = MappedFile::open(maildirs[source->second] + "/" + copy.file);
            if (!original || !same_bytes(*original, *bytes)) continue;
            copies[{source->second, arrival.place, copy.uidvalidity}].emplace_back(copy.uid, &arrival);
            break;
        }
    }
    for (const auto& [key, items] : copies)
        result.copied += carry(conn, index, places[std::get<0>(key)], places[std::get<1>(key)], std::get<2>(key), items, true);
    return result;
}

}  // namespace tern
