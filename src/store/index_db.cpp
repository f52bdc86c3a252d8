#include "store/index_db.hpp"

#include <thread>

#include <stdio.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include "core/error.hpp"
#include "mime/address.hpp"
#include "mime/content_type.hpp"
#include "mime/date.hpp"
#include "mime/encoded_words.hpp"
#include "mime/headers.hpp"
#include "store/deflated_text.hpp"
#include "util/files.hpp"
#include "util/hash64.hpp"
#include "util/strings.hpp"

namespace tern {
namespace {

// Migration N takes the schema from version N to N + 1.
constexpr std::array<std::string_view, IndexDb::kSchemaVersion> kMigrations = {
    R"sql(
    CREATE TABLE folders(
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        name TEXT NOT NULL,
        uidvalidity INTEGER,
        uidnext INTEGER,
        highestmodseq INTEGER,
        UNIQUE(account, name));
    CREATE TABLE messages(
        id INTEGER PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        maildir_key TEXT NOT NULL,
        file TEXT NOT NULL,
        uidvalidity INTEGER,
        uid INTEGER,
        flags INTEGER NOT NULL,
        size INTEGER NOT NULL,
        date INTEGER NOT NULL,
        received INTEGER NOT NULL,
        from_name TEXT NOT NULL,
        from_addr TEXT NOT NULL,
        to_addrs TEXT NOT NULL,
        cc_addrs TEXT NOT NULL,
        subject TEXT NOT NULL,
        message_id TEXT NOT NULL,
        in_reply_to TEXT NOT NULL,
        refs TEXT NOT NULL,
        has_attachments INTEGER NOT NULL,
        UNIQUE(folder_id, maildir_key));
    CREATE INDEX messages_by_uid ON messages(folder_id, uidvalidity, uid);
    CREATE INDEX messages_by_message_id ON messages(message_id);
    CREATE TABLE op_queue(
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        created INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE outbox(
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        file TEXT NOT NULL,
        created INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT);
    )sql",
    // 1 -> 2: full-text search over body text
    R"sql(
    CREATE VIRTUAL TABLE bodies USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
    )sql",
    // 2 -> 3: skip rescanning a maildir whose directories did not change
    R"sql(
    ALTER TABLE folders ADD COLUMN scan_stamp TEXT NOT NULL DEFAULT '';
    )sql",
    // 3 -> 4: body search by substring, as ~b means it, needs trigrams, not words
    R"sql(
    CREATE VIRTUAL TABLE bodies_trigram USING fts5(text, tokenize = 'trigram');
    INSERT INTO bodies_trigram(rowid, text) SELECT rowid, text FROM bodies;
    DROP TABLE bodies;
    ALTER TABLE bodies_trigram RENAME TO bodies;
    )sql",
    // 4 -> 5: IMAP mirror: the flags last agreed with the server, so a sync
    // tells a local change (by tern or mutt) from a server one
    R"sql(
    ALTER TABLE messages ADD COLUMN server_flags INTEGER;
    )sql",
    // 5 -> 6: ~h and ~B from the index too: the decoded header lines
    R"sql(
    CREATE VIRTUAL TABLE headers USING fts5(text, tokenize = 'trigram');
    )sql",
    // 6 -> 7: sending (the outbox's envelope, per recipient, so a retry sends
    // only to those still owed), POP3 downloads by UIDL, and the local folders
    // of the roles the server named (SPECIAL-USE), for copies made offline
    R"sql(
    ALTER TABLE outbox ADD COLUMN sender TEXT NOT NULL DEFAULT '';
    ALTER TABLE outbox ADD COLUMN recipients TEXT NOT NULL DEFAULT '';
    ALTER TABLE outbox ADD COLUMN sent_to TEXT NOT NULL DEFAULT '';
    CREATE TABLE pop3_uidls(
        account TEXT NOT NULL,
        uidl TEXT NOT NULL,
        maildir_key TEXT NOT NULL,
        downloaded INTEGER NOT NULL,
        PRIMARY KEY(account, uidl));
    CREATE TABLE folder_roles(
        account TEXT NOT NULL,
        role TEXT NOT NULL,
        folder TEXT NOT NULL,
        PRIMARY KEY(account, role));
    )sql",
    // 7 -> 8: a message kept as headers only waits with its header block
    // until the full-text pass indexes it (a first sync of headers is then
    // bound by the network, not by trigram indexing); messages only here
    // are found without reading a folder's every row
    R"sql(
    CREATE TABLE header_blocks(id INTEGER PRIMARY KEY, header TEXT NOT NULL);
    CREATE TRIGGER header_blocks_follow AFTER DELETE ON messages BEGIN
        DELETE FROM header_blocks WHERE id = old.id;
    END;
    CREATE INDEX messages_local_only ON messages(folder_id) WHERE uid IS NULL;
    )sql",
    // 8 -> 9: flags on their way to the server (mask << 8 | value), so a sync
    // killed between a STORE and its record knows whether the server took it
    R"sql(
    ALTER TABLE messages ADD COLUMN flags_pushing INTEGER;
    )sql",
    // 9 -> 10: a message the server took whose copy for the Sent folder is
    // still to be kept: recorded at once, so a crash before the copy neither
    // sends it again nor loses the copy
    R"sql(
    ALTER TABLE outbox ADD COLUMN copy_owed INTEGER NOT NULL DEFAULT 0;
    )sql",
    // 10 -> 11: a message only here that a copy on the server was sent for,
    // so a killed sync does not copy it again
    R"sql(
    ALTER TABLE messages ADD COLUMN carried INTEGER NOT NULL DEFAULT 0;
    )sql",
    // 11 -> 12: a POP3 message is its UIDL and listed size (servers reuse
    // UIDLs and list two messages under one); 0: not known
    R"sql(
    CREATE TABLE pop3_seen(
        account TEXT NOT NULL,
        uidl TEXT NOT NULL,
        size INTEGER NOT NULL,
        maildir_key TEXT NOT NULL,
        downloaded INTEGER NOT NULL,
        PRIMARY KEY(account, uidl, size));
    INSERT INTO pop3_seen(account, uidl, size, maildir_key, downloaded) SELECT account, uidl, 0, maildir_key, downloaded FROM pop3_uidls;
    DROP TABLE pop3_uidls;
    )sql",
    // 12 -> 13: the folder a queued message's Sent copy goes to when an
    // fcc-hook chose one; '': the account's Sent folder
    R"sql(
    ALTER TABLE outbox ADD COLUMN fcc TEXT NOT NULL DEFAULT '';
    )sql",
    // 13 -> 14: a queued message that keeps no Sent copy of its own (a Bcc
    // recipient's separately encrypted copy of a message kept once)
    R"sql(
    ALTER TABLE outbox ADD COLUMN keep_copy INTEGER NOT NULL DEFAULT 1;
    )sql",
    // 14 -> 15: Autocrypt (store/autocrypt_peers): what each correspondent's
    // mail said of its key, and the account's own key
    R"sql(
    CREATE TABLE autocrypt_peers(
        account TEXT NOT NULL,
        addr TEXT NOT NULL,
        last_seen INTEGER NOT NULL,
        autocrypt_timestamp INTEGER NOT NULL,
        keydata TEXT NOT NULL,
        prefer_mutual INTEGER NOT NULL,
        gossip_timestamp INTEGER NOT NULL,
        gossip_keydata TEXT NOT NULL,
        PRIMARY KEY(account, addr));
    CREATE TABLE autocrypt_own(
        account TEXT NOT NULL,
        addr TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        keydata TEXT NOT NULL,
        prefer_mutual INTEGER NOT NULL,
        PRIMARY KEY(account, addr));
    )sql",
    // 15 -> 16: a folder's generation, for the reader's snapshot of its rows
    // (store/folder_snapshot): once a snapshot is made (begin_snapshot), the
    // first write to the fields of its rows that the reader shows moves it
    // on and marks the snapshot stale (IndexDb::folder_changed). It starts
    // random (48 bits: counting up never overflows), so that a database
    // rebuilt from scratch does not meet an old snapshot's number by chance.
    R"sql(
    ALTER TABLE folders ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE folders ADD COLUMN snapshot_stale INTEGER NOT NULL DEFAULT 1;
    UPDATE folders SET generation = random() & 0xffffffffffff;
    CREATE TRIGGER folders_generation_start AFTER INSERT ON folders BEGIN
        UPDATE folders SET generation = random() & 0xffffffffffff WHERE id = new.id;
    END;
    )sql",
    // 16 -> 17: the text index at about two thirds of its size (bench/README).
    // Bodies: the trigram index keeps its positions (a substring ~b is
    // answered by the index alone, as fast as before) but no longer its own
    // copy of the text; body_texts keeps it deflated (store/deflated_text),
    // for the regular expressions checked on the index's candidates and for
    // taking a message out of the index. Header lines: trigrams without
    // positions (detail=none, a third of the size), searched with LIKE,
    // which the trigram index narrows and SQLite checks on the stored lines.
    // The old tables go whole: the store worker's text pass indexes every
    // message again in the background; a message kept as headers only gets
    // its decoded header lines back as its block for that pass.
    R"sql(
    INSERT OR IGNORE INTO header_blocks(id, header)
        SELECT h.rowid, h.text FROM headers h JOIN messages m ON m.id = h.rowid WHERE m.file = '';
    DROP TABLE bodies;
    DROP TABLE headers;
    CREATE VIRTUAL TABLE bodies USING fts5(text, tokenize = 'trigram', content = '');
    CREATE TABLE body_texts(id INTEGER PRIMARY KEY, size INTEGER NOT NULL, deflated BLOB NOT NULL);
    CREATE VIRTUAL TABLE headers USING fts5(text, tokenize = 'trigram', detail = none);
    )sql",
    // 17 -> 18: the messages whose flags (and new/ or cur/) changed since
    // the folder's snapshot began: the reader takes those few from here onto
    // the snapshot's rows, so that reading mail (each message read is a
    // rename) does not make the next open read a million rows again
    R"sql(
    CREATE TABLE snapshot_moves(folder_id INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(folder_id, id)) WITHOUT ROWID;
    )sql",
};

