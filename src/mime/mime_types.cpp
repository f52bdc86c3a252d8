#include "mime/mime_types.hpp"

#include "util/files.hpp"
#include "util/strings.hpp"

namespace tern {

MimeTypes::MimeTypes(const std::vector<std::string>& texts) {
    for (const auto& text : texts)
        for (const auto& raw : split(text, '\n')) {
            std::string_view line = raw;
            if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
            const auto words = split_words(line);
            if (words.size() < 2 || words[0].find('/') == std::string::npos) continue;
            for (std::size_t i = 1; i < words.size(); ++i) by_extension_.emplace(to_lower(words[i]), to_lower(words[0]));
        }
}

MimeTypes MimeTypes::from_files(const EnvLookup& env) {
    std::vector<std::string> texts;
    for (const auto& path : {home_dir(env) + "/.mime.types", std::string("/etc/mime.types")})
        if (auto t = read_file(path)) texts.push_back(std::move(*t));
    return MimeTypes(texts);
}

std::optional<std::string> MimeTypes::type_for(std::string_view filename) const {
    const auto slash = filename.find_last_of('/');
    if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
    const auto dot = filename.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == filename.size()) return std::nullopt;
    const auto it = by_extension_.find(to_lower(filename.substr(dot + 1)));
    if (it == by_extension_.end()) return std::nullopt;
    return it->second;
}

}  // namespace tern
