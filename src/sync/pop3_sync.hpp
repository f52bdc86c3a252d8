// POP3 download into the account's INBOX maildir, by UIDL. In this order, so
// that a crash or a dropped connection at any point loses nothing and
// downloads nothing twice:
//   1. a scan of the local INBOX; files that carry a UIDL in their name
//      (",P=hex~size") but have no record (a crash between the two) are
//      recorded;
//   2. UIDL and LIST; records of messages the server no longer has go;
//   3. new messages downloaded in batches, each batch fsynced into the
//      maildir (syncfs) before its rows and UIDLs are committed;
//   4. only then, as leave_on_server says, DELE of recorded messages, made
//      final by QUIT (a session that ends without QUIT deletes nothing; the
//      next one deletes them again).
// Messages over max_download_size stay on the server and are listed. A
// message is its UIDL and listed size (store/pop3_uidls.hpp); messages
// listed under one UIDL are never deleted there, and one whose RETR ends
// shorter than its listed size is neither kept nor deleted.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "net/session.hpp"
#include "store/index_db.hpp"
#include "sync/imap_sync.hpp"

namespace tern {

// Downloads the account's new mail. Throws Failure (network, login, disk)
// with one line; what was stored stays stored.
FolderSyncResult sync_pop3_account(const Account& account, const Endpoint& endpoint, IndexDb& index, const SyncListener& listener);

}  // namespace tern
