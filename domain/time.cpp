#include "domain/time.hpp"

#include <algorithm>

namespace cxs::domain {
namespace {

// Floor division/modulo: C++ `/` truncates toward zero, which is wrong for times before 1970.
constexpr int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
constexpr int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

// Reads exactly n ASCII digits at s[pos]; the caller checked the length.
std::optional<int> read_digits(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

void put2(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void put_year(std::string& out, int y) {
  if (y < 0) {  // never seen in practice; keep the output unambiguous anyway
    out.push_back('-');
    y = -y;
  }
  if (y > 9999) {
    out += std::to_string(y);
    return;
  }
  put2(out, static_cast<unsigned>(y / 100));
  put2(out, static_cast<unsigned>(y % 100));
}

}  // namespace

// Howard Hinnant's days_from_civil / civil_from_days (public domain), exact for all int years.
int64_t days_from_civil(civil_date d) {
  const int64_t y = static_cast<int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t m = d.month;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

civil_date civil_from_days(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const unsigned day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const unsigned month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), month, day};
}

unsigned days_in_month(int year, unsigned month) {
  static constexpr unsigned lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return lengths[month - 1];
}

bool is_valid_date(civil_date d) {
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

civil_date add_days(civil_date d, int64_t days) { return civil_from_days(days_from_civil(d) + days); }

jst_time to_jst(int64_t unix_seconds) {
  const int64_t local = unix_seconds + jst_offset_seconds;
  const int64_t days = floor_div(local, 86400);
  const int64_t secs = local - days * 86400;
  jst_time t{};
  t.date = civil_from_days(days);
  t.hour = static_cast<int>(secs / 3600);
  t.minute = static_cast<int>(secs / 60 % 60);
  t.second = static_cast<int>(secs % 60);
  t.weekday = static_cast<int>(floor_mod(days + 3, 7));  // 1970-01-01 was a Thursday
  return t;
}

int64_t jst_day_start(civil_date d) { return days_from_civil(d) * 86400 - jst_offset_seconds; }

civil_date jst_today(int64_t now_unix) { return to_jst(now_unix).date; }

int weekday_of(civil_date d) { return static_cast<int>(floor_mod(days_from_civil(d) + 3, 7)); }

int month_index(civil_date d) { return d.year * 12 + static_cast<int>(d.month) - 1; }

civil_date first_of_month_index(int idx) {
  const int64_t year = floor_div(idx, 12);
  return {static_cast<int>(year), static_cast<unsigned>(idx - year * 12 + 1), 1};
}

civil_date add_months(civil_date d, int months) {
  civil_date r = first_of_month_index(month_index(d) + months);
  r.day = std::min(d.day, days_in_month(r.year, r.month));
  return r;
}

civil_date retention_start(civil_date today, int months) {
  return first_of_month_index(month_index(today) - (std::max(months, 1) - 1));
}

std::optional<int64_t> parse_iso8601(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS  is 19 characters; then optional fraction, then the offset.
  if (s.size() < 20) return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') return std::nullopt;
  const auto year = read_digits(s, 0, 4);
  const auto month = read_digits(s, 5, 2);
  const auto day = read_digits(s, 8, 2);
  const auto hour = read_digits(s, 11, 2);
  const auto minute = read_digits(s, 14, 2);
  const auto second = read_digits(s, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  const civil_date date{*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)};
  if (!is_valid_date(date) || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;

  std::size_t pos = 19;
  if (s[pos] == '.' || s[pos] == ',') {
    const std::size_t digits_start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == digits_start) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;  // the offset is mandatory

  int64_t offset = 0;
  const std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (zone[0] == '+' || zone[0] == '-') {
    std::optional<int> oh, om;
    if (zone.size() == 6 && zone[3] == ':') {
      oh = read_digits(zone, 1, 2);
      om = read_digits(zone, 4, 2);
    } else if (zone.size() == 5) {
      oh = read_digits(zone, 1, 2);
      om = read_digits(zone, 3, 2);
    } else {
      return std::nullopt;
    }
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset = (*oh * 3600 + *om * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return days_from_civil(date) * 86400 + *hour * 3600 + *minute * 60 + *second - offset;
}

std::optional<civil_date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto year = read_digits(s, 0, 4);
  const auto month = read_digits(s, 5, 2);
  const auto day = read_digits(s, 8, 2);
  if (!year || !month || !day) return std::nullopt;
  const civil_date d{*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)};
  if (!is_valid_date(d)) return std::nullopt;
  return d;
}

std::string format_date(civil_date d) {
  std::string out;
  out.reserve(10);
  put_year(out, d.year);
  out.push_back('-');
  put2(out, d.month);
  out.push_back('-');
  put2(out, d.day);
  return out;
}

std::string format_month(civil_date d) {
  std::string out;
  out.reserve(7);
  put_year(out, d.year);
  out.push_back('-');
  put2(out, d.month);
  return out;
}

std::string format_jst_iso(int64_t unix_seconds) {
  const jst_time t = to_jst(unix_seconds);
  std::string out = format_date(t.date);
  out.push_back('T');
  put2(out, static_cast<unsigned>(t.hour));
  out.push_back(':');
  put2(out, static_cast<unsigned>(t.minute));
  out.push_back(':');
  put2(out, static_cast<unsigned>(t.second));
  out += "+09:00";
  return out;
}

std::string format_jst_hour(int64_t unix_seconds) {
  const jst_time t = to_jst(unix_seconds);
  std::string out = format_date(t.date);
  out.push_back('T');
  put2(out, static_cast<unsigned>(t.hour));
  return out;
}

std::string format_jst_minute(int64_t unix_seconds) {
  const jst_time t = to_jst(unix_seconds);
  std::string out = format_jst_hour(unix_seconds);
  out.push_back(':');
  put2(out, static_cast<unsigned>(t.minute));
  return out;
}

}  // namespace cxs::domain
