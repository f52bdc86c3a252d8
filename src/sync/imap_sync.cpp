#include "sync/imap_sync.hpp"

#include "crypto/gpgme_backend.hpp"

#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <unordered_set>
#include <unordered_map>

#include "mime/date.hpp"
#include "mime/message.hpp"
#include "store/folder_scan.hpp"
#include "store/maildir.hpp"
#include "sync/flag_merge.hpp"
#include "sync/imap_moves.hpp"
#include "sync/imap_spool.hpp"
#include "sync/server_copy.hpp"
#include "util/files.hpp"
#include "util/mapped_file.hpp"
#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace tern {

std::string local_folder_name(const ImapFolder& folder) {
    if (folder.role == "inbox") return "INBOX";
    std::vector<std::string> parts;
    const std::string name = folder.name.substr(folder.prefix.size());  // "INBOX.Sent" -> "Sent" on Cyrus
    if (folder.delimiter == '\0') parts.push_back(name);
    else parts = split(name, folder.delimiter);
    std::string out;
    for (std::string part : parts) {
        for (char& c : part)  // no separators, and no control characters (a terminal's escapes among them) in a file name
            if (c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
        if (part.empty() || part == "." || part == "..") part = "_" + part;
        if (part[0] == '.') part[0] = '_';  // a leading dot is a Maildir++ subfolder or hidden
        if (!out.empty()) out += '/';
        out += part;
    }
    return out;
}

namespace {

// The maildir folders under an account's root, by local name ("Lists/rust"):
// directories with a cur/ inside; hidden ones (".outbox") and their trees
// are not folders of the server.
std::vector<std::string> local_folders(const std::string& root) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!it->is_directory(ec) || it.depth() > 8) {
            it.disable_recursion_pending();
            continue;
        }
        if (name.empty() || name[0] == '.' || name == "cur" || name == "new" || name == "tmp") {
            it.disable_recursion_pending();
            continue;
        }
        if (fs::is_directory(it->path() / "cur", ec)) out.push_back(fs::relative(it->path(), root, ec).string());
    }
    return out;
}

// "17-Jul-2026 02:44:25 -0700" -> epoch seconds, 0 when unreadable.
std::int64_t parse_internal_date(const std::string& s) {
    std::string text = s;
    for (std::size_t i = 0; i < text.size() && text[i] != ' '; ++i)
        if (text[i] == '-') text[i] = ' ';
    return parse_date(text).value_or(0);
}

class FolderSync {
public:
    FolderSync(const Account& account, ImapConnection& conn, IndexDb& index, const ImapFolder& folder, const ImapFolder* trash,
               const SyncOptions& options, const SyncListener& listener)
        : conn_(conn), index_(index), folder_(folder), trash_(trash), options_(options), listener_(listener),
          cache_(account.cache_bodies), name_(local_folder_name(folder)), maildir_(account.maildir + "/" + name_, true),
          folder_id_(index.folder_id(account.name, name_)), decrypt_(index_decryptor(account)) {
        result_.folder = name_;
    }

    // Files that vanished at once, seen by an earlier scan of this sync.
    void add_not_propagated(std::size_t n) { result_.not_deleted_on_server += n; }

