// The operators' account list (SPEC §17): its query parameters and which accounts a text names.

#include "domain/account_search.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

TEST(AccountSearch, ReadsTheTextTheCursorAndTheLimit) {
  auto s = read_account_search(parse_query("q=+%20OPA%20+&after=OP9&limit=200"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->text, "OPA");
  EXPECT_EQ(s->after, "OP9");
  EXPECT_EQ(s->limit, 200u);
  auto plain = read_account_search(parse_query(""));
  ASSERT_TRUE(plain);
  EXPECT_EQ((std::tuple{plain->text, plain->after, plain->limit}),
            (std::tuple{std::string(), std::string(), account_list_default_limit}));
}

TEST(AccountSearch, ALimitOutsideOneTo200IsRefusedByName) {
  for (const char* bad : {"limit=0", "limit=201", "limit=abc", "limit=5x", "limit=", "limit=-1", "limit=+5"}) {
    auto s = read_account_search(parse_query(bad));
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code, error_code::invalid_parameter) << bad;
    EXPECT_EQ(s.error().field, "limit") << bad;
  }
}

TEST(AccountSearch, TheTextIsInTheIdTheOpidOrAnAn) {
  const std::vector<std::string_view> ans{"0120111222", "0570333444"};
  const auto matches = [&](std::string_view text) {
    return account_matcher(text).matches("Ab3dE5gH9k", "SHOP01", ans);
  };
  EXPECT_TRUE(matches(""));
  EXPECT_TRUE(matches("  "));
  EXPECT_TRUE(matches("Ab3dE5gH9k"));
  EXPECT_TRUE(matches("3DE5")) << "letter case ignored";
  EXPECT_TRUE(matches("shop"));
  EXPECT_TRUE(matches("0570-333-444"));
  EXPECT_TRUE(matches(" 111 222 "));
  EXPECT_TRUE(matches("01"));  // in the OPID and the ANs
  EXPECT_FALSE(matches("SHOP02"));
  EXPECT_FALSE(matches("0800"));
  EXPECT_FALSE(matches("0120x111")) << "a text with letters is not looked for in the ANs";
  EXPECT_FALSE(account_matcher("0120").matches("Ab3dE5gH9k", "SHOP01", {}));
}

TEST(AccountSearch, OnlyADigitTextLooksAtAns) {
  EXPECT_TRUE(account_matcher("0120-111").looks_at_ans());
  EXPECT_FALSE(account_matcher("OPA").looks_at_ans());
  EXPECT_FALSE(account_matcher("").looks_at_ans());
  EXPECT_FALSE(account_matcher("--").looks_at_ans());
}

}  // namespace
}  // namespace cxs::domain
