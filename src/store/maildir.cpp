#include "store/maildir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "util/fd.hpp"
#include "util/files.hpp"

namespace tern {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    // a full disk leaves no partial file in new/ or cur/ (see deliver): only space is missing
    const bool full = err == ENOSPC || err == EDQUOT;
    throw Failure(full ? ErrorKind::DiskFull : ErrorKind::Io,
                  what + " " + path + ": " + std::strerror(err) + (full ? ": free some space, then try again" : ""));
}

void fsync_dir(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) fail("cannot open", path, errno);
    if (::fsync(fd.get()) != 0) fail("cannot sync", path, errno);
}

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

// Host names may not contain '/' or ':' in maildir names (the specification's escapes).
std::string safe_host() {
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    std::string out;
    for (const char c : std::string(buf)) {
        if (c == '/') out += "\\057";
        else if (c == ':') out += "\\072";
        else out += c;
    }
    return out.empty() ? "localhost" : out;
}

}  // namespace

MaildirName parse_maildir_name(std::string_view name) {
    MaildirName n;
    const auto info = name.rfind(":2,");
    if (info == std::string_view::npos) {
        n.key = std::string(name.substr(0, name.find(':')));
        return n;
    }
    n.key = std::string(name.substr(0, info));
    n.flags = Flags::from_maildir(name.substr(info + 3));
    n.has_info = true;
    return n;
}

MaildirEntry maildir_entry(std::string_view subdir, std::string_view name) {
    MaildirEntry e;
    e.subdir = subdir;
    e.name = name;
    const MaildirName parsed = parse_maildir_name(name);
    e.key = parsed.key;
    e.flags = parsed.flags;
    return e;
}

MaildirEntry maildir_entry(std::string_view file) {
    const auto slash = file.find('/');
    return slash == std::string_view::npos ? maildir_entry("", file) : maildir_entry(file.substr(0, slash), file.substr(slash + 1));
}

