#include "util/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <utility>

#include "util/fd.hpp"

namespace tern {

std::optional<MappedFile> MappedFile::open(const std::string& path, int* error) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0) {
        if (error) *error = errno;
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
        if (error) *error = EINVAL;
        return std::nullopt;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    if (size == 0) return MappedFile(nullptr, 0);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (p == MAP_FAILED) {
        if (error) *error = errno;
        return std::nullopt;
    }
    return MappedFile(static_cast<const char*>(p), size);
}

MappedFile::MappedFile(MappedFile&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& o) noexcept {
    if (this != &o) {
        if (data_) ::munmap(const_cast<char*>(data_), size_);
        data_ = std::exchange(o.data_, nullptr);
        size_ = std::exchange(o.size_, 0);
    }
    return *this;
}

MappedFile::~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
}

bool same_bytes(const MappedFile& a, const MappedFile& b) {
    if (a.view().size() != b.view().size()) return false;
    bool same = true;
    a.for_each_window([&](std::size_t at, std::string_view window) {
        same = same && window == b.view().substr(at, window.size());
        b.release(at, window.size());
    });
    return same;
}

void MappedFile::release(std::size_t from, std::size_t length) const {
    if (!data_ || from >= size_) return;
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto base = reinterpret_cast<std::uintptr_t>(data_);
    const std::uintptr_t begin = (base + from + page - 1) / page * page;
    const std::uintptr_t end = (base + std::min(size_, from + length)) / page * page;
    // a private read-only mapping: dropping pages loses nothing, the file still holds them
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

}  // namespace tern
