// A file mapped read-only into memory, unmapped once: how a message of any
// size is read without copying it onto the heap. The kernel pages it in as
// it is touched; release() gives touched pages back, so that scanning a
// 200 MB attachment for the next MIME boundary does not keep 200 MB resident.
// Maildir files are never rewritten in place (a change is a new file and a
// rename), which is what makes mapping them safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tern {

class MappedFile;
// The two files hold the same bytes (compared a window at a time).
bool same_bytes(const MappedFile& a, const MappedFile& b);

class MappedFile {
public:
    // The file at `path` mapped whole, or nothing with the errno in *error.
    // An empty file maps to an empty view.
    static std::optional<MappedFile> open(const std::string& path, int* error = nullptr);

    MappedFile(MappedFile&& o) noexcept;
    MappedFile& operator=(MappedFile&& o) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    // Stable for the object's life, moves included.
    std::string_view view() const { return {data_, size_}; }

    // Drops the resident pages that lie wholly inside [from, from + length)
    // of view(); they are read again from the page cache if touched later.
    void release(std::size_t from, std::size_t length) const;

    // Calls `each` with the file a window at a time (4 MB), giving back each
    // window's pages after it: a scan of a big file that keeps nothing resident.
    template <class Each>
    void for_each_window(Each each) const {
        constexpr std::size_t kWindow = 4 << 20;
        for (std::size_t at = 0; at < size_; at += kWindow) {
            each(at, view().substr(at, kWindow));
            release(at, kWindow);
        }
    }

private:
    MappedFile(const char* data, std::size_t size) : data_(data), size_(size) {}
    const char* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace tern
