// A full table of wrong tries drops the tenth that guards least: unlocked before locked, then
// least recently failed (domain/bounded_tries.hpp).

#include "domain/bounded_tries.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace cxs::domain {
namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(BoundedTries, ATenthGoesUnlockedAndOldestFirst) {
  std::vector<tried_name> table;
  for (int i = 0; i < 20; ++i) table.push_back({"n" + std::to_string(i), /*locked=*/i < 5, /*last=*/i});
  // Locked: n0..n4 (the oldest of all). Unlocked: n5..n19, of which n5 and n6 failed longest ago.
  EXPECT_EQ(sorted(names_to_drop(table)), (std::vector<std::string>{"n5", "n6"}));
}

TEST(BoundedTries, LocksGoOnlyWhenNothingElseIsLeft) {
  std::vector<tried_name> table;
  for (int i = 0; i < 10; ++i) table.push_back({"n" + std::to_string(i), true, 50 + i});
  EXPECT_EQ(names_to_drop(table), (std::vector<std::string>{"n0"}));
}

TEST(BoundedTries, AtLeastOneAndNoneOfAnEmptyTable) {
  EXPECT_EQ(names_to_drop({{"only", false, 1}}), (std::vector<std::string>{"only"}));
  EXPECT_TRUE(names_to_drop({}).empty());
}

}  // namespace
}  // namespace cxs::domain
