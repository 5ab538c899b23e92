#include "domain/analysis.hpp"
#include "domain/minute_cells.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace cxs::domain {
namespace {

using nlohmann::json;

// A test call. Its JST day, hour and weekday are written by hand, so the expected figures below
// never go through the code under test.
struct call {
  const char* start;  // ISO 8601, any offset
  uint16_t an;
  call_result result;
  uint32_t duration;
  const char* jst_day;
  int jst_hour;
  int weekday;  // 0 = Monday
};

const account_view account{{"0120111111", "0120222222"}, 12, {2026, 1, 1}};

// 2026-11-01 is a Sunday.
const std::vector<call> calls = {
    {"2026-11-01T09:00:00+09:00", 0, call_result::completed, 60, "2026-11-01", 9, 6},
    {"2026-11-01T10:30:00+09:00", 1, call_result::completed, 30, "2026-11-01", 10, 6},
    {"2026-11-01T01:00:00Z", 0, call_result::busy, 0, "2026-11-01", 10, 6},
    {"2026-11-02T23:59:59+09:00", 0, call_result::no_answer, 0, "2026-11-02", 23, 0},
    {"2026-11-02T15:00:00Z", 1, call_result::completed, 100, "2026-11-03", 0, 1},
    {"2026-11-04T20:00:00-05:00", 0, call_result::completed, 5, "2026-11-05", 10, 3},
    {"2026-11-04T22:10:00+09:00", 1, call_result::abandoned, 0, "2026-11-04", 22, 2},
    {"2026-11-04T02:00:00+09:00", 0, call_result::completed, 45, "2026-11-04", 2, 2},
    {"2026-11-04T05:59:59+09:00", 1, call_result::congestion, 0, "2026-11-04", 5, 2},
    {"2026-11-04T06:00:00+09:00", 0, call_result::completed, 20, "2026-11-04", 6, 2},
    {"2026-10-31T14:59:59Z", 0, call_result::completed, 7, "2026-10-31", 23, 5},  // before the range
    {"2026-11-05T15:00:00Z", 0, call_result::completed, 9, "2026-11-06", 0, 4},   // after the range
};

traffic_rollup rollup_of(const std::vector<call>& cs) {
  traffic_rollup r;
  for (const call& c : cs) {
    const auto t = parse_iso8601(c.start);
    EXPECT_TRUE(t) << c.start;
    r.add(*t / 3600, c.an, c.result, c.duration);
  }
  return r;
}

filters range(civil_date from, civil_date to, granularity g = granularity::day) {
  filters f;
  f.from = from;
  f.to = to;
  f.gran = g;
  return f;
}

struct expected {
  uint64_t calls = 0, completed = 0, talk = 0;
  std::map<call_result, uint64_t> by_result;
  void add(const call& c) {
    ++calls;
    if (c.result == call_result::completed) ++completed;
    talk += c.duration;
    ++by_result[c.result];
  }
};

// Reference rounding, written differently from the code: round(x * 10^4) / 10^4.
double rounded4(double x) { return std::round(x * 10000.0) / 10000.0; }

void expect_figures(const json& got, const expected& e, const std::string& where) {
  EXPECT_EQ(got["calls"].get<uint64_t>(), e.calls) << where;
  EXPECT_EQ(got["completed"].get<uint64_t>(), e.completed) << where;
  EXPECT_EQ(got["incomplete"].get<uint64_t>(), e.calls - e.completed) << where;
  EXPECT_EQ(got["talk_seconds"].get<uint64_t>(), e.talk) << where;
  if (e.calls == 0) {
    EXPECT_TRUE(got["completion_rate"].is_null()) << where;
  } else {
    EXPECT_DOUBLE_EQ(got["completion_rate"].get<double>(), rounded4(double(e.completed) / double(e.calls))) << where;
  }
}

TEST(Analysis, RoundingHelpers) {
  EXPECT_DOUBLE_EQ(completion_rate(2, 3).get<double>(), 0.6667);
  EXPECT_DOUBLE_EQ(completion_rate(1, 3).get<double>(), 0.3333);
  EXPECT_DOUBLE_EQ(completion_rate(5, 7).get<double>(), 0.7143);
  EXPECT_DOUBLE_EQ(completion_rate(1, 32).get<double>(), 0.0313);  // 0.03125 rounds half up
  EXPECT_DOUBLE_EQ(completion_rate(0, 5).get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(completion_rate(5, 5).get<double>(), 1.0);
  EXPECT_TRUE(completion_rate(0, 0).is_null());
  EXPECT_DOUBLE_EQ(ratio(10, 4).get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(ratio(2, 3).get<double>(), 0.6667);
  EXPECT_DOUBLE_EQ(ratio(0, 3).get<double>(), 0.0);
  EXPECT_TRUE(ratio(3, 0).is_null());
  EXPECT_EQ(completion_rate(2, 3).dump(), "0.6667");  // shortest form in the JSON text
}

TEST(Analysis, TrafficDailyIsDenseWithZeros) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = traffic(r, account, range({2026, 11, 1}, {2026, 11, 5}));
  const json& series = answer["series"];
  const std::vector<std::string> days{"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"};
  ASSERT_EQ(series.size(), days.size());
  expected total;
  for (std::size_t i = 0; i < days.size(); ++i) {
    expected e;
    for (const call& c : calls) {
      if (c.jst_day != days[i]) continue;
      e.add(c);
      total.add(c);
    }
    EXPECT_EQ(series[i]["t"], days[i]);
    expect_figures(series[i], e, days[i]);
  }
  expect_figures(answer["totals"], total, "totals");
  // Days without calls are present with zeros and a null rate.
  const json empty = traffic(r, account, range({2026, 11, 10}, {2026, 11, 12}));
  ASSERT_EQ(empty["series"].size(), 3u);
  for (const json& b : empty["series"]) {
    EXPECT_EQ(b["calls"], 0);
    EXPECT_EQ(b["talk_seconds"], 0);
    EXPECT_TRUE(b["completion_rate"].is_null());
  }
  EXPECT_EQ(empty["totals"]["calls"], 0);
}

TEST(Analysis, TrafficByHour) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = traffic(r, account, range({2026, 11, 4}, {2026, 11, 5}, granularity::hour));
  const json& series = answer["series"];
  ASSERT_EQ(series.size(), 48u);
  EXPECT_EQ(series[0]["t"], "2026-11-04T00");
  EXPECT_EQ(series[23]["t"], "2026-11-04T23");
  EXPECT_EQ(series[24]["t"], "2026-11-05T00");
  EXPECT_EQ(series[47]["t"], "2026-11-05T23");
  for (std::size_t i = 0; i < 48; ++i) {
    const std::string day = i < 24 ? "2026-11-04" : "2026-11-05";
    expected e;
    for (const call& c : calls)
      if (c.jst_day == day && c.jst_hour == static_cast<int>(i % 24)) e.add(c);
    expect_figures(series[i], e, series[i]["t"].get<std::string>());
  }
}

TEST(Analysis, JstBucketsAcrossMonthAndYearEnds) {
  const std::vector<call> edge = {
      {"2026-12-31T15:30:00Z", 0, call_result::completed, 10, "2027-01-01", 0, 4},
      {"2026-12-31T14:59:59Z", 0, call_result::busy, 0, "2026-12-31", 23, 3},
      {"2026-11-30T15:00:00Z", 1, call_result::completed, 3, "2026-12-01", 0, 1},
      {"2026-11-30T23:59:59+09:00", 1, call_result::other, 0, "2026-11-30", 23, 0},
      {"2026-12-31T23:30:00-08:00", 0, call_result::completed, 4, "2027-01-01", 16, 4},
  };
  const traffic_rollup r = rollup_of(edge);

  const json days = traffic(r, account, range({2026, 12, 31}, {2027, 1, 1}));
  ASSERT_EQ(days["series"].size(), 2u);
  for (const json& b : days["series"]) {
    expected e;
    for (const call& c : edge)
      if (c.jst_day == b["t"].get<std::string>()) e.add(c);
    expect_figures(b, e, b["t"].get<std::string>());
  }

  const json months = traffic(r, account, range({2026, 11, 1}, {2027, 1, 31}, granularity::month));
  const std::vector<std::string> labels{"2026-11", "2026-12", "2027-01"};
  ASSERT_EQ(months["series"].size(), labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    EXPECT_EQ(months["series"][i]["t"], labels[i]);
    expected e;
    for (const call& c : edge)
      if (std::string(c.jst_day).substr(0, 7) == labels[i]) e.add(c);
    expect_figures(months["series"][i], e, labels[i]);
  }
}

TEST(Analysis, MonthBucketsOfAPartialRange) {
  const traffic_rollup r = rollup_of(calls);
  // From the 2nd: the calls of 2026-11-01 are outside.
  const json months = traffic(r, account, range({2026, 10, 15}, {2026, 11, 2}, granularity::month));
  ASSERT_EQ(months["series"].size(), 2u);
  EXPECT_EQ(months["series"][0]["t"], "2026-10");
  EXPECT_EQ(months["series"][1]["t"], "2026-11");
  expected oct, nov;
  for (const call& c : calls) {
    const std::string d = c.jst_day;
    if (d >= "2026-10-15" && d <= "2026-10-31") oct.add(c);
    if (d >= "2026-11-01" && d <= "2026-11-02") nov.add(c);
  }
  expect_figures(months["series"][0], oct, "2026-10");
  expect_figures(months["series"][1], nov, "2026-11");
}

TEST(Analysis, WeekdayAndWrappingHoursFilter) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 1}, {2026, 11, 5});
  f.hours = std::make_pair(22, 6);
  f.weekday_mask = 0x01 | 0x02 | 0x04;  // mon, tue, wed
  const json answer = traffic(r, account, f);
  ASSERT_EQ(answer["series"].size(), 5u);
  expected total;
  for (const json& b : answer["series"]) {
    expected e;
    for (const call& c : calls) {
      const bool in_band = c.jst_hour >= 22 || c.jst_hour < 6;
      const bool on_day = c.weekday == 0 || c.weekday == 1 || c.weekday == 2;
      if (c.jst_day == b["t"].get<std::string>() && in_band && on_day) {
        e.add(c);
        total.add(c);
      }
    }
    expect_figures(b, e, b["t"].get<std::string>());
  }
  expect_figures(answer["totals"], total, "totals");
  EXPECT_EQ(total.calls, 5u);  // sanity of the fixture: 23:59 Mon, 00:00 Tue, 22:10, 02:00, 05:59 Wed
  EXPECT_EQ(answer["filters"]["hours"], "22-6");
  EXPECT_EQ(answer["filters"]["weekday"], json({"mon", "tue", "wed"}));
}

