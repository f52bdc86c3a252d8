// mime.types files (~/.mime.types, then /etc/mime.types): a file name's
// extension to a MIME type, for mutt's mime_lookup (an attachment sent as
// application/octet-stream is shown and opened as what its name says).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/paths.hpp"

namespace tern {

class MimeTypes {
public:
    MimeTypes() = default;
    // Each text in the format "type/subtype ext ext ..." ('#' comments); the
    // first text that names an extension wins.
    explicit MimeTypes(const std::vector<std::string>& texts);
    static MimeTypes from_files(const EnvLookup& env);
    // The type for a file name by its last extension ("report.PDF" → "application/pdf").
    std::optional<std::string> type_for(std::string_view filename) const;

private:
    std::map<std::string, std::string> by_extension_;
};

}  // namespace tern
