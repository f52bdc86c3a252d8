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
#include "util/files.hpp"
#include "util/hash64.hpp"
#include "util/mapped_file.hpp"

namespace tern {
namespace {

// The layout, in this machine's byte order (the file never leaves it):
//   header  magic, version, generation, row count, sort, sort_aux, order count
//   rows    id, size, date, received (8 bytes each), flags, bits (1 each),
//           the lengths of the eight text fields after the file (2 each), the text
//   order   row, depth (4 bytes each), branches (8), bits (1)
//   trailer end magic, a checksum of everything before the trailer (8),
//           the file's size (8)
constexpr std::string_view kMagic = "TERNROW1", kEndMagic = "TERNEND1";
constexpr std::uint32_t kVersion = 1;
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
    const std::vector<ThreadRow>* order = nullptr;
};

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
        put(buffer, static_cast<std::uint64_t>(source.order ? source.order->size() : 0));
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
        if (source.order)
            for (const ThreadRow& e : *source.order) {
                put(buffer, static_cast<std::uint32_t>(e.row));
                put(buffer, e.shape.depth);
                put(buffer, e.shape.branches);
                put(buffer, static_cast<std::uint8_t>(e.shape.last | e.shape.missing_parent << 1));
                if (!flush(false)) return false;
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
    SnapshotSource source{snapshot.generation, snapshot.rows.size(), snapshot.sort, snapshot.sort_aux, {}, &snapshot.order};
    source.rows = [&snapshot](const std::function<bool(const MessageRow&)>& each) {
        for (const MessageRow& r : snapshot.rows)
            if (!each(r)) return false;
        return true;
    };
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

std::optional<FolderSnapshot> read_snapshot(const std::string& path, std::int64_t generation, const std::string& sort,
                                            const std::string& sort_aux, bool& damaged) {
    const auto file = MappedFile::open(path);
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
    {
        // the header's generation before the whole file's checksum: an old snapshot costs no pass over it
        Cursor head(data);
        const auto h = read_header(head);
        if (!h) return std::nullopt;
        if (h->generation != generation) return damaged = false, std::nullopt;
        Hash64 sum;
        const std::size_t body = data.size() - kTrailer;
        constexpr std::size_t kWindow = 8 << 20;  // a multiple of 8: the writer's steps
        for (std::size_t at = 0; at < body; at += kWindow) {
            sum.add(data.substr(at, std::min(kWindow, body - at)));
            file->release(at, kWindow);  // read once here, once more below: neither pass keeps the file resident
        }
        if (sum.value() != checksum) return std::nullopt;
    }
    // whole and of this generation: what could still fail below is damage as well

    Cursor c(data.substr(0, data.size() - kTrailer));
    const auto h = read_header(c);
    if (!h || h->generation != generation) return std::nullopt;
    FolderSnapshot snap;
    snap.generation = h->generation;
    const std::string_view file_sort = c.text(), file_sort_aux = c.text();
    const std::uint64_t order_count = c.get<std::uint64_t>();
    // every row takes at least its fixed part: a count the file cannot hold is damage, not a reason to allocate
    constexpr std::size_t kFixed = 4 * 8 + 2 + kTextFields * 2;
    if (c.bad() || h->rows > data.size() / kFixed || (order_count != 0 && order_count != h->rows)) return std::nullopt;
    snap.rows.resize(h->rows);
    RowTextBlocks blocks;
    std::size_t released = 0;
    for (MessageRow& r : snap.rows) {
        r.id = c.get<std::int64_t>();
        r.size = c.get<std::int64_t>();
        r.date = c.get<std::int64_t>();
        r.received = c.get<std::int64_t>();
        r.flags = Flags(c.get<std::uint8_t>());
        const auto bits = c.get<std::uint8_t>();
        std::uint16_t lengths[kTextFields];
        for (auto& n : lengths) n = c.get<std::uint16_t>();
        std::string_view fields[kTextFields];
        for (std::size_t i = 0; i < kTextFields; ++i) fields[i] = c.bytes(lengths[i]);
        if (c.bad()) return std::nullopt;
        r.set_text({.from_name = fields[0], .from_addr = fields[1], .to = fields[2], .cc = fields[3], .subject = fields[4],
                    .message_id = fields[5], .in_reply_to = fields[6], .references = fields[7]},
                   &blocks);
        r.has_attachments = bits & 1;
        r.in_new = bits & 2;
        r.in_cur = bits & 4;
        // the pages read are read once: given back as it goes, so the file does not add to the peak
        if (c.at() - released > (8 << 20)) {
            file->release(released, c.at() - released);
            released = c.at() & ~std::size_t{4095};
        }
    }
    if (file_sort == sort && file_sort_aux == sort_aux && order_count) {
        snap.sort = sort;
        snap.sort_aux = sort_aux;
        snap.order.resize(order_count);
        for (ThreadRow& e : snap.order) {
            e.row = c.get<std::uint32_t>();
            e.shape.depth = c.get<std::uint32_t>();
            e.shape.branches = c.get<std::uint64_t>();
            const auto bits = c.get<std::uint8_t>();
            e.shape.last = bits & 1;
            e.shape.missing_parent = bits & 2;
            if (e.row >= snap.rows.size()) return std::nullopt;
        }
        if (c.bad()) return std::nullopt;
    }
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

bool refresh_folder_snapshot(IndexDb& index, std::int64_t folder_id, const std::string& sort, const std::string& sort_aux,
                             const std::function<bool()>& stop, bool wait_for_lock) {
    bool gave_up = false;  // once stop said so, it stays so (it is asked once per step)
    const std::function<bool()> stopped = [&] { return gave_up || (gave_up = stop && stop()); };
    const auto now = index.folder_generation(folder_id);
    if (!now) return false;
    const std::string path = folder_snapshot_path(index.path(), folder_id);
    if (const auto h = read_folder_snapshot_header(path);
        h && h->generation == *now && h->sort == sort && h->sort_aux == sort_aux && index.count_snapshot_moves(folder_id) <= kSnapshotMovesMax)
        return false;
    const auto before = index.begin_snapshot(folder_id, wait_for_lock);
    if (!before) return false;
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
        ids.reserve(rows.size());
        for (const auto& r : rows) ids.push_back(r.id);
    }
    if (stopped()) return false;
    SnapshotSource source{*before, ids.size(), sort, sort_aux, {}, &order};
    source.rows = [&](const std::function<bool(const MessageRow&)>& each) {
        std::size_t at = 0;
        // the same rows as the order's (a row written since would change the generation, checked below)
        return index.for_each_message(folder_id, [&](MessageRow&& r) { return at < ids.size() && r.id == ids[at++] && each(r); }) &&
               at == ids.size();
    };
    if (const int err = write_snapshot(path, source, stopped)) {
        if (gave_up) return false;
        if (err == EIO && index.folder_generation(folder_id) != before) return false;  // rows written meanwhile: the next refresh
        throw Failure(ErrorKind::Io, "cannot write " + path + ": " + std::strerror(err));
    }
    // the two reads are several read transactions: the same generation
    // after them means no write came between, so they are the rows of that
    // generation (else the file is of no use: removed, for the next refresh)
    if (index.folder_generation(folder_id) != before) {
        ::unlink(path.c_str());
        return false;
    }
    return true;
}

}  // namespace tern