std::string addresses_text(const std::string* raw) {
    if (!raw) return "";
    std::vector<std::string> out;
    for (const auto& a : parse_address_list(*raw)) out.push_back(format_address(a));
    return join(out, ", ");
}

}  // namespace

MessageRow summarize_headers(std::string_view header_bytes) { return summarize(parse_headers(header_bytes).headers); }

MessageRow summarize(const Headers& h) {
    const std::string* ct_value = h.get("Content-Type");
    const ContentType ct = ct_value ? parse_content_type(*ct_value) : ContentType();
    const std::string* charset_param = ct.params.get("charset");
    const std::string charset = charset_param ? *charset_param : "us-ascii";
    std::string from_name, from_addr, subject;
    if (const std::string* from = h.get("From")) {
        const auto list = parse_address_list(*from);
        if (!list.empty()) {
            from_name = list[0].name;
            from_addr = list[0].email;
        } else {
            from_name = decode_header_text(*from, charset);
        }
    }
    const std::string to = addresses_text(h.get("To")), cc = addresses_text(h.get("Cc"));
    if (const std::string* s = h.get("Subject")) subject = decode_header_text(*s, charset);
    auto trimmed = [&h](std::string_view name) {
        const std::string* v = h.get(name);
        return v ? trim(*v) : std::string_view();
    };
    MessageRow r({.from_name = from_name, .from_addr = from_addr, .to = to, .cc = cc, .subject = subject,
                  .message_id = trimmed("Message-ID"), .in_reply_to = trimmed("In-Reply-To"), .references = trimmed("References")});
    if (const std::string* d = h.get("Date")) r.date = parse_date(*d).value_or(0);
    if (ct_value) r.has_attachments = ct.is("multipart", "mixed") || (ct.type != "text" && ct.type != "multipart");
    return r;
}

namespace {

// Opens the database; a file that is not a database (or is corrupt) is moved
// aside to PATH.damaged (its WAL beside it) and a new one is made: the index
// can be rebuilt from the maildirs, and the old file stays for inspection.
// Any other failure (a full disk, no permission) is only reported: the file
// is sound and holds what cannot be rebuilt (the op queue, the outbox), and
// its WAL may hold committed transactions.
Database open_or_replace(const std::string& path, std::string& moved_aside) {
    try {
        Database db(path);
        db.exec("SELECT count(*) FROM sqlite_master");
        return db;
    } catch (const Failure& f) {
        if (f.kind() != ErrorKind::Damaged) throw;
        moved_aside = path + ".damaged";
        if (::rename(path.c_str(), moved_aside.c_str()) != 0) throw;
        ::rename((path + "-wal").c_str(), (moved_aside + "-wal").c_str());
        ::unlink((path + "-shm").c_str());
        return Database(path);
    }
}

}  // namespace

