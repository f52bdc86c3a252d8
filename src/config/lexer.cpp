#include "config/lexer.hpp"

#include <algorithm>
#include <stdexcept>

namespace tern {
namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Expands $NAME or ${NAME} starting at line[i] == '$'; advances i past it.
std::string expand_variable(std::string_view line, std::size_t& i, const EnvLookup& env) {
    std::string name;
    if (i + 1 < line.size() && line[i + 1] == '{') {
        const auto close = line.find('}', i + 2);
        if (close == std::string_view::npos) throw std::invalid_argument("unclosed ${ in a variable");
        name = std::string(line.substr(i + 2, close - i - 2));
        i = close + 1;
    } else {
        std::size_t j = i + 1;
        while (j < line.size() && is_name_char(line[j])) ++j;
        name = std::string(line.substr(i + 1, j - i - 1));
        i = j;
    }
    if (name.empty()) return "$";
    auto value = env(name);
    if (!value) throw std::invalid_argument("environment variable $" + name + " is not set (write \\$ for a literal $)");
    return *value;
}

}  // namespace

std::vector<Word> lex_config_line(std::string_view line, const EnvLookup& env, bool equals_is_word) {
    std::vector<Word> words;
    std::size_t i = 0;
    while (i < line.size()) {
        const char c = line[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
            continue;
        }
        if (c == '#') break;
        if (c == '=' && equals_is_word) {
            words.push_back({"=", false});
            ++i;
            continue;
        }
        Word w;
        bool any = false;
        while (i < line.size()) {
            const char d = line[i];
            if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || (d == '=' && equals_is_word)) break;
            if (d == '"') {
                w.quoted = any = true;
                ++i;
                bool closed = false;
                while (i < line.size()) {
                    const char e = line[i];
                    if (e == '"') {
                        closed = true;
                        ++i;
                        break;
                    }
                    if (e == '\\' && i + 1 < line.size()) {
                        const char n = line[i + 1];
                        w.text += n == 'n' ? '\n' : n == 't' ? '\t' : n;
                        i += 2;
                    } else if (e == '$') {
                        w.text += expand_variable(line, i, env);
                    } else {
                        w.text += e;
                        ++i;
                    }
                }
                if (!closed) throw std::invalid_argument("unterminated \" quote");
            } else if (d == '\'') {
                w.quoted = any = true;
                const auto close = line.find('\'', i + 1);
                if (close == std::string_view::npos) throw std::invalid_argument("unterminated ' quote");
                w.text += line.substr(i + 1, close - i - 1);
                i = close + 1;
            } else if (d == '\\' && i + 1 < line.size()) {
                w.text += line[i + 1];
                w.quoted = true;
                i += 2;
                any = true;
            } else if (d == '$') {
                w.text += expand_variable(line, i, env);
                any = true;
            } else {
                w.text += d;
                ++i;
                any = true;
            }
        }
        if (any) words.push_back(std::move(w));
    }
    return words;
}

std::string config_word(std::string_view value, bool always_quote) {
    if (!always_quote && !value.empty() && value.find_first_of(" \t\"'\\$#;=") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\' || c == '$') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::vector<std::string> split_config_commands(std::string_view line) {
    std::vector<std::string> out;
    std::string current;
    bool word_start = true;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '\\' && i + 1 < line.size()) {  // an escaped character, ';' too, stays as written
            current += line.substr(i, 2);
            ++i;
            word_start = false;
        } else if (c == '"' || c == '\'') {  // a quoted part, to its closing quote
            std::size_t j = i + 1;
            while (j < line.size() && line[j] != c) j += (c == '"' && line[j] == '\\') ? 2 : 1;
            j = std::min(j, line.size() - 1);
            current += line.substr(i, j - i + 1);
            i = j;
            word_start = false;
        } else if (c == '#' && word_start) {  // a comment: the rest of the line
            current += line.substr(i);
            break;
        } else if (c == ';') {
            out.push_back(std::move(current));
            current.clear();
            word_start = true;
        } else {
            current += c;
            word_start = c == ' ' || c == '\t';
        }
    }
    out.push_back(std::move(current));
    return out;
}

}  // namespace tern