    FolderSyncResult run() {
        if (listener_) listener_({SyncEvent::Kind::FolderStarted, name_, 0, 0, {}, {}, false});
        maildir_.remove_stale_tmp();  // partial files of a killed fetch
        const ScanResult scan = scan_folder(index_, folder_id_, maildir_);
        result_.not_deleted_on_server += scan.vanished_not_propagated;
        const IndexDb::SyncState before = index_.sync_state(folder_id_);
        // QRESYNC: the SELECT itself says what changed since the last complete sync
        std::optional<KnownFolderState> known;
        if (!options_.rebuild && before.uidvalidity > 0 && before.highest_modseq > 0)
            known = KnownFolderState{static_cast<std::uint32_t>(before.uidvalidity), static_cast<std::uint64_t>(before.highest_modseq)};
        const SelectedFolder sel = select_folder(conn_, folder_, false, known);
        const bool replayed = replay_expunges(sel);
        const bool uploaded = upload_local_only(sel);
        const std::int64_t validity = sel.uidvalidity;
        std::unordered_map<std::uint32_t, IndexDb::Mirrored> mirrored;
        bool local_changes = false;
        for (auto& m : index_.mirrored(folder_id_, validity)) {
            local_changes |= !(m.flags == m.server_flags) || m.pushing;
            // a body kept only as headers that cache_bodies may want now
            local_changes |= m.file.empty() && cache_.mode != CacheBodies::Mode::Opened;
            mirrored.emplace(m.uid, std::move(m));
        }
        result_.total = sel.exists;
        if (!options_.rebuild && !replayed && !uploaded && before.uidvalidity == validity && sel.highest_modseq != 0 &&
            before.highest_modseq == static_cast<std::int64_t>(sel.highest_modseq) && before.uidnext == sel.uidnext &&
            sel.exists == mirrored.size() && !local_changes) {
            result_.unchanged = true;
            done();
            return result_;
        }
        std::map<std::uint32_t, Flags> server;
        if (sel.resynced && !replayed && !uploaded) {
            // what both sides agreed on at the last sync, with the server's changes since applied
            for (const auto& [uid, m] : mirrored) server[uid] = m.server_flags;
            for (const auto uid : sel.vanished) server.erase(uid);
            for (const auto& [uid, flags] : sel.changed) server[uid] = flags;
            // a count that does not add up means something here is not what we think: ask for everything
            if (server.size() != sel.exists) server.clear();
            else result_.resynced = true;
        }
        if (!result_.resynced) fetch_all_flags(conn_, [&server](std::uint32_t uid, Flags flags) { server[uid] = flags; });
        result_.total = server.size();

        const bool pushed = merge_flags(mirrored, server);
        std::vector<std::uint32_t> missing;
        for (const auto& [uid, flags] : server)
            if (!mirrored.count(uid)) missing.push_back(uid);
        // cache_bodies: whole messages inside the window, headers only (no file) outside it;
        // a header-only message that the window now covers is fetched whole
        const auto window = cache_window();
        const auto in_window = [&window](std::uint32_t uid) { return !window || window->count(uid); };
        for (const auto& [uid, m] : mirrored)
            if (m.file.empty() && server.count(uid) && in_window(uid)) {
                index_.remove(m.id);
                missing.push_back(uid);
            }
        std::vector<std::uint32_t> whole, headers_only;
        for (const auto uid : missing) (in_window(uid) ? whole : headers_only).push_back(uid);
        fetch_new(whole, server, validity);
        fetch_headers_only(headers_only, server, validity);
        remove_expunged(mirrored, server);
        if (before.uidvalidity != 0 && before.uidvalidity != validity) remove_old_generation(before.uidvalidity);
        // after our own STOREs the server's HIGHESTMODSEQ moved: compare flags in full next time
        index_.set_sync_state(folder_id_, {validity, sel.uidnext, pushed || replayed || uploaded ? 0 : static_cast<std::int64_t>(sel.highest_modseq)});
        done();
        return result_;
    }

private:
    void done() {
        result_.unseen = index_.unseen_count(folder_id_);
        if (listener_) listener_({SyncEvent::Kind::FolderDone, name_, 0, 0, result_, {}, false});
    }