std::string IndexDb::path_for(const EnvLookup& env, const std::string& account) {
    const std::string dir = default_data_dir(env) + "/index";
    if (const int err = make_private_dirs(dir))
        throw Failure(ErrorKind::Io, "cannot create " + dir + ": " + std::strerror(err));
    return dir + "/" + account + ".sqlite";
}

IndexDb::IndexDb(const std::string& path) : db_(open_or_replace(path, moved_aside_)) { migrate(); }

void IndexDb::migrate() {
    const int version = db_.user_version();
    if (version > kSchemaVersion)
        throw Failure(ErrorKind::Io, "index database " + db_.path() + " has schema version " + std::to_string(version) +
                                         ", newer than this tern (" + std::to_string(kSchemaVersion) + "): update tern");
    if (version == kSchemaVersion) return;  // the usual case: no write lock taken
    // Debian builds SQLite with secure_delete on: a dropped table's every page
    // is overwritten with zeros, through the WAL (4 s for the text index of
    // 75,000 messages). A migration drops only what is built again from the
    // same mail; FAST zeroes what it can without writing more.
    const ScopedPragma fast_delete(db_, "secure_delete", "FAST");
    for (;;) {
        Transaction t(db_);
        // read again under the write lock: another connection (the reader's
        // other thread, a tern sync) may have migrated it meanwhile
        const int v = db_.user_version();
        if (v >= kSchemaVersion) return;
        db_.exec(kMigrations[static_cast<std::size_t>(v)]);
        db_.exec("PRAGMA user_version = " + std::to_string(v + 1));
        t.commit();
    }
}

std::optional<std::int64_t> IndexDb::find_folder_id(std::string_view account, std::string_view folder) {
    Statement find = db_.prepare("SELECT id FROM folders WHERE account = ?1 AND name = ?2");
    find.bind(1, account).bind(2, folder);
    if (find.step()) return find.int64(0);
    return std::nullopt;
}

std::optional<std::int64_t> IndexDb::folder_generation(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT generation FROM folders WHERE id = ?1");
    s.bind(1, folder_id);
    if (s.step()) return s.int64(0);
    return std::nullopt;
}

std::optional<std::int64_t> IndexDb::begin_snapshot(std::int64_t folder_id, bool wait) {
    std::optional<ScopedPragma> no_wait;  // the connection's busy timeout at 0 for this, back to its own after
    if (!wait) no_wait.emplace(db_, "busy_timeout", "0");
    Transaction t(db_);
    // moved on when stale, so that a reader that read the rows before (and
    // writes since, which left it as it was) sees it is behind; and when
    // moves are forgotten here, so that the snapshot they were kept for is
    // no longer taken as current (this one may be stopped before it is written)
    Statement forget = db_.prepare("DELETE FROM snapshot_moves WHERE folder_id = ?1");
    forget.bind(1, folder_id);
    forget.run();
    const bool moves_forgotten = sqlite3_changes(db_.handle()) > 0;
    Statement mark = db_.prepare("UPDATE folders SET generation = generation + 1, snapshot_stale = 0 WHERE id = ?1 AND (snapshot_stale = 1 OR ?2)");
    mark.bind(1, folder_id).bind(2, static_cast<std::int64_t>(moves_forgotten));
    mark.run();
    const auto g = folder_generation(folder_id);
    t.commit();
    return g;
}

std::int64_t IndexDb::folder_id(std::string_view account, std::string_view folder) {
    if (const auto id = find_folder_id(account, folder)) return *id;
    // another connection (the reader's UI thread and its store worker, a sync) may add it between
    // the look and the insert: then its row is the one
    Statement add = db_.prepare("INSERT INTO folders(account, name) VALUES(?1, ?2) ON CONFLICT(account, name) DO NOTHING");
    add.bind(1, account).bind(2, folder);
    add.run();
    if (const auto id = find_folder_id(account, folder)) return *id;
    throw Failure(ErrorKind::Io, "index database: folder " + std::string(folder) + " of " + std::string(account) + " could not be added");
}

namespace {

// Where a message's file is, as the reader shows it (~N, ~O): 1 new/, 2 cur/,
// 0 none (headers only); place_of reads it back.
constexpr std::string_view kPlaceColumn = "CASE substr(file, 1, 4) WHEN 'new/' THEN 1 WHEN 'cur/' THEN 2 ELSE 0 END";

struct Place {
    bool in_new, in_cur;
};
Place place_of(std::int64_t column) { return {column == 1, column == 2}; }

// The columns of a row as the reader holds it (row_from reads them);
// RowText::Order leaves the addresses out (ordering by date, size or threads
// reads none).
std::string row_columns(IndexDb::RowText text) {
    return "SELECT id, " + std::string(kPlaceColumn) + ", flags, size, date, received, " +
           (text == IndexDb::RowText::All ? "from_name, from_addr, to_addrs, cc_addrs, " : "'', '', '', '', ") +
           "subject, message_id, in_reply_to, refs, has_attachments FROM messages";
}

MessageRow row_from(const Statement& s, RowTextBlocks* blocks = nullptr) {
    MessageRow r;
    r.set_text({.from_name = s.text_view(6), .from_addr = s.text_view(7), .to = s.text_view(8), .cc = s.text_view(9),
                .subject = s.text_view(10), .message_id = s.text_view(11), .in_reply_to = s.text_view(12),
                .references = s.text_view(13)},
               blocks);
    r.id = s.int64(0);
    const Place place = place_of(s.int64(1));
    r.in_new = place.in_new;
    r.in_cur = place.in_cur;
    r.flags = Flags(static_cast<std::uint8_t>(s.int64(2)));
    r.size = s.int64(3);
    r.date = s.int64(4);
    r.received = s.int64(5);
    r.has_attachments = s.int64(14) != 0;
    return r;
}

// Reads the rows into out[begin, end), the ones past `end` (written since
// they were counted) into `overflow`; returns where it stopped.
std::size_t read_rows(Statement& s, std::vector<MessageRow>& out, std::size_t begin, std::size_t end, std::vector<MessageRow>& overflow) {
    std::size_t at = begin;
    RowTextBlocks blocks;  // one writer a thread
    while (s.step()) {
        if (at < end) out[at++] = row_from(s, &blocks);
        else overflow.push_back(row_from(s, &blocks));
    }
    return at;
}

}  // namespace

