// Blocks of calls by minute (storage/minute_block): what is appended reads back field for field,
// the sizes announced are the sizes written, and a damaged block (cut short, a minute or result
// out of range, a DN running past the end) is reported, never read past its end.

#include "storage/minute_block.hpp"
#include "storage/keys.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cxs::storage {
namespace {

using domain::call_result;

struct owned {
  uint16_t minute, an_index;
  std::string dn;
  uint32_t duration_s;
  call_result result;
  bool operator==(const owned&) const = default;
};

std::vector<owned> read_all(std::string_view block, bool& whole) {
  std::vector<owned> out;
  whole = for_each_minute(block, [&](const minute_call& c) {
    out.push_back({c.minute, c.an_index, std::string(c.dn), c.duration_s, c.result});
  });
  return out;
}

const std::vector<owned> samples = {
    {0, 0, "", 0, call_result::completed},
    {1439, 65534, "0311112222", 4294967295u, call_result::other},
    {540, 3, "09012345678", 61, call_result::busy},
};

std::string encode(const std::vector<owned>& calls) {
  std::string block;
  for (const auto& c : calls) {
    const minute_call view{c.minute, c.an_index, c.dn, c.duration_s, c.result};
    const auto before = block.size();
    append_minute(block, view);
    EXPECT_EQ(block.size() - before, minute_packed_size(view));
  }
  return block;
}

TEST(MinuteBlock, ReadsBackWhatWasAppended) {
  bool whole = false;
  EXPECT_EQ(read_all(encode(samples), whole), samples);
  EXPECT_TRUE(whole);
  EXPECT_EQ(encode({samples[0]}).size(), 10u);  // 10 bytes a call without a DN
  EXPECT_TRUE(read_all("", whole).empty());
  EXPECT_TRUE(whole);
}

TEST(MinuteBlock, LongDnIsCutTo255Bytes) {
  const std::string dn(300, '1');
  std::string block;
  append_minute(block, {1, 0, dn, 5, call_result::completed});
  EXPECT_EQ(block.size(), 10u + 255u);
  bool whole = false;
  const auto got = read_all(block, whole);
  ASSERT_TRUE(whole);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].dn, dn.substr(0, 255));
}

TEST(MinuteBlock, DamageIsReported) {
  const std::string block = encode(samples);
  bool whole = true;
  for (std::size_t cut = 1; cut < block.size(); ++cut) {
    const auto got = read_all(std::string_view(block).substr(0, cut), whole);
    const bool at_boundary = cut == 10 || cut == 30;  // after the first or second call
    EXPECT_EQ(whole, at_boundary) << "cut at " << cut;
    EXPECT_LE(got.size(), 2u);
  }
  std::string bad_minute = encode({samples[0]});
  bad_minute[0] = 0x05;  // minute 0x05A0 = 1440: past the day's last minute
  bad_minute[1] = static_cast<char>(0xA0);
  EXPECT_TRUE(read_all(bad_minute, whole).empty());
  EXPECT_FALSE(whole);
  std::string bad_result = encode({samples[0]});
  bad_result[8] = static_cast<char>(domain::call_result_count);
  EXPECT_TRUE(read_all(bad_result, whole).empty());
  EXPECT_FALSE(whole);
  std::string long_dn = encode({samples[0]});
  long_dn[9] = 3;  // a DN of 3 bytes that are not there
  EXPECT_TRUE(read_all(long_dn, whole).empty());
  EXPECT_FALSE(whole);
}

TEST(MinuteBlock, KeysOfOneDayShareItsPrefix) {
  const auto prefix = day_prefix(7, 24322, 5);
  EXPECT_EQ(prefix.size(), 7u);
  EXPECT_EQ(minutes_key(7, 24322, 5, 99).substr(0, 7), prefix);
  EXPECT_NE(minutes_key(7, 24322, 6, 99).substr(0, 7), prefix);
  EXPECT_EQ(minutes_key(7, 24322, 5, 99), cdr_key(7, 24322, 5, 99));  // one layout for day blocks
  const auto months = month_range(7, 24322, 24323);
  EXPECT_GE(minutes_key(7, 24322, 31, ~0ull), months.begin);
  EXPECT_LT(minutes_key(7, 24322, 31, ~0ull), months.end);
}

}  // namespace
}  // namespace cxs::storage
