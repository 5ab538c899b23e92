#include "load/schedule.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace cxs::load;
using namespace std::chrono_literals;

TEST(OpenLoopSchedule, UniformGivesRateTimesDurationStartsEvenlySpaced) {
  auto plan = open_loop_schedule({{operation::login, 5}, {operation::dashboard, 20}}, 10s, arrival_process::uniform, 1);
  std::map<operation, std::vector<std::chrono::nanoseconds>> by_op;
  for (const auto& p : plan) by_op[p.op].push_back(p.at);
  EXPECT_NEAR(static_cast<double>(by_op[operation::login].size()), 50, 1);
  EXPECT_NEAR(static_cast<double>(by_op[operation::dashboard].size()), 200, 1);
  const auto& logins = by_op[operation::login];
  for (std::size_t i = 1; i < logins.size(); ++i)
    EXPECT_NEAR(static_cast<double>((logins[i] - logins[i - 1]).count()), 2e8, 2);
  for (const auto& p : plan) {
    EXPECT_GE(p.at, 0ns);
    EXPECT_LT(p.at, 10s);
  }
  EXPECT_TRUE(std::is_sorted(plan.begin(), plan.end(), [](auto& a, auto& b) { return a.at < b.at; }));
}

TEST(OpenLoopSchedule, SameSeedSamePlanAndOperationsIndependent) {
  auto a = open_loop_schedule({{operation::ingest, 3}}, 5s, arrival_process::poisson, 9);
  auto b = open_loop_schedule({{operation::ingest, 3}}, 5s, arrival_process::poisson, 9);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].at, b[i].at);
  // Adding another operation leaves the ingest starts where they were.
  auto c = open_loop_schedule({{operation::ingest, 3}, {operation::signup, 7}}, 5s, arrival_process::poisson, 9);
  std::vector<std::chrono::nanoseconds> ingest_in_c;
  for (const auto& p : c)
    if (p.op == operation::ingest) ingest_in_c.push_back(p.at);
  ASSERT_EQ(ingest_in_c.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(ingest_in_c[i], a[i].at);
}

TEST(OpenLoopSchedule, PoissonCountNearTheRate) {
  auto plan = open_loop_schedule({{operation::analysis, 100}}, 60s, arrival_process::poisson, 3);
  // 6,000 expected; the standard deviation is ~77.
  EXPECT_NEAR(static_cast<double>(plan.size()), 6000, 400);
}

TEST(OpenLoopSchedule, OperationNames) {
  for (auto op : all_operations) EXPECT_EQ(operation_named(name_of(op)), op);
  EXPECT_FALSE(operation_named("logout"));
}