std::vector<MessageRow> IndexDb::messages(std::int64_t folder_id) {
    const std::string select = row_columns(RowText::All) + " WHERE folder_id = ?1 AND id BETWEEN ?2 AND ?3";
    Statement range = db_.prepare("SELECT count(*), min(id), max(id) FROM messages WHERE folder_id = ?1");
    range.bind(1, folder_id);
    std::vector<MessageRow> out;
    if (!range.step() || range.int64(0) == 0) return out;
    const std::int64_t count = range.int64(0), first = range.int64(1), last = range.int64(2);
    // Reading the rows is most of opening a big folder, and SQLite's part of
    // it runs on one core: a second connection on a second thread reads the
    // upper half of the ids meanwhile (a folder's ids are mostly dense),
    // into the same vector (a second one would be memory twice). Each half
    // is its own read snapshot; a write committed between the two starts
    // shows in one half only, until the next reload.
    constexpr std::int64_t kSplitAbove = 20000;
    const std::int64_t mid = count > kSplitAbove && std::thread::hardware_concurrency() > 1 ? first + (last - first) / 2 : last;
    std::size_t lower = static_cast<std::size_t>(count);
    if (mid < last) {
        Statement c = db_.prepare("SELECT count(*) FROM messages WHERE folder_id = ?1 AND id BETWEEN ?2 AND ?3");
        c.bind(1, folder_id).bind(2, first).bind(3, mid);
        if (c.step()) lower = std::min(lower, static_cast<std::size_t>(c.int64(0)));
    }
    out.resize(static_cast<std::size_t>(count));
    std::vector<MessageRow> lower_overflow, upper_overflow;
    std::size_t upper_end = lower;
    std::optional<Failure> upper_failed;
    std::thread other;
    if (mid < last)
        other = std::thread([&, path = db_.path()] {
            try {
                Database second(path);
                second.exec("PRAGMA cache_size = -256");  // one pass through the pages: no cache worth its memory
                Statement s = second.prepare(select);
                s.bind(1, folder_id).bind(2, mid + 1).bind(3, last);
                upper_end = read_rows(s, out, lower, out.size(), upper_overflow);
            } catch (const Failure& f) {
                upper_failed = f;
            }
        });
    std::size_t lower_end = 0;
    // this connection's page cache too, to 1 MB: one pass needs little
    // (the default 2 MB was part of the open's peak; 256 KB cost 5-15% of
    // the read, re-reading interior pages); later queries have it back
    try {
        const ScopedPragma small_cache(db_, "cache_size", "-1024");
        Statement s = db_.prepare(select);
        s.bind(1, folder_id).bind(2, first).bind(3, mid);
        lower_end = read_rows(s, out, 0, lower, lower_overflow);
    } catch (...) {
        if (other.joinable()) other.join();
        throw;
    }
    if (other.joinable()) other.join();
    if (upper_failed) throw *upper_failed;
    // rows removed since they were counted leave gaps; rows added go at the end
    std::move(out.begin() + static_cast<std::ptrdiff_t>(lower), out.begin() + static_cast<std::ptrdiff_t>(upper_end),
              out.begin() + static_cast<std::ptrdiff_t>(lower_end));
    out.resize(lower_end + (upper_end - lower));
    for (auto* extra : {&lower_overflow, &upper_overflow})
        for (auto& r : *extra) out.push_back(std::move(r));
    return out;
}

bool IndexDb::for_each_message(std::int64_t folder_id, const std::function<bool(MessageRow&&)>& each, RowText text) {
    // "+folder_id": the rows in id order (the primary key), not the folder index's order
    Statement s = db_.prepare(row_columns(text) + " WHERE +folder_id = ?1 ORDER BY id");
    s.bind(1, folder_id);
    while (s.step())
        if (!each(row_from(s))) return false;
    return true;
}

namespace {

// id, maildir_key, file, flags, uidvalidity, uid
std::vector<MessageLocation> read_locations(Statement& s) {
    std::vector<MessageLocation> out;
    while (s.step())
        out.push_back({s.int64(0), s.text(1), s.text(2), Flags(static_cast<std::uint8_t>(s.int64(3))), s.int64(4),
                       static_cast<std::uint32_t>(s.int64(5))});
    return out;
}

}  // namespace

std::vector<MessageLocation> IndexDb::locations(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT id, maildir_key, file, flags, uidvalidity, uid FROM messages WHERE folder_id = ?1");
    s.bind(1, folder_id);
    return read_locations(s);
}

std::uint64_t KnownFiles::hash(std::string_view text) { return Hash64().add(text).add(text.size()).value(); }  // the length: a tail byte is mixed as a word with its top bit set

const KnownFiles::Entry* KnownFiles::find(std::string_view key) const {
    const std::uint64_t h = hash(key);
    const auto it = std::lower_bound(entries_.begin(), entries_.end(), h, [](const Entry& e, std::uint64_t x) { return e.key_hash < x; });
    if (it == entries_.end() || it->key_hash != h) return nullptr;
    const bool alone = (it + 1 == entries_.end() || (it + 1)->key_hash != h);
    if (alone) return &*it;
    const auto same = std::lower_bound(same_hash_.begin(), same_hash_.end(), key,
                                       [](const std::pair<std::string, std::size_t>& p, std::string_view x) { return p.first < x; });
    return same != same_hash_.end() && same->first == key ? &entries_[same->second] : nullptr;
}

