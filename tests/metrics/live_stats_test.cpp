// The live figures of GET /admin/stats (SPEC §17): the exposition parsed back, rates over the
// window between two snapshots, a route's p99 from its latency buckets, the busiest accounts,
// and the baseline the history picks.

#include "metrics/live_stats.hpp"
#include "metrics/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace cxs::metrics {
namespace {

TEST(Exposition, ParsesNamesLabelsAndValuesBack) {
  auto s = parse_exposition(
      "# HELP x y\n# TYPE cxs_a counter\ncxs_a 3\ncxs_b{kind=\"acc\\\"ount\",le=\"+Inf\"} 7 1700000000\n"
      "broken{x=\"1\" 2\ncxs_c{a=\"1\"} NaN\ncxs_d -2.5\n");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].name, "cxs_a");
  EXPECT_EQ(s[0].value, 3);
  EXPECT_EQ(s[1].labels.at("kind"), "acc\"ount");
  EXPECT_EQ(s[1].labels.at("le"), "+Inf");
  EXPECT_EQ(s[1].value, 7);
  EXPECT_EQ(s[2].value, -2.5);
}

TEST(Exposition, RoundTripsTheRegistrysOwnText) {
  registry r;
  r.get_counter("cxs_t_total", {{"route", "/api/me"}}).inc(4);
  r.get_histogram("cxs_t_seconds", {{"route", "/x"}}).observe(0.003);
  auto s = parse_exposition(r.render());
  double counted = 0, inf = 0;
  for (auto& x : s) {
    if (x.name == "cxs_t_total") counted = x.value;
    if (x.name == "cxs_t_seconds_bucket" && x.labels.at("le") == "+Inf") inf = x.value;
  }
  EXPECT_EQ(counted, 4);
  EXPECT_EQ(inf, 1);
}

TEST(BucketQuantile, TheUpperBoundOfTheBucketHoldingIt) {
  std::vector<std::pair<double, double>> c{{0.001, 50}, {0.005, 98}, {0.01, 99}, {0.1, 100}, {INFINITY, 100}};
  EXPECT_EQ(bucket_quantile(c, 0.99), 0.01);
  EXPECT_EQ(bucket_quantile(c, 0.5), 0.001);
  EXPECT_EQ(bucket_quantile(c, 1.0), 0.1);
  EXPECT_FALSE(bucket_quantile({{0.001, 0}, {INFINITY, 0}}, 0.99));
  EXPECT_TRUE(std::isinf(*bucket_quantile({{0.001, 0}, {INFINITY, 3}}, 0.99)));
}

snapshot at(double t, std::string text, std::vector<account_counts> activity = {}) {
  return {t, parse_exposition(text), std::move(activity)};
}

TEST(LiveStats, RatesAndP99OverTheWindow) {
  const std::string before =
      "cxs_actors{kind=\"account\"} 2\ncxs_actor_messages_total{kind=\"account\"} 100\n"
      "cxs_http_requests_total{listener=\"customer\",route=\"/api/me\",status=\"200\"} 10\n"
      "cxs_http_request_duration_seconds_bucket{listener=\"customer\",route=\"/api/me\",le=\"0.001\"} 10\n"
      "cxs_http_request_duration_seconds_bucket{listener=\"customer\",route=\"/api/me\",le=\"0.01\"} 10\n"
      "cxs_http_request_duration_seconds_bucket{listener=\"customer\",route=\"/api/me\",le=\"+Inf\"} 10\n"
      "cxs_ingest_records_total{outcome=\"accepted\"} 1000\ncxs_failures_total{code=\"json\"} 0\n";
  const std::string after =
      "cxs_actors{kind=\"account\"} 3\ncxs_actor_mailbox_depth{kind=\"account\"} 4\n"
      "cxs_actor_messages_total{kind=\"account\"} 150\n"
      "cxs_http_requests_total{listener=\"customer\",route=\"/api/me\",status=\"200\"} 105\n"
      "cxs_http_requests_total{listener=\"customer\",route=\"/api/me\",status=\"401\"} 5\n"
      "cxs_http_request_duration_seconds_bucket{listener=\"customer\",route=\"/api/me\",le=\"0.001\"} 90\n"
      "cxs_http_request_duration_seconds_bucket{listener=\"customer\",route=\"/api/me\",le=\"0.01\"} 110\n"
      "cxs_http_request_duration_seconds_bucket{listener=\"customer\",route=\"/api/me\",le=\"+Inf\"} 110\n"
      "cxs_ingest_records_total{outcome=\"accepted\"} 6000\ncxs_failures_total{code=\"json\"} 2\n"
      "cxs_sessions 7\ncxs_storage_bytes{cf=\"cdr\"} 4096\ncxs_accounts{state=\"live\"} 3\n";
  auto j = live_stats(at(15, after, {{"A1", 30, 5000}, {"A2", 4, 0}, {"A3", 9, 0}}),
                      at(10, before, {{"A1", 10, 0}, {"A2", 4, 0}, {"A3", 1, 0}}));
  EXPECT_EQ(j["window_s"], 5.0);
  EXPECT_EQ(j["actors"][0]["kind"], "account");
  EXPECT_EQ(j["actors"][0]["live"], 3.0);
  EXPECT_EQ(j["actors"][0]["mailbox_depth"], 4.0);
  EXPECT_EQ(j["actors"][0]["messages_per_s"], 10.0);
  ASSERT_EQ(j["routes"].size(), 1u);
  EXPECT_EQ(j["routes"][0]["route"], "/api/me");
  EXPECT_EQ(j["routes"][0]["requests"], 110u);
  EXPECT_EQ(j["routes"][0]["requests_per_s"], 20.0);               // 100 in 5 s
  EXPECT_DOUBLE_EQ(j["routes"][0]["p99_ms"].get<double>(), 10.0);  // 80 of 100 under 1 ms, the rest under 10
  EXPECT_EQ(j["ingest"][0]["outcome"], "accepted");
  EXPECT_EQ(j["ingest"][0]["rows_per_s"], 1000.0);
  EXPECT_EQ(j["sessions"], 7.0);
  EXPECT_EQ(j["storage"][0].dump(), R"({"bytes":4096,"cf":"cdr"})");  // whole numbers
  EXPECT_EQ(j["accounts"]["live"], 3.0);
  ASSERT_EQ(j["failures"].size(), 1u);
  EXPECT_EQ(j["failures"][0]["code"], "json");
  ASSERT_EQ(j["busiest"].size(), 2u);  // A2 did nothing in the window
  EXPECT_EQ(j["busiest"][0]["id"], "A1");
  EXPECT_EQ(j["busiest"][0]["requests_per_s"], 4.0);
  EXPECT_EQ(j["busiest"][0]["rows_per_s"], 1000.0);
  EXPECT_EQ(j["busiest"][1]["id"], "A3");
}

TEST(StatsHistory, TheBaselineIsTheNewestSnapshotAWindowOldElseTheOldestElseTheStart) {
  stats_history h(100, 5);
  EXPECT_EQ(h.baseline_for(at(101, "")).at_s, 100);    // nothing kept yet: the start
  EXPECT_EQ(h.baseline_for(at(101.5, "")).at_s, 100);  // the one kept is under a second older
  EXPECT_EQ(h.baseline_for(at(103, "")).at_s, 101);    // no snapshot 5 s older: the oldest
  h.baseline_for(at(105, ""));
  h.baseline_for(at(107, ""));
  EXPECT_EQ(h.baseline_for(at(110.5, "")).at_s, 105);  // the newest at least 5 s older
}

}  // namespace
}  // namespace cxs::metrics
