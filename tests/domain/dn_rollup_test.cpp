// Per-DN rollups: (AN, DN) pairs interned as cell indexes, and the basic analyses answered from
// them with the dn filter — figures counted here by hand from the calls, never by the code.

#include "domain/dn_rollup.hpp"
#include "domain/analysis.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

using nlohmann::json;

TEST(DnRollup, InternsEachPairOnce) {
  dn_rollup r;
  const auto a = r.index_of(0, "0312345678");
  const auto b = r.index_of(1, "0312345678");  // same DN, other AN: another pair
  const auto c = r.index_of(0, "0612345678");
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_EQ(r.index_of(0, "0312345678"), a);
  EXPECT_EQ(r.pair_count(), 3u);
  EXPECT_EQ(r.pair_at(*b).an_index, 1);
  EXPECT_EQ(r.pair_at(*b).dn, "0312345678");
  // A call that reached no destination belongs to no DN.
  EXPECT_FALSE(r.index_of(0, ""));
  EXPECT_EQ(r.pair_count(), 3u);
}

TEST(DnRollup, StopsCountingNewPairsWhenFull) {
  dn_rollup r;
  for (std::size_t i = 0; i < dn_rollup::max_pairs; ++i)
    ASSERT_TRUE(r.index_of(static_cast<uint16_t>(i % 100), std::to_string(1000000 + i)));
  EXPECT_FALSE(r.index_of(0, "0999999999"));
  EXPECT_TRUE(r.index_of(0, "1000000"));  // a known pair still has its index
}

TEST(DnRollup, SelectsByDnAndIntersectsWithAns) {
  dn_rollup r;
  const auto p0 = *r.index_of(0, "0311111111");
  const auto p1 = *r.index_of(1, "0311111111");
  const auto p2 = *r.index_of(1, "0622222222");
  EXPECT_EQ(r.select({}, {"0311111111"}), (std::vector<uint16_t>{p0, p1}));
  EXPECT_EQ(r.select({1}, {"0311111111"}), (std::vector<uint16_t>{p1}));
  EXPECT_EQ(r.select({}, {"0311111111", "0622222222"}), (std::vector<uint16_t>{p0, p1, p2}));
  EXPECT_TRUE(r.select({0}, {"0622222222"}).empty());
  EXPECT_TRUE(r.select({}, {"0399999999"}).empty());
}

// Calls on 2026-11-01 (JST = UTC+9): AN index, DN, hour, result, seconds.
struct call {
  uint16_t an;
  const char* dn;
  int jst_hour;
  call_result result;
  uint32_t seconds;
};
const std::vector<call> calls = {
    {0, "0311111111", 9, call_result::completed, 60},  {0, "0311111111", 9, call_result::busy, 0},
    {0, "0622222222", 10, call_result::completed, 30}, {1, "0311111111", 10, call_result::completed, 100},
    {1, "0311111111", 23, call_result::no_answer, 0},  {1, "", 11, call_result::abandoned, 0},
};
const int64_t day_start_hour = (days_from_civil({2026, 11, 1}) * 86400 - 9 * 3600) / 3600;

struct both {
  traffic_rollup by_an;
  dn_rollup by_dn;
};
both rollups() {
  both b;
  for (const call& c : calls) {
    b.by_an.add(day_start_hour + c.jst_hour, c.an, c.result, c.seconds);
    if (auto i = b.by_dn.index_of(c.an, c.dn))
      b.by_dn.cells().add(day_start_hour + c.jst_hour, *i, c.result, c.seconds);
  }
  return b;
}

filters day_filter(std::vector<std::string> dns, std::vector<std::string> ans = {}) {
  filters f;
  f.from = f.to = {2026, 11, 1};
  f.gran = granularity::hour;
  f.dns = std::move(dns);
  f.ans = std::move(ans);
  return f;
}

TEST(DnAnalysis, TrafficOfOneDnOnEveryAn) {
  const both b = rollups();
  account_view view{{"0120111111", "0120222222"}, 24, {2026, 1, 1}, &b.by_dn};
  const json answer = traffic(b.by_dn.cells(), view, day_filter({"0311111111"}));
  // Calls 1, 2, 4, 5: 4 calls, 2 completed, 160 s.
  EXPECT_EQ(answer["totals"]["calls"], 4);
  EXPECT_EQ(answer["totals"]["completed"], 2);
  EXPECT_EQ(answer["totals"]["talk_seconds"], 160);
  EXPECT_EQ(answer["series"][9]["calls"], 2);
  EXPECT_EQ(answer["series"][10]["calls"], 1);
  EXPECT_EQ(answer["series"][23]["calls"], 1);
  EXPECT_EQ(answer["filters"]["dn"], json({"0311111111"}));
  // The text form of the hot path gives the same answer.
  EXPECT_EQ(json::parse(traffic_text(b.by_dn.cells(), view, day_filter({"0311111111"}))), answer);
}

TEST(DnAnalysis, AnAndDnCombineByIntersection) {
  const both b = rollups();
  account_view view{{"0120111111", "0120222222"}, 24, {2026, 1, 1}, &b.by_dn};
  const json one = traffic(b.by_dn.cells(), view, day_filter({"0311111111"}, {"0120222222"}));
  EXPECT_EQ(one["totals"]["calls"], 2);  // calls 4 and 5
  EXPECT_EQ(one["totals"]["talk_seconds"], 100);
  // A DN the AN never routed to: nothing (not every call).
  const json none = traffic(b.by_dn.cells(), view, day_filter({"0622222222"}, {"0120222222"}));
  EXPECT_EQ(none["totals"]["calls"], 0);
  // Every DN named: every call that reached a destination; the abandoned call without a DN is
  // in the per-AN figures only.
  const json all_dns = traffic(b.by_dn.cells(), view, day_filter({"0311111111", "0622222222"}));
  EXPECT_EQ(all_dns["totals"]["calls"], 5);
  EXPECT_EQ(traffic(b.by_an, view, day_filter({}))["totals"]["calls"], 6);
}

TEST(DnAnalysis, IncompleteAndCompareByDn) {
  const both b = rollups();
  account_view view{{"0120111111", "0120222222"}, 24, {2026, 1, 1}, &b.by_dn};
  const json inc = incomplete(b.by_dn.cells(), view, day_filter({"0311111111"}));
  EXPECT_EQ(inc["totals"]["busy"], 1);
  EXPECT_EQ(inc["totals"]["no_answer"], 1);
  EXPECT_EQ(inc["totals"]["abandoned"], 0);
  EXPECT_EQ(inc["totals"]["incomplete"], 2);

  filters f = day_filter({"0311111111"}, {"0120111111"});
  f.b_from = f.b_to = f.from;
  f.b_ans = {"0120222222"};
  const json cmp = compare(b.by_dn.cells(), view, f);
  EXPECT_EQ(cmp["totals"]["calls"]["a"], 2);  // calls 1, 2
  EXPECT_EQ(cmp["totals"]["calls"]["b"], 2);  // calls 4, 5: the same DN on b_an
  EXPECT_EQ(cmp["totals"]["talk_seconds"]["b"], 100);
  EXPECT_EQ(cmp["filters"]["dn"], json({"0311111111"}));
}

}  // namespace
}  // namespace cxs::domain