    // Messages deleted here (their files gone: by tern, or mutt expunging)
    // leave the server too: moved to the Trash folder when there is one and
    // this is not it, else marked \Deleted and expunged by UID. UIDs the
    // server no longer has are ignored by it, so a replay after a crash is
    // harmless; an operation from before a UIDVALIDITY change finds its
    // message by Message-ID when exactly one has it (else it is dropped: the
    // message comes back, nothing is deleted that was not meant).
    bool replay_expunges(const SelectedFolder& sel) {
        const auto ops = index_.queued_ops(folder_id_);
        if (ops.empty()) return false;
        std::vector<std::uint32_t> uids;
        for (const auto& op : ops) {
            if (op.kind != "expunge") continue;
            if (op.uidvalidity == sel.uidvalidity) {
                uids.push_back(op.uid);
            } else if (!op.message_id.empty()) {
                // the server renumbered the folder since: the message is found again by its Message-ID,
                // when exactly one has it (of several, which one went is not known: none goes) and it is
                // as big as the file deleted here was (another message of that Message-ID stays)
                const auto found = search_message_id(conn_, op.message_id);
                if (found.size() == 1 && (op.size == 0 || size_here(found.front()) == op.size)) uids.push_back(found.front());
            }
        }
        if (!uids.empty()) {
            // what another client deleted first is not there to delete: said, and dropped
            const std::vector<std::uint32_t> there = uid_search(conn_, "UID " + uid_set(uids));
            if (there.size() < uids.size())
                result_.notes.push_back(std::to_string(uids.size() - there.size()) + " deleted here were already gone from the server");
            uids = there;
        }
        if (!uids.empty()) {
            const std::string set = uid_set(uids);
            const bool uidplus = conn_.has_capability("UIDPLUS");
            // a message marked deleted here (mutt's and tern's D before purge) may have carried \Deleted to
            // the server; its copy in Trash must be an ordinary message again, not one the next expunge takes
            const bool to_trash = trash_ && trash_->wire_name != folder_.wire_name;
            if (to_trash) store_flags(conn_, set, false, Flags().with(Flags::Trashed));
            if (to_trash && conn_.has_capability("MOVE")) {
                conn_.run_ok("UID MOVE " + set + " " + imap_quote(trash_->wire_name), "UID MOVE to " + trash_->name);
            } else {
                if (trash_ && trash_->wire_name != folder_.wire_name)
                    conn_.run_ok("UID COPY " + set + " " + imap_quote(trash_->wire_name), "UID COPY to " + trash_->name);
                store_flags(conn_, set, true, Flags().with(Flags::Trashed));
                conn_.run_ok(uidplus ? "UID EXPUNGE " + set : std::string("EXPUNGE"), "EXPUNGE");
            }
            result_.deleted_on_server = uids.size();
        }
        Transaction t(index_.db());
        for (const auto& op : ops) index_.drop_op(op.id);
        t.commit();
        return true;
    }

    // The size a server message would have as a file here (LF line ends), -1 when it is gone.
    std::int64_t size_here(std::uint32_t uid) {
        std::size_t size = 0;  // counted a piece at a time: a big message is never whole in memory
        const auto about = fetch_lf_pieces(conn_, uid, [&size](std::string_view piece) {
            size += piece.size();
            return true;
        });
        return about ? static_cast<std::int64_t>(size) : -1;
    }