TEST(Analysis, AnSelection) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 1}, {2026, 11, 5});
  f.ans = {"0120222222"};
  const json one = traffic(r, account, f);
  expected e;
  for (const call& c : calls)
    if (c.an == 1 && std::string(c.jst_day) >= "2026-11-01" && std::string(c.jst_day) <= "2026-11-05") e.add(c);
  expect_figures(one["totals"], e, "an 1");
  EXPECT_EQ(one["filters"]["an"], json({"0120222222"}));

  // An AN the account does not have selects nothing (not everything).
  f.ans = {"0120999999"};
  EXPECT_EQ(traffic(r, account, f)["totals"]["calls"], 0);

  // Both ANs named = all of them.
  f.ans = {"0120111111", "0120222222"};
  const json both = traffic(r, account, f);
  const json all = traffic(r, account, range({2026, 11, 1}, {2026, 11, 5}));
  EXPECT_EQ(both["totals"], all["totals"]);
  EXPECT_EQ(all["filters"]["an"], json({"0120111111", "0120222222"}));  // applied: every AN
}

TEST(Analysis, FiltersInTheAnswer) {
  const traffic_rollup r;
  filters f = range({2026, 8, 25}, {2026, 11, 25});
  const json applied = traffic(r, account, f)["filters"];
  EXPECT_EQ(applied["from"], "2026-08-25");
  EXPECT_EQ(applied["to"], "2026-11-25");
  EXPECT_EQ(applied["granularity"], "day");
  EXPECT_TRUE(applied["hours"].is_null());
  EXPECT_EQ(applied["weekday"], json({"mon", "tue", "wed", "thu", "fri", "sat", "sun"}));
}

