#include "domain/analysis.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>

namespace cxs::domain {
namespace {

using nlohmann::json;

// Sums over many hours can exceed 32 bits; per-hour cells cannot.
struct figures {
  std::array<uint64_t, call_result_count> calls{};
  uint64_t talk_seconds = 0;

  void add(const hour_counts& c) {
    for (std::size_t i = 0; i < calls.size(); ++i) calls[i] += c.calls[i];
    talk_seconds += c.talk_seconds;
  }
  uint64_t total() const {
    uint64_t t = 0;
    for (const uint64_t c : calls) t += c;
    return t;
  }
  uint64_t completed() const { return calls[static_cast<std::size_t>(call_result::completed)]; }
};

// The buckets of one range at one granularity: how many, which bucket a cell falls in, labels.
// Cells are numbered in units of `unit` seconds: hours (hourly rollups), or minutes (the minute
// cells of granularity minute).
struct bucketing {
  granularity gran;
  civil_date from;
  int64_t unit;   // seconds per cell number: 3600, or 60 for granularity minute
  int64_t start;  // first cell number of `from` (JST midnight)
  int64_t end;    // first cell number after `to`
  int first_month;
  std::size_t count;

  static bucketing make(civil_date from, civil_date to, granularity g) {
    const int64_t unit = g == granularity::minute ? 60 : 3600;
    bucketing b{g, from, unit, jst_day_start(from) / unit, jst_day_start(add_days(to, 1)) / unit, month_index(from), 0};
    if (to < from) {  // parse_filters never produces this; answer an empty series, not a huge one
      b.end = b.start;
      return b;
    }
    switch (g) {
      case granularity::minute:
      case granularity::hour: b.count = static_cast<std::size_t>(b.end - b.start); break;
      case granularity::day: b.count = static_cast<std::size_t>((b.end - b.start) / 24); break;
      case granularity::month: b.count = static_cast<std::size_t>(month_index(to) - b.first_month) + 1; break;
    }
    return b;
  }

  // Cell `n` is in [start, end) and `t` is its JST time.
  std::size_t index_of(int64_t n, const jst_time& t) const {
    switch (gran) {
      case granularity::day: return static_cast<std::size_t>((n - start) / 24);
      case granularity::month: return static_cast<std::size_t>(month_index(t.date) - first_month);
      default: return static_cast<std::size_t>(n - start);
    }
  }