    // Messages only here go to the server: saved into the folder by mutt,
    // tern's own copies, files a killed sync delivered without recording
    // them. A message the server already has unmirrored (ServerCopyFinder:
    // same Message-ID and size, the same bytes where that is not certain)
    // is taken as that one: a file of a killed download, an APPEND whose
    // answer a crash lost; so a retry never uploads or fetches twice. The
    // UID of an upload comes from UIDPLUS's APPENDUID, else from its
    // Message-ID; without UIDPLUS only messages with one go up.
    bool upload_local_only(const SelectedFolder& sel) {
        const std::vector<IndexDb::LocalOnly> local = index_.local_only(folder_id_);
        if (local.empty()) return false;
        const auto mirrored = [&](std::uint32_t uid) { return index_.has_uid(folder_id_, sel.uidvalidity, uid); };
        ServerCopyFinder finder(conn_, mirrored);
        bool any = false;
        for (const IndexDb::LocalOnly& m : local) {
            const auto file = MappedFile::open(maildir_.root() + "/" + m.file);  // mapped: a big one is not read whole
            if (!file) continue;  // gone since the scan
            const std::string_view bytes = file->view();
            std::uint64_t wire = 0;  // its size as sent, the file's pages given back as they are counted
            file->for_each_window([&](std::size_t at, std::string_view window) { wire += crlf_size_piece(bytes, at, window.size()); });
            if (const auto copy = finder.find(bytes, m.message_id, uid_in_key(m.key), wire)) {
                // agreed on the server's flags: what was changed here since differs, and wins
                index_.set_server_state(m.id, sel.uidvalidity, copy->uid, copy->flags);
                any = true;
                continue;
            }
            if (m.message_id.empty() && !conn_.has_capability("UIDPLUS")) continue;
            const auto appended = append_message(conn_, folder_, bytes, wire, m.flags, m.received, [&](std::string_view piece) {
                file->release(static_cast<std::size_t>(piece.data() - bytes.data()), piece.size());
            });
            ++result_.uploaded;
            any = true;
            std::uint32_t uid = appended && appended->uidvalidity == sel.uidvalidity ? appended->uid : 0;
            if (!uid && !m.message_id.empty()) {
                // without APPENDUID: the newest unmirrored message of its Message-ID is the one just sent
                for (const auto found : search_message_id(conn_, m.message_id))
                    if (!mirrored(found)) uid = std::max(uid, found);
            }
            if (uid) index_.set_server_state(m.id, sel.uidvalidity, uid, m.flags);
        }
        return any;
    }

    // Flags merged three ways (sync/flag_merge.hpp); returns whether
    // anything went to the server. A STORE is recorded before it is sent
    // (a FlagPush) and the agreement only after its answer: a sync killed in
    // between learns at its next run which bits the server took, so a
    // change made here after that kill is not taken for no change.
    bool merge_flags(const std::unordered_map<std::uint32_t, IndexDb::Mirrored>& mirrored, const std::map<std::uint32_t, Flags>& server) {
        std::map<std::pair<std::uint8_t, std::uint8_t>, std::vector<std::uint32_t>> stores;  // (add, remove) -> uids
        std::vector<std::pair<std::int64_t, Flags>> agreed_after_store;
        {
            Transaction t(index_.db());
            for (const auto& [uid, m] : mirrored) {
                const auto on_server = server.find(uid);
                if (on_server == server.end()) continue;  // expunged: handled later
                const FlagMerge merge = tern::merge_flags(m.flags, m.server_flags, on_server->second, m.pushing);
                if (!(merge.merged == m.flags)) {
                    // the file first: a kill before the commit leaves a name the next scan reads
                    if (m.file.empty()) {  // headers only: no file to rename
                        index_.update_location(m.id, "", merge.merged);
                    } else {
                        const MaildirEntry renamed = maildir_.set_flags(maildir_entry(m.file), merge.merged);
                        index_.update_location(m.id, renamed.subdir + "/" + renamed.name, merge.merged);
                    }
                    ++result_.flags_to_local;
                }
                if (!(merge.agreed == m.server_flags) || m.pushing) index_.set_server_flags(m.id, merge.agreed);
                if (merge.push) {
                    index_.set_flags_pushing(m.id, *merge.push);
                    const std::uint8_t remote = on_server->second.bits(), merged = merge.merged.bits();
                    stores[{static_cast<std::uint8_t>(merged & ~remote), static_cast<std::uint8_t>(remote & ~merged)}].push_back(uid);
                    agreed_after_store.emplace_back(m.id, merge.merged);
                    ++result_.flags_to_server;
                }
            }
            t.commit();
        }
        for (const auto& [change, uids] : stores) {
            const std::string set = uid_set(uids);
            store_flags(conn_, set, true, Flags(change.first));
            store_flags(conn_, set, false, Flags(change.second));
        }
        Transaction t(index_.db());
        for (const auto& [id, flags] : agreed_after_store) index_.set_server_flags(id, flags);
        t.commit();
        return !stores.empty();
    }

    // The flags a FETCH carries, else what the folder's flag listing said.
    static Flags fetched_flags(const FetchData& f, const std::map<std::uint32_t, Flags>& server) {
        if (f.flags) return flags_from_imap(*f.flags);
        const auto it = server.find(*f.uid);
        return it != server.end() ? it->second : Flags();
    }