// granularity=minute (SPEC §14): the same analyses over minute cells of one day.
minute_cells minutes_of(const std::vector<std::pair<const char*, uint16_t>>& starts, const char* dn = "") {
  minute_cells m;
  for (const auto& [start, an] : starts) {
    const auto t = parse_iso8601(start);
    EXPECT_TRUE(t) << start;
    const auto result = an == 0 ? call_result::completed : call_result::busy;
    m.add(*t / 60, an, result, 61);
    m.add_by_dn(*t / 60, an, dn, result, 61);
  }
  return m;
}

TEST(Analysis, MinuteBucketsOfOneDay) {
  // 2026-11-01 (Sunday) 09:05 twice, 09:06, 23:59:59; the day before and after outside.
  const minute_cells m = minutes_of({{"2026-11-01T09:05:00+09:00", 0},
                                     {"2026-11-01T09:05:59+09:00", 1},
                                     {"2026-11-01T00:06:00Z", 0},
                                     {"2026-11-01T23:59:59+09:00", 0},
                                     {"2026-10-31T23:59:59+09:00", 0},
                                     {"2026-11-02T00:00:00+09:00", 0}});
  const filters f = range({2026, 11, 1}, {2026, 11, 1}, granularity::minute);
  const json answer = traffic(m.by_an(), account, f);
  const auto& series = answer["series"];
  ASSERT_EQ(series.size(), 1440u);
  EXPECT_EQ(series[0]["t"], "2026-11-01T00:00");
  EXPECT_EQ(series[9 * 60 + 5]["t"], "2026-11-01T09:05");
  EXPECT_EQ(series[9 * 60 + 5]["calls"], 2);
  EXPECT_EQ(series[9 * 60 + 5]["completed"], 1);
  EXPECT_EQ(series[9 * 60 + 5]["talk_seconds"], 122);
  EXPECT_EQ(series[9 * 60 + 6]["calls"], 1);
  EXPECT_EQ(series[1439]["t"], "2026-11-01T23:59");
  EXPECT_EQ(series[1439]["calls"], 1);
  EXPECT_EQ(answer["totals"]["calls"], 4);
  EXPECT_EQ(answer["filters"]["granularity"], "minute");
  EXPECT_EQ(json::parse(traffic_text(m.by_an(), account, f)), answer);  // the hot path agrees

  filters nine = f;  // the time band keeps 09:00–10:00 only; the other buckets stay, with zeros
  nine.hours = std::pair{9, 10};
  const json banded = traffic(m.by_an(), account, nine);
  EXPECT_EQ(banded["series"].size(), 1440u);
  EXPECT_EQ(banded["totals"]["calls"], 3);
  EXPECT_EQ(banded["series"][1439]["calls"], 0);
  filters monday = f;  // a Sunday is not a Monday
  monday.weekday_mask = 1;
  EXPECT_EQ(traffic(m.by_an(), account, monday)["totals"]["calls"], 0);

  const json reasons = incomplete(m.by_an(), account, f);
  EXPECT_EQ(reasons["series"][9 * 60 + 5]["busy"], 1);
  EXPECT_EQ(reasons["totals"]["incomplete"], 1);
}

TEST(Analysis, MinuteBucketsByDn) {
  const minute_cells m = minutes_of({{"2026-11-01T09:05:00+09:00", 0}, {"2026-11-01T09:07:00+09:00", 1}}, "0311112222");
  account_view with_dn = account;
  with_dn.by_dn = &m.by_dn();
  filters f = range({2026, 11, 1}, {2026, 11, 1}, granularity::minute);
  f.dns = {"0311112222"};
  json answer = traffic(m.by_dn().cells(), with_dn, f);
  EXPECT_EQ(answer["totals"]["calls"], 2);
  EXPECT_EQ(answer["series"][9 * 60 + 7]["calls"], 1);
  f.ans = {"0120222222"};
  EXPECT_EQ(traffic(m.by_dn().cells(), with_dn, f)["totals"]["calls"], 1);
  f.dns = {"0399999999"};
  EXPECT_EQ(traffic(m.by_dn().cells(), with_dn, f)["totals"]["calls"], 0);
}