  std::string label(std::size_t i) const {
    switch (gran) {
      case granularity::day: return format_date(add_days(from, static_cast<int64_t>(i)));
      case granularity::month: return format_month(first_of_month_index(first_month + static_cast<int>(i)));
      case granularity::minute: return format_jst_minute((start + static_cast<int64_t>(i)) * unit);
      default: return format_jst_hour((start + static_cast<int64_t>(i)) * unit);
    }
  }
};

// Which rollup cell indexes a list of AN digits (and, with a dn filter, DN digits) means. `none`
// when numbers were named but nothing matches them: an empty index list would mean "every AN" to
// the rollup.
struct selection {
  std::vector<uint16_t> indexes;
  bool none = false;
};

selection select(const account_view& account, const std::vector<std::string>& ans, const std::vector<std::string>& dns,
                 bool groups_left_none) {
  selection s;
  if (groups_left_none) {
    s.none = true;
    return s;
  }
  for (const std::string& an : ans) {
    const auto it = std::find(account.ans.begin(), account.ans.end(), an);
    if (it != account.ans.end()) s.indexes.push_back(static_cast<uint16_t>(it - account.ans.begin()));
  }
  s.none = !ans.empty() && s.indexes.empty();
  if (dns.empty() || s.none) return s;
  // The cells are (AN, DN) pairs: those of the named DNs, on the named ANs if any.
  s.indexes = account.by_dn ? account.by_dn->select(s.indexes, dns) : std::vector<uint16_t>{};
  s.none = s.indexes.empty();
  return s;
}

struct accumulated {
  std::vector<figures> buckets;  // the first `keep` buckets of the range
  figures total;                 // the whole range
};

// Sums the selected calls per bucket. Only the first `keep` buckets are materialised: compare's
// range B is not bounded by retention, so its length must not decide how much memory we use.
accumulated accumulate(const traffic_rollup& rollup, const bucketing& b, const selection& sel, const filters& f,
                       std::size_t keep) {
  accumulated out;
  out.buckets.resize(std::min(b.count, keep));
  if (sel.none) return out;
  // Cells arrive in order, so the calendar day is converted once per day, not once per cell.
  const int64_t per_hour = 3600 / b.unit;
  int64_t day_start = std::numeric_limits<int64_t>::min();
  jst_time t{};
  rollup.for_each_hour(b.start, b.end, sel.indexes, [&](int64_t n, const hour_counts& c) {
    if (n < day_start || n >= day_start + 24 * per_hour) {
      t = to_jst(n * b.unit);
      day_start = n - (t.hour * 3600 + t.minute * 60) / b.unit;
    }
    t.hour = static_cast<int>((n - day_start) / per_hour);
    if (!hour_matches(f, t.weekday, t.hour)) return;
    out.total.add(c);
    const std::size_t i = b.index_of(n, t);
    if (i < out.buckets.size()) out.buckets[i].add(c);
  });
  return out;
}

// Rounded half-up ten-thousandths of num/den (den > 0); 128-bit so products of big counts fit.
int64_t ten_thousandths(unsigned __int128 num, unsigned __int128 den) {
  return static_cast<int64_t>((num * 20000 + den) / (2 * den));
}

std::optional<int64_t> rate_e4(const figures& x) {
  const uint64_t calls = x.total();
  if (calls == 0) return std::nullopt;
  return ten_thousandths(x.completed(), calls);
}

json from_e4(std::optional<int64_t> v) { return v ? json(static_cast<double>(*v) / 10000.0) : json(nullptr); }

json traffic_figures(const figures& x) {
  const uint64_t calls = x.total();
  const uint64_t completed = x.completed();
  return json{{"calls", calls},
              {"completed", completed},
              {"incomplete", calls - completed},
              {"talk_seconds", x.talk_seconds},
              {"completion_rate", from_e4(rate_e4(x))}};
}

json incomplete_figures(const figures& x) {
  json out = json::object();
  uint64_t sum = 0;
  for (int r = 0; r < call_result_count; ++r) {
    if (static_cast<call_result>(r) == call_result::completed) continue;
    out[std::string(result_name(static_cast<call_result>(r)))] = x.calls[static_cast<std::size_t>(r)];
    sum += x.calls[static_cast<std::size_t>(r)];
  }
  out["incomplete"] = sum;
  return out;
}

json compared(uint64_t a, uint64_t b) {
  return json{{"a", a}, {"b", b}, {"diff", static_cast<int64_t>(a) - static_cast<int64_t>(b)}, {"ratio", ratio(a, b)}};
}

json compared_rates(const figures& a, const figures& b) {
  const auto ra = rate_e4(a), rb = rate_e4(b);
  json out{{"a", from_e4(ra)}, {"b", from_e4(rb)}, {"diff", nullptr}, {"ratio", nullptr}};
  if (ra && rb) out["diff"] = static_cast<double>(*ra - *rb) / 10000.0;
  // Ratio of the exact rates: (ca/na) / (cb/nb) = ca·nb / (na·cb).
  if (ra && rb && b.completed() > 0)
    out["ratio"] = static_cast<double>(ten_thousandths(static_cast<unsigned __int128>(a.completed()) * b.total(),
                                                       static_cast<unsigned __int128>(a.total()) * b.completed())) /
                   10000.0;
  return out;
}

json compare_figures(const figures& a, const figures& b) {
  return json{{"calls", compared(a.total(), b.total())},
              {"completed", compared(a.completed(), b.completed())},
              {"incomplete", compared(a.total() - a.completed(), b.total() - b.completed())},
              {"talk_seconds", compared(a.talk_seconds, b.talk_seconds)},
              {"completion_rate", compared_rates(a, b)}};
}

// A row where one range has no bucket (SPEC §19: every bucket of both ranges appears): that
// side's figures, and diff and ratio, are null.
json compare_one_side(const figures& x, bool is_a) {
  json out = compare_figures(x, x);
  for (auto& [name, cell] : out.items()) {
    cell[is_a ? "b" : "a"] = nullptr;
    cell["diff"] = nullptr;
    cell["ratio"] = nullptr;
  }
  return out;
}

json filters_json(const filters& f, const account_view& account) {
  json out = applied_filters_json(f, account.ans);
  if (!f.dns.empty() || f.dns_none) out["dn"] = f.dns;
  out["granularity"] = std::string(granularity_name(f.gran));
  return out;
}

json parameter_refused(const std::string& field, const std::string& message) {
  return json{{"error", {{"code", "invalid_parameter"}, {"field", field}, {"message", message}}}};
}

// Shared by traffic and incomplete: one figure function over a dense series.
template <class Figures>
json series_answer(const traffic_rollup& rollup, const account_view& account, const filters& f, Figures&& figures_of) {
  const bucketing b = bucketing::make(f.from, f.to, f.gran);
  const accumulated a = accumulate(rollup, b, select(account, f.ans, f.dns, f.ans_none || f.dns_none), f, b.count);
  json series = json::array();
  for (std::size_t i = 0; i < a.buckets.size(); ++i) {
    json row = figures_of(a.buckets[i]);
    row["t"] = b.label(i);
    series.push_back(std::move(row));
  }
  return json{{"filters", filters_json(f, account)}, {"series", std::move(series)}, {"totals", figures_of(a.total)}};
}

// ---- CSV ----

// Column order per analysis; figures not listed follow in alphabetical order.
std::vector<std::string_view> preferred_order(std::string_view analysis) {
  if (analysis == "incomplete")
    return {"busy", "no_answer", "abandoned", "out_of_hours", "area_restricted", "congestion", "other", "incomplete"};
  return {"calls", "completed", "incomplete", "talk_seconds", "completion_rate"};
}

}  // namespace

std::string csv_file_name(std::string_view analysis_name, const json& answer) {
  std::string name(analysis_name);
  const json* applied = answer.contains("filters") ? &answer["filters"] : nullptr;
  if (applied && applied->contains("from") && applied->contains("to") && (*applied)["from"].is_string() &&
      (*applied)["to"].is_string())
    name += "_" + (*applied)["from"].get<std::string>() + "_" + (*applied)["to"].get<std::string>();
  return name + ".csv";
}

json applied_filters_json(const filters& f, const std::vector<std::string>& all_ans) {
  json weekdays = json::array();
  for (int d = 0; d < 7; ++d)
    if (f.weekday_mask >> d & 1) weekdays.push_back(std::string(weekday_name(d)));
  json hours = nullptr;
  if (f.hours) hours = std::to_string(f.hours->first) + "-" + std::to_string(f.hours->second);
  json out{{"from", format_date(f.from)},
           {"to", format_date(f.to)},
           {"an", json(f.ans.empty() && !f.ans_none ? all_ans : f.ans)},
           {"weekday", std::move(weekdays)},
           {"hours", std::move(hours)}};
  if (!f.an_groups.empty()) out["an_group"] = f.an_groups;
  if (!f.dn_groups.empty()) out["dn_group"] = f.dn_groups;
  return out;
}

json completion_rate(uint64_t completed, uint64_t calls) {
  if (calls == 0) return nullptr;
  return static_cast<double>(ten_thousandths(completed, calls)) / 10000.0;
}

json ratio(uint64_t a, uint64_t b) {
  if (b == 0) return nullptr;
  return static_cast<double>(ten_thousandths(a, b)) / 10000.0;
}

json traffic(const traffic_rollup& rollup, const account_view& account, const filters& f) {
  return series_answer(rollup, account, f, traffic_figures);
}

namespace {
// A rate in ten-thousandths as JSON, as nlohmann prints the same double: 0.6817, 0.5, 1.0.
void append_rate(std::string& out, std::optional<int64_t> e4) {
  if (!e4) {
    out += "null";
    return;
  }
  out += std::to_string(*e4 / 10000);
  int64_t fraction = *e4 % 10000;
  if (fraction == 0) {
    out += ".0";
    return;
  }
  // Four digits with leading zeros, then trailing zeros dropped (fraction is 1..9999).
  char digits[4];
  for (int i = 3; i >= 0; --i, fraction /= 10) digits[i] = static_cast<char>('0' + fraction % 10);
  std::size_t n = 4;
  while (digits[n - 1] == '0') --n;
  out += '.';
  out.append(digits, n);
}

void append_traffic(std::string& out, const figures& x, const std::string* label) {
  const uint64_t calls = x.total();
  const uint64_t completed = x.completed();
  out += "{\"calls\":";
  out += std::to_string(calls);
  out += ",\"completed\":";
  out += std::to_string(completed);
  out += ",\"completion_rate\":";
  append_rate(out, rate_e4(x));
  out += ",\"incomplete\":";
  out += std::to_string(calls - completed);
  if (label) {
    out += ",\"t\":\"";
    out += *label;  // a date or hour label: digits, '-' and 'T' only
    out += '"';
  }
  out += ",\"talk_seconds\":";
  out += std::to_string(x.talk_seconds);
  out += '}';
}
}  // namespace

std::string traffic_text(const traffic_rollup& rollup, const account_view& account, const filters& f) {
  const bucketing b = bucketing::make(f.from, f.to, f.gran);
  const accumulated a = accumulate(rollup, b, select(account, f.ans, f.dns, f.ans_none || f.dns_none), f, b.count);
  std::string out;
  out.reserve(256 + a.buckets.size() * 112);
  out += "{\"filters\":";
  out += filters_json(f, account).dump();
  out += ",\"series\":[";
  for (std::size_t i = 0; i < a.buckets.size(); ++i) {
    if (i) out += ',';
    const std::string label = b.label(i);
    append_traffic(out, a.buckets[i], &label);
  }
  out += "],\"totals\":";
  append_traffic(out, a.total, nullptr);
  out += '}';
  return out;
}

json incomplete(const traffic_rollup& rollup, const account_view& account, const filters& f) {
  return series_answer(rollup, account, f, incomplete_figures);
}

std::pair<civil_date, civil_date> compare_b_range(const filters& f) {
  const int64_t length = days_from_civil(f.to) - days_from_civil(f.from) + 1;
  civil_date b_from, b_to;
  if (f.b_from && f.b_to) {
    b_from = *f.b_from;
    b_to = *f.b_to;
  } else if (f.b_from) {
    b_from = *f.b_from;
    b_to = add_days(b_from, length - 1);
  } else if (f.b_to) {
    b_to = *f.b_to;
    b_from = add_days(b_to, -(length - 1));
  } else {
    b_to = add_days(f.from, -1);
    b_from = add_days(b_to, -(length - 1));
  }
  if (f.gran == granularity::month && !(f.b_from && f.b_to)) {
    // By month, "the range of the same length" counts months, so B's buckets are whole months
    // like A's: 2026-11-01..2026-11-30 compares with 2026-10-01..2026-10-31.
    const int months = month_index(f.to) - month_index(f.from) + 1;
    const auto shift = [](civil_date d, int n) {  // a month end stays a month end
      const bool month_end = d.day == days_in_month(d.year, d.month);
      civil_date s = add_months(d, n);
      if (month_end) s.day = days_in_month(s.year, s.month);
      return s;
    };
    if (f.b_from) {
      b_from = *f.b_from;
      b_to = add_days(add_months(b_from, months), -1);
    } else if (f.b_to) {
      b_to = *f.b_to;
      b_from = add_months(add_days(b_to, 1), -months);
    } else {
      b_from = shift(f.from, -months);
      b_to = shift(f.to, -months);
    }
  }

  if (f.align_weekday && f.gran == granularity::day) {
    // B moves back to the nearest day with A's first weekday and keeps its length.
    const int64_t behind = ((days_from_civil(b_from) - days_from_civil(f.from)) % 7 + 7) % 7;
    b_from = add_days(b_from, -behind);
    b_to = add_days(b_to, -behind);
  }
  return {b_from, b_to};
}

json compare(const traffic_rollup& rollup, const account_view& account, const filters& f) {
  if (f.align_weekday && f.gran != granularity::day)
    return parameter_refused("align",
                             "align weekday needs granularity day (weeks of days line up, hours and "
                             "months do not)");
  const auto [b_from, b_to] = compare_b_range(f);
  const int64_t b_days = days_from_civil(b_to) - days_from_civil(b_from) + 1;
  if (f.gran == granularity::minute && b_days != 1)
    return parameter_refused("granularity", "granularity minute compares one day with one day; range B has " +
                                                std::to_string(b_days) + " days: give b_from = b_to, or use hour");
  if (f.gran == granularity::hour && b_days > max_hourly_days)
    return parameter_refused("granularity", "granularity hour covers at most " + std::to_string(max_hourly_days) +
                                                " days; range B has " + std::to_string(b_days) + ": use day");
  if (b_days > max_compare_b_days)
    return parameter_refused("b_from", "range B spans " + std::to_string(b_days) + " days; at most " +
                                           std::to_string(max_compare_b_days) + " are compared");

  const bucketing ba = bucketing::make(f.from, f.to, f.gran);
  const bucketing bb = bucketing::make(b_from, b_to, f.gran);
  const selection sel_a = select(account, f.ans, f.dns, f.ans_none || f.dns_none);
  const selection sel_b = f.b_ans.empty() ? sel_a : select(account, f.b_ans, f.dns, f.dns_none);
  const accumulated a = accumulate(rollup, ba, sel_a, f, ba.count);
  const accumulated b = accumulate(rollup, bb, sel_b, f, bb.count);

  // One row per offset of the longer range: the totals are the sums of the rows on both sides.
  json series = json::array();
  for (std::size_t i = 0; i < std::max(a.buckets.size(), b.buckets.size()); ++i) {
    const bool in_a = i < a.buckets.size(), in_b = i < b.buckets.size();
    json row = in_a && in_b ? compare_figures(a.buckets[i], b.buckets[i])
                            : compare_one_side(in_a ? a.buckets[i] : b.buckets[i], in_a);
    row["t"] = in_a ? json(ba.label(i)) : json(nullptr);
    row["t_b"] = in_b ? json(bb.label(i)) : json(nullptr);
    series.push_back(std::move(row));
  }

  json applied = filters_json(f, account);
  applied["b_from"] = format_date(b_from);
  applied["b_to"] = format_date(b_to);
  const auto& b_ans = f.b_ans.empty() ? f.ans : f.b_ans;
  const bool b_none = f.b_ans.empty() && f.ans_none;
  applied["b_an"] = json(b_ans.empty() && !b_none ? account.ans : b_ans);
  return json{
      {"filters", std::move(applied)}, {"series", std::move(series)}, {"totals", compare_figures(a.total, b.total)}};
}

csv_sheet analysis_sheet(std::string_view analysis_name, const json& answer) {
  csv_sheet sheet;
  static const json empty_array = json::array();
  const json& series = answer.contains("series") && answer["series"].is_array() ? answer["series"] : empty_array;
  // Figure names from the first bucket (or the totals of an empty series).
  const json* sample = !series.empty() ? &series[0] : (answer.contains("totals") ? &answer["totals"] : nullptr);
  std::vector<std::string> names;
  if (sample && sample->is_object())
    for (const auto& [key, value] : sample->items())
      if (key != "t" && key != "t_b") names.push_back(key);  // json keeps keys sorted, so this is alphabetical
  const auto order = preferred_order(analysis_name);
  const auto rank = [&](const std::string& n) {
    return static_cast<std::size_t>(std::find(order.begin(), order.end(), n) - order.begin());
  };
  std::stable_sort(names.begin(), names.end(),
                   [&](const std::string& x, const std::string& y) { return rank(x) < rank(y); });

  // Compare figures are objects {a, b, diff, ratio} and become four columns each.
  static constexpr std::array<std::string_view, 4> parts{"a", "b", "diff", "ratio"};
  const auto is_pair = [&](const std::string& n) { return sample && (*sample)[n].is_object(); };

  // compare labels both ranges: B's label is a column of its own (a row may have only one side).
  const bool has_b_label = sample && sample->is_object() && sample->contains("t_b");
  sheet.columns.push_back({"t"});
  if (has_b_label) sheet.columns.push_back({"t_b"});
  for (const std::string& n : names) {
    if (is_pair(n)) {
      for (const auto p : parts) sheet.columns.push_back({n + "_" + std::string(p)});
    } else {
      sheet.columns.push_back({n});
    }
  }
  for (const json& row : series) {
    auto& cells = sheet.rows.emplace_back();
    cells.push_back(row.contains("t") ? row["t"] : json(nullptr));
    if (has_b_label) cells.push_back(row.contains("t_b") ? row["t_b"] : json(nullptr));
    for (const std::string& n : names) {
      const json cell = row.contains(n) ? row[n] : json(nullptr);
      if (is_pair(n)) {
        for (const auto p : parts)
          cells.push_back(cell.is_object() && cell.contains(p) ? cell[std::string(p)] : json(nullptr));
      } else {
        cells.push_back(cell);
      }
    }
  }
  return sheet;
}

csv_answer to_csv(std::string_view analysis_name, const json& answer, std::optional<lang> headings) {
  return {csv_file_name(analysis_name, answer), write_csv(analysis_sheet(analysis_name, answer), headings)};
}

}  // namespace cxs::domain