    // The row of a message fetched from the server, with its UID and its
    // text for search: all from one parse of the message (or of its header
    // block alone, for a message whose body is not kept: file empty).
    void record(const Message& message, std::string_view key, std::string_view file, std::uint32_t uid, Flags flags, std::int64_t size,
                std::int64_t received, std::int64_t validity, std::string_view defer_header = "") {
        const std::int64_t id = index_delivered(index_, folder_id_, message, key, file, flags, size, received, defer_header, decrypt_.get());
        index_.set_server_state(id, validity, uid, flags);
    }

    // A fetched message waiting for its batch to be stored.
    struct Fetched {
        std::uint32_t uid;
        std::int64_t received;
    };

    void fetch_new(const std::vector<std::uint32_t>& missing, const std::map<std::uint32_t, Flags>& server, std::int64_t validity) {
        if (missing.empty()) return;
        // stored in batches: one flush of the disk per batch, then the rows in one transaction
        constexpr std::size_t kBatchMessages = 500, kBatchBytes = 32 << 20;
        std::vector<Maildir::Delivery> batch;
        std::vector<Fetched> meta;
        std::size_t batch_bytes = 0;
        auto store = [&] {
            if (batch.empty()) return;
            const std::vector<MaildirEntry> entries = maildir_.deliver_all(batch);  // durable before any row records it
            Transaction t(index_.db());
            for (std::size_t i = 0; i < entries.size(); ++i) {
                const MaildirEntry& e = entries[i];
                record(Message(batch[i].bytes), e.key, e.subdir + "/" + e.name, meta[i].uid, batch[i].flags,
                       static_cast<std::int64_t>(batch[i].bytes.size()), meta[i].received ? meta[i].received : e.mtime, validity);
            }
            t.commit();
            result_.fetched += entries.size();
            if (listener_) listener_({SyncEvent::Kind::Progress, name_, result_.fetched, missing.size(), {}, {}, false});
            batch.clear();
            meta.clear();
            batch_bytes = 0;
        };
        // the big ones (their size asked first) a piece at a time, straight to disk, after the rest;
        // one whose size the server does not tell comes the usual way
        std::unordered_set<std::uint32_t> big;
        for (const auto& [uid, size] : fetch_sizes(conn_, uid_set(missing)))
            if (size >= kSpoolMessagesFrom) big.insert(uid);
        std::vector<std::uint32_t> whole, in_pieces;
        for (const std::uint32_t uid : missing) (big.count(uid) ? in_pieces : whole).push_back(uid);
        if (!whole.empty()) fetch_messages(conn_, uid_set(whole), false, [&](const FetchData& f) {
            const Flags flags = fetched_flags(f, server);
            // a maildir keeps LF line ends, as mutt, mbsync and Dovecot's own store do
            Maildir::Delivery d{crlf_to_lf(*f.section("BODY[]")), flags, flags.bits() != 0, ",U=" + std::to_string(*f.uid)};
            batch_bytes += d.bytes.size();
            batch.push_back(std::move(d));
            meta.push_back({*f.uid, f.internal_date ? parse_internal_date(*f.internal_date) : 0});
            if (batch.size() >= kBatchMessages || batch_bytes >= kBatchBytes) store();
        });
        store();
        for (const std::uint32_t uid : in_pieces) {
            const auto spooled = fetch_into_maildir(conn_, maildir_, uid, [&](const FetchData& f) { return fetched_flags(f, server); });
            if (!spooled) continue;  // expunged meanwhile
            const MaildirEntry& e = spooled->entry;
            const Message message = delivered_message(maildir_, e);
            Transaction t(index_.db());
            const auto& date = spooled->about.internal_date;
            record(message, e.key, e.subdir + "/" + e.name, uid, e.flags, static_cast<std::int64_t>(e.size), date ? parse_internal_date(*date) : e.mtime, validity);
            t.commit();
            ++result_.fetched;
            if (listener_) listener_({SyncEvent::Kind::Progress, name_, result_.fetched, missing.size(), {}, {}, false});
        }
    }

