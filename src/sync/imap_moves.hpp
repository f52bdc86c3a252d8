// Moves and copies made here, carried to the server as moves and copies,
// before the folders sync one by one. A message moved between folders here
// (by mutt renaming the file into another maildir, or by tern) leaves a
// queued expunge in the folder it left and a file that only exists here in
// the one it reached, both with its Message-ID; without this pass the sync
// would send the original to Trash and upload the bytes again. Instead it
// is moved on the server (UID MOVE, else COPY + \Deleted + UID EXPUNGE),
// and a message copied here is copied there (UID COPY) rather than uploaded;
// with UIDPLUS the copy here is matched to its new UID at once, without it
// the destination's sync finds it on the server (ServerCopyFinder). Both
// states are durable (the op queue and the files), so an interrupted pass
// is redone (a move done twice finds nothing to move the second time); a
// message to be copied is marked before the UID COPY goes out, so a pass
// killed after it never copies it twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "net/imap_mailbox.hpp"
#include "store/index_db.hpp"

namespace tern {

struct MoveReplay {
    std::size_t moved = 0, copied = 0;
    // per folder id: files of server messages that vanished here all at once
    // (the scan of this pass saw it; a folder's own sync reports it)
    std::unordered_map<std::int64_t, std::size_t> not_propagated;
};

// For the account's selectable folders (local names from local_folder_name).
MoveReplay replay_moves_and_copies(const Account& account, ImapConnection& conn, IndexDb& index, const std::vector<const ImapFolder*>& folders);

}  // namespace tern