KnownFiles IndexDb::known_files(std::int64_t folder_id) {
    KnownFiles out;
    Statement size = db_.prepare("SELECT count(*) FROM messages WHERE folder_id = ?1 AND file != ''");
    size.bind(1, folder_id);
    if (size.step()) out.entries_.reserve(static_cast<std::size_t>(size.int64(0)));  // made once, not grown by doubling
    Statement s = db_.prepare("SELECT id, maildir_key, file, flags, coalesce(uid, 0) != 0 FROM messages WHERE folder_id = ?1 AND file != ''");
    s.bind(1, folder_id);
    while (s.step()) {
        KnownFiles::Entry e;
        e.key_hash = KnownFiles::hash(s.text_view(1));
        e.file_hash = KnownFiles::hash(s.text_view(2));
        e.id = s.int64(0);
        if (e.id != s.int64(0)) throw Failure(ErrorKind::Damaged, "the index's message ids are out of range: rebuild it with 'tern sync --rebuild'");
        e.flags = static_cast<std::uint8_t>(s.int64(3));
        e.mirrored = s.int64(4) != 0;
        out.entries_.push_back(e);
    }
    std::sort(out.entries_.begin(), out.entries_.end(),
              [](const KnownFiles::Entry& a, const KnownFiles::Entry& b) { return a.key_hash < b.key_hash; });
    // keys whose hashes meet (rare): kept whole, read again by id
    const auto& all = out.entries_;
    for (std::size_t i = 0, end = 0; i < all.size(); i = end) {
        for (end = i + 1; end < all.size() && all[end].key_hash == all[i].key_hash;) ++end;
        if (end - i > 1)
            for (std::size_t j = i; j < end; ++j)
                if (const auto at = location(all[j].id)) out.same_hash_.emplace_back(at->key, j);
    }
    std::sort(out.same_hash_.begin(), out.same_hash_.end());
    return out;
}

std::optional<MessageLocation> IndexDb::location(std::int64_t id) {
    Statement s = db_.prepare("SELECT id, maildir_key, file, flags, uidvalidity, uid FROM messages WHERE id = ?1");
    s.bind(1, id);
    auto all = read_locations(s);
    if (all.empty()) return std::nullopt;
    return std::move(all.front());
}

void IndexDb::set_body_file(std::int64_t id, std::string_view key, std::string_view file) {
    Statement s = db_.prepare("UPDATE messages SET maildir_key = ?1, file = ?2 WHERE id = ?3");
    s.bind(1, key).bind(2, file).bind(3, id);
    s.run();
    message_changed(id);
}

// Not triggers on messages: a statement that fires a trigger keeps a
// statement journal, and a first scan of 75,000 messages wrote 900,000
// pages of it to a temporary file (7 s instead of 4). Only the first write
// since the snapshot began writes the folder's row; the others find it
// stale already.
void IndexDb::folder_changed(std::int64_t folder_id) {
    Statement& s = cached(mark_folder_, "UPDATE folders SET generation = generation + 1, snapshot_stale = 1 WHERE id = ?1 AND snapshot_stale = 0");
    s.bind(1, folder_id);
    s.run();
}

void IndexDb::message_moved(std::int64_t id) {
    // only while a snapshot is current: a stale one is read whole again anyway
    Statement& s = cached(mark_moved_, "INSERT OR IGNORE INTO snapshot_moves(folder_id, id) SELECT m.folder_id, m.id"
                                       " FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.id = ?1 AND f.snapshot_stale = 0");
    s.bind(1, id);
    s.run();
}

std::vector<IndexDb::Moved> IndexDb::snapshot_moves(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT m.id, m.flags, " + std::string(kPlaceColumn) +
                              " FROM snapshot_moves v JOIN messages m ON m.id = v.id WHERE v.folder_id = ?1 ORDER BY m.id");
    s.bind(1, folder_id);
    std::vector<Moved> out;
    while (s.step()) {
        const Place place = place_of(s.int64(2));
        out.push_back({s.int64(0), Flags(static_cast<std::uint8_t>(s.int64(1))), place.in_new, place.in_cur});
    }
    return out;
}

std::size_t IndexDb::count_snapshot_moves(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT count(*) FROM snapshot_moves WHERE folder_id = ?1");
    s.bind(1, folder_id);
    return s.step() ? static_cast<std::size_t>(s.int64(0)) : 0;
}

void IndexDb::message_changed(std::int64_t id) {
    Statement& s = cached(mark_message_, "UPDATE folders SET generation = generation + 1, snapshot_stale = 1"
                                         " WHERE snapshot_stale = 0 AND id = (SELECT folder_id FROM messages WHERE id = ?1)");
    s.bind(1, id);
    s.run();
}

Statement& IndexDb::cached(std::optional<Statement>& slot, std::string_view sql) {
    if (!slot) slot.emplace(db_.prepare(sql));
    return *slot;
}

std::string IndexDb::scan_stamp(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT scan_stamp FROM folders WHERE id = ?1");
    s.bind(1, folder_id);
    return s.step() ? s.text(0) : std::string();
}

void IndexDb::set_scan_stamp(std::int64_t folder_id, std::string_view stamp) {
    Statement s = db_.prepare("UPDATE folders SET scan_stamp = ?1 WHERE id = ?2");
    s.bind(1, stamp).bind(2, folder_id);
    s.run();
}

namespace {
constexpr std::string_view kInsertRow =
    "INSERT INTO messages(folder_id, maildir_key, file, flags, size, date, received, from_name, from_addr,"
    " to_addrs, cc_addrs, subject, message_id, in_reply_to, refs, has_attachments)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

void bind_row(Statement& s, std::int64_t folder_id, std::string_view key, const MessageRow& r) {
    s.bind(1, folder_id).bind(2, key).bind(3, r.file()).bind(4, static_cast<std::int64_t>(r.flags.bits()));
    s.bind(5, r.size).bind(6, r.date).bind(7, r.received).bind(8, r.from_name()).bind(9, r.from_addr());
    s.bind(10, r.to()).bind(11, r.cc()).bind(12, r.subject()).bind(13, r.message_id()).bind(14, r.in_reply_to());
    s.bind(15, r.references()).bind(16, static_cast<std::int64_t>(r.has_attachments));
}
}  // namespace

std::int64_t IndexDb::insert(std::int64_t folder_id, std::string_view key, const MessageRow& r) {
    Statement& s = cached(insert_row_, kInsertRow);
    bind_row(s, folder_id, key, r);
    s.run();
    const std::int64_t id = db_.last_insert_id();
    folder_changed(folder_id);
    return id;
}