    // The UIDs whose bodies are kept here; nothing means all of them.
    std::optional<std::unordered_set<std::uint32_t>> cache_window() {
        if (cache_.mode == CacheBodies::Mode::All) return std::nullopt;
        std::unordered_set<std::uint32_t> uids;
        if (cache_.mode == CacheBodies::Mode::Days)
            for (const auto uid : search_since(conn_, static_cast<std::int64_t>(std::time(nullptr)) - std::int64_t{cache_.days} * 86400))
                uids.insert(uid);
        return uids;
    }

    // Messages outside the cache window: their header block and size only,
    // a row without a file (its key ":UIDVALIDITY:UID" cannot be a maildir
    // name); ~h finds them, ~b does not, and the reader fetches the body
    // when one is opened.
    void fetch_headers_only(const std::vector<std::uint32_t>& uids, const std::map<std::uint32_t, Flags>& server, std::int64_t validity) {
        if (uids.empty()) return;
        Transaction t(index_.db());
        fetch_messages(conn_, uid_set(uids), true, [&](const FetchData& f) {
            const std::string header = crlf_to_lf(*f.section("BODY[HEADER]"));
            // its text for ~h is indexed later, by the pass that ~h ~b ~B start (index_message_text)
            record(Message(header), ":" + std::to_string(validity) + ":" + std::to_string(*f.uid), "", *f.uid, fetched_flags(f, server),
                   static_cast<std::int64_t>(f.size.value_or(header.size())), f.internal_date ? parse_internal_date(*f.internal_date) : 0,
                   validity, header.empty() ? std::string_view("\n") : std::string_view(header));
            ++result_.fetched;
            ++result_.headers_only;
        });
        t.commit();
    }

    void remove_expunged(const std::unordered_map<std::uint32_t, IndexDb::Mirrored>& mirrored, const std::map<std::uint32_t, Flags>& server) {
        Transaction t(index_.db());
        for (const auto& [uid, m] : mirrored) {
            if (server.count(uid)) continue;
            // the server no longer has it: another client deleted it there
            if (!m.file.empty()) maildir_.remove(maildir_entry(m.file));
            index_.remove(m.id);
            ++result_.removed;
        }
        t.commit();
    }

    // After a UIDVALIDITY change: the copies of the old numbering, now that
    // the folder has been fetched again under the new one.
    void remove_old_generation(std::int64_t old_validity) {
        Transaction t(index_.db());
        for (const auto& m : index_.mirrored(folder_id_, old_validity)) {
            if (!m.file.empty()) maildir_.remove(maildir_entry(m.file));
            index_.remove(m.id);
        }
        t.commit();
    }

    ImapConnection& conn_;
    IndexDb& index_;
    const ImapFolder& folder_;
    const ImapFolder* trash_;
    const SyncOptions& options_;
    const SyncListener& listener_;
    const CacheBodies cache_;
    std::string name_;
    Maildir maildir_;
    std::int64_t folder_id_;
    std::unique_ptr<CryptoBackend> decrypt_;  // index_decrypted: the index gets the plaintext of encrypted mail
    FolderSyncResult result_;
};

}  // namespace

