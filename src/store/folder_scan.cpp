#include "store/folder_scan.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "core/error.hpp"
#include "mime/encoded_words.hpp"
#include "mime/render.hpp"
#include "util/files.hpp"

namespace tern {

namespace {

// Decryption only, for the index: signatures are not checked (that would run
// gpg for every signed message), so their parts are indexed as they are.
class DecryptOnly final : public CryptoBackend {
public:
    explicit DecryptOnly(CryptoBackend& inner) : inner_(inner) {}
    std::vector<SignatureInfo> verify_detached(std::string_view, std::string_view, CryptoProtocol) override { return {}; }
    DecryptResult verify_clearsigned(std::string_view, CryptoProtocol) override { return {}; }
    DecryptResult decrypt(std::string_view ciphertext, CryptoProtocol protocol) override { return inner_.decrypt(ciphertext, protocol); }

private:
    CryptoBackend& inner_;
};

}  // namespace

std::string body_text(const Message& message, CryptoBackend* decrypt) {
    RenderOptions options;
    options.headers.clear();
    std::optional<DecryptOnly> only;
    if (decrypt) options.crypto = &only.emplace(*decrypt);
    std::string text;
    for (const auto& line : render_message(message, options))
        if (line.kind != LineKind::Header && line.kind != LineKind::Marker) text += line.text + "\n";
    return text;
}

std::string header_text(const Message& message) {
    std::string text;
    for (const auto& field : message.headers().fields) {
        text += field.name;
        text += ": ";
        text += decode_header_text(field.value);
        text += '\n';
    }
    return text;
}

namespace {

// The modification times (ns) of new/ and cur/: any delivery, removal or
// rename (a flag change) in a maildir changes them. Empty when they are too
// recent to trust (a change within the same clock tick could hide).
std::string directory_stamp(const Maildir& maildir) {
    std::string stamp;
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    for (const char* sub : {"/new", "/cur"}) {
        struct stat st {};
        if (::stat((maildir.root() + sub).c_str(), &st) != 0) return "";
        if (now.tv_sec - st.st_mtim.tv_sec < 2) return "";
        stamp += std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ";";
    }
    return stamp;
}

// The header block of a message file: its first 64 KB hold it but for
// rare monsters, which are read whole.
std::string header_block(const std::string& path) {
    constexpr std::size_t kHead = 64 * 1024;
    std::string head = read_file_head(path, kHead).value_or("");
    if (head.size() == kHead && head.find("\n\n") == std::string::npos && head.find("\r\n\r\n") == std::string::npos)
        head = read_file(path).value_or("");
    return head;
}

// The files a scan meets that the index does not know, as "new/NAME" or
// "cur/NAME" back to back in one buffer: a first scan of a million files
// meets a million, which as MaildirEntry values (three strings each) took
// 240 MB beside the reader's rows; here about 66 MB.
class FreshFiles {
public:
    void add(const MaildirEntry& e) {
        spans_.push_back({text_.size(), static_cast<std::uint32_t>(e.subdir.size() + 1 + e.name.size())});
        text_.append(e.subdir).append(1, '/').append(e.name);
    }
    std::size_t size() const { return spans_.size(); }
    // Newest first: maildir names start with the time of delivery.
    void sort_newest_first() {
        std::sort(spans_.begin(), spans_.end(), [this](const Span& a, const Span& b) { return name(a) > name(b); });
    }
    // The i-th file as the directories listed it (not yet stat()ed).
    MaildirEntry entry(std::size_t i) const { return maildir_entry(std::string_view(text_).substr(spans_[i].at, spans_[i].size)); }

private:
    struct Span {
        std::size_t at;
        std::uint32_t size;
    };
    std::string_view name(const Span& s) const {
        const std::string_view file = std::string_view(text_).substr(s.at, s.size);
        return file.substr(file.find('/') + 1);
    }
    std::string text_;
    std::vector<Span> spans_;
};

}  // namespace

ScanResult scan_folder(IndexDb& index, std::int64_t folder_id, const Maildir& maildir, const ScanControl* control) {
    ScanResult result;
    const std::string stamp = directory_stamp(maildir);
    if (!stamp.empty() && stamp == index.scan_stamp(folder_id)) {
        result.skipped = true;  // nothing was added, removed or renamed since the last scan
        return result;
    }
    // what the index holds is read inside the first transaction: a sync scanning or delivering meanwhile
    // (its own connection) cannot change it under us before that commits
    std::optional<Transaction> t(std::in_place, index.db());
    // what the index knows, as hashes sorted by key, and the directories read one entry at a time against
    // it: no map, no names and no listing held whole (the reader's store worker scans while the reader
    // holds its rows: at a million files, names took 110 MB, this 25 MB)
    const KnownFiles known = index.known_files(folder_id);
    const auto& entries = known.entries();
    std::vector<bool> found(entries.size());
    std::size_t mirrored = 0;
    for (const auto& k : entries) mirrored += k.mirrored;
    AutocryptPeers& autocrypt = index.autocrypt_of_folder(folder_id);
    const std::int64_t now = ::time(nullptr);
    FreshFiles fresh;
    maildir.for_each([&](MaildirEntry& e) {
        const KnownFiles::Entry* k = known.find(e.key);
        const std::size_t at = k ? static_cast<std::size_t>(k - entries.data()) : 0;
        if (!k || found[at]) {  // new here (or a second file of one key)
            fresh.add(e);
            return;
        }
        const std::string file = e.subdir + "/" + e.name;
        if (KnownFiles::hash(file) == k->file_hash && e.flags.bits() == k->flags) {
            ++result.unchanged;
        } else {
            // renamed, or a new key whose hash met a known one's: the index's own key says which
            const auto was = index.location(k->id);
            if (!was || was->key != e.key) {
                fresh.add(e);
                return;
            }
            index.update_location(k->id, file, e.flags);  // the hashes differ: so do the names or the flags
            ++result.updated;
        }
        found[at] = true;
    });
    if (control) fresh.sort_newest_first();
    // on a worker: a first batch of a thousand shows the newest mail at once; then one commit per five thousand
    std::size_t batch_end = control ? 1000 : fresh.size();
    for (std::size_t i = 0; i < fresh.size(); ++i) {
        if (i == batch_end) {
            t->commit();
            if (control->progress) control->progress(i, fresh.size());
            if (control->stop && control->stop()) {
                result.stopped = true;
                return result;
            }
            t.emplace(index.db());
            batch_end += 5000;
        }
        MaildirEntry e = fresh.entry(i);
        if (!maildir.stat_entry(e)) continue;  // removed while we looked
        const Headers headers = parse_headers(header_block(e.path(maildir.root()))).headers;
        MessageRow row = summarize(headers);
        autocrypt.harvest(headers, now);
        row.set_file(e.subdir + "/" + e.name);
        row.flags = e.flags;
        row.size = static_cast<std::int64_t>(e.size);
        row.received = e.mtime;
        if (row.date == 0) row.date = e.mtime;
        // between two batches a sync may have recorded the same file (a message it just delivered)
        if (index.insert_new(folder_id, e.key, row)) ++result.added;
    }
    std::size_t mirrored_gone = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) mirrored_gone += !found[i] && entries[i].mirrored;
    // most of a folder gone at once is a lost maildir, not a deletion: never delete on the server for that
    const bool propagate = !(mirrored_gone > 10 && mirrored_gone * 2 > mirrored);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (found[i]) continue;
        // the whole location of the few gone (a sync in batches may have removed or moved it since the first one)
        const auto now_at = index.location(entries[i].id);
        if (!now_at || KnownFiles::hash(now_at->file) != entries[i].file_hash) continue;
        const MessageLocation& location = *now_at;
        if (location.uid != 0) {
            if (propagate) {
                const IndexDb::Identity identity = index.identity(location.id);
                index.queue_op(folder_id, "expunge", location.uidvalidity, location.uid, identity.message_id, identity.size, location.key);
                ++result.expunges_queued;
            } else {
                ++result.vanished_not_propagated;
            }
        }
        index.remove(location.id);
        ++result.removed;
    }
    index.set_scan_stamp(folder_id, stamp);
    t->commit();
    if (control && control->progress) control->progress(fresh.size(), fresh.size());
    return result;
}

