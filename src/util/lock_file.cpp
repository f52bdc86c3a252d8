#include "util/lock_file.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

#include <system_error>

namespace tern {

std::optional<LockFile> LockFile::try_lock(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd) throw std::system_error(errno, std::generic_category(), "cannot open lock file " + path);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) return std::nullopt;
        throw std::system_error(errno, std::generic_category(), "cannot lock " + path);
    }
    return LockFile(std::move(fd));
}

LockFile LockFile::lock(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!fd) throw std::system_error(errno, std::generic_category(), "cannot open lock file " + path);
    while (::flock(fd.get(), LOCK_EX) != 0)
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "cannot lock " + path);
    return LockFile(std::move(fd));
}

}  // namespace tern