std::optional<std::int64_t> IndexDb::insert_new(std::int64_t folder_id, std::string_view key, const MessageRow& r) {
    Statement& s = cached(insert_new_row_, std::string(kInsertRow) + " ON CONFLICT(folder_id, maildir_key) DO NOTHING");
    bind_row(s, folder_id, key, r);
    s.run();
    if (sqlite3_changes(db_.handle()) == 0) return std::nullopt;
    const std::int64_t id = db_.last_insert_id();
    folder_changed(folder_id);
    return id;
}

std::vector<MessageLocation> IndexDb::without_search_text(std::int64_t folder_id, std::int64_t after, std::size_t limit) {
    // header text and body text are written together; a message without
    // header text (schema 5 and before had none) gets both
    // "+folder_id": walk the rows in id order from `after` (the primary key), not the folder's index and a
    // sort of all its rows for each batch
    Statement s = db_.prepare("SELECT id, maildir_key, file, flags, uidvalidity, uid FROM messages m WHERE +folder_id = ?1"
                              " AND id > ?2 AND NOT EXISTS (SELECT 1 FROM headers WHERE rowid = m.id) ORDER BY id LIMIT ?3");
    s.bind(1, folder_id).bind(2, after).bind(3, limit > static_cast<std::size_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(limit));
    return read_locations(s);
}

std::size_t IndexDb::count_without_search_text(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT count(*) FROM messages m WHERE folder_id = ?1 AND NOT EXISTS (SELECT 1 FROM headers WHERE rowid = m.id)");
    s.bind(1, folder_id);
    return s.step() ? static_cast<std::size_t>(s.int64(0)) : 0;
}

std::int64_t IndexDb::newest_id(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT max(id) FROM messages WHERE folder_id = ?1");
    s.bind(1, folder_id);
    return s.step() && !s.is_null(0) ? s.int64(0) : 0;
}

void IndexDb::keep_header_block(std::int64_t id, std::string_view header) {
    Statement& s = cached(insert_block_, "INSERT OR REPLACE INTO header_blocks(id, header) VALUES(?1, ?2)");
    s.bind(1, id).bind(2, header);
    s.run();
}

