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
