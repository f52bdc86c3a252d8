#include "util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "util/fd.hpp"

namespace tern {

bool read_fd(int fd, std::string& out, std::size_t limit) {
    char buf[65536];
    for (std::size_t got = 0; got < limit;) {
        const ssize_t n = ::read(fd, buf, std::min(sizeof buf, limit - got));
        if (n == 0) return true;
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        out.append(buf, static_cast<std::size_t>(n));
        got += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<std::string> read_file(const std::string& path, int* error) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    std::string out;
    if (fd) {
        struct stat st {};
        if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode)) out.reserve(static_cast<std::size_t>(st.st_size));
        if (read_fd(fd.get(), out)) return out;
    }
    if (error) *error = errno;
    return std::nullopt;
}

std::optional<std::string> read_file_head(const std::string& path, std::size_t limit, int* error) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    std::string out;
    if (fd && read_fd(fd.get(), out, limit)) return out;
    if (error) *error = errno;
    return std::nullopt;
}

int make_private_dirs(const std::string& path) {
    for (std::size_t pos = 1;; ++pos) {
        pos = path.find('/', pos);
        const std::string dir = path.substr(0, pos);
        if (!dir.empty() && ::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return errno;
        if (pos == std::string::npos) return 0;
    }
}

}  // namespace tern

namespace tern {

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

namespace {

// Writes and fsyncs an open descriptor, closes it; 0 or the first errno.
int finish_write(int fd, std::string_view data) {
    int err = write_all(fd, data) && ::fsync(fd) == 0 ? 0 : errno;
    if (::close(fd) != 0 && err == 0) err = errno;
    return err;
}

}  // namespace

int write_file_atomic(const std::string& path, std::string_view data, mode_t mode) {
    const std::string tmp = path + ".tern-tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return errno;
    if (const int err = finish_write(fd, data)) {
        ::unlink(tmp.c_str());
        return err;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return err;
    }
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return 0;
}

int append_file(const std::string& path, std::string_view data, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode);
    if (fd < 0) return errno;
    return finish_write(fd, data);
}

int write_new_file_by_pieces(const std::string& path, mode_t mode, bool overwrite, const std::function<bool(const PieceWriter&)>& fill,
                             bool durable) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), mode));
    if (!fd) return errno;
    int err = 0;
    const bool made = fill([&](std::string_view piece) {
        if (write_all(fd.get(), piece)) return true;
        err = errno ? errno : ENOSPC;
        return false;
    });
    if (!made && !err) err = EIO;
    // a pipe or a terminal has nothing to sync (EINVAL); a file must be on the disk
    if (!err && durable && ::fsync(fd.get()) != 0 && errno != EINVAL) err = errno;
    if (::close(fd.release()) != 0 && !err) err = errno;
    if (err) ::unlink(path.c_str());
    return err;
}

int write_new_file(const std::string& path, std::string_view data, mode_t mode, bool overwrite) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), mode);
    if (fd < 0) return errno;
    const int err = finish_write(fd, data);
    if (err) ::unlink(path.c_str());
    return err;
}

}  // namespace tern
