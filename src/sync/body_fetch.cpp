#include "sync/body_fetch.hpp"

#include <cstring>

#include "mime/message.hpp"
#include "net/credentials.hpp"
#include "net/imap_connection.hpp"
#include "net/imap_mailbox.hpp"
#include "store/folder_scan.hpp"
#include "store/maildir.hpp"
#include "sync/imap_spool.hpp"
#include "sync/imap_sync.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace tern {

Message fetch_body_on_demand(const Account& account, const EnvLookup& env, IndexDb& index, const std::string& folder, std::int64_t id) {
    const auto where = index.location(id);
    if (!where) throw Failure(ErrorKind::NotFound, "message " + std::to_string(id) + " is no longer in " + folder + ": sync and look again");
    if (!where->file.empty()) {
        const std::string path = account.maildir + "/" + folder + "/" + where->file;
        int err = 0;
        if (auto message = Message::from_file(path, &err)) return std::move(*message);
        throw Failure(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(err) + ": run tern sync to repair the index");
    }
    if (account.receive.protocol != Protocol::Imap || where->uid == 0)
        throw Failure(ErrorKind::NotFound, "the body of this message is not kept here and no server has it");
    SessionCapture capture;
    ImapConnection conn(endpoint_for(account, Service::Receive, obtain_credentials(account, Service::Receive, env)), capture);
    const ImapFolder* server_folder = nullptr;
    const std::vector<ImapFolder> folders = list_folders(conn);
    for (const auto& f : folders)
        if (local_folder_name(f) == folder) server_folder = &f;
    if (!server_folder) throw Failure(ErrorKind::NotFound, "folder " + folder + " is gone from " + conn.host_port() + ": run tern sync");
    const SelectedFolder sel = select_folder(conn, *server_folder, true);
    if (sel.uidvalidity != where->uidvalidity)
        throw Failure(ErrorKind::NotFound, "the server renumbered " + folder + " (UIDVALIDITY changed): run tern sync, then open it again");
    // a piece at a time, straight into the maildir: a 200 MB message is never whole in memory
    Maildir maildir(account.maildir + "/" + folder, true);
    const auto spooled = fetch_into_maildir(conn, maildir, where->uid, [&](const FetchData&) { return where->flags; }, true);
    conn.logout();
    if (!spooled || spooled->entry.size == 0) {
        if (spooled) maildir.remove(spooled->entry);
        throw Failure(ErrorKind::NotFound, "the message is gone from " + folder + " on the server: run tern sync");
    }
    const MaildirEntry& e = spooled->entry;
    Message message = delivered_message(maildir, e);
    Transaction t(index.db());
    index.set_body_file(id, e.key, e.subdir + "/" + e.name);
    index.set_search_text(id, header_text(message), body_text(message));
    t.commit();
    return message;
}

}  // namespace tern
