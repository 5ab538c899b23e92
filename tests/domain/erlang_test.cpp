#include "domain/erlang.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace cxs::domain {
namespace {

// B(N, A) by the closed formula in log space (log-sum-exp over k = 0..N of A^k/k!), a method
// independent of the recurrence under test.
double erlang_b_closed(uint32_t n, double a) {
  const auto term = [&](uint32_t k) { return k * std::log(static_cast<long double>(a)) - std::lgamma(k + 1.0L); };
  long double max_term = term(0);
  for (uint32_t k = 1; k <= n; ++k) max_term = std::max(max_term, term(k));
  long double sum = 0;
  for (uint32_t k = 0; k <= n; ++k) sum += std::exp(term(k) - max_term);
  return static_cast<double>(std::exp(term(n) - max_term) / sum);
}

TEST(ErlangB, PublishedValues) {
  // The reference: 10 erlangs at 1 % blocking need 18 lines; B(18, 10) ≈ 0.00714.
  EXPECT_NEAR(erlang_b(18, 10.0), 0.00714, 0.000005);
  EXPECT_EQ(lines_needed(10.0, 0.01), 18u);
  EXPECT_GT(erlang_b(17, 10.0), 0.01);
  // Textbook cases: B(1, 1) = 1/2; B(2, 2) = 2/5; 100 erlangs at 1 % need 117 lines.
  EXPECT_DOUBLE_EQ(erlang_b(1, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(erlang_b(2, 2.0), 0.4);
  EXPECT_EQ(lines_needed(100.0, 0.01), 117u);
  // 5 erlangs at 1 %: 11 lines (B(11, 5) = 0.0083, B(10, 5) = 0.0184).
  EXPECT_EQ(lines_needed(5.0, 0.01), 11u);
}

TEST(ErlangB, EdgeCases) {
  EXPECT_DOUBLE_EQ(erlang_b(0, 3.0), 1.0);
  EXPECT_DOUBLE_EQ(erlang_b(4, 0.0), 0.0);
  EXPECT_EQ(lines_needed(0.0, 0.01), 0u);
  EXPECT_EQ(lines_needed(0.001, 0.5), 1u);
}

TEST(ErlangB, AgreesWithTheClosedFormulaUpToTenThousandErlangs) {
  for (double a : {0.5, 3.7, 42.0, 517.25, 2500.0, 10000.0}) {
    const uint32_t n = lines_needed(a, 0.01);
    EXPECT_LE(erlang_b(n, a), 0.01) << a;
    EXPECT_GT(erlang_b(n - 1, a), 0.01) << a;
    for (uint32_t k : {n > 5 ? n - 5 : 1u, n, n + 5}) {
      const double b = erlang_b(k, a), expect = erlang_b_closed(k, a);
      EXPECT_TRUE(std::isfinite(b));
      EXPECT_NEAR(b, expect, 1e-9 + expect * 1e-7) << "A=" << a << " N=" << k;
    }
  }
  // 10,000 erlangs at 1 %: a little under the offered load (for large A, B(A, A) ≈ √(2/(πA))
  // ≈ 0.008 already), and the recurrence must not have lost its way to get there.
  const uint32_t n = lines_needed(10000.0, 0.01);
  EXPECT_GT(n, 9900u);
  EXPECT_LT(n, 10000u);
}

TEST(ErlangB, TableIsTheRecurrenceRow) {
  const auto table = erlang_b_table(10.0, 13, 23);
  ASSERT_EQ(table.size(), 11u);
  for (const auto& [n, b] : table) EXPECT_DOUBLE_EQ(b, erlang_b(n, 10.0));
  EXPECT_EQ(table.front().first, 13u);
  EXPECT_EQ(table.back().first, 23u);
  for (std::size_t i = 1; i < table.size(); ++i) EXPECT_LT(table[i].second, table[i - 1].second);
}

}  // namespace
}  // namespace cxs::domain
