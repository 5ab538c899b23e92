#include "load/workload.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "domain/account.hpp"
#include "domain/cdr.hpp"
#include "domain/filters.hpp"
#include "domain/registry.hpp"
#include "domain/signup.hpp"
#include "domain/time.hpp"

using namespace cxs::load;
namespace domain = cxs::domain;

namespace {
constexpr int64_t now = 1796300000;  // 2026-12-03 (a Thursday), JST afternoon

std::vector<simulated_account> accounts(unsigned n) {
  std::vector<simulated_account> out;
  for (unsigned i = 0; i < n; ++i) out.push_back(account_at("LOAD", "load.example", i, 0.25));
  return out;
}
}  // namespace

TEST(Workload, AccountsAreDistinctAndAQuarterStandard) {
  auto all = accounts(100);
  std::set<std::string> opids, ans, emails;
  int standard = 0;
  for (const auto& a : all) {
    opids.insert(a.opid);
    emails.insert(a.email);
    for (const auto& an : a.ans) ans.insert(an);
    standard += a.standard;
  }
  EXPECT_EQ(opids.size(), 100u);
  EXPECT_EQ(emails.size(), 100u);
  EXPECT_EQ(ans.size(), 200u);
  EXPECT_EQ(standard, 25);
  EXPECT_EQ(all[0].opid, "LOADA000001");
  EXPECT_EQ(all[0].email, "loada000001@load.example");
}

TEST(Workload, RegistryPatchPassesTheServersRegistryRules) {
  auto all = accounts(50);
  std::set<std::string> taken = {"08008000000", "08008000002"};
  for (unsigned n = 0; n < 5; ++n) all.push_back(signup_at("LOAD", "load.example", run_tag(now), n, taken));
  auto parsed = domain::parse_registry_json(registry_patch(all));
  ASSERT_TRUE(std::holds_alternative<std::vector<domain::opid_entry>>(parsed))
      << std::get<std::vector<domain::registry_error>>(parsed).front().message;
  EXPECT_EQ(std::get<std::vector<domain::opid_entry>>(parsed).size(), 55u);
  EXPECT_TRUE(domain::an_conflicts(std::get<std::vector<domain::opid_entry>>(parsed), nullptr).empty());
  // Sign-ups skip the ANs already taken.
  EXPECT_EQ(all[50].ans.front(), "08008000001");
  EXPECT_EQ(all[51].ans.front(), "08008000003");
  EXPECT_LE(all[50].opid.size(), 16u);
}

TEST(Workload, BodiesPassTheServersFormRules) {
  auto a = account_at("LOAD", "load.example", 3, 1.0);
  ASSERT_TRUE(a.standard);
  auto today = domain::to_jst(now).date;
  auto account =
      domain::parse_account_request(nlohmann::json::parse(account_body(a, "LoadTest2026", jst_date(now, -92))), today);
  EXPECT_TRUE(std::holds_alternative<domain::account_request>(account));
  std::set<std::string> taken;
  auto s = signup_at("LOAD", "load.example", "0ABC", 7, taken);
  auto signup = domain::parse_signup(nlohmann::json::parse(signup_body(s, "LoadTest2026")), domain::lang::en);
  ASSERT_TRUE(std::holds_alternative<domain::signup_form>(signup))
      << std::get<std::vector<domain::field_error>>(signup).front().message;
}

TEST(Workload, CdrBatchesAreAllValidRecordsOfTheAccounts) {
  auto all = accounts(10);
  std::mt19937_64 rng(5);
  auto body = cdr_batch(all, "ldTEST-1", 1000, 500, now, rng);
  auto parsed = domain::parse_csv(body, now);
  ASSERT_TRUE(std::holds_alternative<domain::parsed_batch>(parsed));
  const auto& batch = std::get<domain::parsed_batch>(parsed);
  EXPECT_TRUE(batch.errors.empty()) << batch.errors.front().message;
  ASSERT_EQ(batch.records.size(), 500u);
  std::set<std::string> ids, ans;
  for (const auto& a : all) ans.insert(a.ans.begin(), a.ans.end());
  int completed = 0;
  for (const auto& r : batch.records) {
    ids.insert(r.call_id);
    EXPECT_TRUE(ans.contains(r.an));
    EXPECT_LE(r.start, now);
    EXPECT_GE(r.start, now - 7 * 86400);
    completed += r.result == domain::call_result::completed;
  }
  EXPECT_EQ(ids.size(), 500u);
  EXPECT_TRUE(ids.contains("ldTEST-1-1000"));
  EXPECT_NEAR(completed, 350, 50);
}

TEST(Workload, DashboardAndAnalysisQueriesPassTheServersFilterRules) {
  const auto today = domain::to_jst(now).date;
  for (const auto& path : dashboard_paths(now)) {
    auto q = path.find('?');
    if (q == std::string::npos) continue;
    auto f = domain::parse_filters(domain::parse_query(path.substr(q + 1)), today, 12);
    EXPECT_TRUE(std::holds_alternative<domain::filters>(f)) << path;
  }
  auto a = account_at("LOAD", "load.example", 0, 1.0);
  std::mt19937_64 rng(11);
  std::set<std::string> names;
  for (int i = 0; i < 300; ++i) {
    auto path = analysis_path(a, now, rng);
    ASSERT_TRUE(path.starts_with("/api/analytics/"));
    auto q = path.find('?');
    names.insert(path.substr(15, q - 15));
    auto f = domain::parse_filters(domain::parse_query(path.substr(q + 1)), today, 24);
    EXPECT_TRUE(std::holds_alternative<domain::filters>(f)) << path << ": " << std::get<domain::param_error>(f).message;
  }
  EXPECT_GE(names.size(), 10u);  // the basic and the detailed analyses all come up
}

TEST(Workload, DatesInJst) {
  EXPECT_EQ(jst_date(1796300000), "2026-12-03");
  EXPECT_EQ(jst_date(1796300000, -92), "2026-09-02");
  EXPECT_EQ(run_tag(0), "0000");
  EXPECT_EQ(run_tag(35), "000Z");
}
