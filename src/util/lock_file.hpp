// An exclusive lock on a file (flock), held while the object lives: one
// writer at a time per account, so a cron `tern sync` and the UI's sync
// never interleave. The kernel drops it when the process dies.
#pragma once

#include <optional>
#include <string>

#include "util/fd.hpp"

namespace tern {

class LockFile {
public:
    // The lock, or nothing when another process holds it. Throws
    // std::system_error when the file cannot be made or locked.
    static std::optional<LockFile> try_lock(const std::string& path);
    // The lock, waiting while another process holds it (for short holds:
    // one outbox drain). Throws std::system_error like try_lock.
    static LockFile lock(const std::string& path);

private:
    explicit LockFile(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

}  // namespace tern
