#include "domain/numbers.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

TEST(Numbers, StripHyphens) {
  EXPECT_EQ(strip_hyphens("0120-123-456"), "0120123456");
  EXPECT_EQ(strip_hyphens("03-1234-5678"), "0312345678");
  EXPECT_EQ(strip_hyphens("0120123456"), "0120123456");
  EXPECT_EQ(strip_hyphens("--"), "");
}

TEST(Numbers, IsAllDigits) {
  EXPECT_TRUE(is_all_digits("0123456789"));
  EXPECT_FALSE(is_all_digits(""));
  EXPECT_FALSE(is_all_digits("0120-123"));
  EXPECT_FALSE(is_all_digits("12a"));
  EXPECT_FALSE(is_all_digits(" 12"));
  EXPECT_FALSE(is_all_digits("\xEF\xBC\x91"));  // full-width 1
}

TEST(Numbers, AnFormats) {
  EXPECT_TRUE(is_valid_an("0120123456"));     // 0120 + 6
  EXPECT_TRUE(is_valid_an("08001234567"));    // 0800 + 7
  EXPECT_TRUE(is_valid_an("0570123456"));     // 0570 + 6
  EXPECT_FALSE(is_valid_an("012012345"));     // 0120 + 5
  EXPECT_FALSE(is_valid_an("01201234567"));   // 0120 + 7
  EXPECT_FALSE(is_valid_an("0800123456"));    // 0800 + 6
  EXPECT_FALSE(is_valid_an("080012345678"));  // 0800 + 8
  EXPECT_FALSE(is_valid_an("057012345"));     // 0570 + 5
  EXPECT_FALSE(is_valid_an("05701234567"));   // 0570 + 7
  EXPECT_FALSE(is_valid_an("0312345678"));    // geographic
  EXPECT_FALSE(is_valid_an("09012345678"));   // mobile
  EXPECT_FALSE(is_valid_an("0990123456"));
  EXPECT_FALSE(is_valid_an("0120-123-456"));  // digits only: strip hyphens first
  EXPECT_TRUE(is_valid_an(strip_hyphens("0120-123-456")));
  EXPECT_TRUE(is_valid_an(strip_hyphens("0800-123-4567")));
  EXPECT_TRUE(is_valid_an(strip_hyphens("0570-064-556")));
  EXPECT_FALSE(is_valid_an(""));
  EXPECT_FALSE(is_valid_an("012O123456"));  // letter O
}

TEST(Numbers, OpidRule) {
  EXPECT_TRUE(is_valid_opid("OP0001"));
  EXPECT_TRUE(is_valid_opid("a"));
  EXPECT_TRUE(is_valid_opid("ABCDEFGHIJklmn01"));    // 16
  EXPECT_FALSE(is_valid_opid("ABCDEFGHIJklmn012"));  // 17
  EXPECT_FALSE(is_valid_opid(""));
  EXPECT_FALSE(is_valid_opid("OP-0001"));
  EXPECT_FALSE(is_valid_opid("OP_0001"));
  EXPECT_FALSE(is_valid_opid("OP 0001"));
  EXPECT_FALSE(is_valid_opid("ＯＰ0001"));  // full-width letters
}

TEST(Numbers, JapanesePhoneNumbers) {
  EXPECT_TRUE(is_valid_jp_phone("0312345678"));   // Tokyo
  EXPECT_TRUE(is_valid_jp_phone("0662345678"));   // Osaka
  EXPECT_TRUE(is_valid_jp_phone("0112345678"));   // Sapporo
  EXPECT_TRUE(is_valid_jp_phone("0155223456"));   // Obihiro, 4-digit area code
  EXPECT_TRUE(is_valid_jp_phone("09012345678"));  // mobile
  EXPECT_TRUE(is_valid_jp_phone("08012345678"));
  EXPECT_TRUE(is_valid_jp_phone("07012345678"));
  EXPECT_TRUE(is_valid_jp_phone("05012345678"));     // IP
  EXPECT_TRUE(is_valid_jp_phone("0120123456"));      // toll-free
  EXPECT_TRUE(is_valid_jp_phone("0570123456"));      // navi-dial
  EXPECT_FALSE(is_valid_jp_phone("031234567"));      // too short
  EXPECT_FALSE(is_valid_jp_phone("031234567890"));   // too long
  EXPECT_FALSE(is_valid_jp_phone("0901234567"));     // mobile needs 11 digits
  EXPECT_FALSE(is_valid_jp_phone("3123456789"));     // no leading 0
  EXPECT_FALSE(is_valid_jp_phone("0101312345678"));  // international prefix
  EXPECT_FALSE(is_valid_jp_phone("03-1234-5678"));   // digits only here
  EXPECT_FALSE(is_valid_jp_phone(""));
  EXPECT_FALSE(is_valid_jp_phone("0000000000"));
}

}  // namespace
}  // namespace cxs::domain