Maildir::Maildir(std::string root, bool create) : root_(std::move(root)), host_(safe_host()) {
    if (create) {
        // parents too, each private
        for (const char* sub : {"/tmp", "/new", "/cur"})
            if (const int err = make_private_dirs(root_ + sub)) fail("cannot create", root_ + sub, err);
    }
    for (const char* sub : {"/new", "/cur"}) {
        struct stat st {};
        if (::stat((root_ + sub).c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            throw Failure(ErrorKind::NotFound, root_ + " is not a maildir (no " + std::string(sub + 1) + "/ folder)");
    }
}

std::vector<MaildirEntry> Maildir::list() const {
    std::vector<MaildirEntry> out;
    for_each([&out](MaildirEntry& e) { out.push_back(std::move(e)); });
    return out;
}

void Maildir::for_each(const std::function<void(MaildirEntry&)>& visit) const {
    for (const char* sub : {"new", "cur"}) {
        const std::string dir = root_ + "/" + sub;
        std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
        if (!d) fail("cannot read", dir, errno);
        while (const dirent* e = ::readdir(d.get())) {
            if (e->d_name[0] == '.') continue;
            MaildirEntry m = maildir_entry(sub, e->d_name);
            // the file type from readdir spares a stat per message; sizes and
            // times are read only for files the index does not know (stat_entry)
            if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
                if (!stat_entry(m)) continue;
            } else if (e->d_type != DT_REG) {
                continue;
            }
            visit(m);
        }
    }
}

bool Maildir::stat_entry(MaildirEntry& m) const {
    struct stat st {};
    if (::stat(m.path(root_).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;  // gone meanwhile
    m.mtime = st.st_mtime;
    m.size = static_cast<std::uint64_t>(st.st_size);
    m.stat_done = true;
    return true;
}

std::string Maildir::unique_name() {
    timeval tv{};
    ::gettimeofday(&tv, nullptr);
    return std::to_string(tv.tv_sec) + ".M" + std::to_string(tv.tv_usec) + "P" + std::to_string(::getpid()) + "Q" +
           std::to_string(++counter_) + "." + host_;
}

std::size_t Maildir::remove_stale_tmp() {
    const std::string dir = root_ + "/tmp";
    std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
    if (!d) return 0;
    const ::time_t now = ::time(nullptr);
    std::vector<std::string> stale;
    while (const dirent* e = ::readdir(d.get())) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        struct stat st {};
        if (::lstat((dir + "/" + name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        bool dead_writer = false;
        // "SECONDS.MMICROSPPIDQN.HOST,...": ours when the host matches
        const auto p = name.find('P'), q = name.find('Q', p == std::string::npos ? 0 : p);
        const auto dot = name.find('.', q == std::string::npos ? 0 : q);
        if (p != std::string::npos && q != std::string::npos && dot != std::string::npos && q > p + 1 &&
            name.compare(dot + 1, host_.size(), host_) == 0) {
            const std::string pid = name.substr(p + 1, q - p - 1);
            if (pid.find_first_not_of("0123456789") == std::string::npos && pid.size() < 10) {
                const long writer = std::stol(pid);
                dead_writer = writer != ::getpid() && ::kill(static_cast<pid_t>(writer), 0) != 0 && errno == ESRCH;
            }
        }
        if (dead_writer || now - st.st_mtime > 36 * 3600) stale.push_back(dir + "/" + name);
    }
    std::size_t removed = 0;
    for (const std::string& path : stale) removed += ::unlink(path.c_str()) == 0;
    return removed;
}

std::string Maildir::write_tmp(std::string_view bytes, const std::string& key) {
    const std::string tmp = root_ + "/tmp/" + key;
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) fail("cannot create", tmp, errno);
    if (!write_all(fd.get(), bytes)) {  // the one loop of short writes and EINTR (util/files)
        const int err = errno ? errno : ENOSPC;
        ::unlink(tmp.c_str());
        fail("cannot write", tmp, err);
    }
    return tmp;
}

MaildirEntry Maildir::entry_for(const std::string& key, std::size_t size, Flags flags, bool seen_by_reader) const {
    MaildirEntry e;
    e.key = key;
    e.flags = flags;
    e.size = size;
    e.mtime = ::time(nullptr);
    e.stat_done = true;
    e.subdir = seen_by_reader ? "cur" : "new";
    e.name = seen_by_reader ? key + ":2," + flags.to_maildir() : key;
    return e;
}

void Maildir::move_into_place(const std::string& tmp, const MaildirEntry& e) {
    const std::string dest = e.path(root_);
    // link() refuses to overwrite, as the specification wants; rename() is the fallback
    if (::link(tmp.c_str(), dest.c_str()) == 0) {
        ::unlink(tmp.c_str());
    } else if (errno == EEXIST || ::rename(tmp.c_str(), dest.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        fail("cannot move into place", dest, err);
    }
}

MaildirEntry Maildir::deliver(std::string_view bytes, Flags flags, bool seen_by_reader, std::string_view key_suffix) {
    Spool spool = this->spool();  // a spool written once: the same tmp/, fsync, rename, directory fsync
    spool.write(bytes);
    return spool.commit(flags, seen_by_reader, key_suffix);
}

std::vector<MaildirEntry> Maildir::deliver_all(const std::vector<Delivery>& messages) {
    std::vector<std::string> tmps;
    std::vector<MaildirEntry> entries;
    try {
        for (const Delivery& d : messages) {
            const std::string key = unique_name() + ",S=" + std::to_string(d.bytes.size()) + d.key_suffix;
            tmps.push_back(write_tmp(d.bytes, key));
            entries.push_back(entry_for(key, d.bytes.size(), d.flags, d.seen_by_reader));
        }
        // one flush for the whole batch instead of one fsync per file
        UniqueFd dir(::open((root_ + "/tmp").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!dir || ::syncfs(dir.get()) != 0) {
            for (const auto& tmp : tmps) {
                UniqueFd fd(::open(tmp.c_str(), O_RDONLY | O_CLOEXEC));
                if (!fd || ::fsync(fd.get()) != 0) fail("cannot sync", tmp, errno);
            }
        }
    } catch (...) {
        for (const auto& tmp : tmps) ::unlink(tmp.c_str());
        throw;
    }
    bool to_new = false, to_cur = false;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        move_into_place(tmps[i], entries[i]);
        (entries[i].subdir == "new" ? to_new : to_cur) = true;
    }
    if (to_new) fsync_dir(root_ + "/new");
    if (to_cur) fsync_dir(root_ + "/cur");
    return entries;
}

Maildir::Spool Maildir::spool() {
    std::string unique = unique_name();
    const std::string tmp = root_ + "/tmp/" + unique;
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) fail("cannot create", tmp, errno);
    return Spool(*this, std::move(unique), std::move(fd));
}

Maildir::Spool::Spool(Maildir& box, std::string unique, UniqueFd fd)
    : box_(&box), unique_(std::move(unique)), tmp_(box.root_ + "/tmp/" + unique_), fd_(std::move(fd)) {}

Maildir::Spool::~Spool() { abandon(); }

void Maildir::Spool::abandon() {
    if (!fd_) return;
    fd_.reset();
    ::unlink(tmp_.c_str());
}

void Maildir::Spool::write(std::string_view bytes) {
    constexpr std::size_t kBuffer = 1 << 20;
    if (!fd_) fail("cannot write", tmp_, EBADF);
    size_ += bytes.size();
    if (buffer_.empty() && bytes.size() >= kBuffer) return write_now(bytes);  // big enough: not copied first
    buffer_ += bytes;
    if (buffer_.size() >= kBuffer) flush();
}

void Maildir::Spool::flush() {
    write_now(buffer_);
    buffer_.clear();
}

void Maildir::Spool::write_now(std::string_view bytes) {
    if (!write_all(fd_.get(), bytes)) {
        const int err = errno ? errno : ENOSPC;
        abandon();
        fail("cannot write", tmp_, err);
    }
}

MaildirEntry Maildir::Spool::commit(Flags flags, bool seen_by_reader, std::string_view key_suffix) {
    if (!fd_) fail("cannot deliver", tmp_, EBADF);
    flush();
    if (::fsync(fd_.get()) != 0) {
        const int err = errno;
        abandon();
        fail("cannot sync", tmp_, err);
    }
    fd_.reset();
    // the size is known only now: the final name differs from the one in tmp/
    const std::string key = unique_ + ",S=" + std::to_string(size_) + std::string(key_suffix);
    const MaildirEntry e = box_->entry_for(key, size_, flags, seen_by_reader);
    box_->move_into_place(tmp_, e);  // removes the file in tmp/ either way
    fsync_dir(box_->root_ + "/" + e.subdir);
    return e;
}

MaildirEntry Maildir::set_flags(const MaildirEntry& entry, Flags flags) {
    MaildirEntry e = entry;
    e.subdir = "cur";
    e.flags = flags;
    e.name = entry.key + ":2," + flags.to_maildir();
    if (e.name == entry.name && entry.subdir == "cur") return e;
    if (::rename(entry.path(root_).c_str(), e.path(root_).c_str()) != 0) fail("cannot rename", entry.path(root_), errno);
    return e;
}

void Maildir::remove(const MaildirEntry& entry) {
    if (::unlink(entry.path(root_).c_str()) != 0 && errno != ENOENT) fail("cannot remove", entry.path(root_), errno);
}

}  // namespace tern
