// Dates of mail headers: RFC 5322 and the obsolete and broken forms seen in
// the wild (two-digit years, zone names, missing weekday or seconds, dashes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tern {

// Seconds since the epoch (UTC), or nothing when no date can be read.
std::optional<std::int64_t> parse_date(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(int year, int month, int day);

struct CivilDate {
    std::int64_t year;
    int month;  // 1-12
    int day;    // 1-31
};

// The date of a day number (days since 1970-01-01).
CivilDate civil_from_days(std::int64_t days);

// "2026-11-22 19:28" in UTC, for tests and simple display.
std::string format_utc(std::int64_t epoch_seconds);

}  // namespace tern
