#include "domain/detailed_analysis.hpp"

#include <gtest/gtest.h>

#include "domain/filters.hpp"

namespace cxs::domain {
namespace {

using nlohmann::json;

const std::vector<std::string> ans = {"0120111111", "0120222222"};
const std::string caller_a(16, 'A'), caller_b(16, 'B'), caller_c(16, 'C');

int64_t at(const char* iso) { return *parse_iso8601(iso); }

// Eight calls whose figures below are worked out by hand (2026-11-02 is a Monday).
detail_table sample() {
  detail_table t;
  t.add(at("2026-11-02T09:10:00+09:00"), 120, caller_a, 0, "0312345678", 13, 13, call_result::completed);
  t.add(at("2026-11-02T09:50:00+09:00"), 1200, caller_b, 0, "0312345678", 27, 13, call_result::completed);
  t.add(at("2026-11-02T10:05:00+09:00"), 30, caller_a, 1, "0612345678", 13, 27, call_result::completed);
  t.add(at("2026-11-02T10:06:00+09:00"), 0, "", 1, "", 0, 0, call_result::busy);
  t.add(at("2026-11-02T23:55:00+09:00"), 900, caller_c, 0, "0312345678", 1, 13, call_result::completed);
  t.add(at("2026-11-03T00:05:00+09:00"), 60, caller_a, 0, "0312345678", 13, 13, call_result::completed);
  t.add(at("2026-11-03T14:00:00+09:00"), 0, caller_b, 1, "0612345678", 27, 27, call_result::no_answer);
  t.add(at("2026-10-30T12:00:00+09:00"), 45, caller_c, 0, "0312345678", 1, 13, call_result::completed);  // before
  t.sort();
  return t;
}

filters range(const query_params& extra = {}) {
  query_params p = {{"from", "2026-11-02"}, {"to", "2026-11-03"}};
  p.insert(p.end(), extra.begin(), extra.end());
  return std::get<filters>(parse_filters(p, {2026, 11, 20}, 3));
}

struct fixture : ::testing::Test {
  detail_table table = sample();
  detail_view view{table, ans, {2026, 10, 1}, false};
};

TEST_F(fixture, OriginRanksPrefecturesByCallsThenCode) {
  const json a = origin(view, range());
  const json expected = json::parse(R"([
    {"pref":"13","name":"東京都","calls":3,"completed":3},
    {"pref":"27","name":"大阪府","calls":2,"completed":1},
    {"pref":"00","name":"不明","calls":1,"completed":0},
    {"pref":"01","name":"北海道","calls":1,"completed":1}])");
  EXPECT_EQ(a["rows"], expected);
  EXPECT_EQ(a["totals"], json::parse(R"({"calls":7,"completed":5})"));
  EXPECT_EQ(a["filters"]["from"], "2026-11-02");
  EXPECT_EQ(a["filters"]["an"], json(ans));
}

TEST_F(fixture, DestinationAndEnglishNames) {
  detail_view english{table, ans, {2026, 10, 1}, true};
  const json a = destination(english, range());
  ASSERT_EQ(a["rows"].size(), 3u);
  EXPECT_EQ(a["rows"][0], json::parse(R"({"pref":"13","name":"Tokyo","calls":4,"completed":4})"));
  EXPECT_EQ(a["rows"][1], json::parse(R"({"pref":"27","name":"Osaka","calls":2,"completed":1})"));
  EXPECT_EQ(a["rows"][2]["pref"], "00");
}

TEST_F(fixture, OriginDestinationCells) {
  const json a = origin_destination(view, range());
  const json expected = json::parse(R"([
    {"origin":"13","destination":"13","calls":2},
    {"origin":"00","destination":"00","calls":1},
    {"origin":"01","destination":"13","calls":1},
    {"origin":"13","destination":"27","calls":1},
    {"origin":"27","destination":"13","calls":1},
    {"origin":"27","destination":"27","calls":1}])");
  EXPECT_EQ(a["cells"], expected);
  EXPECT_EQ(a["names"]["27"], "大阪府");
}

