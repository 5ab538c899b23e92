// The in-memory call-ID fingerprints of an account: every inserted ID is found with its month,
// fingerprints tell ANs apart, collisions keep every month, retention forgets whole months.

#include "domain/call_id_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <unordered_set>

namespace cxs::domain {
namespace {

std::vector<uint16_t> months_of(const call_id_set& s, uint64_t fp) {
  std::vector<uint16_t> m;
  s.candidates(fp, m);
  return m;
}

TEST(CallIdSet, FingerprintsAre48BitsNonZeroAndTellAnsApart) {
  std::unordered_set<uint64_t> seen;
  for (uint16_t an = 0; an < 4; ++an)
    for (int i = 0; i < 20000; ++i) {
      const uint64_t fp = call_id_set::fingerprint(an, "call-" + std::to_string(i));
      EXPECT_NE(fp, 0u);
      EXPECT_LT(fp, uint64_t{1} << 48);
      seen.insert(fp);
    }
  EXPECT_EQ(seen.size(), 80000u);  // 80,000 of 2^48: a collision here would be a broken mix
  EXPECT_EQ(call_id_set::fingerprint(3, "x"), call_id_set::fingerprint(3, "x"));
}

TEST(CallIdSet, FindsEveryInsertedIdWithItsMonthAcrossGrowth) {
  call_id_set s;
  for (int i = 0; i < 100000; ++i)
    s.insert(call_id_set::fingerprint(static_cast<uint16_t>(i % 7), "c" + std::to_string(i)),
             static_cast<uint16_t>(24300 + i % 12));
  EXPECT_EQ(s.size(), 100000u);
  for (int i = 0; i < 100000; i += 97)
    EXPECT_EQ(months_of(s, call_id_set::fingerprint(static_cast<uint16_t>(i % 7), "c" + std::to_string(i))),
              std::vector<uint16_t>{static_cast<uint16_t>(24300 + i % 12)});
  int false_hits = 0;
  for (int i = 0; i < 100000; ++i)
    false_hits += months_of(s, call_id_set::fingerprint(9, "c" + std::to_string(i))).empty() ? 0 : 1;
  EXPECT_EQ(false_hits, 0);
  // Between 4/3 and 8/3 slots of 8 bytes per entry.
  EXPECT_LE(s.memory_bytes(), 100000u * 22);
}

TEST(CallIdSet, AFingerprintSharedByTwoIdsNamesBothMonths) {
  call_id_set s;
  s.insert(12345, 24300);
  s.insert(12345, 24305);
  s.insert(12345, 24305);  // the same entry twice is kept once
  EXPECT_EQ(s.size(), 2u);
  auto m = months_of(s, 12345);
  std::sort(m.begin(), m.end());
  EXPECT_EQ(m, (std::vector<uint16_t>{24300, 24305}));
  EXPECT_TRUE(months_of(s, 12346).empty());
  EXPECT_TRUE(months_of(call_id_set{}, 12345).empty());
}

TEST(CallIdSet, RetentionForgetsWholeMonths) {
  call_id_set s;
  for (int i = 0; i < 3000; ++i) s.insert(static_cast<uint64_t>(i + 1), static_cast<uint16_t>(24300 + i % 3));
  s.erase_before(24302);
  EXPECT_EQ(s.size(), 1000u);
  for (int i = 0; i < 3000; ++i) EXPECT_EQ(months_of(s, static_cast<uint64_t>(i + 1)).empty(), i % 3 != 2) << i;
}

}  // namespace
}  // namespace cxs::domain
