#include "domain/filters.hpp"

#include <algorithm>
#include <array>

#include "domain/echo.hpp"
#include "domain/numbers.hpp"

namespace cxs::domain {
namespace {

constexpr std::array<std::string_view, 7> weekday_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<int> small_int(std::string_view s) {
  if (s.empty() || s.size() > 2 || !is_all_digits(s)) return std::nullopt;
  return s.size() == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
}

struct raw_params {
  // Single-valued: index by the order of `singles`.
  static constexpr std::array<std::string_view, 10> singles{"from",   "to",   "hours", "granularity", "format",
                                                            "b_from", "b_to", "gos",   "align",       "headers"};
  std::array<std::optional<std::string>, singles.size()> single;
  std::vector<std::string> an, b_an, dn, weekday;

  const std::optional<std::string>& get(std::string_view name) const {
    for (std::size_t i = 0; i < singles.size(); ++i)
      if (singles[i] == name) return single[i];
    static const std::optional<std::string> none;
    return none;
  }
};

std::variant<raw_params, param_error> collect(const query_params& params) {
  raw_params raw;
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;
    if (key == "an") {
      append_list_items(raw.an, value);
      continue;
    }
    if (key == "b_an") {
      append_list_items(raw.b_an, value);
      continue;
    }
    if (key == "dn") {
      append_list_items(raw.dn, value);
      continue;
    }
    if (key == "weekday") {
      append_list_items(raw.weekday, value);
      continue;
    }
    for (std::size_t i = 0; i < raw_params::singles.size(); ++i) {
      if (key != raw_params::singles[i]) continue;
      if (raw.single[i]) return param_error{key, key + " may be given only once"};
      raw.single[i] = value;
    }
  }
  return raw;
}

std::optional<param_error> parse_date_param(const raw_params& raw, std::string_view name,
                                            std::optional<civil_date>& out) {
  const auto& v = raw.get(name);
  if (!v) return std::nullopt;
  out = parse_date(*v);
  if (!out)
    return param_error{std::string(name),
                       std::string(name) + " " + shown(*v, 32) + " is not a date; use YYYY-MM-DD, e.g. 2026-11-01"};
  return std::nullopt;
}

std::optional<param_error> parse_ans(const std::vector<std::string>& items, std::string_view name,
                                     std::vector<std::string>& out) {
  for (const std::string& item : items) {
    std::string digits = strip_hyphens(item);
    if (!is_valid_an(digits))
      return param_error{std::string(name),
                         std::string(name) + " " + shown(item, 32) +
                             " is not an AN: 0120 + 6 digits, 0800 + 7 digits or 0570 + 6 digits (hyphens allowed)"};
    if (std::find(out.begin(), out.end(), digits) == out.end()) out.push_back(std::move(digits));
  }
  return std::nullopt;
}

// DNs are ordinary numbers (of any area): digits only, at most 15 (E.164's limit).
std::optional<param_error> parse_dns(const std::vector<std::string>& items, std::vector<std::string>& out) {
  for (const std::string& item : items) {
    std::string digits = strip_hyphens(item);
    if (digits.empty() || digits.size() > 15 || !is_all_digits(digits))
      return param_error{"dn", "dn " + shown(item, 32) + " is not a phone number: digits only, hyphens allowed"};
    if (std::find(out.begin(), out.end(), digits) == out.end()) out.push_back(std::move(digits));
  }
  return std::nullopt;
}

}  // namespace

bool names_param(const query_params& params, std::string_view key) {
  return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == key && !p.second.empty(); });
}

void append_list_items(std::vector<std::string>& out, std::string_view value) {
  std::size_t pos = 0;
  while (pos <= value.size()) {
    std::size_t comma = value.find(',', pos);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view item = value.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    pos = comma + 1;
  }
}

std::string_view granularity_name(granularity g) {
  switch (g) {
    case granularity::minute: return "minute";
    case granularity::hour: return "hour";
    case granularity::day: return "day";
    case granularity::month: return "month";
  }
  return "day";
}

std::string_view weekday_name(int weekday) {
  return weekday >= 0 && weekday < 7 ? weekday_names[static_cast<std::size_t>(weekday)] : std::string_view{};
}

query_params parse_query(std::string_view raw) {
  query_params out;
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    std::size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) amp = raw.size();
    const std::string_view part = raw.substr(pos, amp - pos);
    if (!part.empty()) {
      const std::size_t eq = part.find('=');
      if (eq == std::string_view::npos)
        out.emplace_back(url_decode(part), std::string());
      else
        out.emplace_back(url_decode(part.substr(0, eq)), url_decode(part.substr(eq + 1)));
    }
    pos = amp + 1;
  }
  return out;
}

