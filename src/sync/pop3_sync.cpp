#include "sync/pop3_sync.hpp"

#include "crypto/gpgme_backend.hpp"

#include <ctime>
#include <unordered_map>
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
    Pop3Uidls::Records known = uidls.all();
    {
        // files a crash left without their record: recorded, not downloaded again
        Transaction t(index.db());
        for (const auto& loc : index.locations(folder_id)) {
            const KeyUidl in_key = uidl_in_key(loc.key);
            if (!in_key.uidl.empty() && !find_record(known, in_key.uidl, in_key.size)) {
                uidls.add(in_key.uidl, in_key.size, loc.key, now);
                known.emplace(std::make_pair(in_key.uidl, in_key.size), now);
            }
        }
        t.commit();
    }
    SessionCapture capture;
    Pop3Session session(endpoint, capture);
    const std::vector<Pop3Message> listing = session.listing();
    result.total = listing.size();
    // a UIDL listed more than once names no one message: those stay on the server, whatever
    // leave_on_server says (each is downloaded by its UIDL and size, once)
    std::unordered_map<std::string, int> listed;
    for (const auto& m : listing) ++listed[m.uidl];
    std::unordered_set<std::string> shared;
    for (const auto& [uidl, n] : listed)
        if (n > 1) {
            shared.insert(uidl);
            result.notes.push_back(std::to_string(n) + " messages share the UIDL " + terminal_safe(first_line(uidl, 70)) +
                                   " on the server: left there (the server breaks RFC 1939; tell its administrator)");
        }
    {
        Transaction t(index.db());
        for (auto it = known.begin(); it != known.end();) {
            if (!listed.count(it->first.first)) {
                uidls.forget(it->first.first);
                it = known.erase(it);
            } else {
                ++it;
            }
        }
        t.commit();
    }
    std::vector<const Pop3Message*> wanted;
    for (const auto& m : listing) {
        if (find_record(known, m.uidl, m.size)) continue;
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
    const std::unique_ptr<CryptoBackend> decrypt = index_decryptor(account);  // index_decrypted
    const auto store = [&] {
        if (batch.empty()) return;
        const std::vector<MaildirEntry> entries = inbox.deliver_all(batch);
        Transaction t(index.db());
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const MaildirEntry& e = entries[i];
            index_delivered(index, folder_id, Message(batch[i].bytes), e.key, e.subdir + "/" + e.name, Flags(),
                            static_cast<std::int64_t>(batch[i].bytes.size()), now, "", decrypt.get());
            uidls.add(batch_meta[i]->uidl, batch_meta[i]->size, e.key, now);
            known.emplace(std::make_pair(batch_meta[i]->uidl, batch_meta[i]->size), now);
        }
        t.commit();
        result.fetched += entries.size();
        if (listener) listener({SyncEvent::Kind::Progress, result.folder, result.fetched, wanted.size(), {}, {}, false});
        batch.clear();
        batch_meta.clear();
        batch_bytes = 0;
    };
    // a failure keeps what this session downloaded before it (stored and recorded), then ends the sync
    const auto retrieve = [&](const Pop3Message& m) {
        try {
            return session.retrieve(m.number);
        } catch (const Failure&) {
            store();
            throw;
        }
    };
    const auto note_shorter = [&](const Pop3Message& m, std::uint64_t received) {
        result.notes.push_back("message " + std::to_string(m.number) + " came shorter than the server listed it (" + std::to_string(received) +
                               " of " + std::to_string(m.size) + " bytes): left on the server, tried again by the next tern sync");
    };
    // a big message goes straight to disk as it arrives, never whole in memory
    const auto retrieve_big = [&](const Pop3Message& m) {
        store();  // what came before is stored first, in order
        Maildir::Spool spool = inbox.spool();
        CrlfToLfStream lf;
        std::uint64_t received = 0;
        session.retrieve_to(m.number, [&](std::string_view piece) {
            received += piece.size();
            spool.write(lf.feed(piece));
        });
        spool.write(lf.finish());
        if (received < m.size) return note_shorter(m, received);  // the spool's file goes
        const MaildirEntry e = spool.commit(Flags(), false, uidl_key_suffix(m.uidl, m.size));
        const Message message = delivered_message(inbox, e);
        Transaction t(index.db());
        index_delivered(index, folder_id, message, e.key, e.subdir + "/" + e.name, Flags(), static_cast<std::int64_t>(e.size), now, "", decrypt.get());
        uidls.add(m.uidl, m.size, e.key, now);
        known.emplace(std::make_pair(m.uidl, m.size), now);
        t.commit();
        ++result.fetched;
        if (listener) listener({SyncEvent::Kind::Progress, result.folder, result.fetched, wanted.size(), {}, {}, false});
    };
    for (const Pop3Message* m : wanted) {
        if (m->size >= kSpoolMessagesFrom) {
            retrieve_big(*m);
            continue;
        }
        const std::string bytes = retrieve(*m);
        if (bytes.size() < m->size) {  // cut short: not the message, so neither kept nor ever deleted for it
            note_shorter(*m, bytes.size());
            continue;
        }
        Maildir::Delivery d{crlf_to_lf(bytes), Flags(), false, uidl_key_suffix(m->uidl, m->size)};
        batch_bytes += d.bytes.size();
        batch.push_back(std::move(d));
        batch_meta.push_back(m);
        if (batch.size() >= kBatchMessages || batch_bytes >= kBatchBytes) store();
    }
    store();
    // only what is stored and recorded here may go from the server
    for (const auto& m : listing) {
        const std::int64_t* downloaded = find_record(known, m.uidl, m.size);
        if (!downloaded || shared.count(m.uidl) || !due_for_deletion(account.leave_on_server, *downloaded, now)) continue;
        session.dele(m.number);
        ++result.deleted_on_server;
    }
    session.quit();
    result.unseen = index.unseen_count(folder_id);
    if (listener) listener({SyncEvent::Kind::FolderDone, result.folder, 0, 0, result, {}, false});
    return result;
}

}  // namespace tern
