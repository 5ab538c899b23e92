#include "domain/rollup.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>

namespace cxs::domain {
namespace {

struct visit {
  int64_t hour;
  hour_counts counts;
};

std::vector<visit> visits(const traffic_rollup& r, int64_t from, int64_t to, const std::vector<uint16_t>& ans) {
  std::vector<visit> out;
  r.for_each_hour(from, to, ans, [&](int64_t h, const hour_counts& c) { out.push_back({h, c}); });
  return out;
}

TEST(HourCounts, AddTotalAndSum) {
  hour_counts c;
  c.add(call_result::completed, 60);
  c.add(call_result::completed, 30);
  c.add(call_result::busy, 0);
  EXPECT_EQ(c.total(), 3u);
  EXPECT_EQ(c.of(call_result::completed), 2u);
  EXPECT_EQ(c.of(call_result::busy), 1u);
  EXPECT_EQ(c.talk_seconds, 90u);
  hour_counts d;
  d.add(call_result::other, 0);
  d += c;
  EXPECT_EQ(d.total(), 4u);
  EXPECT_EQ(d.talk_seconds, 90u);
}

TEST(HourCounts, EncodeDecodeRoundTrip) {
  hour_counts c;
  for (int i = 0; i < call_result_count; ++i)
    c.calls[static_cast<std::size_t>(i)] = static_cast<uint32_t>(i * 1000 + 1);
  c.calls[7] = 0xfffffffe;
  c.talk_seconds = 0x0102030405060708ull;
  const std::string bytes = encode_counts(c);
  ASSERT_EQ(bytes.size(), encoded_counts_size);
  EXPECT_EQ(bytes.substr(0, 4), std::string("\0\0\0\1", 4));  // big-endian
  EXPECT_EQ(bytes.substr(32, 8), std::string("\1\2\3\4\5\6\7\x08", 8));
  EXPECT_EQ(decode_counts(bytes), c);
  EXPECT_FALSE(decode_counts(bytes.substr(1)));
  EXPECT_FALSE(decode_counts(bytes + "x"));
  EXPECT_FALSE(decode_counts(""));
}

TEST(TrafficRollup, AddFindAndTotals) {
  traffic_rollup r;
  EXPECT_TRUE(r.empty());
  const hour_counts& cell = r.add(100, 2, call_result::completed, 40);
  EXPECT_EQ(cell.total(), 1u);
  r.add(100, 2, call_result::busy, 0);
  r.add(100, 0, call_result::completed, 10);
  r.add(101, 0, call_result::no_answer, 0);
  EXPECT_EQ(r.cell_count(), 3u);
  EXPECT_EQ(r.hour_count(), 2u);
  ASSERT_NE(r.find(100, 2), nullptr);
  EXPECT_EQ(r.find(100, 2)->total(), 2u);
  EXPECT_EQ(r.find(100, 2)->talk_seconds, 40u);
  EXPECT_EQ(r.find(100, 1), nullptr);
  EXPECT_EQ(r.find(99, 0), nullptr);
  const auto all = visits(r, 0, 1000, {});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].hour, 100);
  EXPECT_EQ(all[0].counts.total(), 3u);
  EXPECT_EQ(all[0].counts.talk_seconds, 50u);
  EXPECT_EQ(all[1].counts.total(), 1u);
}

TEST(TrafficRollup, OutOfOrderAddsStaySorted) {
  traffic_rollup r;
  r.add(50, 0, call_result::completed, 1);
  r.add(10, 0, call_result::completed, 1);
  r.add(30, 1, call_result::completed, 1);
  r.add(30, 0, call_result::completed, 1);
  r.add(60, 0, call_result::completed, 1);
  r.add(10, 0, call_result::completed, 1);
  std::vector<int64_t> hours;
  for (const auto& e : r.hours()) {
    hours.push_back(e.hour);
    for (std::size_t i = 1; i < e.ans.size(); ++i) EXPECT_LT(e.ans[i - 1].an_index, e.ans[i].an_index);
  }
  EXPECT_EQ(hours, (std::vector<int64_t>{10, 30, 50, 60}));
  EXPECT_EQ(r.find(10, 0)->total(), 2u);
  EXPECT_EQ(r.cell_count(), 5u);
}

TEST(TrafficRollup, RangeIsHalfOpen) {
  traffic_rollup r;
  for (int64_t h = 10; h < 20; ++h) r.add(h, 0, call_result::completed, 1);
  const auto v = visits(r, 12, 15, {});
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v.front().hour, 12);
  EXPECT_EQ(v.back().hour, 14);
  EXPECT_TRUE(visits(r, 20, 30, {}).empty());
  EXPECT_TRUE(visits(r, 0, 10, {}).empty());
}

TEST(TrafficRollup, SelectingAns) {
  traffic_rollup r;
  r.add(5, 0, call_result::completed, 10);
  r.add(5, 1, call_result::busy, 0);
  r.add(5, 2, call_result::completed, 20);
  r.add(6, 1, call_result::completed, 30);
  r.add(7, 70, call_result::completed, 5);  // index above 64: second bitmap word

  const auto one = visits(r, 0, 10, {1});
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(one[0].hour, 5);
  EXPECT_EQ(one[0].counts.of(call_result::busy), 1u);
  EXPECT_EQ(one[1].counts.talk_seconds, 30u);

  const auto two = visits(r, 0, 10, {0, 2});
  ASSERT_EQ(two.size(), 1u);  // hour 6 has neither AN 0 nor 2
  EXPECT_EQ(two[0].counts.total(), 2u);
  EXPECT_EQ(two[0].counts.talk_seconds, 30u);

  const auto high = visits(r, 0, 10, {70, 0});
  ASSERT_EQ(high.size(), 2u);
  EXPECT_EQ(high[1].hour, 7);
  EXPECT_EQ(high[1].counts.talk_seconds, 5u);

  EXPECT_TRUE(visits(r, 0, 10, {9}).empty());
  EXPECT_TRUE(visits(r, 0, 10, {9, 10}).empty());
}

