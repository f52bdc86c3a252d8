// mailcap (RFC 1524): the user's viewers per MIME type. The pager uses the
// `copiousoutput` entries to turn a part (text/html above all) into text.
// Parsing and command expansion are pure; running is in MailcapViewer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/content_type.hpp"
#include "util/paths.hpp"

namespace tern {

struct MailcapEntry {
    std::string type;  // "text/html", "image/*"
    std::string command;
    std::string test;
    std::string nametemplate;
    bool copiousoutput = false;
    bool needsterminal = false;
};

std::vector<MailcapEntry> parse_mailcap(std::string_view text);

// $MAILCAPS (colon separated), else ~/.mailcap:/etc/mailcap.
std::vector<std::string> mailcap_paths(const EnvLookup& env);

bool mailcap_type_matches(std::string_view entry_type, std::string_view type);

// The command with %s (the file), %t (the type) and %{param} substituted;
// every substituted value is single-quoted for the shell, so a parameter
// from a message cannot inject commands.
std::string expand_mailcap_command(std::string_view command, std::string_view file, const ContentType& type);

// Runs copiousoutput entries for a part: its decoded data goes to a private
// temporary file (0600), the command's output comes back as text.
class MailcapViewer {
public:
    explicit MailcapViewer(std::vector<MailcapEntry> entries) : entries_(std::move(entries)) {}
    static MailcapViewer from_files(const EnvLookup& env);

    // The text the first matching copiousoutput entry prints; nothing when no
    // entry matches, its test fails, or it fails.
    std::optional<std::string> render(const ContentType& type, std::string_view data) const;

private:
    std::vector<MailcapEntry> entries_;
};

}  // namespace tern