TEST_F(fixture, NumbersPerAn) {
  const json a = numbers(view, range());
  const json expected = json::parse(R"([
    {"an":"0120111111","calls":4,"completed":4,"completion_rate":1.0,"talk_seconds":2280,"mean_talk_seconds":570.0,"busiest_hour":9},
    {"an":"0120222222","calls":3,"completed":1,"completion_rate":0.3333,"talk_seconds":30,"mean_talk_seconds":30.0,"busiest_hour":10}])");
  EXPECT_EQ(a["rows"], expected);
  EXPECT_EQ(a["totals"]["calls"], 7);
  // An AN without calls in the range still has its row, with nulls where nothing is defined.
  const json quiet = numbers(view, range({{"weekday", "sat"}}));
  EXPECT_EQ(quiet["rows"][0]["calls"], 0);
  EXPECT_TRUE(quiet["rows"][0]["busiest_hour"].is_null());
  EXPECT_TRUE(quiet["rows"][0]["mean_talk_seconds"].is_null());
  EXPECT_TRUE(quiet["rows"][0]["completion_rate"].is_null());
}

TEST_F(fixture, CallsMinutesByHourAndByMinute) {
  filters f = range({{"granularity", "hour"}});
  const json a = calls_minutes(view, f);
  ASSERT_EQ(a["series"].size(), 48u);
  EXPECT_EQ(a["series"][9],
            json::parse(R"({"t":"2026-11-02T09","calls":2,"completed":2,"talk_seconds":1320,"talk_minutes":22.0})"));
  EXPECT_EQ(a["totals"], json::parse(R"({"calls":7,"completed":5,"talk_seconds":2310,"talk_minutes":38.5})"));
  EXPECT_EQ(a["filters"]["granularity"], "hour");

  filters m = std::get<filters>(
      parse_filters({{"from", "2026-11-02"}, {"to", "2026-11-02"}, {"granularity", "minute"}}, {2026, 11, 20}, 3));
  const json b = calls_minutes(view, m);
  ASSERT_EQ(b["series"].size(), 1440u);
  EXPECT_EQ(b["series"][0]["t"], "2026-11-02T00:00");
  EXPECT_EQ(b["series"][9 * 60 + 10],
            json::parse(R"({"t":"2026-11-02T09:10","calls":1,"completed":1,"talk_seconds":120,"talk_minutes":2.0})"));
  EXPECT_EQ(b["series"][1439]["t"], "2026-11-02T23:59");
  EXPECT_EQ(b["series"][23 * 60 + 55]["calls"], 1);  // the call crossing midnight stays in its start minute
}

TEST_F(fixture, CallersRepeatNewAndReturning) {
  const json a = callers(view, range());
  EXPECT_EQ(a["distinct_callers"], 3);
  EXPECT_EQ(a["withheld_calls"], 1);
  EXPECT_EQ(a["repeat"], json::parse(R"({"1":1,"2":1,"3":1,"4-5":0,"6-9":0,"10+":0})"));
  // C called on 2026-10-30, inside the detailed window but before the range.
  EXPECT_EQ(a["new_callers"], 2);
  EXPECT_EQ(a["returning_callers"], 1);
  // With the window starting after that call, C is new too.
  detail_view later{table, ans, {2026, 11, 1}, false};
  EXPECT_EQ(callers(later, range())["new_callers"], 3);
}

TEST_F(fixture, LinesPeakAcrossHoursAndMidnight) {
  const json a = lines(view, range(), 0.01);
  ASSERT_EQ(a["series"].size(), 48u);
  EXPECT_EQ(a["series"][9]["peak"], 1);   // 09:10–09:12 and 09:50–10:10 never overlap
  EXPECT_EQ(a["series"][10]["peak"], 2);  // 09:50–10:10 carried over, 10:05–10:05:30 on top
  EXPECT_EQ(a["series"][11]["peak"], 0);
  EXPECT_EQ(a["series"][23]["peak"], 1);
  EXPECT_EQ(a["series"][24]["t"], "2026-11-03T00");
  EXPECT_EQ(a["series"][24]["peak"], 2);  // 23:55–00:10 across midnight, 00:05–00:06 on top
  EXPECT_EQ(a["busy_hour"], "2026-11-02T09");
  EXPECT_DOUBLE_EQ(a["erlangs"].get<double>(), 0.3667);  // 1,320 s / 3,600
  EXPECT_EQ(a["recommended_lines"], 3);
  ASSERT_EQ(a["table"].size(), 8u);  // N = 1 .. 3 + 5
  EXPECT_EQ(a["table"][0]["lines"], 1);
  // By hand with A = 11/30: B(1) = A/(1+A) = 0.268293, B(2) = 0.046881, B(3) = 0.005697.
  EXPECT_NEAR(a["table"][0]["blocking"].get<double>(), 0.268293, 0.0000015);
  EXPECT_NEAR(a["table"][2]["blocking"].get<double>(), 0.005697, 0.0000015);
  EXPECT_EQ(a["gos"], 0.01);
}