std::optional<std::string> IndexDb::header_block(std::int64_t id) {
    Statement s = db_.prepare("SELECT header FROM header_blocks WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

void IndexDb::drop_search_text(std::int64_t id) {
    // the contentless body index forgets a message only when told its text again
    if (const auto text = stored_body_text(id)) {
        Statement& forget = cached(delete_body_, "INSERT INTO bodies(bodies, rowid, text) VALUES('delete', ?1, ?2)");
        forget.bind(1, id).bind(2, *text);
        forget.run();
    }
    for (Statement* del : {&cached(delete_body_text_, "DELETE FROM body_texts WHERE id = ?1"),
                           &cached(delete_header_, "DELETE FROM headers WHERE rowid = ?1"),
                           &cached(delete_block_, "DELETE FROM header_blocks WHERE id = ?1")}) {
        del->bind(1, id);
        del->run();
    }
}

void IndexDb::set_search_text(std::int64_t id, std::string_view header_text, std::string_view body_text) {
    drop_search_text(id);
    Statement& body = cached(insert_body_, "INSERT INTO bodies(rowid, text) VALUES(?1, ?2)");
    body.bind(1, id).bind(2, body_text);
    body.run();
    Statement& kept = cached(insert_body_text_, "INSERT INTO body_texts(id, size, deflated) VALUES(?1, ?2, ?3)");
    kept.bind(1, id).bind(2, static_cast<std::int64_t>(body_text.size())).bind_blob(3, deflate_text(body_text));
    kept.run();
    Statement& header = cached(insert_header_, "INSERT INTO headers(rowid, text) VALUES(?1, ?2)");
    header.bind(1, id).bind(2, header_text);
    header.run();
}

std::string IndexDb::stored_text(std::optional<Statement>& slot, std::string_view sql, std::int64_t id) {
    Statement& s = cached(slot, sql);
    s.bind(1, id);
    std::string text = s.step() ? s.text(0) : std::string();
    s.reset();
    return text;
}

std::string IndexDb::file_of(std::int64_t id) { return stored_text(select_file_, "SELECT file FROM messages WHERE id = ?1", id); }

std::optional<std::string> IndexDb::stored_body_text(std::int64_t id) {
    Statement& s = cached(select_body_, "SELECT size, deflated FROM body_texts WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        s.reset();
        return std::nullopt;
    }
    const auto size = static_cast<std::size_t>(s.int64(0));
    const std::string deflated(s.blob_view(1));
    s.reset();  // before inflating, which throws on damaged text: the statement is ready for the next message
    return inflate_text(deflated, size);
}

std::string IndexDb::body_text(std::int64_t id) { return stored_body_text(id).value_or(std::string()); }

std::string IndexDb::header_text(std::int64_t id) {
    return stored_text(select_header_, "SELECT text FROM headers WHERE rowid = ?1", id);
}

std::optional<std::vector<std::int64_t>> IndexDb::search_text(std::string_view text, char part) {
    if (text.size() < 3) return std::nullopt;  // a trigram index needs three characters
    std::vector<std::int64_t> ids;
    if (part != 'b') {
        // Header lines: LIKE, which FTS5 answers from the trigrams (without
        // positions) and SQLite checks on each candidate's stored lines; it
        // folds ASCII case, as the pattern's own check does. With an ESCAPE
        // clause FTS5 would not use its index, so '%' and '_' stay wildcards
        // ('_' for both, a superset) and instr() on the lowered text checks
        // those few searches exactly.
        std::string like = "%";
        bool wild = false;
        for (const char c : text) {
            wild = wild || c == '%' || c == '_';
            like += c == '%' ? '_' : c;
        }
        like += '%';
        Statement s = db_.prepare(wild ? "SELECT rowid FROM headers WHERE text LIKE ?1 AND instr(lower(text), lower(?2)) > 0"
                                       : "SELECT rowid FROM headers WHERE text LIKE ?1");
        s.bind(1, like);
        if (wild) s.bind(2, text);
        while (s.step()) ids.push_back(s.int64(0));
    }
    if (part != 'h') {
        // bodies: one quoted FTS5 string, with trigrams and their positions a substring query
        std::string q = "\"";
        for (const char c : text) {
            if (c == '"') q += '"';
            q += c;
        }
        q += "\"";
        Statement s = db_.prepare("SELECT rowid FROM bodies WHERE bodies MATCH ?1");
        s.bind(1, q);
        while (s.step()) ids.push_back(s.int64(0));
    }
    return ids;
}

IndexDb::SyncState IndexDb::sync_state(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT uidvalidity, uidnext, highestmodseq FROM folders WHERE id = ?1");
    s.bind(1, folder_id);
    SyncState state;
    if (s.step()) state = {s.int64(0), s.int64(1), s.int64(2)};
    return state;
}

void IndexDb::set_sync_state(std::int64_t folder_id, const SyncState& state) {
    Statement s = db_.prepare("UPDATE folders SET uidvalidity = ?1, uidnext = ?2, highestmodseq = ?3 WHERE id = ?4");
    s.bind(1, state.uidvalidity).bind(2, state.uidnext).bind(3, state.highest_modseq).bind(4, folder_id);
    s.run();
}

std::vector<IndexDb::Mirrored> IndexDb::mirrored(std::int64_t folder_id, std::int64_t uidvalidity) {
    Statement s = db_.prepare("SELECT id, uid, maildir_key, file, flags, server_flags, flags_pushing FROM messages"
                              " WHERE folder_id = ?1 AND uidvalidity = ?2 AND uid IS NOT NULL");
    s.bind(1, folder_id).bind(2, uidvalidity);
    std::vector<Mirrored> out;
    while (s.step()) {
        out.push_back({s.int64(0), static_cast<std::uint32_t>(s.int64(1)), s.text(2), s.text(3),
                       Flags(static_cast<std::uint8_t>(s.int64(4))), Flags(static_cast<std::uint8_t>(s.int64(5))), std::nullopt});
        if (!s.is_null(6)) {
            const std::int64_t push = s.int64(6);
            out.back().pushing = FlagPush{Flags(static_cast<std::uint8_t>(push >> 8)), Flags(static_cast<std::uint8_t>(push & 0xff))};
        }
    }
    return out;
}

std::vector<IndexDb::LocalOnly> IndexDb::local_only(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT id, maildir_key, file, message_id, flags, received, size, carried FROM messages"
                              " WHERE folder_id = ?1 AND uid IS NULL ORDER BY id");
    s.bind(1, folder_id);
    std::vector<LocalOnly> out;
    while (s.step())
        out.push_back({s.int64(0), s.text(1), s.text(2), s.text(3), Flags(static_cast<std::uint8_t>(s.int64(4))), s.int64(5), s.int64(6),
                       s.int64(7) != 0});
    return out;
}

void IndexDb::set_carried(std::int64_t id) {
    Statement s = db_.prepare("UPDATE messages SET carried = 1 WHERE id = ?1");
    s.bind(1, id);
    s.run();
}

std::size_t IndexDb::unseen_count(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT count(*) FROM messages WHERE folder_id = ?1 AND (flags & ?2) = 0");
    s.bind(1, folder_id).bind(2, static_cast<std::int64_t>(Flags::Seen));
    return s.step() ? static_cast<std::size_t>(s.int64(0)) : 0;
}

IndexDb::FolderCounts IndexDb::folder_counts(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT count(*), sum((flags & ?2) = 0) FROM messages WHERE folder_id = ?1");
    s.bind(1, folder_id).bind(2, static_cast<std::int64_t>(Flags::Seen));
    FolderCounts c;
    if (s.step()) {
        c.total = static_cast<std::size_t>(s.int64(0));
        c.unread = static_cast<std::size_t>(s.int64(1));
    }
    return c;
}

bool IndexDb::has_uid(std::int64_t folder_id, std::int64_t uidvalidity, std::uint32_t uid) {
    Statement s = db_.prepare("SELECT 1 FROM messages WHERE folder_id = ?1 AND uidvalidity = ?2 AND uid = ?3");
    s.bind(1, folder_id).bind(2, uidvalidity).bind(3, static_cast<std::int64_t>(uid));
    return s.step();
}

void IndexDb::set_server_state(std::int64_t id, std::int64_t uidvalidity, std::uint32_t uid, Flags server_flags) {
    Statement s = db_.prepare("UPDATE messages SET uidvalidity = ?1, uid = ?2, server_flags = ?3, flags_pushing = NULL WHERE id = ?4");
    s.bind(1, uidvalidity).bind(2, static_cast<std::int64_t>(uid)).bind(3, static_cast<std::int64_t>(server_flags.bits())).bind(4, id);
    s.run();
}

void IndexDb::set_server_flags(std::int64_t id, Flags server_flags) {
    Statement s = db_.prepare("UPDATE messages SET server_flags = ?1, flags_pushing = NULL WHERE id = ?2");
    s.bind(1, static_cast<std::int64_t>(server_flags.bits())).bind(2, id);
    s.run();
}

void IndexDb::set_flags_pushing(std::int64_t id, const FlagPush& push) {
    Statement s = db_.prepare("UPDATE messages SET flags_pushing = ?1 WHERE id = ?2");
    s.bind(1, std::int64_t{push.mask.bits()} << 8 | push.value.bits()).bind(2, id);
    s.run();
}

// The op queue's payload is "FOLDER_ID UIDVALIDITY UID MESSAGE-ID SIZE KEY"
// (MESSAGE-ID "-" when there is none; the key last, as it may hold spaces);
// earlier tern wrote "FOLDER_ID UIDVALIDITY UID [MESSAGE-ID]". The account
// column names the folder's account, for reports.
void IndexDb::queue_op(std::int64_t folder_id, std::string_view kind, std::int64_t uidvalidity, std::uint32_t uid,
                       std::string_view message_id, std::int64_t size, std::string_view key) {
    Statement s = db_.prepare("INSERT INTO op_queue(account, kind, payload, created)"
                              " SELECT account, ?2, ?3, strftime('%s', 'now') FROM folders WHERE id = ?1");
    const bool one_word = !message_id.empty() && split_words(message_id).size() == 1 && message_id != "-";
    const std::string payload = std::to_string(folder_id) + " " + std::to_string(uidvalidity) + " " + std::to_string(uid) + " " +
                                (one_word ? std::string(message_id) : std::string("-")) + " " + std::to_string(size) + " " +
                                std::string(key);
    s.bind(1, folder_id).bind(2, kind).bind(3, payload);
    s.run();
}

IndexDb::Identity IndexDb::identity(std::int64_t id) {
    Statement s = db_.prepare("SELECT message_id, size FROM messages WHERE id = ?1");
    s.bind(1, id);
    Identity out;
    if (s.step()) out = {s.text(0), s.int64(1)};
    return out;
}

std::vector<IndexDb::ServerCopy> IndexDb::server_copies(std::string_view account, std::string_view message_id, std::int64_t except_folder) {
    Statement s = db_.prepare("SELECT m.folder_id, m.uidvalidity, m.uid, m.file FROM messages m JOIN folders f ON m.folder_id = f.id"
                              " WHERE m.message_id = ?1 AND f.account = ?2 AND m.folder_id != ?3 AND m.uid IS NOT NULL");
    s.bind(1, message_id).bind(2, account).bind(3, except_folder);
    std::vector<ServerCopy> out;
    while (s.step()) out.push_back({s.int64(0), s.int64(1), static_cast<std::uint32_t>(s.int64(2)), s.text(3)});
    return out;
}

std::vector<IndexDb::QueuedOp> IndexDb::queued_ops(std::int64_t folder_id) {
    Statement s = db_.prepare("SELECT id, kind, payload FROM op_queue WHERE payload LIKE ?1 ORDER BY id");
    s.bind(1, std::to_string(folder_id) + " %");
    std::vector<QueuedOp> out;
    while (s.step()) {
        QueuedOp op;
        op.id = s.int64(0);
        op.kind = s.text(1);
        const std::string payload = s.text(2);
        const auto parts = split_words(payload);
        if (parts.size() < 3) continue;
        if (parts.size() == 4) op.message_id = parts[3];  // written by an earlier tern
        if (parts.size() >= 5) {
            if (parts[3] != "-") op.message_id = parts[3];
            op.size = std::stoll(parts[4]);
            // the key is what follows the fifth field's space
            std::size_t at = 0;
            for (int field = 0; field < 5 && at != std::string::npos; ++field) at = payload.find(' ', payload.find_first_not_of(' ', at));
            if (at != std::string::npos) op.key = payload.substr(at + 1);
        }
        op.folder_id = std::stoll(parts[0]);
        op.uidvalidity = std::stoll(parts[1]);
        op.uid = static_cast<std::uint32_t>(std::stoul(parts[2]));
        if (op.folder_id == folder_id) out.push_back(std::move(op));
    }
    return out;
}

std::string IndexDb::role_folder(std::string_view account, std::string_view role) {
    Statement s = db_.prepare("SELECT folder FROM folder_roles WHERE account = ?1 AND role = ?2");
    s.bind(1, account).bind(2, role);
    return s.step() ? s.text(0) : std::string();
}

void IndexDb::set_role_folder(std::string_view account, std::string_view role, std::string_view folder) {
    Statement s = db_.prepare("INSERT OR REPLACE INTO folder_roles(account, role, folder) VALUES(?1, ?2, ?3)");
    s.bind(1, account).bind(2, role).bind(3, folder);
    s.run();
}

void IndexDb::drop_ops_for(std::int64_t folder_id, std::int64_t uidvalidity, std::uint32_t uid) {
    for (const auto& op : queued_ops(folder_id))
        if (op.uidvalidity == uidvalidity && op.uid == uid) drop_op(op.id);
}

void IndexDb::drop_op(std::int64_t id) {
    Statement s = db_.prepare("DELETE FROM op_queue WHERE id = ?1");
    s.bind(1, id);
    s.run();
}

void IndexDb::forget_account(std::string_view account) {
    Transaction t(db_);
    Statement others = db_.prepare("SELECT 1 FROM messages m JOIN folders f ON m.folder_id = f.id WHERE f.account != ?1 LIMIT 1");
    others.bind(1, account);
    if (!others.step()) {
        // the usual case (a database per account): the text index emptied whole, without reading
        // a million texts back to tell the contentless body index each one (and a damaged text
        // cannot stop the rebuild its error advises)
        db_.exec("INSERT INTO bodies(bodies) VALUES('delete-all'); DELETE FROM body_texts; DELETE FROM headers");
    } else {
        Statement ids = db_.prepare("SELECT m.id FROM messages m JOIN folders f ON m.folder_id = f.id WHERE f.account = ?1");
        ids.bind(1, account);
        std::vector<std::int64_t> all;
        while (ids.step()) all.push_back(ids.int64(0));
        for (const std::int64_t id : all) drop_search_text(id);
    }
    Statement rows = db_.prepare("DELETE FROM messages WHERE folder_id IN (SELECT id FROM folders WHERE account = ?1)");
    rows.bind(1, account);
    rows.run();
    Statement state = db_.prepare("UPDATE folders SET uidvalidity = NULL, uidnext = NULL, highestmodseq = NULL, scan_stamp = '',"
                                  " generation = generation + 1, snapshot_stale = 1 WHERE account = ?1");
    state.bind(1, account);
    state.run();
    t.commit();
}

void IndexDb::update_location(std::int64_t id, std::string_view file, Flags flags) {
    Statement s = db_.prepare("UPDATE messages SET file = ?1, flags = ?2 WHERE id = ?3");
    s.bind(1, file).bind(2, static_cast<std::int64_t>(flags.bits())).bind(3, id);
    s.run();
    message_moved(id);  // flags and new/ or cur/: the snapshot's rows stay, patched by the reader
}

void IndexDb::remove(std::int64_t id) {
    message_changed(id);  // first: it asks the row for its folder
    drop_search_text(id);
    Statement s = db_.prepare("DELETE FROM messages WHERE id = ?1");
    s.bind(1, id);
    s.run();
}

AutocryptPeers& IndexDb::autocrypt_of_folder(std::int64_t folder_id) {
    auto it = folder_accounts_.find(folder_id);
    if (it == folder_accounts_.end()) {
        Statement s = db_.prepare("SELECT account FROM folders WHERE id = ?1");
        s.bind(1, folder_id);
        it = folder_accounts_.emplace(folder_id, s.step() ? s.text(0) : std::string()).first;
    }
    return autocrypt(it->second);
}

AutocryptPeers& IndexDb::autocrypt(const std::string& account) {
    auto& peers = autocrypt_[account];
    if (!peers) peers = std::make_unique<AutocryptPeers>(db_, account);
    return *peers;
}

}  // namespace tern