TEST(Analysis, MinuteCompareIsOneDayWithOneDay) {
  const minute_cells m = minutes_of({{"2026-11-02T09:05:00+09:00", 0},
                                     {"2026-11-02T09:05:30+09:00", 0},
                                     {"2026-11-01T09:05:00+09:00", 0},
                                     {"2026-10-30T09:05:00+09:00", 0}});
  filters f = range({2026, 11, 2}, {2026, 11, 2}, granularity::minute);
  EXPECT_EQ(compare_b_range(f), (std::pair<civil_date, civil_date>{{2026, 11, 1}, {2026, 11, 1}}));
  json answer = compare(m.by_an(), account, f);
  ASSERT_EQ(answer["series"].size(), 1440u);
  const auto& row = answer["series"][9 * 60 + 5];
  EXPECT_EQ(row["t"], "2026-11-02T09:05");
  EXPECT_EQ(row["t_b"], "2026-11-01T09:05");
  EXPECT_EQ(row["calls"]["a"], 2);
  EXPECT_EQ(row["calls"]["b"], 1);
  EXPECT_EQ(row["calls"]["ratio"], 2.0);
  f.b_from = civil_date{2026, 10, 30};
  EXPECT_EQ(compare_b_range(f).second, (civil_date{2026, 10, 30}));
  EXPECT_EQ(compare(m.by_an(), account, f)["totals"]["calls"]["b"], 1);
  f.b_to = civil_date{2026, 10, 31};  // two days
  answer = compare(m.by_an(), account, f);
  ASSERT_TRUE(answer.contains("error"));
  EXPECT_EQ(answer["error"]["field"], "granularity");
  f.b_to = f.b_from;
  f.align_weekday = true;
  EXPECT_EQ(compare(m.by_an(), account, f)["error"]["field"], "align");
}

TEST(Analysis, IncompleteByReason) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = incomplete(r, account, range({2026, 11, 1}, {2026, 11, 5}));
  const std::vector<std::pair<std::string, call_result>> reasons{{"busy", call_result::busy},
                                                                 {"no_answer", call_result::no_answer},
                                                                 {"abandoned", call_result::abandoned},
                                                                 {"out_of_hours", call_result::out_of_hours},
                                                                 {"area_restricted", call_result::area_restricted},
                                                                 {"congestion", call_result::congestion},
                                                                 {"other", call_result::other}};
  expected total;
  for (const json& b : answer["series"]) {
    expected e;
    for (const call& c : calls) {
      if (c.jst_day != b["t"].get<std::string>()) continue;
      e.add(c);
      total.add(c);
    }
    EXPECT_EQ(b.size(), reasons.size() + 2) << b.dump();  // reasons + incomplete + t
    EXPECT_FALSE(b.contains("completed"));
    for (const auto& [name, res] : reasons) EXPECT_EQ(b[name].get<uint64_t>(), e.by_result[res]) << name;
    EXPECT_EQ(b["incomplete"].get<uint64_t>(), e.calls - e.completed);
  }
  for (const auto& [name, res] : reasons)
    EXPECT_EQ(answer["totals"][name].get<uint64_t>(), total.by_result[res]) << name;
  EXPECT_EQ(answer["totals"]["incomplete"].get<uint64_t>(), total.calls - total.completed);
}

void expect_compared(const json& fig, uint64_t a, uint64_t b, const std::string& where) {
  EXPECT_EQ(fig["a"].get<uint64_t>(), a) << where;
  EXPECT_EQ(fig["b"].get<uint64_t>(), b) << where;
  EXPECT_EQ(fig["diff"].get<int64_t>(), static_cast<int64_t>(a) - static_cast<int64_t>(b)) << where;
  if (b == 0) {
    EXPECT_TRUE(fig["ratio"].is_null()) << where;
  } else {
    EXPECT_DOUBLE_EQ(fig["ratio"].get<double>(), rounded4(double(a) / double(b))) << where;
  }
}

expected on_days(const std::vector<call>& cs, const std::string& from, const std::string& to, int an = -1) {
  expected e;
  for (const call& c : cs)
    if (c.jst_day >= from && c.jst_day <= to && (an < 0 || c.an == an)) e.add(c);
  return e;
}