TEST_F(fixture, LinesWithoutTraffic) {
  const json a = lines(view, range({{"weekday", "sat"}}), 0.01);
  EXPECT_TRUE(a["busy_hour"].is_null());
  EXPECT_EQ(a["recommended_lines"], 0);
  EXPECT_TRUE(a["table"].empty());
  EXPECT_EQ(a["series"].size(), 48u);
}

TEST_F(fixture, DistributionHeatmapTalkTimeAndBands) {
  const json a = distribution(view, range());
  ASSERT_EQ(a["heatmap"].size(), 168u);
  EXPECT_EQ(a["heatmap"][9], json::parse(R"({"weekday":"mon","hour":9,"calls":2})"));
  EXPECT_EQ(a["heatmap"][10]["calls"], 2);
  EXPECT_EQ(a["heatmap"][23]["calls"], 1);
  EXPECT_EQ(a["heatmap"][24], json::parse(R"({"weekday":"tue","hour":0,"calls":1})"));
  EXPECT_EQ(a["heatmap"][24 + 14]["calls"], 1);
  const json talk = json::parse(R"([{"bucket":"0-30","calls":0},{"bucket":"30-60","calls":1},
    {"bucket":"60-180","calls":2},{"bucket":"180-300","calls":0},{"bucket":"300-600","calls":0},
    {"bucket":"600-1800","calls":2},{"bucket":"1800+","calls":0}])");
  EXPECT_EQ(a["talk_time"], talk);
  const json bands = json::parse(R"([{"band":"0-6","calls":1},{"band":"6-9","calls":0},{"band":"9-12","calls":4},
    {"band":"12-15","calls":1},{"band":"15-18","calls":0},{"band":"18-21","calls":0},{"band":"21-24","calls":1}])");
  EXPECT_EQ(a["bands"], bands);
}

TEST_F(fixture, FiltersSelectByAnDnWeekdayAndBand) {
  EXPECT_EQ(origin(view, range({{"an", "0120222222"}}))["totals"]["calls"], 3);
  EXPECT_EQ(origin(view, range({{"dn", "03-1234-5678"}}))["totals"]["calls"], 4);
  EXPECT_EQ(origin(view, range({{"dn", "0999999999"}}))["totals"]["calls"], 0);  // no such DN: nothing
  EXPECT_EQ(origin(view, range({{"weekday", "tue"}}))["totals"]["calls"], 2);
  EXPECT_EQ(origin(view, range({{"hours", "9-11"}}))["totals"]["calls"], 4);
  EXPECT_EQ(origin(view, range({{"hours", "22-6"}}))["totals"]["calls"], 2);
  const json f = origin(view, range({{"dn", "0312345678"}}))["filters"];
  EXPECT_EQ(f["dn"], json::parse(R"(["0312345678"])"));
}

TEST(DetailTable, LateRecordsAreSortedAndRetentionDropsDays) {
  detail_table t;
  t.add(at("2026-11-02T10:00:00+09:00"), 0, "", 0, "", 0, 0, call_result::busy);
  t.add(at("2026-11-02T09:00:00+09:00"), 0, "", 0, "", 0, 0, call_result::busy);
  t.add(at("2026-11-01T09:00:00+09:00"), 0, "", 0, "", 0, 0, call_result::busy);
  EXPECT_FALSE(t.sorted());
  t.sort();
  EXPECT_TRUE(t.sorted());
  std::vector<uint32_t> starts;
  t.for_each_day({2026, 11, 1}, {2026, 11, 2}, [&](int64_t, const std::vector<detail_record>& day) {
    for (auto& r : day) starts.push_back(r.start);
  });
  ASSERT_EQ(starts.size(), 3u);
  EXPECT_TRUE(std::is_sorted(starts.begin(), starts.end()));
  t.erase_before({2026, 11, 2});
  EXPECT_EQ(t.size(), 2u);
  // The same caller hash is one caller; a withheld call is none.
  t.add(at("2026-11-02T11:00:00+09:00"), 0, caller_a, 0, "", 0, 0, call_result::busy);
  t.add(at("2026-11-02T12:00:00+09:00"), 0, caller_a, 0, "", 0, 0, call_result::busy);
  EXPECT_EQ(t.caller_count(), 1u);
}

