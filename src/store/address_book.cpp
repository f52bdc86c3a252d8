#include "store/address_book.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "util/strings.hpp"

namespace tern {

std::vector<Alias> parse_aliases(std::string_view text) {
    std::vector<Alias> out;
    for (const auto& raw : split(text, '\n')) {
        std::string_view line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        const auto word = [&line]() {
            line = trim(line);
            const auto end = line.find_first_of(" \t");
            std::string w(line.substr(0, end));
            line = end == std::string_view::npos ? std::string_view() : line.substr(end);
            return w;
        };
        if (word() != "alias") continue;
        std::string key = word();
        while (key == "-group") {
            word();
            key = word();
        }
        if (key.empty()) continue;
        Alias a{key, parse_address_list(trim(line))};
        if (!a.addresses.empty()) out.push_back(std::move(a));
    }
    return out;
}

std::string alias_line(const Alias& a) {
    std::vector<std::string> parts;
    for (const auto& addr : a.addresses) parts.push_back(format_address(addr));
    return "alias " + a.key + " " + join(parts, ", ");
}

std::vector<Address> parse_query_output(std::string_view text) {
    std::vector<Address> out;
    bool first = true;
    for (const auto& line : split(text, '\n')) {
        if (first) {  // what the command says about its search
            first = false;
            continue;
        }
        const auto fields = split(line, '\t');
        if (fields.empty() || fields[0].find('@') == std::string::npos) continue;
        out.push_back({fields.size() > 1 ? std::string(trim(fields[1])) : std::string(), std::string(trim(fields[0]))});
    }
    return out;
}

void AddressBook::add_aliases(const std::vector<Alias>& aliases) {
    for (const auto& a : aliases) {
        aliases_.push_back(a);
        for (const auto& addr : a.addresses) {
            entries_.push_back({addr, a.key, 0, 0});
            lower_.push_back(to_lower(a.key + " " + addr.name + " " + addr.email));
        }
    }
}

void AddressBook::harvest(IndexDb& index, std::string_view account, const AddressSet& mine) {
    std::unordered_map<std::string, std::size_t> at;  // lower-case address -> entry
    for (std::size_t i = 0; i < entries_.size(); ++i) at.emplace(to_lower(entries_[i].address.email), i);
    const auto add = [&](const std::string& name, const std::string& email, std::int64_t date) {
        if (email.find('@') == std::string::npos) return;
        const std::string key = to_lower(email);
        if (mine.contains(email)) return;  // you are not your own correspondent
        auto [it, inserted] = at.try_emplace(key, entries_.size());
        if (inserted) {
            entries_.push_back({{name, email}, "", 0, 0});
            lower_.push_back(to_lower(name + " " + email));
        }
        BookEntry& e = entries_[it->second];
        ++e.count;
        e.last = std::max(e.last, date);
        if (e.address.name.empty() && !name.empty()) {
            e.address.name = name;
            lower_[it->second] = to_lower(e.alias + " " + name + " " + email);
        }
    };
    Statement s = index.db().prepare(
        "SELECT m.from_name, m.from_addr, m.to_addrs, m.cc_addrs, m.date FROM messages m JOIN folders f ON m.folder_id = f.id"
        " WHERE f.account = ?1");
    s.bind(1, account);
    while (s.step()) {
        const std::string from = s.text(1);
        const std::int64_t date = s.int64(4);
        if (!mine.contains(from)) {
            add(s.text(0), from, date);
            continue;
        }
        for (int column : {2, 3})
            for (const auto& a : parse_address_list(s.text(column))) add(a.name, a.email, date);
    }
}

std::vector<BookEntry> AddressBook::complete(std::string_view text, std::size_t limit, std::int64_t now) const {
    const std::string needle = to_lower(trim(text));
    struct Hit {
        double score;
        std::size_t i;
    };
    std::vector<Hit> hits;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const std::string& hay = lower_[i];
        const auto pos = hay.find(needle);
        if (pos == std::string::npos) continue;
        const BookEntry& e = entries_[i];
        const double age_days = e.last ? static_cast<double>(std::max<std::int64_t>(0, now - e.last)) / 86400.0 : 3650.0;
        double score = static_cast<double>(e.count) / (1.0 + age_days / 30.0);  // frequency, fading with age
        if (pos == 0 || hay[pos - 1] == ' ' || hay[pos - 1] == '.' || hay[pos - 1] == '<') score += 1000;  // a word starts with it
        if (!e.alias.empty()) score += 1e6 + (e.alias.rfind(needle, 0) == 0 ? 1e6 : 0);
        hits.push_back({score, i});
    }
    const std::size_t n = std::min(limit, hits.size());
    std::partial_sort(hits.begin(), hits.begin() + static_cast<long>(n), hits.end(), [](const Hit& a, const Hit& b) {
        return a.score != b.score ? a.score > b.score : a.i < b.i;
    });
    std::vector<BookEntry> out;
    for (std::size_t k = 0; k < n; ++k) out.push_back(entries_[hits[k].i]);
    return out;
}

const Alias* AddressBook::alias(std::string_view key) const {
    for (const auto& a : aliases_)
        if (a.key == key) return &a;
    return nullptr;
}

}  // namespace tern
