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
