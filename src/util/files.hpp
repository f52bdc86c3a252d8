// Whole files in, private directories out: the file plumbing every layer
// needs, written once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tern {

// Reads a descriptor to its end (or `limit` bytes) into `out`; false
// (errno set) on an error.
bool read_fd(int fd, std::string& out, std::size_t limit = SIZE_MAX);

// The whole file, or nothing with the reason in *error (an errno value).
std::optional<std::string> read_file(const std::string& path, int* error = nullptr);

// The first `limit` bytes of a file (all of it when shorter).
std::optional<std::string> read_file_head(const std::string& path, std::size_t limit, int* error = nullptr);

// Creates `path` and its missing parents, each new one 0700 (mkdir -p).
// Returns 0, or the errno of the directory that could not be made.
int make_private_dirs(const std::string& path);

}  // namespace tern

#include <functional>
#include <string_view>
#include <sys/types.h>

namespace tern {

// Writes all of `data` to a descriptor (short writes and EINTR retried);
// false (errno set) on an error.
bool write_all(int fd, std::string_view data);

// Replaces `path` with `data` atomically: a temporary file beside it (made
// with `mode`), fsync, rename over the old one, then the directory fsynced.
// Returns 0, or the errno of the step that failed (the old file is intact).
int write_file_atomic(const std::string& path, std::string_view data, mode_t mode);

// Appends `data` to `path` (made with `mode` when missing) and fsyncs it.
// Returns 0 or an errno.
int append_file(const std::string& path, std::string_view data, mode_t mode);

// Writes a new file (an existing one is an EEXIST error unless `overwrite`),
// fsynced; a file that could not be written whole is removed. 0 or an errno.
int write_new_file(const std::string& path, std::string_view data, mode_t mode, bool overwrite);

// write_new_file with the data made a piece at a time: `fill` hands each
// piece to the writer it is given (which says false on an error, when fill
// should stop) and returns false itself when it could not make them all.
// Returns 0 or an errno (EIO when fill failed); a partial file is removed.
// Not `durable`: no fsync (a cache that checks itself when read; an fsync
// of 200 MB can take seconds that a quitting reader would wait for).
using PieceWriter = std::function<bool(std::string_view)>;
int write_new_file_by_pieces(const std::string& path, mode_t mode, bool overwrite, const std::function<bool(const PieceWriter&)>& fill,
                             bool durable = true);

}  // namespace tern