TEST(Analysis, CompareDefaultsToThePreviousRangeOfTheSameLength) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = compare(r, account, range({2026, 11, 4}, {2026, 11, 5}));
  EXPECT_EQ(answer["filters"]["b_from"], "2026-11-02");
  EXPECT_EQ(answer["filters"]["b_to"], "2026-11-03");
  const json& series = answer["series"];
  ASSERT_EQ(series.size(), 2u);
  const std::vector<std::pair<std::string, std::string>> pairs{{"2026-11-04", "2026-11-02"},
                                                               {"2026-11-05", "2026-11-03"}};
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(series[i]["t"], pairs[i].first);
    EXPECT_EQ(series[i]["t_b"], pairs[i].second);
    const expected a = on_days(calls, pairs[i].first, pairs[i].first);
    const expected b = on_days(calls, pairs[i].second, pairs[i].second);
    expect_compared(series[i]["calls"], a.calls, b.calls, "calls " + pairs[i].first);
    expect_compared(series[i]["completed"], a.completed, b.completed, "completed");
    expect_compared(series[i]["incomplete"], a.calls - a.completed, b.calls - b.completed, "incomplete");
    expect_compared(series[i]["talk_seconds"], a.talk, b.talk, "talk");
  }
  const expected ta = on_days(calls, "2026-11-04", "2026-11-05");
  const expected tb = on_days(calls, "2026-11-02", "2026-11-03");
  expect_compared(answer["totals"]["calls"], ta.calls, tb.calls, "total calls");
  expect_compared(answer["totals"]["talk_seconds"], ta.talk, tb.talk, "total talk");

  // completion_rate: a and b are rates, diff their difference, ratio of the exact rates.
  const json& rate = answer["totals"]["completion_rate"];
  const double ra = rounded4(double(ta.completed) / double(ta.calls));
  const double rb = rounded4(double(tb.completed) / double(tb.calls));
  EXPECT_DOUBLE_EQ(rate["a"].get<double>(), ra);
  EXPECT_DOUBLE_EQ(rate["b"].get<double>(), rb);
  EXPECT_NEAR(rate["diff"].get<double>(), ra - rb, 1e-12);
  EXPECT_DOUBLE_EQ(rate["ratio"].get<double>(),
                   rounded4((double(ta.completed) / double(ta.calls)) / (double(tb.completed) / double(tb.calls))));
}

// A side without a bucket at an offset (SPEC §19): its figures, diff and ratio are null.
void expect_one_side(const json& row, bool has_a, const std::string& where) {
  for (const char* name : {"calls", "completed", "incomplete", "talk_seconds", "completion_rate"}) {
    EXPECT_EQ(row[name][has_a ? "b" : "a"], nullptr) << where << " " << name;
    EXPECT_EQ(row[name]["diff"], nullptr) << where << " " << name;
    EXPECT_EQ(row[name]["ratio"], nullptr) << where << " " << name;
  }
}

// The rows' sums on each side equal the totals' a and b (SPEC §19: consistent totals).
void expect_totals_are_row_sums(const json& answer) {
  for (const char* name : {"calls", "completed", "incomplete", "talk_seconds"}) {
    uint64_t a = 0, b = 0;
    for (const json& row : answer["series"]) {
      if (!row[name]["a"].is_null()) a += row[name]["a"].get<uint64_t>();
      if (!row[name]["b"].is_null()) b += row[name]["b"].get<uint64_t>();
    }
    EXPECT_EQ(answer["totals"][name]["a"].get<uint64_t>(), a) << name;
    EXPECT_EQ(answer["totals"][name]["b"].get<uint64_t>(), b) << name;
  }
}

TEST(Analysis, CompareWithAShorterB) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 1}, {2026, 11, 3});
  f.b_from = civil_date{2026, 11, 4};
  f.b_to = civil_date{2026, 11, 5};
  const json answer = compare(r, account, f);
  const json& series = answer["series"];
  ASSERT_EQ(series.size(), 3u);  // one row per offset of the longer range, A here
  EXPECT_EQ(series[0]["t_b"], "2026-11-04");
  EXPECT_EQ(series[1]["t_b"], "2026-11-05");
  EXPECT_TRUE(series[2]["t_b"].is_null());
  EXPECT_EQ(series[2]["t"], "2026-11-03");
  const expected a2 = on_days(calls, "2026-11-03", "2026-11-03");
  EXPECT_EQ(series[2]["calls"]["a"].get<uint64_t>(), a2.calls);
  expect_one_side(series[2], true, "past the end of B");
  const expected ta = on_days(calls, "2026-11-01", "2026-11-03");
  const expected tb = on_days(calls, "2026-11-04", "2026-11-05");
  expect_compared(answer["totals"]["calls"], ta.calls, tb.calls, "totals");
  expect_totals_are_row_sums(answer);
}

TEST(Analysis, CompareWithALongerBListsEveryBucketOfB) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 5}, {2026, 11, 5});
  f.b_from = civil_date{2026, 11, 1};
  f.b_to = civil_date{2026, 11, 4};
  const json answer = compare(r, account, f);
  ASSERT_EQ(answer["series"].size(), 4u);
  EXPECT_EQ(answer["series"][0]["t"], "2026-11-05");
  EXPECT_EQ(answer["series"][0]["t_b"], "2026-11-01");
  const expected a = on_days(calls, "2026-11-05", "2026-11-05");
  const expected b0 = on_days(calls, "2026-11-01", "2026-11-01");
  expect_compared(answer["series"][0]["calls"], a.calls, b0.calls, "bucket 0");
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_TRUE(answer["series"][i]["t"].is_null()) << i;
    EXPECT_EQ(answer["series"][i]["t_b"], "2026-11-0" + std::to_string(i + 1)) << i;
    const expected bi = on_days(calls, answer["series"][i]["t_b"], answer["series"][i]["t_b"]);
    EXPECT_EQ(answer["series"][i]["calls"]["b"].get<uint64_t>(), bi.calls) << i;
    expect_one_side(answer["series"][i], false, "past the end of A");
  }
  const expected tb = on_days(calls, "2026-11-01", "2026-11-04");
  expect_compared(answer["totals"]["calls"], a.calls, tb.calls, "totals");
  expect_totals_are_row_sums(answer);
}

