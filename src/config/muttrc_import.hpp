// tern import-muttrc: a muttrc (with the files it sources) turned into a
// tern config. What tern has is carried over (mutt's commands that tern
// reads as they are, the variables it has under its own names, accounts made
// from imap_user/folder/smtp_url/from, also those a folder-hook or
// account-hook switches to); every other line is listed with its file:line
// and why, never dropped in silence. Passwords are never copied: an
// imap_pass or smtp_pass becomes a password_command suggestion. Pure: files
// are read through ConfigFiles, nothing is run.
#pragma once

#include <string>
#include <vector>

#include "config/parser.hpp"
#include "util/paths.hpp"

namespace tern {

struct MuttrcImport {
    std::string config;                    // the tern config, with the uncarried lines listed at its end
    std::vector<std::string> not_carried;  // "FILE:LINE: why: the line" (a line with a password is not shown)
    std::size_t carried = 0;               // lines carried over
    std::size_t accounts = 0;              // account blocks made (none: the config needs one added)
};

MuttrcImport import_muttrc(const std::string& path, const EnvLookup& env, const ConfigFiles& files);

// Where mutt looks for its config: ~/.muttrc, ~/.mutt/muttrc, $XDG_CONFIG_HOME/mutt/muttrc.
std::vector<std::string> muttrc_locations(const EnvLookup& env);

}  // namespace tern
