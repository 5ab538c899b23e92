// The directory's table of account records: records are found by ID as they were put, replaced
// by a put with the same ID, gone after erase, and each is visited once by for_each.

#include "actors/account_table.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cxs::actors {
namespace {

domain::account record(const std::string& id, const std::string& opid) {
  domain::account a;
  a.id = id;
  a.opid = opid;
  a.plan = "free";
  a.email = id + "@example.jp";
  a.registered = {2026, 1, 1};
  a.an_order = {"0120111111"};
  return a;
}

TEST(AccountTable, FindsWhatWasPut) {
  account_table t;
  t.put(record("Aaaaaaaaa1", "OPA"));
  t.put(record("Bbbbbbbbb2", "OPB"));
  EXPECT_EQ(t.size(), 2u);
  auto a = t.find("Aaaaaaaaa1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->opid, "OPA");
  EXPECT_EQ(a->email, "Aaaaaaaaa1@example.jp");
  EXPECT_EQ(a->an_order, std::vector<std::string>{"0120111111"});
  EXPECT_TRUE(t.contains("Bbbbbbbbb2"));
  EXPECT_FALSE(t.find("Ccccccccc3"));
  EXPECT_FALSE(t.contains("Ccccccccc3"));
}

TEST(AccountTable, APutReplacesAndEraseRemoves) {
  account_table t;
  t.put(record("Aaaaaaaaa1", "OPA"));
  auto before = t.find("Aaaaaaaaa1");
  auto changed = record("Aaaaaaaaa1", "OPA");
  changed.plan = "standard";
  changed.an_order.push_back("0800222222");
  t.put(changed);
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.find("Aaaaaaaaa1")->plan, "standard");
  EXPECT_EQ(t.find("Aaaaaaaaa1")->an_order.size(), 2u);
  EXPECT_EQ(before->plan, "free") << "a record found earlier is the caller's own copy";
  t.erase("Aaaaaaaaa1");
  EXPECT_EQ(t.size(), 0u);
  EXPECT_FALSE(t.find("Aaaaaaaaa1"));
}

TEST(AccountTable, ForEachVisitsEveryRecordOnce) {
  account_table t;
  for (int i = 0; i < 100; ++i) t.put(record("Id" + std::to_string(1000000 + i), "OP" + std::to_string(i)));
  std::multiset<std::string> seen;
  t.for_each([&](const domain::account& a) { seen.insert(a.opid); });
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 100u);
}

}  // namespace
}  // namespace cxs::actors