std::size_t index_message_text(IndexDb& index, std::int64_t folder_id, const Maildir& maildir, CryptoBackend* decrypt,
                               const ScanControl* control) {
    constexpr std::size_t kBatch = 500;
    std::int64_t* through = control ? control->text_done_through : nullptr;
    // every message there now is looked at by this pass; later ones get higher ids (SQLite gives max + 1)
    const std::int64_t newest = through ? index.newest_id(folder_id) : 0;
    if (through && newest < *through) *through = 0;  // rows went away and ids may come again (a rebuild): from the start
    std::int64_t after = through ? *through : 0;
    std::size_t done = 0, total = 0;
    // the messages a batch at a time (a million would not fit in memory)
    for (std::vector<MessageLocation> batch = index.without_search_text(folder_id, after, kBatch); !batch.empty();
         batch = index.without_search_text(folder_id, after, kBatch)) {
        if (control && control->stop && control->stop()) break;
        if (done == 0 && control && control->progress) {
            // how many, for the progress: said before the first batch (which may wait for the write lock)
            total = index.count_without_search_text(folder_id);
            control->progress(0, total);
        }
        Transaction t(index.db());
        for (const MessageLocation& m : batch) {
            // headers only: the block kept at its sync; a file renamed or removed since the scan is
            // indexed by the next pass
            std::optional<Message> message;
            if (m.file.empty()) {
                if (auto block = index.header_block(m.id)) message.emplace(std::move(*block));
            } else {
                message = Message::from_file(maildir.root() + "/" + m.file);  // a big one mapped, not read
            }
            if (!message) continue;
            index.set_search_text(m.id, header_text(*message), body_text(*message, decrypt));
        }
        t.commit();
        after = batch.back().id;
        done += batch.size();
        if (control && control->progress) control->progress(done, std::max(total, done));
    }
    if (through && !(control->stop && control->stop())) *through = std::max({*through, after, newest});
    return done;
}

Message delivered_message(const Maildir& maildir, const MaildirEntry& entry) {
    const std::string path = entry.path(maildir.root());
    int err = 0;
    auto message = Message::from_file(path, &err);
    if (!message) throw Failure(ErrorKind::Io, "cannot read " + path + " just stored: " + std::strerror(err) + ": check the disk");
    return std::move(*message);
}

std::int64_t index_delivered(IndexDb& index, std::int64_t folder_id, const Message& message, std::string_view key, std::string_view file,
                             Flags flags, std::int64_t size, std::int64_t received, std::string_view defer_header, CryptoBackend* decrypt) {
    MessageRow row = summarize(message.headers());
    row.set_file(file);
    row.flags = flags;
    row.size = size;
    row.received = received;
    if (row.date == 0) row.date = received;
    const std::int64_t id = index.insert(folder_id, key, row);
    index.autocrypt_of_folder(folder_id).harvest(message.headers(), ::time(nullptr));
    if (!defer_header.empty()) index.keep_header_block(id, defer_header);
    else index.set_search_text(id, header_text(message), file.empty() ? std::string() : body_text(message, decrypt));
    return id;
}

}  // namespace tern
