#include "domain/detailed_analysis.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "domain/erlang.hpp"
#include "domain/prefecture.hpp"

namespace cxs::domain {
namespace {

using nlohmann::json;

constexpr int64_t hour_seconds = 3600, day_seconds = 86400;

int jst_hour_of(uint32_t start) { return static_cast<int>((start + jst_offset_seconds) / hour_seconds % 24); }
// 1970-01-01 was a Thursday; 0 = Monday.
int jst_weekday_of(uint32_t start) { return static_cast<int>(((start + jst_offset_seconds) / day_seconds + 3) % 7); }

double rounded(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

// num / den rounded half-up to 1/scale in integers (den > 0), so that a figure such as 570.125
// rounds the same way in every client that checks it: to 570.13.
double ratio_half_up(uint64_t num, uint64_t den, uint64_t scale) {
  const auto wide = static_cast<unsigned __int128>(num) * scale * 2 + den;
  return static_cast<double>(static_cast<uint64_t>(wide / (static_cast<unsigned __int128>(den) * 2))) /
         static_cast<double>(scale);
}

// Which records an analysis reads: the ANs and DNs named (all when none), the weekdays and the
// time band. Named numbers the account does not have select nothing.
struct selector {
  std::vector<bool> an_ok, dn_ok;  // empty = every AN / DN
  bool none = false;
  const filters& f;

  selector(const detail_view& v, const filters& fl) : f(fl) {
    none = f.ans_none || f.dns_none;  // groups named, none of their numbers left
    if (!f.ans.empty()) {
      an_ok.assign(v.ans.size(), false);
      bool any = false;
      for (const auto& an : f.ans) {
        const auto it = std::find(v.ans.begin(), v.ans.end(), an);
        if (it != v.ans.end()) an_ok[static_cast<std::size_t>(it - v.ans.begin())] = any = true;
      }
      none = none || !any;
    }
    if (!f.dns.empty()) {
      dn_ok.assign(v.table.dns().size(), false);
      bool any = false;
      for (const auto& dn : f.dns) {
        const uint16_t i = v.table.dn_index(dn);
        if (i != no_dn) dn_ok[i] = any = true;
      }
      none = none || !any;
    }
  }
  // The AN and DN conditions only.
  bool numbers_match(const detail_record& r) const {
    if (!an_ok.empty() && (r.an_index >= an_ok.size() || !an_ok[r.an_index])) return false;
    if (!dn_ok.empty() && (r.dn_index >= dn_ok.size() || !dn_ok[r.dn_index])) return false;
    return true;
  }
  bool passes(const detail_record& r) const {
    return numbers_match(r) && hour_matches(f, jst_weekday_of(r.start), jst_hour_of(r.start));
  }
  // Whether the day summaries answer: no AN, DN or time band narrows the calls, so every call of
  // a selected day counts. `ans_allowed`: the analysis sums per AN itself (numbers).
  bool whole_days(bool ans_allowed = false) const {
    return !none && (ans_allowed || an_ok.empty()) && dn_ok.empty() && !f.hours;
  }
  // f(int64_t day_number, const day_summary&) for every day of the range on a selected weekday.
  template <class F>
  void each_summary(const detail_view& v, F&& fn) const {
    v.table.for_each_summary(f.from, f.to, [&](int64_t day, const day_summary& s) {
      if (f.weekday_mask >> ((day + 3) % 7) & 1) fn(day, s);  // 1970-01-01 was a Thursday
    });
  }
  // f(const detail_record&) for every selected record of the range, in day order.
  template <class F>
  void each(const detail_view& v, F&& fn) const {
    if (none) return;
    v.table.for_each_day(f.from, f.to, [&](int64_t, const std::vector<detail_record>& day) {
      for (const detail_record& r : day)
        if (passes(r)) fn(r);
    });
  }
};

json filters_json(const detail_view& v, const filters& f) {
  json out = applied_filters_json(f, v.ans);
  out["dn"] = f.dns;
  return out;
}

std::string pref_name(uint8_t code, bool english) {
  return std::string(english ? prefecture_name_en(code) : prefecture_name(code));
}

json pref_rows(const detail_view& v, const filters& f, bool by_origin) {
  std::array<uint64_t, pref_slots> calls{}, completed{};
  const selector sel(v, f);
  if (sel.whole_days()) {
    sel.each_summary(v, [&](int64_t, const day_summary& s) {
      const auto& prefs = by_origin ? s.origin : s.destination;
      for (std::size_t p = 0; p < pref_slots; ++p) {
        calls[p] += prefs[p].calls;
        completed[p] += prefs[p].completed;
      }
    });
  } else {
    sel.each(v, [&](const detail_record& r) {
      const uint8_t p = pref_slot(by_origin ? r.origin_pref : r.dest_pref);
      ++calls[p];
      if (r.result == call_result::completed) ++completed[p];
    });
  }
  std::vector<uint8_t> codes;
  uint64_t total_calls = 0, total_completed = 0;
  for (uint8_t p = 0; p < pref_slots; ++p) {
    if (calls[p] > 0) codes.push_back(p);
    total_calls += calls[p];
    total_completed += completed[p];
  }
  std::stable_sort(codes.begin(), codes.end(), [&](uint8_t a, uint8_t b) { return calls[a] > calls[b]; });
  json rows = json::array();
  for (const uint8_t p : codes)
    rows.push_back({{"pref", format_prefecture(p)},
                    {"name", pref_name(p, v.english)},
                    {"calls", calls[p]},
                    {"completed", completed[p]}});
  return json{{"filters", filters_json(v, f)},
              {"rows", std::move(rows)},
              {"totals", {{"calls", total_calls}, {"completed", total_completed}}}};
}

// ---- series buckets for calls-minutes ----

struct minute_buckets {
  int64_t start;  // unix seconds of the first bucket
  int64_t size;   // seconds per bucket
  std::size_t count;
  granularity gran;

  static minute_buckets make(const filters& f) {
    const int64_t start = jst_day_start(f.from), end = jst_day_start(add_days(f.to, 1));
    const int64_t size = f.gran == granularity::minute ? 60 : f.gran == granularity::hour ? hour_seconds : day_seconds;
    return {start, size, static_cast<std::size_t>(std::max<int64_t>(0, (end - start) / size)), f.gran};
  }
  std::string label(std::size_t i) const {
    const int64_t t = start + static_cast<int64_t>(i) * size;
    if (gran == granularity::day) return format_date(to_jst(t).date);
    if (gran == granularity::hour) return format_jst_hour(t);
    return format_jst_minute(t);
  }
};

struct minute_figures {
  uint64_t calls = 0, completed = 0, talk_seconds = 0;
  void add(const detail_record& r) {
    ++calls;
    if (r.result == call_result::completed) ++completed;
    talk_seconds += r.duration_s;
  }
  void add(const call_figures& c) {
    calls += c.calls;
    completed += c.completed;
    talk_seconds += c.talk_seconds;
  }
  json to_json() const {
    return json{{"calls", calls},
                {"completed", completed},
                {"talk_seconds", talk_seconds},
                {"talk_minutes", ratio_half_up(talk_seconds, 60, 100)}};
  }
};

// ---- CSV ----

// Rows of `columns` taken by name from each object of `items`.
std::vector<std::vector<json>> pick(const json& items, const std::vector<std::string>& columns) {
  std::vector<std::vector<json>> rows;
  if (!items.is_array()) return rows;
  for (const json& item : items) {
    std::vector<json> row;
    for (const auto& c : columns) row.push_back(item.contains(c) ? item[c] : json(nullptr));
    rows.push_back(std::move(row));
  }
  return rows;
}

const json& member(const json& answer, const char* name) {
  static const json null_value;
  return answer.is_object() && answer.contains(name) ? answer[name] : null_value;
}

}  // namespace

json origin(const detail_view& v, const filters& f) { return pref_rows(v, f, true); }
json destination(const detail_view& v, const filters& f) { return pref_rows(v, f, false); }

namespace {
// The pairs of the origin x destination matrix with calls, most calls first (ties in
// origin-then-destination order), with their counts and the total.
struct od_cells {
  std::vector<uint64_t> matrix = std::vector<uint64_t>(pref_slots * pref_slots, 0);
  std::vector<std::size_t> order;
  uint64_t total = 0;
};

od_cells od_counts(const detail_view& v, const filters& f) {
  od_cells c;
  const selector sel(v, f);
  if (sel.whole_days()) {
    sel.each_summary(v, [&](int64_t, const day_summary& s) {
      for (const auto& p : s.pairs) {
        c.matrix[p.pair] += p.calls;
        c.total += p.calls;
      }
    });
  } else {
    sel.each(v, [&](const detail_record& r) {
      ++c.matrix[pref_slot(r.origin_pref) * pref_slots + pref_slot(r.dest_pref)];
      ++c.total;
    });
  }
  for (std::size_t i = 0; i < c.matrix.size(); ++i)
    if (c.matrix[i] > 0) c.order.push_back(i);
  std::stable_sort(c.order.begin(), c.order.end(),
                   [&](std::size_t a, std::size_t b) { return c.matrix[a] > c.matrix[b]; });
  return c;
}

json od_names(const detail_view& v, const od_cells& c) {
  std::array<bool, pref_slots> used{};
  for (const std::size_t i : c.order) used[i / pref_slots] = used[i % pref_slots] = true;
  json names = json::object();
  for (std::size_t p = 0; p < pref_slots; ++p)
    if (used[p]) names[format_prefecture(static_cast<uint8_t>(p))] = pref_name(static_cast<uint8_t>(p), v.english);
  return names;
}
}  // namespace

json origin_destination(const detail_view& v, const filters& f) {
  const od_cells c = od_counts(v, f);
  json out = json::array();
  for (const std::size_t i : c.order)
    out.push_back({{"origin", format_prefecture(static_cast<uint8_t>(i / pref_slots))},
                   {"destination", format_prefecture(static_cast<uint8_t>(i % pref_slots))},
                   {"calls", c.matrix[i]}});
  return json{{"filters", filters_json(v, f)},
              {"cells", std::move(out)},
              {"names", od_names(v, c)},
              {"totals", {{"calls", c.total}}}};
}

std::string origin_destination_text(const detail_view& v, const filters& f) {
  const od_cells c = od_counts(v, f);
  std::string out;
  out.reserve(128 + c.order.size() * 52);
  out += "{\"cells\":[";
  bool first = true;
  for (const std::size_t i : c.order) {
    if (!first) out += ',';
    first = false;
    out += "{\"calls\":";
    out += std::to_string(c.matrix[i]);
    out += ",\"destination\":\"";
    out += format_prefecture(static_cast<uint8_t>(i % pref_slots));  // two digits: nothing to escape
    out += "\",\"origin\":\"";
    out += format_prefecture(static_cast<uint8_t>(i / pref_slots));
    out += "\"}";
  }
  out += "],\"filters\":";
  out += filters_json(v, f).dump(-1, ' ', false, json::error_handler_t::replace);
  out += ",\"names\":";
  out += od_names(v, c).dump(-1, ' ', false, json::error_handler_t::replace);
  out += ",\"totals\":{\"calls\":";
  out += std::to_string(c.total);
  out += "}}";
  return out;
}

json numbers(const detail_view& v, const filters& f) {
  struct per_an {
    uint64_t calls = 0, completed = 0, talk_seconds = 0;
    std::array<uint64_t, 24> by_hour{};
  };
  std::vector<per_an> figures(v.ans.size());
  const selector sel(v, f);
  if (sel.whole_days(true)) {  // rows are per AN anyway: the AN filter only picks rows
    sel.each_summary(v, [&](int64_t, const day_summary& s) {
      for (std::size_t a = 0; a < s.ans.size() && a < figures.size(); ++a) {
        const auto& day = s.ans[a];
        per_an& x = figures[a];
        x.calls += day.figures.calls;
        x.completed += day.figures.completed;
        x.talk_seconds += day.figures.talk_seconds;
        for (std::size_t h = 0; h < 24; ++h) x.by_hour[h] += day.calls_by_hour[h];
      }
    });
  } else {
    sel.each(v, [&](const detail_record& r) {
      if (r.an_index >= figures.size()) return;
      per_an& x = figures[r.an_index];
      ++x.calls;
      if (r.result == call_result::completed) ++x.completed;
      x.talk_seconds += r.duration_s;
      ++x.by_hour[static_cast<std::size_t>(jst_hour_of(r.start))];
    });
  }
  const auto row = [](const std::string& an, const per_an& x) {
    json busiest = nullptr;
    if (x.calls > 0)  // max_element keeps the first of equal maxima: the earliest hour
      busiest = std::max_element(x.by_hour.begin(), x.by_hour.end()) - x.by_hour.begin();
    json mean = nullptr;
    if (x.completed > 0) mean = ratio_half_up(x.talk_seconds, x.completed, 100);
    json out{{"calls", x.calls},
             {"completed", x.completed},
             {"completion_rate", completion_rate(x.completed, x.calls)},
             {"talk_seconds", x.talk_seconds},
             {"mean_talk_seconds", std::move(mean)},
             {"busiest_hour", std::move(busiest)}};
    if (!an.empty()) out["an"] = an;
    return out;
  };
  json rows = json::array();
  per_an total;
  const auto& listed = f.ans.empty() && !f.ans_none ? v.ans : f.ans;
  for (const std::string& an : listed) {
    const auto it = std::find(v.ans.begin(), v.ans.end(), an);
    const per_an x = it == v.ans.end() ? per_an{} : figures[static_cast<std::size_t>(it - v.ans.begin())];
    rows.push_back(row(an, x));
    total.calls += x.calls;
    total.completed += x.completed;
    total.talk_seconds += x.talk_seconds;
    for (std::size_t h = 0; h < 24; ++h) total.by_hour[h] += x.by_hour[h];
  }
  return json{{"filters", filters_json(v, f)}, {"rows", std::move(rows)}, {"totals", row("", total)}};
}

json calls_minutes(const detail_view& v, const filters& f) {
  const minute_buckets b = minute_buckets::make(f);
  std::vector<minute_figures> buckets(b.count);
  minute_figures total;
  const selector sel(v, f);
  if (sel.whole_days() && f.gran != granularity::minute) {
    sel.each_summary(v, [&](int64_t day, const day_summary& s) {
      const int64_t day_offset = day * day_seconds - jst_offset_seconds - b.start;
      for (std::size_t h = 0; h < 24; ++h) {
        const int64_t offset = day_offset + static_cast<int64_t>(h) * hour_seconds;
        if (offset < 0 || s.hours[h].calls == 0) continue;
        const auto i = static_cast<std::size_t>(offset / b.size);
        if (i >= buckets.size()) continue;
        buckets[i].add(s.hours[h]);
        total.add(s.hours[h]);
      }
    });
  } else {
    sel.each(v, [&](const detail_record& r) {
      const int64_t offset = static_cast<int64_t>(r.start) - b.start;
      if (offset < 0) return;
      const auto i = static_cast<std::size_t>(offset / b.size);
      if (i >= buckets.size()) return;
      buckets[i].add(r);
      total.add(r);
    });
  }
  json series = json::array();
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    json row = buckets[i].to_json();
    row["t"] = b.label(i);
    series.push_back(std::move(row));
  }
  json applied = filters_json(v, f);
  applied["granularity"] = std::string(granularity_name(f.gran));
  return json{{"filters", std::move(applied)}, {"series", std::move(series)}, {"totals", total.to_json()}};
}

namespace {
json callers_json(const detail_view& v, const filters& f, uint64_t distinct, uint64_t withheld, uint64_t fresh,
                  const std::array<uint64_t, 6>& repeat) {
  return json{{"filters", filters_json(v, f)},
              {"distinct_callers", distinct},
              {"withheld_calls", withheld},
              {"new_callers", fresh},
              {"returning_callers", distinct - fresh},
              {"repeat",
               {{"1", repeat[0]},
                {"2", repeat[1]},
                {"3", repeat[2]},
                {"4-5", repeat[3]},
                {"6-9", repeat[4]},
                {"10+", repeat[5]}}}};
}
}  // namespace

json callers(const detail_view& v, const filters& f) {
  const selector sel(v, f);
  const uint32_t n = v.table.caller_count() + 1;
  // A question over every kept day on every weekday, without number or band filters: the calls
  // per caller kept with the table are the counts, and every caller is new (its first call in
  // the window is in the range).
  if (sel.whole_days() && f.weekday_mask == 0x7f && days_from_civil(f.from) <= v.table.first_day() &&
      days_from_civil(f.to) >= v.table.last_day()) {
    const auto& calls = v.table.calls_per_caller();
    uint64_t distinct = 0;
    std::array<uint64_t, 6> repeat{};
    for (std::size_t c = 1; c < calls.size(); ++c) {
      const uint32_t k = calls[c];
      if (k == 0) continue;
      ++distinct;
      repeat[k <= 3 ? k - 1 : k <= 5 ? 3 : k <= 9 ? 4 : 5]++;
    }
    return callers_json(v, f, distinct, calls.empty() ? 0 : calls[0], distinct, repeat);
  }
  // The first call of each caller within the detailed window up to the range's end, on the
  // selected numbers (weekday and time band do not make a caller new).
  constexpr uint32_t never = 0xffffffffu;
  std::vector<uint32_t> first(n, never), count(n, 0);
  if (!sel.none)
    v.table.for_each_day(v.window_start, f.to, [&](int64_t, const std::vector<detail_record>& day) {
      for (const detail_record& r : day)
        if (r.caller != 0 && sel.numbers_match(r)) first[r.caller] = std::min(first[r.caller], r.start);
    });
  uint64_t withheld = 0;
  sel.each(v, [&](const detail_record& r) {
    if (r.caller == 0)
      ++withheld;
    else
      ++count[r.caller];
  });
  const auto range_start = static_cast<uint32_t>(std::max<int64_t>(0, jst_day_start(f.from)));
  uint64_t distinct = 0, fresh = 0;
  std::array<uint64_t, 6> repeat{};  // 1, 2, 3, 4-5, 6-9, 10+
  for (uint32_t c = 1; c < n; ++c) {
    const uint32_t k = count[c];
    if (k == 0) continue;
    ++distinct;
    if (first[c] >= range_start) ++fresh;
    repeat[k <= 3 ? k - 1 : k <= 5 ? 3 : k <= 9 ? 4 : 5]++;
  }
  return callers_json(v, f, distinct, withheld, fresh, repeat);
}

json lines(const detail_view& v, const filters& f, double gos) {
  const int64_t range_start = jst_day_start(f.from);
  const auto hours =
      static_cast<std::size_t>(std::max<int64_t>(0, (jst_day_start(add_days(f.to, 1)) - range_start) / hour_seconds));
  std::vector<uint32_t> peak(hours, 0);
  std::vector<uint64_t> offered(hours, 0);  // talk seconds of the calls starting in each hour
  const std::size_t days = hours / 24;
  const selector sel(v, f);
  std::vector<const std::vector<detail_record>*> records_of(days, nullptr);  // by day of the range
  if (!sel.none)
    v.table.for_each_day(f.from, f.to, [&](int64_t day, const std::vector<detail_record>& records) {
      const int64_t d = day - days_from_civil(f.from);
      if (d >= 0 && static_cast<std::size_t>(d) < days) records_of[static_cast<std::size_t>(d)] = &records;
    });

  // The calls in progress at every second, one JST day at a time: each day's starts (+1) and
  // ends (-1) inside it, with the ends beyond it carried to the days after. Calls start and end
  // on whole seconds, so the largest count at a second of an hour is its peak. A busy day sums a
  // difference array of its seconds, a quiet one sorts its few changes; days without calls in
  // progress are skipped.
  // A day's changes: (second of the day, +1 start / -1 end), ends inside the day only.
  std::vector<std::pair<int32_t, int32_t>> changes;
  std::vector<int32_t> diff;
  std::vector<int64_t> carried, still_carried;  // ends of calls from earlier days, not yet ended
  for (std::size_t d = 0; d < days; ++d) {
    if (carried.empty() && records_of[d] == nullptr) continue;
    const int64_t day_start = range_start + static_cast<int64_t>(d) * day_seconds;
    const int64_t day_end = day_start + day_seconds;
    int32_t running = 0;  // calls in progress at the day's first instant, from earlier days
    changes.clear();
    still_carried.clear();
    for (const int64_t end : carried) {
      if (end <= day_start) continue;
      ++running;
      if (end < day_end)
        changes.emplace_back(static_cast<int32_t>(end - day_start), -1);
      else
        still_carried.push_back(end);
    }
    carried.swap(still_carried);
    if (records_of[d] != nullptr)
      for (const detail_record& r : *records_of[d]) {
        if (r.result != call_result::completed || r.duration_s == 0 || !sel.passes(r)) continue;
        const int64_t start = r.start, end = start + r.duration_s;
        offered[d * 24 + static_cast<std::size_t>((start - day_start) / hour_seconds)] += r.duration_s;
        changes.emplace_back(static_cast<int32_t>(start - day_start), 1);
        if (end < day_end)
          changes.emplace_back(static_cast<int32_t>(end - day_start), -1);
        else
          carried.push_back(end);
      }
    uint32_t* day_peaks = peak.data() + d * 24;
    if (changes.size() > 4096) {
      // Busy day: sum a difference array of its 86,400 seconds (linear, no sort).
      diff.assign(day_seconds, 0);
      for (const auto& [second, delta] : changes) diff[static_cast<std::size_t>(second)] += delta;
      const int32_t* second = diff.data();
      for (std::size_t h = 0; h < 24; ++h) {
        int32_t most = 0;
        for (int64_t i = 0; i < hour_seconds; ++i) {
          running += *second++;
          most = std::max(most, running);
        }
        day_peaks[h] = static_cast<uint32_t>(most);
      }
      continue;
    }
    // Quiet day: the changes in time order, ends before starts at the same second (a call ending
    // at t is no longer in progress at t).
    std::sort(changes.begin(), changes.end());
    std::size_t next = 0;
    for (int32_t h = 0; h < 24; ++h) {
      const int32_t first = h * static_cast<int32_t>(hour_seconds), past = first + static_cast<int32_t>(hour_seconds);
      for (; next < changes.size() && changes[next].first <= first; ++next) running += changes[next].second;
      int32_t most = running;  // in progress at the hour's first instant
      for (; next < changes.size() && changes[next].first < past; ++next) {
        running += changes[next].second;
        most = std::max(most, running);
      }
      day_peaks[h] = static_cast<uint32_t>(most);
    }
  }

  json series = json::array();
  std::size_t busy = 0;
  for (std::size_t h = 0; h < hours; ++h) {
    if (offered[h] > offered[busy]) busy = h;  // strictly more: the earliest of equal hours stays
    series.push_back({{"t", format_jst_hour(range_start + static_cast<int64_t>(h) * hour_seconds)},
                      {"peak", peak[h]},
                      {"erlangs", ratio_half_up(offered[h], hour_seconds, 10000)}});
  }
  json applied = filters_json(v, f);
  applied["gos"] = gos;
  json out{{"filters", std::move(applied)}, {"series", std::move(series)}, {"gos", gos}};
  if (hours == 0 || offered[busy] == 0) {
    out["busy_hour"] = nullptr;
    out["erlangs"] = 0.0;
    out["recommended_lines"] = 0;
    out["table"] = json::array();
    return out;
  }
  const double erlangs = static_cast<double>(offered[busy]) / hour_seconds;
  const uint32_t needed = lines_needed(erlangs, gos);
  json table = json::array();
  for (const auto& [n, b] : erlang_b_table(erlangs, needed > 5 ? needed - 5 : 1, needed + 5))
    table.push_back({{"lines", n}, {"blocking", rounded(b, 6)}});
  out["busy_hour"] = format_jst_hour(range_start + static_cast<int64_t>(busy) * hour_seconds);
  out["erlangs"] = ratio_half_up(offered[busy], hour_seconds, 10000);
  out["recommended_lines"] = needed;
  out["table"] = std::move(table);
  return out;
}

json distribution(const detail_view& v, const filters& f) {
  static constexpr std::array<const char*, 7> talk_labels{"0-30",    "30-60",    "60-180", "180-300",
                                                          "300-600", "600-1800", "1800+"};
  static constexpr std::array<const char*, 7> band_labels{"0-6", "6-9", "9-12", "12-15", "15-18", "18-21", "21-24"};
  std::array<std::array<uint64_t, 24>, 7> heat{};
  std::array<uint64_t, 7> talk{}, bands{};
  uint64_t calls = 0, completed = 0;
  const auto band_of = [](std::size_t hour) { return hour < 6 ? 0 : (hour - 6) / 3 + 1; };
  const selector sel(v, f);
  if (sel.whole_days()) {
    sel.each_summary(v, [&](int64_t day, const day_summary& s) {
      auto& row = heat[static_cast<std::size_t>((day + 3) % 7)];
      for (std::size_t h = 0; h < 24; ++h) {
        row[h] += s.hours[h].calls;
        bands[band_of(h)] += s.hours[h].calls;
        calls += s.hours[h].calls;
        completed += s.hours[h].completed;
      }
      for (std::size_t i = 0; i < talk.size(); ++i) talk[i] += s.talk[i];
    });
  } else {
    sel.each(v, [&](const detail_record& r) {
      const auto hour = static_cast<std::size_t>(jst_hour_of(r.start));
      ++heat[static_cast<std::size_t>(jst_weekday_of(r.start))][hour];
      ++bands[band_of(hour)];
      ++calls;
      if (r.result != call_result::completed) return;
      ++completed;
      ++talk[talk_bucket(r.duration_s)];
    });
  }
  json heatmap = json::array(), talk_time = json::array(), band_rows = json::array();
  for (int d = 0; d < 7; ++d)
    for (int h = 0; h < 24; ++h)
      heatmap.push_back({{"weekday", std::string(weekday_name(d))},
                         {"hour", h},
                         {"calls", heat[static_cast<std::size_t>(d)][static_cast<std::size_t>(h)]}});
  for (std::size_t i = 0; i < talk.size(); ++i) talk_time.push_back({{"bucket", talk_labels[i]}, {"calls", talk[i]}});
  for (std::size_t i = 0; i < bands.size(); ++i) band_rows.push_back({{"band", band_labels[i]}, {"calls", bands[i]}});
  return json{{"filters", filters_json(v, f)},
              {"heatmap", std::move(heatmap)},
              {"talk_time", std::move(talk_time)},
              {"bands", std::move(band_rows)},
              {"totals", {{"calls", calls}, {"completed", completed}}}};
}

json detailed_answer(std::string_view name, const detail_view& v, const filters& f, double gos) {
  if (name == "origin") return origin(v, f);
  if (name == "destination") return destination(v, f);
  if (name == "origin-destination") return origin_destination(v, f);
  if (name == "numbers") return numbers(v, f);
  if (name == "calls-minutes") return calls_minutes(v, f);
  if (name == "callers") return callers(v, f);
  if (name == "lines") return lines(v, f, gos);
  return distribution(v, f);
}

csv_sheet detailed_sheet(std::string_view name, const json& answer) {
  csv_sheet out;
  const auto named = [&](const std::vector<std::string>& columns) {
    for (const auto& c : columns) out.columns.push_back({c});
  };
  const auto table = [&](const std::vector<std::string>& columns, const json& items) {
    named(columns);
    out.rows = pick(items, columns);
  };
  if (name == "origin" || name == "destination") {
    table({"pref", "name", "calls", "completed"}, member(answer, "rows"));
  } else if (name == "origin-destination") {
    json items = json::array();
    const json& names = member(answer, "names");
    for (const json& cell : member(answer, "cells")) {
      json row = cell;
      row["origin_name"] = names.value(cell.value("origin", ""), "");
      row["destination_name"] = names.value(cell.value("destination", ""), "");
      items.push_back(std::move(row));
    }
    table({"origin", "origin_name", "destination", "destination_name", "calls"}, items);
  } else if (name == "numbers") {
    table({"an", "calls", "completed", "completion_rate", "talk_seconds", "mean_talk_seconds", "busiest_hour"},
          member(answer, "rows"));
  } else if (name == "calls-minutes") {
    table({"t", "calls", "completed", "talk_seconds", "talk_minutes"}, member(answer, "series"));
  } else if (name == "callers") {
    std::vector<std::vector<json>> rows;
    for (const char* figure : {"distinct_callers", "withheld_calls", "new_callers", "returning_callers"})
      rows.push_back({figure, member(answer, figure)});
    for (const char* bucket : {"1", "2", "3", "4-5", "6-9", "10+"})
      rows.push_back({std::string("repeat_") + bucket, member(member(answer, "repeat"), bucket)});
    named({"figure", "value"});
    out.rows = std::move(rows);
  } else if (name == "lines") {
    table({"t", "peak", "erlangs"}, member(answer, "series"));
  } else {  // distribution
    std::vector<std::vector<json>> rows;
    for (const json& cell : member(answer, "heatmap")) {
      const int hour = cell.value("hour", 0);
      rows.push_back({"heatmap", cell.value("weekday", "") + (hour < 10 ? " 0" : " ") + std::to_string(hour),
                      cell.value("calls", json(0))});
    }
    for (const json& cell : member(answer, "talk_time"))
      rows.push_back({"talk_time", cell.value("bucket", ""), cell.value("calls", json(0))});
    for (const json& cell : member(answer, "bands"))
      rows.push_back({"bands", cell.value("band", ""), cell.value("calls", json(0))});
    named({"table", "key", "calls"});
    out.rows = std::move(rows);
  }
  return out;
}

csv_answer detailed_csv(std::string_view name, const json& answer, std::optional<lang> headings) {
  return {csv_file_name(name, answer), write_csv(detailed_sheet(name, answer), headings)};
}

}  // namespace cxs::domain
