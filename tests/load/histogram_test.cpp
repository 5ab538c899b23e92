#include "load/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using cxs::load::latency_histogram;

namespace {

uint64_t exact_percentile(std::vector<uint64_t> values, double p) {
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::max<std::size_t>(rank, 1) - 1];
}

}  // namespace

TEST(LatencyHistogram, EmptyAnswersZero) {
  latency_histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(50), 0u);
  EXPECT_EQ(h.max(), 0u);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  latency_histogram h;
  for (uint64_t v = 0; v < 100; ++v) h.record(v);
  EXPECT_EQ(h.percentile(50), 49u);
  EXPECT_EQ(h.percentile(100), 99u);
  EXPECT_EQ(h.percentile(1), 0u);
}

TEST(LatencyHistogram, PercentilesWithinTheDocumentedErrorOfExact) {
  // Log-normal latencies from 50 µs to seconds, as a loaded server gives them.
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(std::log(2000.0), 1.5);
  std::vector<uint64_t> values;
  latency_histogram h;
  for (int i = 0; i < 200000; ++i) {
    auto v = static_cast<uint64_t>(dist(rng));
    values.push_back(v);
    h.record(v);
  }
  for (double p : {50.0, 90.0, 99.0, 99.9, 100.0}) {
    const auto exact = exact_percentile(values, p);
    const auto reported = h.percentile(p);
    EXPECT_GE(reported, exact) << "p" << p;
    EXPECT_LE(static_cast<double>(reported), static_cast<double>(exact) * (1.0 + 1.0 / 128) + 1) << "p" << p;
  }
  EXPECT_EQ(h.max(), *std::max_element(values.begin(), values.end()));
  EXPECT_EQ(h.count(), values.size());
}

TEST(LatencyHistogram, HugeValuesDoNotOverflow) {
  latency_histogram h;
  h.record(UINT64_MAX);
  h.record(uint64_t{1} << 40);
  EXPECT_EQ(h.percentile(100), UINT64_MAX);
  EXPECT_GE(h.percentile(50), uint64_t{1} << 40);
  EXPECT_LE(h.percentile(50), (uint64_t{1} << 40) + (uint64_t{1} << 33));
}

TEST(LatencyHistogram, MergeAddsCounts) {
  latency_histogram a, b;
  for (int i = 0; i < 10; ++i) a.record(1000);
  for (int i = 0; i < 30; ++i) b.record(5000);
  a.merge(b);
  EXPECT_EQ(a.count(), 40u);
  EXPECT_EQ(a.max(), 5000u);
  EXPECT_LE(a.percentile(20), 1000u + 8);
  EXPECT_GE(a.percentile(50), 5000u);
}