TEST(Analysis, CompareAMonthOfDaysWithALongerPreviousMonthAddsUp) {
  // November (30 days) against October (31): the 31st of October is a row of its own.
  traffic_rollup r;
  const auto at_ten_jst = [](civil_date d) { return days_from_civil(d) * 24 + 1; };  // 10:00 JST = 01:00 UTC
  for (unsigned d = 1; d <= 31; ++d) r.add(at_ten_jst({2026, 10, d}), 0, call_result::completed, 60);
  for (unsigned d = 1; d <= 30; ++d)
    r.add(at_ten_jst({2026, 11, d}), 0, d % 2 ? call_result::busy : call_result::completed, d % 2 ? 0 : 30);
  filters f = range({2026, 11, 1}, {2026, 11, 30});
  f.b_from = civil_date{2026, 10, 1};
  f.b_to = civil_date{2026, 10, 31};
  const json answer = compare(r, account, f);
  ASSERT_EQ(answer["series"].size(), 31u);
  EXPECT_EQ(answer["series"][30]["t_b"], "2026-10-31");
  EXPECT_TRUE(answer["series"][30]["t"].is_null());
  EXPECT_EQ(answer["totals"]["calls"]["b"].get<uint64_t>(), 31u);
  expect_totals_are_row_sums(answer);
}

TEST(Analysis, CompareAlignedByWeekdayStartsBOnAsWeekday) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 4}, {2026, 11, 10});  // a Wednesday, 7 days
  f.align_weekday = true;
  const json answer = compare(r, account, f);
  // The default B (10-28..11-03) starts on a Wednesday already: unchanged.
  EXPECT_EQ(answer["filters"]["b_from"], "2026-10-28");
  f = range({2026, 11, 4}, {2026, 11, 8});  // 5 days: B would start on Friday 10-30
  f.align_weekday = true;
  const json moved = compare(r, account, f);
  EXPECT_EQ(moved["filters"]["b_from"], "2026-10-28") << "back 2 days to the Wednesday before";
  EXPECT_EQ(moved["filters"]["b_to"], "2026-11-01") << "the same length";
  EXPECT_EQ(weekday_of(*parse_date(moved["filters"]["b_from"].get<std::string>())),
            weekday_of(civil_date{2026, 11, 4}));
  f.gran = granularity::month;
  EXPECT_EQ(compare(r, account, f)["error"]["field"], "align") << "weeks line up only by day";
}

TEST(Analysis, CompareBoundsRangeB) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 4}, {2026, 11, 5});
  f.b_from = civil_date{2024, 1, 1};
  f.b_to = civil_date{2026, 11, 1};
  EXPECT_EQ(compare(r, account, f)["error"]["field"], "b_from");
  f.b_from = civil_date{2026, 9, 1};
  f.gran = granularity::hour;
  EXPECT_EQ(compare(r, account, f)["error"]["field"], "granularity") << "B by hour over 31 days";
  f.b_from = civil_date{2026, 10, 2};
  EXPECT_FALSE(compare(r, account, f).contains("error")) << "31 days by hour";
}

TEST(Analysis, CompareOnlyOneEndOfBGiven) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 4}, {2026, 11, 5});
  f.b_from = civil_date{2026, 11, 1};
  EXPECT_EQ(compare(r, account, f)["filters"]["b_to"], "2026-11-02");
  f.b_from.reset();
  f.b_to = civil_date{2026, 11, 1};
  EXPECT_EQ(compare(r, account, f)["filters"]["b_from"], "2026-10-31");
}

TEST(Analysis, CompareAnAgainstAn) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 1}, {2026, 11, 5});
  f.b_from = f.from;
  f.b_to = f.to;
  f.ans = {"0120111111"};
  f.b_ans = {"0120222222"};
  const json answer = compare(r, account, f);
  const expected a = on_days(calls, "2026-11-01", "2026-11-05", 0);
  const expected b = on_days(calls, "2026-11-01", "2026-11-05", 1);
  expect_compared(answer["totals"]["calls"], a.calls, b.calls, "an vs an");
  expect_compared(answer["totals"]["talk_seconds"], a.talk, b.talk, "an vs an talk");
  EXPECT_EQ(answer["filters"]["b_an"], json({"0120222222"}));
  // b_an defaults to an.
  f.b_ans.clear();
  const json same = compare(r, account, f);
  expect_compared(same["totals"]["calls"], a.calls, a.calls, "b_an = an");
  EXPECT_EQ(same["filters"]["b_an"], json({"0120111111"}));
}

TEST(Analysis, CompareByMonthAlignsByOffset) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 1}, {2026, 11, 30}, granularity::month);
  f.b_from = civil_date{2026, 10, 1};
  f.b_to = civil_date{2026, 10, 31};
  const json answer = compare(r, account, f);
  ASSERT_EQ(answer["series"].size(), 1u);
  EXPECT_EQ(answer["series"][0]["t"], "2026-11");
  EXPECT_EQ(answer["series"][0]["t_b"], "2026-10");
  const expected a = on_days(calls, "2026-11-01", "2026-11-30");
  const expected b = on_days(calls, "2026-10-01", "2026-10-31");
  expect_compared(answer["series"][0]["calls"], a.calls, b.calls, "month");
}

