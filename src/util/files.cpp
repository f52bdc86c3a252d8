#include "util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "util/fd.hpp"

namespace tern {

bool read_fd(int fd, std::string& out) {
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) return true;
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
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
    if (!fd) {
        if (error) *error = errno;
        return std::nullopt;
    }
    std::string out(limit, '\0');
    std::size_t got = 0;
    while (got < limit) {
        const ssize_t n = ::read(fd.get(), out.data() + got, limit - got);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            if (error) *error = errno;
            return std::nullopt;
        }
        got += static_cast<std::size_t>(n);
    }
    out.resize(got);
    return out;
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
