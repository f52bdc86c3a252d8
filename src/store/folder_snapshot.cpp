#include "store/folder_snapshot.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "store/index_db.hpp"
#include "store/index_view.hpp"
#include "store/thread_patch.hpp"
#include "util/files.hpp"
#include "util/hash64.hpp"
#include "util/mapped_file.hpp"

namespace tern {
namespace {

// The layout, in this machine's byte order (the file never leaves it):
//   header  magic, version, generation, row count, sort, sort_aux, order count
//   rows    id, size, date, received (8 bytes each), flags, bits (1 each),
//           the lengths of the eight text fields after the file (2 each), the text
//   order   row, depth (4 bytes each), branches (8), bits (1: last,
//           missing parent, the thread's first row, joined by subject)
//   trailer end magic, a checksum of everything before the trailer (8),
//           the file's size (8)
constexpr std::string_view kMagic = "TERNROW1", kEndMagic = "TERNEND1";
constexpr std::uint32_t kVersion = 3;  // 3: threads tied on date by their lowest row, replies joined by subject to the latest original, both marked
constexpr std::size_t kTextFields = 8;  // from_name .. references: the reader's rows have no file name

template <class T>
void put(std::string& out, T value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void put_text(std::string& out, std::string_view s) {
    put(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
}

// Reads the file front to back; any length that runs past its end makes it `bad`.
class Cursor {
public:
    explicit Cursor(std::string_view data) : data_(data) {}
    template <class T>
    T get() {
        T value{};
        if (!take(sizeof value)) return value;
        std::memcpy(&value, data_.data() + at_ - sizeof value, sizeof value);
        return value;
    }
    std::string_view bytes(std::size_t n) { return take(n) ? data_.substr(at_ - n, n) : std::string_view(); }
    std::string_view text() { return bytes(get<std::uint32_t>()); }
    bool bad() const { return bad_; }
    std::size_t at() const { return at_; }

private:
    bool take(std::size_t n) {
        if (bad_ || n > data_.size() - at_) return !(bad_ = true);
        at_ += n;
        return true;
    }
    std::string_view data_;
    std::size_t at_ = 0;
    bool bad_ = false;
};

// The header up to the row count; nothing when it is not a snapshot of this version.
struct Header {
    std::int64_t generation = 0;
    std::uint64_t rows = 0;
};
std::optional<Header> read_header(Cursor& c) {
    if (c.bytes(kMagic.size()) != kMagic || c.get<std::uint32_t>() != kVersion) return std::nullopt;
    Header h;
    h.generation = c.get<std::int64_t>();
    h.rows = c.get<std::uint64_t>();
    if (c.bad()) return std::nullopt;
    return h;
}

// One row as the file holds it; the text views point into the file.
struct RowRecord {
    std::int64_t id = 0, size = 0, date = 0, received = 0;
    std::uint8_t flags = 0, bits = 0;
    std::string_view fields[kTextFields];  // from_name, from_addr, to, cc, subject, message_id, in_reply_to, references
    ThreadInput thread_input() const { return {fields[5], fields[7], fields[6], fields[4], date}; }
};
bool read_row(Cursor& c, RowRecord& r) {
    r.id = c.get<std::int64_t>();
    r.size = c.get<std::int64_t>();
    r.date = c.get<std::int64_t>();
    r.received = c.get<std::int64_t>();
    r.flags = c.get<std::uint8_t>();
    r.bits = c.get<std::uint8_t>();
    std::uint16_t lengths[kTextFields];
    for (auto& n : lengths) n = c.get<std::uint16_t>();
    for (std::size_t i = 0; i < kTextFields; ++i) r.fields[i] = c.bytes(lengths[i]);
    return !c.bad();
}

bool read_order_entry(Cursor& c, ThreadRow& e) {
    e.row = c.get<std::uint32_t>();
    e.shape.depth = c.get<std::uint32_t>();
    e.shape.branches = c.get<std::uint64_t>();
    const auto bits = c.get<std::uint8_t>();
    e.shape.last = bits & 1;
    e.shape.missing_parent = (bits & 2) != 0;
    e.shape.thread_start = (bits & 4) != 0;
    e.shape.gathered = (bits & 8) != 0;
    return !c.bad();
}

}  // namespace

std::string folder_snapshot_path(const std::string& db_path, std::int64_t folder_id) {
    return db_path + ".rows-" + std::to_string(folder_id);
}

namespace {

// What a snapshot file is written from: its header, the rows one at a
// time (`rows` hands each to the function it is given, which says false to
// stop; it returns false when it could not give them all) and the order.
struct SnapshotSource {
    std::int64_t generation = 0;
    std::uint64_t count = 0;
    std::string_view sort, sort_aux;
    std::function<bool(const std::function<bool(const MessageRow&)>&)> rows;
    // the order's entries the same way (count of them: 0 or `count`)
    std::uint64_t order_count = 0;
    std::function<bool(const std::function<bool(const ThreadRow&)>&)> order;
};

std::function<bool(const std::function<bool(const ThreadRow&)>&)> entries_of(const std::vector<ThreadRow>& order) {
    return [&order](const std::function<bool(const ThreadRow&)>& each) {
        for (const ThreadRow& e : order)
            if (!each(e)) return false;
        return true;
    };
}

int write_snapshot(const std::string& path, const SnapshotSource& source, const std::function<bool()>& stop) {
    const std::string temporary = path + ".tmp" + std::to_string(::getpid());
    std::uint64_t written = 0;
    Hash64 sum;  // a checksum: damage is found (no defence against anyone who can write the file, who could write the index too)
    const int err = write_new_file_by_pieces(temporary, 0600, true, [&](const PieceWriter& write) {
        std::string buffer;
        // pieces of whole 8-byte words until the last, so that the checksum's steps fall where the reader's do
        const auto flush = [&](bool always) {
            if (!always && buffer.size() < (1 << 20)) return true;
            const std::size_t n = always ? buffer.size() : buffer.size() & ~std::size_t{7};
            sum.add(std::string_view(buffer).substr(0, n));
            written += n;
            const bool ok = write(std::string_view(buffer).substr(0, n));
            buffer.erase(0, n);
            return ok;
        };
        buffer.append(kMagic);
        put(buffer, kVersion);
        put(buffer, source.generation);
        put(buffer, source.count);
        put_text(buffer, source.sort);
        put_text(buffer, source.sort_aux);
        put(buffer, source.order_count);
        std::uint64_t count = 0;
        const bool all = source.rows([&](const MessageRow& r) {
            put(buffer, r.id);
            put(buffer, r.size);
            put(buffer, r.date);
            put(buffer, r.received);
            put(buffer, r.flags.bits());
            put(buffer, static_cast<std::uint8_t>(r.has_attachments | r.in_new << 1 | r.in_cur << 2));
            const MessageText t = r.text();
            const std::string_view fields[kTextFields] = {t.from_name, t.from_addr, t.to, t.cc, t.subject, t.message_id, t.in_reply_to, t.references};
            for (const auto f : fields) put(buffer, static_cast<std::uint16_t>(f.size()));
            for (const auto f : fields) buffer.append(f);
            return flush(false) && ++count <= source.count && !(stop && count % 4096 == 1 && stop());
        });
        if (!all || count != source.count) return false;
        if (source.order_count) {
            std::uint64_t entries = 0;
            const bool whole = source.order([&](const ThreadRow& e) {
                put(buffer, static_cast<std::uint32_t>(e.row));
                put(buffer, static_cast<std::uint32_t>(e.shape.depth));
                put(buffer, e.shape.branches);
                put(buffer, static_cast<std::uint8_t>(e.shape.last | e.shape.missing_parent << 1 | e.shape.thread_start << 2 | e.shape.gathered << 3));
                return flush(false) && ++entries <= source.order_count;
            });
            if (!whole || entries != source.order_count) return false;
        }
        if (!flush(true)) return false;
        buffer.append(kEndMagic);
        put(buffer, sum.value());
        put(buffer, static_cast<std::uint64_t>(written + buffer.size() + sizeof(std::uint64_t)));
        return write(buffer);
    }, false);  // no fsync: a crash can leave it half written, which its checksum finds (and the reader removes it)
    if (err) return err;
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(temporary.c_str());
        return e;
    }
    return 0;
}

}  // namespace

int write_folder_snapshot(const std::string& path, const FolderSnapshot& snapshot) {
    SnapshotSource source{snapshot.generation, snapshot.rows.size(), snapshot.sort, snapshot.sort_aux, {}, 0, {}};
    source.rows = [&snapshot](const std::function<bool(const MessageRow&)>& each) {
        for (const MessageRow& r : snapshot.rows)
            if (!each(r)) return false;
        return true;
    };
    source.order_count = snapshot.order.size();
    source.order = entries_of(snapshot.order);
    return write_snapshot(path, source, {});
}

std::optional<FolderSnapshotHeader> read_folder_snapshot_header(const std::string& path) {
    const auto bytes = read_file_head(path, 4096);
    if (!bytes) return std::nullopt;
    Cursor c(*bytes);
    const auto h = read_header(c);
    if (!h) return std::nullopt;
    FolderSnapshotHeader out{h->generation, std::string(c.text()), std::string(c.text())};
    if (c.bad()) return std::nullopt;
    return out;
}

namespace {

// A snapshot file found whole (its trailer, size and checksum), mapped,
// with its header read and the cursor at its first row.
struct CheckedSnapshot {
    MappedFile file;
    Header header;
    std::string_view sort, sort_aux;
    std::uint64_t order_count = 0;
    std::size_t rows_at = 0;  // where the rows begin
    std::string_view body;    // the file without its trailer
    Cursor rows() const {
        Cursor c(body);
        c.bytes(rows_at);
        return c;
    }
};

// The file when it is whole and (when `generation` is given) of that
// generation; `damaged` says whether a file there was not whole.
std::optional<CheckedSnapshot> open_checked(const std::string& path, const std::int64_t* generation, bool& damaged) {
    auto file = MappedFile::open(path);
    if (!file) return std::nullopt;
    const std::string_view data = file->view();
    // the trailer first: a file cut short or damaged is not read at all
    constexpr std::size_t kTrailer = kEndMagic.size() + 2 * sizeof(std::uint64_t);
    damaged = true;  // until the checks below say otherwise
    if (data.size() < kTrailer || data.substr(data.size() - kTrailer, kEndMagic.size()) != kEndMagic) return std::nullopt;
    std::uint64_t checksum = 0, size = 0;
    std::memcpy(&checksum, data.data() + data.size() - 2 * sizeof size, sizeof size);
    std::memcpy(&size, data.data() + data.size() - sizeof size, sizeof size);
    if (size != data.size()) return std::nullopt;
    const std::string_view body = data.substr(0, data.size() - kTrailer);
    Cursor c(body);
    const auto h = read_header(c);
    if (!h) return std::nullopt;
    // the header's generation before the whole file's checksum: an old snapshot costs no pass over it
    if (generation && h->generation != *generation) return damaged = false, std::nullopt;
    Hash64 sum;
    constexpr std::size_t kWindow = 8 << 20;  // a multiple of 8: the writer's steps
    for (std::size_t at = 0; at < body.size(); at += kWindow) {
        sum.add(body.substr(at, std::min(kWindow, body.size() - at)));
        file->release(at, kWindow);  // read once here, once more after: neither pass keeps the file resident
    }
    if (sum.value() != checksum) return std::nullopt;
    // whole: what could still fail below is damage as well
    CheckedSnapshot out{std::move(*file), *h, {}, {}, 0, 0, body};
    out.sort = c.text();
    out.sort_aux = c.text();
    out.order_count = c.get<std::uint64_t>();
    out.rows_at = c.at();
    // every row takes at least its fixed part: a count the file cannot hold is damage, not a reason to allocate
    constexpr std::size_t kFixed = 4 * 8 + 2 + kTextFields * 2;
    if (c.bad() || h->rows > body.size() / kFixed || (out.order_count != 0 && out.order_count != h->rows)) return std::nullopt;
    damaged = false;
    return out;
}

// Gives back the pages of the file read up to `at` (8 MB at a time), so that reading it does not add to the peak.
class PageReturner {
public:
    explicit PageReturner(const MappedFile& file, std::size_t from = 0) : file_(file), released_(from & ~std::size_t{4095}) {}
    void at(std::size_t at) {
        if (at - released_ <= (8 << 20)) return;
        file_.release(released_, at - released_);
        released_ = at & ~std::size_t{4095};
    }

private:
    const MappedFile& file_;
    std::size_t released_;
};

std::optional<FolderSnapshot> read_snapshot(const std::string& path, std::int64_t generation, const std::string& sort,
                                            const std::string& sort_aux, bool& damaged) {
    const auto checked = open_checked(path, &generation, damaged);
    if (!checked) return std::nullopt;
    damaged = true;  // whole and of this generation: what fails below is damage
    FolderSnapshot snap;
    snap.generation = checked->header.generation;
    snap.rows.resize(checked->header.rows);
    Cursor c = checked->rows();
    PageReturner pages(checked->file);
    RowTextBlocks blocks;
    RowRecord record;
    for (MessageRow& r : snap.rows) {
        if (!read_row(c, record)) return std::nullopt;
        r.id = record.id;
        r.size = record.size;
        r.date = record.date;
        r.received = record.received;
        r.flags = Flags(record.flags);
        const auto* f = record.fields;
        r.set_text({.from_name = f[0], .from_addr = f[1], .to = f[2], .cc = f[3], .subject = f[4], .message_id = f[5], .in_reply_to = f[6],
                    .references = f[7]},
                   &blocks);
        r.has_attachments = record.bits & 1;
        r.in_new = record.bits & 2;
        r.in_cur = record.bits & 4;
        pages.at(c.at());  // the pages read are read once
    }
    if (checked->sort == sort && checked->sort_aux == sort_aux && checked->order_count) {
        snap.sort = sort;
        snap.sort_aux = sort_aux;
        snap.order.resize(checked->order_count);
        for (ThreadRow& e : snap.order)
            if (!read_order_entry(c, e) || e.row >= snap.rows.size()) return std::nullopt;
    }
    damaged = false;
    return snap;
}

}  // namespace

std::optional<FolderSnapshot> read_folder_snapshot(const std::string& path, std::int64_t generation,
                                                   const std::string& sort, const std::string& sort_aux) {
    bool damaged = false;
    auto snap = read_snapshot(path, generation, sort, sort_aux, damaged);
    // a damaged file is removed: the store worker, which writes a snapshot
    // only when the one there is not current, then writes it again
    if (!snap && damaged) ::unlink(path.c_str());
    return snap;
}

std::size_t apply_snapshot_moves(IndexDb& index, std::int64_t folder_id, std::vector<MessageRow>& rows) {
    std::size_t changed = 0;
    for (const IndexDb::Moved& m : index.snapshot_moves(folder_id)) {
        const auto it = std::lower_bound(rows.begin(), rows.end(), m.id, [](const MessageRow& r, std::int64_t id) { return r.id < id; });
        if (it == rows.end() || it->id != m.id) continue;  // not in the snapshot: then the generation moved on too
        if (it->flags == m.flags && it->in_new == m.in_new && it->in_cur == m.in_cur) continue;
        it->flags = m.flags;
        it->in_new = m.in_new;
        it->in_cur = m.in_cur;
        ++changed;
    }
    return changed;
}

void RowsFingerprint::add(const MessageRow& r) {
    Hash64 h;
    h.add(hash_).add(static_cast<std::uint64_t>(r.id)).add(static_cast<std::uint64_t>(r.size));
    h.add(static_cast<std::uint64_t>(r.date)).add(static_cast<std::uint64_t>(r.received));
    h.add(r.flags.bits() | std::uint64_t{r.has_attachments} << 8 | std::uint64_t{r.in_new} << 9 | std::uint64_t{r.in_cur} << 10);
    // each field's length before it: "ab","c" and "a","bc" differ
    for (const std::string_view f : {r.from_name(), r.from_addr(), r.to(), r.cc(), r.subject(), r.message_id(), r.in_reply_to(), r.references()})
        h.add(f.size()).add(f);
    hash_ = h.value();
}

SnapshotSeed make_snapshot_seed(const std::vector<MessageRow>& rows, const std::vector<ThreadRow>& order, std::string sort,
                                std::string sort_aux) {
    RowsFingerprint fingerprint;
    for (const MessageRow& r : rows) fingerprint.add(r);
    return {std::move(sort), std::move(sort_aux), fingerprint.value(), order};
}

namespace {

// Writes the snapshot from `source`, then checks that the database did not
// move on while it was read. Returns whether the file is there. `declined`:
// the source gave up on its own (not the rows it wanted), not a failure.
bool write_checked(IndexDb& index, std::int64_t folder_id, const std::string& path, const SnapshotSource& source,
                   const std::function<bool()>& stopped, const bool& gave_up, const bool* declined = nullptr) {
    if (const int err = write_snapshot(path, source, stopped)) {
        if (gave_up || (declined && *declined)) return false;
        if (err == EIO && index.folder_generation(folder_id) != source.generation) return false;  // rows written meanwhile: the next refresh
        throw Failure(ErrorKind::Io, "cannot write " + path + ": " + std::strerror(err));
    }
    // the reads are several read transactions: the same generation after
    // them means no write came between, so they are the rows of that
    // generation (else the file is of no use: removed, for the next refresh)
    if (index.folder_generation(folder_id) != source.generation) {
        ::unlink(path.c_str());
        return false;
    }
    return true;
}

// Rows whose threading inputs changed, and old threads rethreaded, past which the whole folder is threaded again.
constexpr std::size_t kPatchMaxChanged = 50000, kPatchMaxRethreaded = 50000;

enum class Patched { Written, NotWritten, Declined };

// The snapshot written again from the one there (of an older generation,
// for the same threaded sort) and the database's rows: only the rows
// whose threading changed, and the threads they reach, threaded again
// (store/thread_patch). Declined when there is no such snapshot or too much
// changed: then the whole folder is threaded.
Patched patch_snapshot(IndexDb& index, std::int64_t folder_id, const std::string& path, std::int64_t generation, const std::string& sort,
                       const std::string& sort_aux, const std::function<bool()>& stopped, const bool& gave_up, SnapshotRefresh* how) {
    const auto threads = thread_ordering(sort, sort_aux);
    if (!threads) return Patched::Declined;
    bool damaged = false;
    const auto old = open_checked(path, nullptr, damaged);
    if (!old || old->sort != sort || old->sort_aux != sort_aux || old->order_count != old->header.rows || old->header.rows >= kRowGone)
        return Patched::Declined;
    ThreadPatch patch;
    patch.old_count = old->header.rows;
    patch.new_index.assign(patch.old_count, kRowGone);
    // the database's rows beside the old ones, both in id order: which were kept, which are new or changed
    std::vector<MessageRow> added_rows;
    std::vector<std::uint32_t> added_at;
    std::size_t order_at = 0;  // where the old order begins
    {
        Cursor c = old->rows();
        PageReturner pages(old->file);
        RowRecord o;
        std::size_t i = 0, gone = 0;
        bool have = patch.old_count > 0 && read_row(c, o), declined = false;
        const auto next_old = [&] {
            ++i;
            have = i < patch.old_count && read_row(c, o);
            pages.at(c.at());
        };
        std::uint32_t n = 0;
        const bool read = index.for_each_message(
            folder_id,
            [&](MessageRow&& r) {
                for (; have && o.id < r.id; next_old()) ++gone;  // no longer in the folder
                const bool same_id = have && o.id == r.id;
                if (same_id && o.thread_input() == thread_input(r)) {
                    patch.new_index[i] = n;
                } else {
                    gone += same_id;  // changed: the old one goes, the new one is added
                    added_at.push_back(n);
                    added_rows.push_back(std::move(r));
                }
                if (same_id) next_old();
                if (++n == kRowGone || gone + added_rows.size() > kPatchMaxChanged) return !(declined = true);
                return n % 4096 != 0 || !stopped();
            },
            IndexDb::RowText::Order);
        if (declined) return Patched::Declined;
        if (!read || stopped()) return Patched::NotWritten;
        while (have) next_old();
        if (i != patch.old_count || c.bad()) return Patched::Declined;
        order_at = c.at();
        patch.new_count = n;
    }
    for (std::size_t k = 0; k < added_rows.size(); ++k) patch.added.emplace_back(added_at[k], thread_input(added_rows[k]));
    patch.old_rows = [&](const std::function<void(std::size_t, const ThreadInput&)>& each) {
        Cursor c = old->rows();
        PageReturner pages(old->file);
        RowRecord o;
        for (std::size_t i = 0; i < patch.old_count && read_row(c, o); ++i) {
            each(i, o.thread_input());
            pages.at(c.at());
        }
    };
    patch.old_order = [&](const std::function<bool(const ThreadRow&)>& each) {
        Cursor c(old->body);
        c.bytes(order_at);
        PageReturner pages(old->file, order_at);
        ThreadRow e;
        for (std::size_t k = 0; k < patch.old_count; ++k) {
            if (!read_order_entry(c, e) || !each(e)) return false;
            pages.at(c.at());
        }
        return true;
    };
    patch.stop = stopped;
    const auto plan = plan_thread_patch(patch, threads->order, threads->reverse, kPatchMaxRethreaded);
    if (!plan) return stopped() ? Patched::NotWritten : Patched::Declined;
    if (how) *how = {true, plan->rethreaded};
    if (stopped()) return Patched::NotWritten;
    SnapshotSource source{generation, patch.new_count, sort, sort_aux, {}, patch.new_count, {}};
    source.rows = [&](const std::function<bool(const MessageRow&)>& each) {
        std::size_t at = 0;
        // as many rows as the order has (a row written since would change the generation, checked after)
        return index.for_each_message(folder_id, [&](MessageRow&& r) { return at++ < patch.new_count && each(r); }) && at == patch.new_count;
    };
    source.order = [&](const std::function<bool(const ThreadRow&)>& each) {
        return emit_patched_order(patch, *plan, threads->order, threads->reverse, each);
    };
    return write_checked(index, folder_id, path, source, stopped, gave_up) ? Patched::Written : Patched::NotWritten;
}

// The snapshot written from the database's rows and a reader's order, when
// the rows are the ones the order was made from (their count first, then,
// as they are written, their fingerprint).
bool write_seeded(IndexDb& index, std::int64_t folder_id, const std::string& path, std::int64_t generation, const SnapshotSeed& seed,
                  const std::function<bool()>& stopped, const bool& gave_up) {
    const std::uint64_t count = seed.order.size();
    if (index.folder_counts(folder_id).total != count) return false;
    bool other_rows = false;
    SnapshotSource source{generation, count, seed.sort, seed.sort_aux, {}, count, entries_of(seed.order)};
    source.rows = [&](const std::function<bool(const MessageRow&)>& each) {
        RowsFingerprint fingerprint;
        std::uint64_t at = 0;
        const bool all = index.for_each_message(folder_id, [&](MessageRow&& r) {
            fingerprint.add(r);
            if (++at > count) return !(other_rows = true);
            return each(r);
        });
        // the order is written only after rows that are the seed's: else the file is not made
        if (all && (at != count || fingerprint.value() != seed.fingerprint)) other_rows = true;
        return all && !other_rows;
    };
    return write_checked(index, folder_id, path, source, stopped, gave_up, &other_rows);
}

}  // namespace

bool refresh_folder_snapshot(IndexDb& index, std::int64_t folder_id, const std::string& sort, const std::string& sort_aux,
                             const std::function<bool()>& stop, bool wait_for_lock, SnapshotRefresh* how, const SnapshotSeed* seed) {
    bool gave_up = false;  // once stop said so, it stays so (it is asked once per step)
    const std::function<bool()> stopped = [&] { return gave_up || (gave_up = stop && stop()); };
    const auto now = index.folder_generation(folder_id);
    if (!now) return false;
    const std::string path = folder_snapshot_path(index.path(), folder_id);
    const auto h = read_folder_snapshot_header(path);
    const bool of_sort = h && h->sort == sort && h->sort_aux == sort_aux;
    if (of_sort && h->generation == *now && index.count_snapshot_moves(folder_id) <= kSnapshotMovesMax) return false;
    // A seed of fewer or more rows (a first fill's, made before its scan ended) with no snapshot of this
    // sort to patch: nothing will be written, and none is begun. Beginning one moves the generation on,
    // which would send the reader, whose rows are the database's, to read a million of them again.
    if (seed && !of_sort && index.folder_counts(folder_id).total != seed->order.size()) return false;
    const auto before = index.begin_snapshot(folder_id, wait_for_lock);
    if (!before) return false;
    // The reader's own order, when it read the rows from the database
    if (seed && seed->sort == sort && seed->sort_aux == sort_aux && write_seeded(index, folder_id, path, *before, *seed, stopped, gave_up)) {
        if (how) how->seeded = true, how->generation = *before;
        return true;
    }
    if (stopped()) return false;
    // New mail in a threaded folder: the old snapshot patched, not a million rows threaded again
    switch (patch_snapshot(index, folder_id, path, *before, sort, sort_aux, stopped, gave_up, how)) {
        case Patched::Written: return true;
        case Patched::NotWritten: return false;
        case Patched::Declined: break;
    }
    // not beside the reader's rows that a seed came with (see the header)
    if (seed || stopped()) return false;
    // The order first, from the rows without their addresses unless the
    // sort reads them; then every row streamed from the database into the
    // file in the same (id) order: the reader holds the folder's rows while
    // this runs, and a second copy of them at a million would be 200 MB.
    std::vector<std::int64_t> ids;
    std::vector<ThreadRow> order;
    {
        // one connection, in id order, asking `stop` as it goes: this is a
        // background job, and a reader quitting must not wait for a million
        // rows (IndexDb::messages reads faster on two, but cannot stop)
        std::vector<MessageRow> rows;
        rows.reserve(index.folder_counts(folder_id).total + 64);  // not doubled as it grows: 64 MB at a million, not 192
        const bool read = index.for_each_message(
            folder_id,
            [&](MessageRow&& r) {
                rows.push_back(std::move(r));
                return rows.size() % 4096 != 0 || !stopped();
            },
            order_reads_addresses(sort, sort_aux) ? IndexDb::RowText::All : IndexDb::RowText::Order);
        if (!read || stopped()) return false;
        order = order_index(rows, sort, sort_aux);
        if (how) *how = {false, rows.size()};
        ids.reserve(rows.size());
        for (const auto& r : rows) ids.push_back(r.id);
    }
    if (stopped()) return false;
    SnapshotSource source{*before, ids.size(), sort, sort_aux, {}, order.size(), entries_of(order)};
    source.rows = [&](const std::function<bool(const MessageRow&)>& each) {
        std::size_t at = 0;
        // the same rows as the order's (a row written since would change the generation, checked after)
        return index.for_each_message(folder_id, [&](MessageRow&& r) { return at < ids.size() && r.id == ids[at++] && each(r); }) &&
               at == ids.size();
    };
    return write_checked(index, folder_id, path, source, stopped, gave_up);
}

}  // namespace tern