TEST(Analysis, CompareByMonthDefaultsToThePreviousMonths) {
  const traffic_rollup r = rollup_of(calls);
  struct want_case {
    civil_date from, to, b_from, b_to;
  };
  for (auto w : {want_case{{2026, 11, 1}, {2026, 11, 30}, {2026, 10, 1}, {2026, 10, 31}},
                 want_case{{2026, 1, 1}, {2026, 3, 31}, {2025, 10, 1}, {2025, 12, 31}},
                 want_case{{2025, 12, 1}, {2026, 11, 25}, {2024, 12, 1}, {2025, 11, 25}},
                 want_case{{2026, 3, 1}, {2026, 3, 31}, {2026, 2, 1}, {2026, 2, 28}}}) {
    const json answer = compare(r, account, range(w.from, w.to, granularity::month));
    EXPECT_EQ(answer["filters"]["b_from"], format_date(w.b_from)) << format_date(w.from);
    EXPECT_EQ(answer["filters"]["b_to"], format_date(w.b_to)) << format_date(w.from);
  }
  // One end of B given: the other completes the same number of months.
  filters f = range({2026, 11, 1}, {2026, 11, 30}, granularity::month);
  f.b_from = civil_date{2026, 8, 1};
  EXPECT_EQ(compare(r, account, f)["filters"]["b_to"], "2026-08-31");
  f.b_from.reset();
  f.b_to = civil_date{2026, 6, 30};
  EXPECT_EQ(compare(r, account, f)["filters"]["b_from"], "2026-06-01");
}

// ---- CSV ----

std::vector<std::string> csv_lines(const std::string& body) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t end = body.find("\r\n", pos);
    EXPECT_NE(end, std::string::npos) << "every line ends with CRLF";
    if (end == std::string::npos) break;
    lines.push_back(body.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

TEST(AnalysisCsv, Traffic) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = traffic(r, account, range({2026, 11, 2}, {2026, 11, 3}));
  const csv_answer csv = to_csv("traffic", answer);
  EXPECT_EQ(csv.filename, "traffic_2026-11-02_2026-11-03.csv");
  ASSERT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  const auto lines = csv_lines(csv.body.substr(3));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "t,calls,completed,incomplete,talk_seconds,completion_rate");
  // 2026-11-02: one no_answer call. 2026-11-03: one completed call of 100 s.
  EXPECT_EQ(lines[1], "2026-11-02,1,0,1,0,0.0");
  EXPECT_EQ(lines[2], "2026-11-03,1,1,0,100,1.0");
  EXPECT_EQ(csv.body.find('\n', 0), csv.body.find("\r\n") + 1);  // no bare LF
}

TEST(AnalysisCsv, NullIsAnEmptyCell) {
  const traffic_rollup r;
  const csv_answer csv = to_csv("traffic", traffic(r, account, range({2026, 11, 2}, {2026, 11, 2})));
  const auto lines = csv_lines(csv.body.substr(3));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "2026-11-02,0,0,0,0,");
}

TEST(AnalysisCsv, Compare) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = compare(r, account, range({2026, 11, 3}, {2026, 11, 3}));  // B = 2026-11-02
  const csv_answer csv = to_csv("compare", answer);
  EXPECT_EQ(csv.filename, "compare_2026-11-03_2026-11-03.csv");
  const auto lines = csv_lines(csv.body.substr(3));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "t,t_b,calls_a,calls_b,calls_diff,calls_ratio,completed_a,completed_b,completed_diff,completed_ratio,"
            "incomplete_a,incomplete_b,incomplete_diff,incomplete_ratio,talk_seconds_a,talk_seconds_b,"
            "talk_seconds_diff,talk_seconds_ratio,completion_rate_a,completion_rate_b,completion_rate_diff,"
            "completion_rate_ratio");
  // A (11-03): 1 completed, 100 s. B (11-02): 1 no_answer.
  EXPECT_EQ(lines[1], "2026-11-03,2026-11-02,1,1,0,1.0,1,0,1,,0,1,-1,0.0,100,0,100,,1.0,0.0,1.0,");
}

TEST(AnalysisCsv, Incomplete) {
  const traffic_rollup r = rollup_of(calls);
  const csv_answer csv = to_csv("incomplete", incomplete(r, account, range({2026, 11, 4}, {2026, 11, 4})));
  EXPECT_EQ(csv.filename, "incomplete_2026-11-04_2026-11-04.csv");
  const auto lines = csv_lines(csv.body.substr(3));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "t,busy,no_answer,abandoned,out_of_hours,area_restricted,congestion,other,incomplete");
  // 2026-11-04: abandoned 22:10, congestion 05:59, two completed.
  EXPECT_EQ(lines[1], "2026-11-04,0,0,1,0,0,1,0,2");
}

TEST(AnalysisCsv, EmptySeriesStillHasAHeader) {
  const json answer = {{"filters", {{"from", "2026-11-01"}, {"to", "2026-11-02"}}},
                       {"series", json::array()},
                       {"totals", {{"calls", 0}, {"completion_rate", nullptr}}}};
  const csv_answer csv = to_csv("traffic", answer);
  EXPECT_EQ(csv.body,
            "\xEF\xBB\xBF"
            "t,calls,completion_rate\r\n");
}

TEST(AnalysisCsv, ForPeopleTheHeadingsAreWordsAndTalkTimeIsAlsoHms) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = traffic(r, account, range({2026, 11, 2}, {2026, 11, 3}));
  const auto ja = csv_lines(to_csv("traffic", answer, lang::ja).body.substr(3));
  ASSERT_EQ(ja.size(), 3u);
  EXPECT_EQ(ja[0], "期間,呼数,完了呼数,不完了呼数,通話秒数,通話秒数（時:分:秒）,完了率");
  EXPECT_EQ(ja[2], "2026-11-03,1,1,0,100,0:01:40,1.0");
  const auto en = csv_lines(to_csv("traffic", answer, lang::en).body.substr(3));
  EXPECT_EQ(en[0], "Period,Calls,Completed,Incomplete,Talk seconds,Talk seconds (h:mm:ss),Completion rate");
  EXPECT_EQ(en[1], "2026-11-02,1,0,1,0,0:00:00,0.0");
}

