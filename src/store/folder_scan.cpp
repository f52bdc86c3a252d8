#include "store/folder_scan.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <unordered_map>

#include "util/fd.hpp"

namespace tern {
namespace {

// The header block of a file: read in chunks until the empty line.
std::string read_headers(const std::string& path) {
    std::string out;
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return out;
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n <= 0) break;
        const std::size_t before = out.size();
        out.append(buf, static_cast<std::size_t>(n));
        const std::size_t from = before > 3 ? before - 3 : 0;
        auto lf = out.find("\n\n", from);
        auto crlf = out.find("\r\n\r\n", from);
        const auto end = std::min(lf == std::string::npos ? out.size() : lf + 2, crlf == std::string::npos ? out.size() : crlf + 4);
        if (end < out.size() || lf != std::string::npos || crlf != std::string::npos) {
            out.resize(end);
            break;
        }
        if (out.size() > (8u << 20)) break;  // no header block is that large
    }
    return out;
}

}  // namespace

ScanResult scan_folder(IndexDb& index, std::int64_t folder_id, const Maildir& maildir) {
    ScanResult result;
    std::unordered_map<std::string, MessageRow> known;
    for (auto& row : index.messages(folder_id)) known.emplace(row.key, std::move(row));
    Transaction t(index.db());
    for (MaildirEntry& e : maildir.list()) {
        const std::string file = e.subdir + "/" + e.name;
        auto it = known.find(e.key);
        if (it != known.end()) {
            if (it->second.file != file || !(it->second.flags == e.flags)) {
                index.update_location(it->second.id, file, e.flags);
                ++result.updated;
            } else {
                ++result.unchanged;
            }
            known.erase(it);
            continue;
        }
        if (!e.stat_done && !maildir.stat_entry(e)) continue;  // removed while we looked
        MessageRow row = summarize_headers(read_headers(e.path(maildir.root())));
        row.key = e.key;
        row.file = file;
        row.flags = e.flags;
        row.size = static_cast<std::int64_t>(e.size);
        row.received = e.mtime;
        if (row.date == 0) row.date = e.mtime;
        index.insert(folder_id, row);
        ++result.added;
    }
    for (const auto& [key, row] : known) {
        index.remove(row.id);
        ++result.removed;
    }
    t.commit();
    return result;
}

}  // namespace tern
