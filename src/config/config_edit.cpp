#include "config/config_edit.hpp"

#include "util/strings.hpp"

namespace tern {

std::optional<std::string> set_account_keys(std::string_view text, std::size_t block_line,
                                            const std::vector<std::pair<std::string, std::string>>& keys) {
    std::vector<std::string> lines = split(text, '\n');
    if (block_line == 0 || block_line > lines.size()) return std::nullopt;
    const std::size_t start = block_line - 1;
    const auto words = split_words(lines[start]);
    if (words.size() < 3 || words[0] != "account" || words.back() != "{") return std::nullopt;
    std::size_t end = start + 1;
    while (end < lines.size() && trim(lines[end]) != "}") ++end;
    if (end >= lines.size()) return std::nullopt;
    std::vector<bool> done(keys.size(), false);
    for (std::size_t i = start + 1; i < end; ++i) {
        const auto w = split_words(lines[i]);
        if (w.empty()) continue;
        for (std::size_t k = 0; k < keys.size(); ++k)
            if (w[0] == keys[k].first) {
                const std::string indent = lines[i].substr(0, lines[i].find_first_not_of(" \t"));
                lines[i] = indent + keys[k].first + " = " + keys[k].second;
                done[k] = true;
            }
    }
    std::vector<std::string> added;
    for (std::size_t k = 0; k < keys.size(); ++k)
        if (!done[k]) added.push_back("    " + keys[k].first + " = " + keys[k].second);
    lines.insert(lines.begin() + static_cast<long>(end), added.begin(), added.end());
    return join(lines, "\n");
}

}  // namespace tern
