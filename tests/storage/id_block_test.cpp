// Call-ID blocks: what is appended is read back in order, and a damaged block is reported.

#include "storage/id_block.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace cxs::storage {
namespace {

std::vector<std::pair<uint16_t, std::string>> read_all(std::string_view block, bool& whole) {
  std::vector<std::pair<uint16_t, std::string>> out;
  whole = for_each_id(block, [&](uint16_t an, std::string_view id) { out.emplace_back(an, std::string(id)); });
  return out;
}

TEST(IdBlock, RoundTripsInOrder) {
  std::string block;
  const std::string longest(64, 'z');
  append_id(block, 0, "c-1");
  append_id(block, 0xfffe, longest);
  append_id(block, 258, "a.b:c_D-9");
  EXPECT_EQ(block.size(), 3 + 3 + 3 + 64 + 3 + 9u);
  bool whole = false;
  const auto got = read_all(block, whole);
  EXPECT_TRUE(whole);
  const std::vector<std::pair<uint16_t, std::string>> want{{0, "c-1"}, {0xfffe, longest}, {258, "a.b:c_D-9"}};
  EXPECT_EQ(got, want);
  EXPECT_TRUE(read_all("", whole).empty());
  EXPECT_TRUE(whole);
}

TEST(IdBlock, ADamagedBlockIsReported) {
  std::string block;
  append_id(block, 1, "abc");
  append_id(block, 2, "defgh");
  bool whole = true;
  for (std::size_t cut = 1; cut < block.size(); ++cut) {
    if (cut == 6) continue;  // the end of the first entry: a whole block of one ID
    read_all(std::string_view(block).substr(0, cut), whole);
    EXPECT_FALSE(whole) << "cut at " << cut;
  }
  std::string zero_length{'\0', '\1', '\0'};
  read_all(zero_length, whole);
  EXPECT_FALSE(whole);
}

}  // namespace
}  // namespace cxs::storage
