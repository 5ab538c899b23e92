// The in-memory call-ID fingerprints of an account: every inserted ID is found with its month,
// fingerprints tell ANs apart, collisions keep every month, retention forgets whole months.

#include "domain/call_id_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <unordered_set>

namespace cxs::domain {
namespace {

// "c" + std::to_string(i) without g++ 12's false -Wrestrict alarm on that operator+.
std::string numbered(const char* prefix, long long i) {
  std::string s = prefix;
  s += std::to_string(i);
  return s;
}

std::vector<uint16_t> months_of(const call_id_set& s, uint64_t fp) {
  std::vector<uint16_t> m;
  s.candidates(fp, m);
  return m;
}

TEST(CallIdSet, FingerprintsAre48BitsNonZeroAndTellAnsApart) {
  std::unordered_set<uint64_t> seen;
  for (uint16_t an = 0; an < 4; ++an)
    for (int i = 0; i < 20000; ++i) {
      const uint64_t fp = call_id_set::fingerprint(an, numbered("call-", i));
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
    s.insert(call_id_set::fingerprint(static_cast<uint16_t>(i % 7), numbered("c", i)),
             static_cast<uint16_t>(24300 + i % 12));
  EXPECT_EQ(s.size(), 100000u);
  for (int i = 0; i < 100000; i += 97)
    EXPECT_EQ(months_of(s, call_id_set::fingerprint(static_cast<uint16_t>(i % 7), numbered("c", i))),
              std::vector<uint16_t>{static_cast<uint16_t>(24300 + i % 12)});
  int false_hits = 0;
  for (int i = 0; i < 100000; ++i)
    false_hits += months_of(s, call_id_set::fingerprint(9, numbered("c", i))).empty() ? 0 : 1;
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

TEST(CallIdSet, OneProbeInsertsANewFingerprintOrNamesTheMonthsOfAKnownOne) {
  call_id_set s;
  std::vector<uint16_t> months;
  EXPECT_FALSE(s.insert_unless_candidate(777, 24300, months));  // new: entered
  EXPECT_TRUE(months.empty());
  EXPECT_EQ(s.size(), 1u);
  EXPECT_TRUE(s.insert_unless_candidate(777, 24301, months));  // known: a candidate, not entered
  EXPECT_EQ(months, std::vector<uint16_t>{24300});
  EXPECT_EQ(s.size(), 1u);
  s.insert(777, 24301);  // the caller found it new after all
  months.clear();
  EXPECT_TRUE(s.insert_unless_candidate(777, 24302, months));
  std::sort(months.begin(), months.end());
  EXPECT_EQ(months, (std::vector<uint16_t>{24300, 24301}));
  // Across growth, and after a reserve, every entered fingerprint is found again.
  call_id_set big;
  big.reserve(50000);
  const auto reserved = big.memory_bytes();
  for (uint64_t fp = 1; fp <= 50000; ++fp) {
    big.prefetch(fp * 7919);
    EXPECT_FALSE(big.insert_unless_candidate(fp * 7919, 24300, months));
  }
  EXPECT_EQ(big.memory_bytes(), reserved);  // no growth within the reserved room
  for (uint64_t fp = 60000; fp <= 120000; ++fp) big.insert_unless_candidate(fp * 7919, 24300, months);
  months.clear();
  for (uint64_t fp = 1; fp <= 120000; fp += 101) {
    if (fp > 50000 && fp < 60000) continue;
    EXPECT_TRUE(big.candidates(fp * 7919, months)) << fp;
  }
}

TEST(CallIdSet, RepeatsWithinARequestAreMarkedAfterTheirFirst) {
  // IDs with deliberately equal fingerprints for some distinct IDs (a collision must not mark).
  const std::vector<std::string> ids{"a", "b", "a", "c", "b", "d", "a", "e"};
  std::vector<uint64_t> fps;
  for (const auto& id : ids) fps.push_back(id == "d" || id == "e" ? 99 : call_id_set::fingerprint(0, id));
  int compared = 0;
  const auto repeats = mark_repeats(fps, [&](uint32_t x, uint32_t y) {
    ++compared;
    EXPECT_LT(x, y);  // always an earlier standing position against a later one
    return ids[x] == ids[y];
  });
  EXPECT_EQ(repeats, (std::vector<bool>{false, false, true, false, true, false, true, false}));
  EXPECT_EQ(compared, 4);  // a, b, a again, and e against d: only on equal fingerprints
  EXPECT_TRUE(mark_repeats({}, [](uint32_t, uint32_t) { return true; }).empty());
  // A large request: every third position repeats an earlier one.
  std::vector<uint64_t> many;
  for (uint64_t i = 0; i < 30000; ++i) many.push_back(call_id_set::fingerprint(1, std::to_string(i % 20000)));
  const auto marked = mark_repeats(many, [&](uint32_t x, uint32_t y) { return x % 20000 == y % 20000; });
  for (std::size_t i = 0; i < many.size(); ++i) EXPECT_EQ(marked[i], i >= 20000) << i;
}

}  // namespace
}  // namespace cxs::domain
