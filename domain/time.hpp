// Calendar and clock arithmetic in Japan time (JST = UTC+09:00, no daylight saving).
//
// Everything a user sees — dates, hours, weekdays, months, retention — is JST (SPEC §1).
// Because the offset is a whole 9 hours, JST hours line up with UTC hours: an hour number
// `unix_seconds / 3600` is the same bucket in both, only its label differs.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxs::domain {

inline constexpr int64_t jst_offset_seconds = 9 * 3600;

struct civil_date {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
  auto operator<=>(const civil_date&) const = default;
};

// Days since 1970-01-01 of a proleptic Gregorian date (negative before it).
int64_t days_from_civil(civil_date d);
civil_date civil_from_days(int64_t days);

unsigned days_in_month(int year, unsigned month);
bool is_valid_date(civil_date d);

// A date `days` later (or earlier when negative).
civil_date add_days(civil_date d, int64_t days);

struct jst_time {
  civil_date date;
  int hour;
  int minute;
  int second;
  int weekday;  // 0 = Monday .. 6 = Sunday
};

jst_time to_jst(int64_t unix_seconds);
// Unix seconds of 00:00 JST on that day.
int64_t jst_day_start(civil_date d);
civil_date jst_today(int64_t now_unix);
// 0 = Monday .. 6 = Sunday.
int weekday_of(civil_date d);

// Months as one integer so that month ranges are plain integer ranges.
int month_index(civil_date d);  // year*12 + month-1
civil_date first_of_month_index(int idx);
// Adds calendar months, clamping the day to the target month's length (Mar 31 - 1 month = Feb 28/29).
civil_date add_months(civil_date d, int months);

// First day of the oldest month a retention of `months` keeps: the current JST month and the
// months-1 before it (SPEC §6). months < 1 is treated as 1.
civil_date retention_start(civil_date today, int months);

// ISO 8601 / RFC 3339 date-time with seconds and a mandatory offset: `Z` or ±HH:MM or ±HHMM,
// e.g. 2026-11-02T09:15:03+09:00. Fractional seconds are accepted and dropped. Returns unix seconds.
std::optional<int64_t> parse_iso8601(std::string_view s);
// Strict YYYY-MM-DD that names a real calendar day.
std::optional<civil_date> parse_date(std::string_view s);

std::string format_date(civil_date d);                // 2026-11-01
std::string format_month(civil_date d);               // 2026-11
std::string format_jst_iso(int64_t unix_seconds);     // 2026-11-02T09:15:03+09:00
std::string format_jst_hour(int64_t unix_seconds);    // 2026-11-02T09 (an hour bucket label)
std::string format_jst_minute(int64_t unix_seconds);  // 2026-11-02T09:05 (a minute bucket label)

}  // namespace cxs::domain