std::vector<FolderSyncResult> sync_imap_account(const Account& account, ImapConnection& conn, IndexDb& index,
                                                const SyncOptions& options, const SyncListener& listener) {
    std::vector<FolderSyncResult> results;
    bool found = options.only_folder.empty();
    const PersonalNamespace personal = personal_namespace(conn);
    std::vector<ImapFolder> folders = list_folders(conn, personal);
    // folders made here (mutt saving into a new maildir) are made on the server too; one that was
    // mirrored before and is gone there was deleted by another client, and stays here only
    {
        std::unordered_set<std::string> on_server;
        PersonalNamespace where = personal;  // without NAMESPACE: INBOX's delimiter, no prefix
        if (personal.prefix.empty()) where.delimiter = folders.empty() ? '/' : folders.front().delimiter;
        for (const auto& f : folders) {
            on_server.insert(local_folder_name(f));
            if (f.role == "inbox" && personal.prefix.empty()) where.delimiter = f.delimiter;
        }
        bool created = false;
        for (const std::string& local : local_folders(account.maildir)) {
            if (on_server.count(local) || (local.find('/') != std::string::npos && where.delimiter == '\0')) continue;
            if (!options.only_folder.empty() && options.only_folder != local) continue;
            if (index.sync_state(index.folder_id(account.name, local)).uidvalidity != 0) continue;
            try {
                create_folder(conn, local, where);
                created = true;
            } catch (const Failure& f) {  // its mail stays here, safe; the other folders sync
                if (listener) listener({SyncEvent::Kind::Notice, local, 0, 0, {}, f.error().summary, true});
            }
        }
        if (created) folders = list_folders(conn, personal);
    }
    // the roles the server names, for copies made here while offline (Sent, Drafts)
    {
        Transaction t(index.db());
        for (const auto& f : folders)
            if (!f.role.empty() && f.role != "inbox") index.set_role_folder(account.name, f.role, local_folder_name(f));
        t.commit();
    }
    // the Trash: the configured name, else the server's SPECIAL-USE, else "Trash"
    const ImapFolder* trash = nullptr;
    for (const auto& f : folders)
        if (account.roles.trash.empty() ? f.role == "trash" : (f.name == account.roles.trash || local_folder_name(f) == account.roles.trash)) trash = &f;
    if (!trash && account.roles.trash.empty())
        for (const auto& f : folders)
            if (iequals(local_folder_name(f), "Trash")) trash = &f;
    // the Trash last: what the other folders move there arrives in the same pass
    std::vector<const ImapFolder*> order;
    for (const auto& f : folders)
        if (&f != trash) order.push_back(&f);
    if (trash) order.push_back(trash);
    // two server folders whose names become one local name (a '/' inside a level, control
    // characters) would mix their mail in one maildir: the first keeps it, the other is left out
    {
        std::unordered_map<std::string, const ImapFolder*> by_local;
        std::erase_if(order, [&](const ImapFolder* f) {
            const std::string local = local_folder_name(*f);
            const auto [it, fresh] = by_local.emplace(local, f);
            if (!fresh && listener)
                listener({SyncEvent::Kind::Notice, local, 0, 0, {},
                          "server folders '" + terminal_safe(it->second->name) + "' and '" + terminal_safe(f->name) + "' would share the local folder " +
                              terminal_safe(local) + ": the second is not synced; rename one of them on the server",
                          true});
            return !fresh;
        });
    }
    // moves and copies made here go to the server as such, before any folder uploads or trashes them
    MoveReplay carried;
    if (options.only_folder.empty()) {
        std::vector<const ImapFolder*> selectable;
        for (const ImapFolder* f : order)
            if (f->selectable) selectable.push_back(f);
        carried = replay_moves_and_copies(account, conn, index, selectable);
        if ((carried.moved || carried.copied) && listener)
            listener({SyncEvent::Kind::Notice, "", 0, 0, {},
                      std::to_string(carried.moved) + " moved, " + std::to_string(carried.copied) + " copied between folders on the server", false});
    }
    for (const ImapFolder* f : order) {
        const ImapFolder& folder = *f;
        if (!folder.selectable) continue;
        if (!options.only_folder.empty() && local_folder_name(folder) != options.only_folder && folder.name != options.only_folder) continue;
        found = true;
        FolderSync sync(account, conn, index, folder, trash, options, listener);
        sync.add_not_propagated(carried.not_propagated[index.folder_id(account.name, local_folder_name(folder))]);
        results.push_back(sync.run());
    }
    if (!found)
        throw Failure(ErrorKind::Usage, "no folder '" + options.only_folder + "' on " + conn.host_port() + " for account " + account.name);
    return results;
}

}  // namespace tern