TEST_F(fixture, CsvForPeople) {
  const auto csv = detailed_csv("origin", origin(view, range()));
  EXPECT_EQ(csv.filename, "origin_2026-11-02_2026-11-03.csv");
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBFpref,name,calls,completed\r\n13,東京都,3,3\r\n", 0), 0u);
  const auto callers_csv = detailed_csv("callers", callers(view, range())).body;
  EXPECT_NE(callers_csv.find("distinct_callers,3\r\n"), std::string::npos);
  EXPECT_NE(callers_csv.find("repeat_10+,0\r\n"), std::string::npos);
  const auto dist = detailed_csv("distribution", distribution(view, range())).body;
  EXPECT_NE(dist.find("heatmap,mon 09,2\r\n"), std::string::npos);
  EXPECT_NE(dist.find("talk_time,600-1800,2\r\n"), std::string::npos);
  EXPECT_NE(dist.find("bands,9-12,4\r\n"), std::string::npos);
  const auto od = detailed_csv("origin-destination", origin_destination(view, range())).body;
  EXPECT_NE(od.find("27,大阪府,13,東京都,1\r\n"), std::string::npos);
  const auto lines_csv = detailed_csv("lines", lines(view, range(), 0.01)).body;
  EXPECT_NE(lines_csv.find("2026-11-02T10,2,0.0083\r\n"), std::string::npos);
}

// A call longer than a day is in progress through every hour it spans, and a call ending on
// the first second of an hour does not count in that hour; an empty day between is skipped.
TEST(DetailedAnalyses, LinesCountCallsCarriedAcrossSeveralDays) {
  detail_table t;
  t.add(at("2026-11-01T22:00:00+09:00"), 30 * 3600, caller_a, 0, "0312345678", 13, 13, call_result::completed);
  t.add(at("2026-11-02T12:00:00+09:00"), 1800, caller_b, 0, "0312345678", 13, 13, call_result::completed);
  t.add(at("2026-11-05T08:30:00+09:00"), 600, caller_b, 1, "0312345678", 13, 13, call_result::completed);
  t.sort();
  const detail_view v{t, ans, {2026, 10, 1}, false};
  const json a = lines(
      v, std::get<filters>(parse_filters({{"from", "2026-11-01"}, {"to", "2026-11-05"}}, {2026, 11, 20}, 3)), 0.01);
  const json& series = a["series"];
  ASSERT_EQ(series.size(), 5u * 24);
  for (std::size_t h = 0; h < series.size(); ++h) {
    // 2026-11-01 22:00 to 2026-11-03 04:00 (hours 22..51), 12:00 on the 2nd doubled, 08:30 on the 5th.
    const int want = h == 36 ? 2 : (h >= 22 && h < 52) || h == 4 * 24 + 8 ? 1 : 0;
    EXPECT_EQ(series[h]["peak"], want) << series[h]["t"];
  }
}