TEST(TrafficRollup, SetReplacesACellAndKeepsTheTotal) {
  traffic_rollup r;
  r.add(8, 0, call_result::completed, 10);
  r.add(8, 1, call_result::completed, 10);
  hour_counts loaded;
  loaded.add(call_result::busy, 0);
  loaded.add(call_result::busy, 0);
  r.set(8, 1, loaded);
  r.set(3, 4, loaded);  // a new hour before the others
  EXPECT_EQ(*r.find(8, 1), loaded);
  EXPECT_EQ(r.cell_count(), 3u);
  const auto all = visits(r, 0, 100, {});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].hour, 3);
  EXPECT_EQ(all[1].counts.total(), 3u);  // 1 completed + 2 busy
  EXPECT_EQ(all[1].counts.talk_seconds, 10u);
}

TEST(TrafficRollup, EraseBefore) {
  traffic_rollup r;
  for (int64_t h = 0; h < 10; ++h) {
    r.add(h, 0, call_result::completed, 1);
    r.add(h, 1, call_result::completed, 1);
  }
  r.erase_before(4);
  EXPECT_EQ(r.hour_count(), 6u);
  EXPECT_EQ(r.cell_count(), 12u);
  EXPECT_EQ(r.find(3, 0), nullptr);
  EXPECT_NE(r.find(4, 0), nullptr);
  r.erase_before(100);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.cell_count(), 0u);
}

// The rollup against a plain map over random adds in random order.
TEST(TrafficRollup, MatchesASimpleModel) {
  std::mt19937 rng(42);
  traffic_rollup r;
  std::map<std::pair<int64_t, uint16_t>, hour_counts> model;
  for (int i = 0; i < 20000; ++i) {
    const int64_t hour = 1000 + static_cast<int64_t>(rng() % 500);
    const auto an = static_cast<uint16_t>(rng() % 12);
    const auto res = static_cast<call_result>(rng() % call_result_count);
    const uint32_t dur = res == call_result::completed ? rng() % 600 : 0;
    r.add(hour, an, res, dur);
    model[{hour, an}].add(res, dur);
  }
  EXPECT_EQ(r.cell_count(), model.size());
  const std::vector<uint16_t> pick{1, 5, 11};
  std::map<int64_t, hour_counts> all, picked;
  for (const auto& [key, c] : model) {
    all[key.first] += c;
    if (key.second == 1 || key.second == 5 || key.second == 11) picked[key.first] += c;
  }
  std::map<int64_t, hour_counts> got_all, got_picked;
  r.for_each_hour(1100, 1400, {}, [&](int64_t h, const hour_counts& c) { got_all[h] = c; });
  r.for_each_hour(1100, 1400, pick, [&](int64_t h, const hour_counts& c) { got_picked[h] = c; });
  std::erase_if(all, [](const auto& kv) { return kv.first < 1100 || kv.first >= 1400; });
  std::erase_if(picked, [](const auto& kv) { return kv.first < 1100 || kv.first >= 1400; });
  EXPECT_EQ(got_all, all);
  EXPECT_EQ(got_picked, picked);
}

}  // namespace
}  // namespace cxs::domain

// An hour starts as a single-AN entry (no per-AN list); a second AN must keep both figures apart.
TEST(TrafficRollup, SecondAnInAnHourSplitsTheSingleAnEntry) {
  using cxs::domain::call_result;
  cxs::domain::traffic_rollup r;
  const int64_t h = 500000;
  r.add(h, 3, call_result::completed, 60);
  r.add(h, 3, call_result::busy, 0);
  EXPECT_EQ(r.cell_count(), 1u);
  r.add(h, 1, call_result::completed, 30);
  EXPECT_EQ(r.cell_count(), 2u);
  ASSERT_NE(r.find(h, 3), nullptr);
  ASSERT_NE(r.find(h, 1), nullptr);
  EXPECT_EQ(r.find(h, 3)->total(), 2u);
  EXPECT_EQ(r.find(h, 3)->talk_seconds, 60u);
  EXPECT_EQ(r.find(h, 1)->total(), 1u);
  EXPECT_EQ(r.find(h, 2), nullptr);
  auto sum = [&](std::vector<uint16_t> ans) {
    uint64_t calls = 0;
    r.for_each_hour(h, h + 1, ans, [&](int64_t, const cxs::domain::hour_counts& c) { calls += c.total(); });
    return calls;
  };
  EXPECT_EQ(sum({}), 3u);
  EXPECT_EQ(sum({3}), 2u);
  EXPECT_EQ(sum({1}), 1u);
  EXPECT_EQ(sum({1, 3}), 3u);
  EXPECT_EQ(sum({2}), 0u);
  // set() on a single-AN hour replaces the cell and the total together.
  cxs::domain::hour_counts c;
  c.add(call_result::no_answer, 0);
  r.set(h + 1, 7, c);
  EXPECT_EQ(r.find(h + 1, 7)->total(), 1u);
  r.set(h + 1, 8, c);
  EXPECT_EQ(r.find(h + 1, 7)->total(), 1u);
  EXPECT_EQ(r.find(h + 1, 8)->total(), 1u);
  EXPECT_EQ(sum({}), 3u);
  r.erase_before(h + 1);
  EXPECT_EQ(r.cell_count(), 2u);
}