TEST(AnalysisCsv, ForPeopleCompareNamesBothSidesAndTheDifferenceKeepsItsSign) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = compare(r, account, range({2026, 11, 2}, {2026, 11, 2}));  // B = 2026-11-01
  const auto lines = csv_lines(to_csv("compare", answer, lang::en).body.substr(3));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("Period,Compared period,Calls (A),Calls (B),Calls (diff),Calls (ratio)"), std::string::npos)
      << lines[0];
  EXPECT_NE(lines[0].find("Talk seconds (diff),Talk seconds (diff) (h:mm:ss),Talk seconds (ratio),"), std::string::npos)
      << lines[0];
  const auto ja = csv_lines(to_csv("compare", answer, lang::ja).body.substr(3));
  EXPECT_NE(ja[0].find("通話秒数（A）,通話秒数（A）（時:分:秒）,通話秒数（B）"), std::string::npos) << ja[0];
}

TEST(AnalysisCsv, ForProgramsNothingChanges) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = traffic(r, account, range({2026, 11, 2}, {2026, 11, 3}));
  EXPECT_EQ(to_csv("traffic", answer).body, to_csv("traffic", answer, std::nullopt).body);
  EXPECT_EQ(csv_lines(to_csv("traffic", answer).body.substr(3))[0],
            "t,calls,completed,incomplete,talk_seconds,completion_rate");
}

TEST(AnalysisCsv, QuotesCellsThatNeedIt) {
  const json answer = {{"series", {{{"t", "a,b"}, {"name", "say \"hi\""}}}}};
  const csv_answer csv = to_csv("custom", answer);
  EXPECT_EQ(csv.filename, "custom.csv");
  EXPECT_EQ(csv.body,
            "\xEF\xBB\xBF"
            "t,name\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n");
}

namespace cxs::domain {
namespace {

TEST(Analysis, TheLongestRangeBIsListedWhole) {
  const traffic_rollup r = rollup_of(calls);
  filters f = range({2026, 11, 1}, {2026, 11, 2});
  f.b_to = civil_date{2026, 11, 5};
  f.b_from = add_days(*f.b_to, -(max_compare_b_days - 1));  // B is not cut to retention
  const json answer = compare(r, account, f);
  ASSERT_EQ(answer["series"].size(), static_cast<std::size_t>(max_compare_b_days));
  EXPECT_EQ(answer["series"][0]["t_b"], format_date(*f.b_from));
  const expected tb = on_days(calls, format_date(*f.b_from), "2026-11-05");
  EXPECT_EQ(answer["totals"]["calls"]["b"].get<uint64_t>(), tb.calls);
  expect_totals_are_row_sums(answer);
}

TEST(Analysis, ReversedRangeAnswersAnEmptySeries) {
  const traffic_rollup r = rollup_of(calls);
  const json answer = traffic(r, account, range({2026, 11, 5}, {2026, 11, 1}));
  EXPECT_TRUE(answer["series"].empty());
  EXPECT_EQ(answer["totals"]["calls"], 0);
}

}  // namespace
}  // namespace cxs::domain

// traffic_text() serialises without a JSON tree; it must say exactly what traffic() says, for
// every granularity and filter, byte for byte (same key order, same number formatting).
TEST(Analysis, TrafficTextIsTheSameAnswerAsTraffic) {
  const traffic_rollup r = rollup_of(calls);
  std::vector<filters> cases;
  cases.push_back(range({2026, 11, 1}, {2026, 11, 5}));
  cases.push_back(range({2026, 11, 1}, {2026, 11, 2}, granularity::hour));
  cases.push_back(range({2026, 10, 1}, {2026, 11, 30}, granularity::month));
  auto with_ans = range({2026, 11, 1}, {2026, 11, 5});
  with_ans.ans = {"0120222222"};
  cases.push_back(with_ans);
  auto banded = range({2026, 11, 1}, {2026, 11, 5});
  banded.hours = std::pair{22, 6};
  banded.weekday_mask = 0b0000101;
  cases.push_back(banded);
  cases.push_back(range({2026, 12, 1}, {2026, 12, 3}));  // no data: zeros and null rates
  for (const auto& f : cases) {
    const json tree = traffic(r, account, f);
    const std::string text = traffic_text(r, account, f);
    EXPECT_EQ(json::parse(text), tree) << text;
    EXPECT_EQ(text, tree.dump()) << "same bytes";
  }
}

TEST(Analysis, TrafficTextRatesLikeNlohmann) {
  // Rates of exactly 1, one half and four decimals, printed as nlohmann prints the doubles.
  traffic_rollup r;
  const int64_t h = *parse_iso8601("2026-11-02T10:00:00+09:00") / 3600;
  r.add(h, 0, call_result::completed, 10);
  r.add(h + 24, 0, call_result::completed, 10);
  r.add(h + 24, 0, call_result::busy, 0);
  for (int i = 0; i < 3; ++i) r.add(h + 48, 0, i == 0 ? call_result::completed : call_result::busy, i == 0 ? 5 : 0);
  const auto f = range({2026, 11, 2}, {2026, 11, 4});
  EXPECT_EQ(traffic_text(r, account, f), traffic(r, account, f).dump());
}

}  // namespace
}  // namespace cxs::domain
