// ~/.netrc: the classic file of machine/login/password entries that curl, ftp
// and git also read. Parsed here (not by libcurl) so that a missing entry is a
// clear error instead of a silent anonymous connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/secret.hpp"

namespace tern {

struct NetrcEntry {
    std::string machine;  // empty for the "default" entry
    std::string login;
    Secret password;
};

// Pure parser: tokens separated by white space, "quoted" tokens, macdef
// bodies skipped up to the next empty line.
std::vector<NetrcEntry> parse_netrc(std::string_view text);

// The entry for host (and login, when given), else the default entry.
std::optional<NetrcEntry> find_netrc_entry(const std::vector<NetrcEntry>& entries, std::string_view host,
                                           std::string_view login);

}  // namespace tern
