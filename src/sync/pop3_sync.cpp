#include "sync/pop3_sync.hpp"

#include <ctime>
#include <unordered_set>

#include "mime/message.hpp"
#include "net/pop3_session.hpp"
#include "net/smtp_client.hpp"
#include "store/folder_scan.hpp"
#include "store/maildir.hpp"
#include "store/pop3_uidls.hpp"
#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace tern {
namespace {

// "12.4 MB from Alice <a@example.com>: Subject" for a message left on the server.
std::string describe_left(Pop3Session& session, const Pop3Message& m) {
    std::string line = format_size(static_cast<std::size_t>(m.size));
    try {
        const Message head(crlf_to_lf(session.headers(m.number)));
        const std::string* from = head.headers().get("From");
        const std::string* subject = head.headers().get("Subject");
        if (from) line += " from " + terminal_safe(first_line(*from, 60));
        if (subject) line += ": " + terminal_safe(first_line(*subject, 60));
    } catch (const Failure&) {
        // TOP is optional in POP3: the size alone says enough
    }
    return line;
}

bool due_for_deletion(const LeaveOnServer& leave, std::int64_t downloaded, std::int64_t now) {
    switch (leave.mode) {
    case LeaveOnServer::Mode::Forever: return false;
    case LeaveOnServer::Mode::Never: return true;
    case LeaveOnServer::Mode::Days: return downloaded <= now - std::int64_t{leave.days} * 86400;
    }
    return false;
}

}  // namespace

FolderSyncResult sync_pop3_account(const Account& account, const Endpoint& endpoint, IndexDb& index, const SyncListener& listener) {
    FolderSyncResult result;
    result.folder = "INBOX";
    if (listener) listener({SyncEvent::Kind::FolderStarted, result.folder, 0, 0, {}, {}, false});
    Maildir inbox(account.maildir + "/INBOX", true);
    inbox.remove_stale_tmp();  // partial files of a killed download
    const std::int64_t folder_id = index.folder_id(account.name, "INBOX");
    scan_folder(index, folder_id, inbox);
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    Pop3Uidls uidls(index.db(), account.name);
    auto known = uidls.all();
    {
        // files a crash left without their record: recorded, not downloaded again
        Transaction t(index.db());
        for (const auto& loc : index.locations(folder_id)) {
            const std::string uidl = uidl_in_key(loc.key);
            if (!uidl.empty() && !known.count(uidl)) {
                uidls.add(uidl, loc.key, now);
                known.emplace(uidl, now);
            }
        }
        t.commit();
    }
    SessionCapture capture;
    Pop3Session session(endpoint, capture);
    const std::vector<Pop3Message> listing = session.listing();
    result.total = listing.size();
    {
        std::unordered_set<std::string> on_server;
        for (const auto& m : listing) on_server.insert(m.uidl);
        Transaction t(index.db());
        for (auto it = known.begin(); it != known.end();) {
            if (!on_server.count(it->first)) {
                uidls.forget(it->first);
                it = known.erase(it);
            } else {
                ++it;
            }
        }
        t.commit();
    }
    std::vector<const Pop3Message*> wanted;
    for (const auto& m : listing) {
        if (known.count(m.uidl)) continue;
        if (account.max_download_size && m.size > account.max_download_size) {
            result.notes.push_back("left on the server (over max_download_size " + format_size(account.max_download_size) +
                                   "): " + describe_left(session, m));
            continue;
        }
        wanted.push_back(&m);
    }
    // in batches: one flush of the disk per batch, then its rows and UIDLs in one transaction
    constexpr std::size_t kBatchMessages = 200, kBatchBytes = 32 << 20;
    std::vector<Maildir::Delivery> batch;
    std::vector<const Pop3Message*> batch_meta;
    std::size_t batch_bytes = 0;
    const auto store = [&] {
        if (batch.empty()) return;
        const std::vector<MaildirEntry> entries = inbox.deliver_all(batch);
        Transaction t(index.db());
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const MaildirEntry& e = entries[i];
            index_delivered(index, folder_id, Message(batch[i].bytes), e.key, e.subdir + "/" + e.name, Flags(),
                            static_cast<std::int64_t>(batch[i].bytes.size()), now);
            uidls.add(batch_meta[i]->uidl, e.key, now);
            known.emplace(batch_meta[i]->uidl, now);
        }
        t.commit();
        result.fetched += entries.size();
        if (listener) listener({SyncEvent::Kind::Progress, result.folder, result.fetched, wanted.size(), {}, {}, false});
        batch.clear();
        batch_meta.clear();
        batch_bytes = 0;
    };
    for (const Pop3Message* m : wanted) {
        Maildir::Delivery d{crlf_to_lf(session.retrieve(m->number)), Flags(), false, uidl_key_suffix(m->uidl)};
        batch_bytes += d.bytes.size();
        batch.push_back(std::move(d));
        batch_meta.push_back(m);
        if (batch.size() >= kBatchMessages || batch_bytes >= kBatchBytes) store();
    }
    store();
    // only what is stored and recorded here may go from the server
    for (const auto& m : listing) {
        const auto it = known.find(m.uidl);
        if (it == known.end() || !due_for_deletion(account.leave_on_server, it->second, now)) continue;
        session.dele(m.number);
        ++result.deleted_on_server;
    }
    session.quit();
    result.unseen = index.unseen_count(folder_id);
    if (listener) listener({SyncEvent::Kind::FolderDone, result.folder, 0, 0, result, {}, false});
    return result;
}

}  // namespace tern