std::variant<filters, param_error> parse_filters(const query_params& params, civil_date today, int retention_months,
                                                 std::optional<civil_date> kept_from) {
  auto collected = collect(params);
  if (auto* e = std::get_if<param_error>(&collected)) return std::move(*e);
  const raw_params& raw = std::get<raw_params>(collected);
  filters f;

  std::optional<civil_date> from, to;
  if (auto e = parse_date_param(raw, "from", from)) return *e;
  if (auto e = parse_date_param(raw, "to", to)) return *e;
  if (auto e = parse_ans(raw.an, "an", f.ans)) return *e;
  if (auto e = parse_dns(raw.dn, f.dns)) return *e;
  f.from_given = from.has_value();
  f.granularity_given = raw.get("granularity").has_value();

  if (!raw.weekday.empty()) {
    f.weekday_mask = 0;
    for (const std::string& item : raw.weekday) {
      const auto it = std::find(weekday_names.begin(), weekday_names.end(), lower(item));
      if (it == weekday_names.end())
        return param_error{"weekday",
                           "weekday " + shown(item, 32) + " is not one of mon, tue, wed, thu, fri, sat, sun"};
      f.weekday_mask |= static_cast<uint8_t>(1u << (it - weekday_names.begin()));
    }
  }

  if (const auto& v = raw.get("hours")) {
    const std::size_t dash = v->find('-');
    const auto a = dash == std::string::npos ? std::nullopt : small_int(std::string_view(*v).substr(0, dash));
    const auto b = dash == std::string::npos ? std::nullopt : small_int(std::string_view(*v).substr(dash + 1));
    if (!a || !b || *a > 24 || *b > 24 || *a == *b)
      return param_error{"hours", "hours " + shown(*v, 32) +
                                      " is not a time band: use A-B with whole hours 0-24 and A != B, e.g. 9-18 (09:00 "
                                      "to 18:00) or 22-6 (past midnight)"};
    f.hours = std::make_pair(*a, *b);
  }

  if (const auto& v = raw.get("granularity")) {
    const std::string g = lower(*v);
    if (g == "minute")
      f.gran = granularity::minute;
    else if (g == "hour")
      f.gran = granularity::hour;
    else if (g == "day")
      f.gran = granularity::day;
    else if (g == "month")
      f.gran = granularity::month;
    else
      return param_error{"granularity", "granularity " + shown(*v, 32) + " is not one of minute, hour, day, month"};
  }

  if (const auto& v = raw.get("format")) {
    const std::string fmt = lower(*v);
    if (fmt == "csv")
      f.csv = true;
    else if (fmt != "json")
      return param_error{"format", "format " + shown(*v, 32) + " is not one of json, csv"};
  }

  if (const auto& v = raw.get("headers")) {
    const std::string h = lower(*v);
    if (h == "ja")
      f.csv_headings = lang::ja;
    else if (h == "en")
      f.csv_headings = lang::en;
    else
      return param_error{"headers", "headers " + shown(*v, 32) + " is not one of ja, en"};
  }

  if (auto e = parse_date_param(raw, "b_from", f.b_from)) return *e;
  if (auto e = parse_date_param(raw, "b_to", f.b_to)) return *e;
  if (f.b_from && f.b_to && *f.b_from > *f.b_to)
    return param_error{"b_from", "b_from " + format_date(*f.b_from) + " is after b_to " + format_date(*f.b_to)};
  if (auto e = parse_ans(raw.b_an, "b_an", f.b_ans)) return *e;
  if (const auto& v = raw.get("gos")) f.gos = *v;
  if (const auto& v = raw.get("align")) {
    const std::string a = lower(*v);
    if (a == "weekday")
      f.align_weekday = true;
    else if (a != "date")
      return param_error{"align", "align " + shown(*v, 32) + " is not one of date, weekday"};
  }

  // The range: defaults, then the cuts to today and to the retention window.
  const civil_date oldest = retention_start(today, retention_months);
  f.to = to ? std::min(*to, today) : today;
  if (from) {
    f.from = *from;
  } else if (f.gran == granularity::month) {
    f.from = oldest;
  } else if (f.gran == granularity::minute) {
    f.from = f.to;
  } else if (f.gran == granularity::hour) {
    f.from = add_days(f.to, -(max_hourly_days - 1));
  } else {
    f.from = add_months(f.to, -3);
  }
  if (f.from > today)
    return param_error{"from",
                       "from " + format_date(f.from) + " is in the future (today is " + format_date(today) + " JST)"};
  if (f.from > f.to) return param_error{"from", "from " + format_date(f.from) + " is after to " + format_date(f.to)};
  if (f.to < oldest)
    return param_error{"to", "to " + format_date(f.to) + " is before the oldest data kept (" + format_date(oldest) +
                                 ", " + std::to_string(retention_months) + " months of retention)"};
  f.from = std::max(f.from, oldest);
  if (kept_from && f.to >= *kept_from) f.from = std::max(f.from, *kept_from);
  if (f.gran == granularity::minute && f.from != f.to)
    return param_error{"granularity", "granularity minute needs a one-day range: from and to must be the same date"};
  if (const auto days = days_from_civil(f.to) - days_from_civil(f.from) + 1;
      f.gran == granularity::hour && days > max_hourly_days)
    return param_error{"granularity", "granularity hour covers at most " + std::to_string(max_hourly_days) +
                                          " days; this range has " + std::to_string(days) + ": use day"};
  return f;
}

bool hour_matches(const filters& f, int weekday, int hour) {
  if ((f.weekday_mask >> weekday & 1) == 0) return false;
  if (!f.hours) return true;
  const auto [a, b] = *f.hours;
  return a < b ? (hour >= a && hour < b) : (hour >= a || hour < b);
}

}  // namespace cxs::domain