// The day summaries answer the questions without AN, DN or time-band filters; the same question
// with the band 0-24 (every hour) is answered from the records. Both must agree on random data:
// late records, withheld callers, unknown prefectures, calls across midnight, every weekday.
TEST(DetailedAnalyses, DaySummariesAnswerLikeTheRecords) {
  detail_table t;
  uint64_t seed = 20261203;
  const auto next = [&seed](uint64_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (seed >> 33) % n;
  };
  const int64_t first = at("2026-10-20T00:00:00+09:00");
  for (int i = 0; i < 20000; ++i) {
    const auto result = static_cast<call_result>(next(call_result_count));
    const uint32_t duration =
        result == call_result::completed ? static_cast<uint32_t>(1 + next(next(4) == 0 ? 7200 : 400)) : 0;
    const std::string caller = next(10) == 0 ? std::string() : std::string(15, 'c') + static_cast<char>('a' + next(26));
    t.add(first + static_cast<int64_t>(next(28 * 86400)), duration, caller, static_cast<uint16_t>(next(2)),
          next(5) == 0 ? "" : (next(2) ? "0312345678" : "0612345678"), static_cast<uint8_t>(next(49)),
          static_cast<uint8_t>(next(49)), result);
  }
  t.sort();
  const detail_view v{t, ans, {2026, 10, 1}, false};
  const std::vector<query_params> questions = {
      {{"from", "2026-10-20"}, {"to", "2026-11-16"}},
      {{"from", "2026-10-25"}, {"to", "2026-11-02"}, {"weekday", "mon,sat"}},
      {{"from", "2026-11-01"}, {"to", "2026-11-03"}, {"granularity", "hour"}},
      {{"from", "2026-10-20"}, {"to", "2026-11-16"}, {"an", "0120222222"}},  // numbers only
  };
  for (const auto& q : questions) {
    const filters fast = std::get<filters>(parse_filters(q, {2026, 11, 20}, 3));
    query_params band = q;
    band.emplace_back("hours", "0-24");
    const filters slow = std::get<filters>(parse_filters(band, {2026, 11, 20}, 3));
    for (const auto* name :
         {"origin", "destination", "origin-destination", "numbers", "calls-minutes", "distribution", "callers"}) {
      json a = detailed_answer(name, v, fast, 0.01), b = detailed_answer(name, v, slow, 0.01);
      a.erase("filters");
      b.erase("filters");
      EXPECT_EQ(a, b) << name << " " << q.size();
    }
  }
  // The directly written origin x destination answer is the JSON tree's text, from the summaries
  // and from the records, in both languages.
  for (const auto& q : questions) {
    const filters f = std::get<filters>(parse_filters(q, {2026, 11, 20}, 3));
    EXPECT_EQ(origin_destination_text(v, f), origin_destination(v, f).dump());
    const detail_view english{t, ans, {2026, 10, 1}, true};
    EXPECT_EQ(origin_destination_text(english, f), origin_destination(english, f).dump());
  }
  // Retention takes the dropped days out of the summaries and the calls per caller too.
  t.erase_before({2026, 11, 1});
  const filters rest =
      std::get<filters>(parse_filters({{"from", "2026-11-01"}, {"to", "2026-11-16"}}, {2026, 11, 20}, 3));
  filters rest_band = rest;
  rest_band.hours = std::make_pair(0, 24);
  for (const auto* name : {"origin", "numbers", "distribution", "callers"}) {
    json a = detailed_answer(name, v, rest, 0.01), b = detailed_answer(name, v, rest_band, 0.01);
    a.erase("filters");
    b.erase("filters");
    EXPECT_EQ(a, b) << name << " after retention";
  }
}

// A busy day (over 2,048 calls) is counted with a difference array instead of sorted changes:
// 3,000 calls of 10 minutes starting one second apart from 10:00 overlap 600 at a time.
TEST(DetailedAnalyses, LinesOfABusyDay) {
  detail_table t;
  const int64_t ten = at("2026-11-02T10:00:00+09:00");
  for (int i = 0; i < 3000; ++i) t.add(ten + i, 600, caller_a, 0, "0312345678", 13, 13, call_result::completed);
  t.add(at("2026-11-02T23:30:00+09:00"), 3600, caller_b, 1, "0312345678", 13, 13, call_result::completed);
  t.sort();
  const detail_view v{t, ans, {2026, 10, 1}, false};
  const json a = lines(
      v, std::get<filters>(parse_filters({{"from", "2026-11-02"}, {"to", "2026-11-03"}}, {2026, 11, 20}, 3)), 0.01);
  const json& series = a["series"];
  for (std::size_t h = 0; h < 48; ++h) {
    const int want = h == 10 ? 600 : h == 23 || h == 24 ? 1 : 0;  // the last call ends 10:59:59 + 1 s
    EXPECT_EQ(series[h]["peak"], want) << series[h]["t"];
  }
  EXPECT_EQ(a["busy_hour"], "2026-11-02T10");
}

TEST(DetailedAnalyses, EmptyTableAnswersEmptyFigures) {
  detail_table empty;
  detail_view v{empty, ans, {2026, 10, 1}, false};
  const filters f = range();
  EXPECT_TRUE(origin(v, f)["rows"].empty());
  EXPECT_TRUE(origin_destination(v, f)["cells"].empty());
  EXPECT_EQ(numbers(v, f)["rows"].size(), 2u);
  EXPECT_EQ(callers(v, f)["distinct_callers"], 0);
  EXPECT_EQ(distribution(v, f)["heatmap"].size(), 168u);
  EXPECT_EQ(calls_minutes(v, f)["totals"]["calls"], 0);
}

}  // namespace
}  // namespace cxs::domain
