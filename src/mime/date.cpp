#include "mime/date.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "util/strings.hpp"

namespace tern {

std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}

std::string format_utc(std::int64_t t) {
    std::int64_t days = t / 86400;
    std::int64_t secs = t % 86400;
    if (secs < 0) secs += 86400, --days;
    const CivilDate c = civil_from_days(days);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d %02lld:%02lld", static_cast<long long>(c.year), c.month, c.day,
                  static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60));
    return buf;
}

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

struct Zone {
    std::string_view name;
    int minutes;
};
constexpr Zone kZones[] = {{"ut", 0},       {"utc", 0},      {"gmt", 0},      {"z", 0},        {"edt", -240},
                           {"est", -300},   {"cdt", -300},   {"cst", -360},   {"mdt", -360},   {"mst", -420},
                           {"pdt", -420},   {"pst", -480},   {"cet", 60},     {"cest", 120},   {"met", 60},
                           {"mest", 120},   {"bst", 60},     {"eet", 120},    {"eest", 180},   {"jst", 540},
                           {"ist", 330},    {"akst", -540},  {"hst", -600}};

std::optional<int> number(std::string_view s) {
    int v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

std::optional<std::int64_t> parse_date(std::string_view text) {
    // Tokens: runs of letters, digits, ':' and signs; comments dropped.
    std::vector<std::string> tokens;
    std::string cur;
    int depth = 0;
    auto push = [&] {
        if (!cur.empty()) tokens.push_back(cur);
        cur.clear();
    };
    for (const char c : text) {
        if (c == '(') { push(); ++depth; continue; }
        if (c == ')') { if (depth > 0) --depth; continue; }
        if (depth > 0) continue;
        if (c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n') { push(); continue; }
        if (c == '-' && !cur.empty() && std::isalnum(static_cast<unsigned char>(cur.back())) &&
            !(cur.size() == 8 && cur.find(':') != std::string::npos)) {
            // "13-Feb-1969": a dash between date parts, not a zone sign
            push();
            continue;
        }
        if ((c == '+' || c == '-') && !cur.empty()) push();
        cur += c;
    }
    push();

    int day = -1, month = -1, year = -1, hour = -1, minute = 0, second = 0;
    int zone = 0;
    for (const auto& t : tokens) {
        const std::string l = to_lower(t);
        if (t.find(':') != std::string::npos && hour < 0) {
            const auto parts = split(t, ':');
            auto h = number(parts[0]);
            auto m = parts.size() > 1 ? number(parts[1]) : std::nullopt;
            auto s = parts.size() > 2 ? number(parts[2]) : std::optional<int>(0);
            if (!h || !m || !s) continue;
            hour = *h, minute = *m, second = *s;
            continue;
        }
        if ((t[0] == '+' || t[0] == '-') && t.size() == 5) {
            if (auto z = number(t.substr(1))) {
                zone = (*z / 100 * 60 + *z % 100) * (t[0] == '-' ? -1 : 1);
                continue;
            }
        }
        if (std::isalpha(static_cast<unsigned char>(t[0]))) {
            if (month < 0 && l.size() >= 3)
                for (std::size_t i = 0; i < kMonths.size(); ++i)
                    if (l.compare(0, 3, kMonths[i]) == 0) month = static_cast<int>(i) + 1;
            for (const auto& z : kZones)
                if (l == z.name) zone = z.minutes;
            continue;
        }
        if (auto n = number(t)) {
            if (t.size() == 4 && year < 0) year = *n;
            else if (day < 0 && *n >= 1 && *n <= 31 && t.size() <= 2) day = *n;
            else if (year < 0) year = *n < 50 ? 2000 + *n : *n < 1000 ? 1900 + *n : *n;
        }
    }
    if (day < 0 || month < 0 || year < 0) return std::nullopt;
    if (hour < 0) hour = 0;
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - zone * 60;
}

}  // namespace tern
