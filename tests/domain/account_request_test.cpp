// POST /admin/accounts bodies (SPEC §14 "Operator API"): §3's codes and messages, in Japanese or
// English, for the body's own rules and the registry's.

#include "domain/account.hpp"
#include "domain/signup.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace cxs::domain {
namespace {

const civil_date today{2026, 12, 5};

nlohmann::json valid_body() {
  return {{"opid", "OP0001"},       {"plan", "free"},           {"auth_method", "otp"},
          {"password", "Abcdefg1"}, {"email", "a@example.com"}, {"person", "山田 花子"}};
}

nlohmann::json with(nlohmann::json body, const std::string& key, nlohmann::json value) {
  if (value.is_discarded())
    body.erase(key);
  else
    body[key] = std::move(value);
  return body;
}
const nlohmann::json absent = nlohmann::json::value_t::discarded;

std::vector<field_error> errors_of(const nlohmann::json& body, lang l = lang::ja) {
  auto r = parse_account_request(body, today, l);
  if (std::holds_alternative<account_request>(r)) return {};
  return std::get<std::vector<field_error>>(r);
}

// "field:code" of each error; every message is the catalogue's, in the language asked for.
std::vector<std::string> codes_of(const nlohmann::json& body, lang l = lang::ja) {
  std::vector<std::string> out;
  for (const auto& e : errors_of(body, l)) {
    EXPECT_TRUE(has_field_message(e.field, e.code)) << e.field << "/" << e.code << " has no message of its own";
    EXPECT_EQ(e.message, field_message(e.field, e.code, l));
    out.push_back(e.field + ":" + e.code);
  }
  return out;
}

using list = std::vector<std::string>;

TEST(AccountRequest, ValidBodyKeepsItsLanguage) {
  auto r = parse_account_request(valid_body(), today, lang::en);
  ASSERT_TRUE(std::holds_alternative<account_request>(r));
  const auto& req = std::get<account_request>(r);
  EXPECT_EQ(req.opid, "OP0001");
  EXPECT_EQ(req.registered, today);
  EXPECT_EQ(req.language, lang::en);
}

TEST(AccountRequest, PasswordAgainstTheRulesIsWeakPassword) {
  for (const char* pw : {"Abcdef1", "alllower1", "ALLUPPER1", "NoDigitsHere", "Has-Hyphen1", "Pässw0rdX"})
    EXPECT_EQ(codes_of(with(valid_body(), "password", pw)), list{"password:weak_password"}) << pw;
  EXPECT_EQ(codes_of(with(valid_body(), "password", "A1" + std::string(63, 'b'))), list{"password:weak_password"});
  EXPECT_EQ(codes_of(with(valid_body(), "password", 12345678)), list{"password:invalid"});
  EXPECT_EQ(codes_of(with(valid_body(), "password", absent)), list{"password:required"});
}

TEST(AccountRequest, EmailLengthBeforeItsForm) {
  const std::string long_email = std::string(243, 'a') + "@example.com";  // 255 characters
  EXPECT_EQ(codes_of(with(valid_body(), "email", long_email)), list{"email:too_long"});
  EXPECT_EQ(codes_of(with(valid_body(), "email", long_email.substr(1))), list{});  // 254
  EXPECT_EQ(codes_of(with(valid_body(), "email", "not-an-address")), list{"email:invalid"});
  EXPECT_EQ(codes_of(with(valid_body(), "email", "")), list{"email:required"});
}

TEST(AccountRequest, EveryRuleHasItsCode) {
  EXPECT_EQ(codes_of(with(valid_body(), "opid", "bad opid!")), list{"opid:invalid"});
  EXPECT_EQ(codes_of(with(valid_body(), "plan", "gold")), list{"plan:invalid"});
  EXPECT_EQ(codes_of(with(valid_body(), "auth_method", absent)), list{"auth_method:required"});
  EXPECT_EQ(codes_of(with(valid_body(), "person", std::string(101, 'x'))), list{"person:too_long"});
  EXPECT_EQ(codes_of(with(valid_body(), "person", "a\nb")), list{"person:invalid"});
  EXPECT_EQ(codes_of(with(valid_body(), "department", std::string(101, 'x'))), list{"department:too_long"});
  EXPECT_EQ(codes_of(with(valid_body(), "registered", "2026/01/01")), list{"registered:invalid"});
  EXPECT_EQ(codes_of(with(valid_body(), "registered", "2026-12-06")), list{"registered:future"});
  auto standard = with(valid_body(), "plan", "standard");
  EXPECT_EQ(codes_of(standard), (list{"billing_an:required", "billing_phone:required"}));
  standard["billing_an"] = "0312345678";
  standard["billing_phone"] = "123";
  EXPECT_EQ(codes_of(standard), (list{"billing_an:invalid", "billing_phone:invalid"}));
  EXPECT_EQ(codes_of(nlohmann::json::array()), list{":invalid"} /* the body itself */);
}

TEST(AccountRequest, MessagesInJapaneseOrEnglish) {
  const auto body = with(valid_body(), "password", "short");
  const auto ja = errors_of(body, lang::ja), en = errors_of(body, lang::en);
  ASSERT_EQ(ja.size(), 1u);
  ASSERT_EQ(en.size(), 1u);
  EXPECT_NE(ja[0].message.find("パスワード"), std::string::npos) << ja[0].message;
  EXPECT_NE(en[0].message.find("Password must be"), std::string::npos) << en[0].message;
}

TEST(AccountRequest, RegistryRulesInTheRequestsLanguage) {
  const registry reg({{"OP0001", true, {{"0120123456", {"0311112222"}}}}, {"OP0001C", false, {}}});
  account_request r;
  r.opid = "NOSUCH";
  r.language = lang::en;
  auto e = check_against_registry(r, reg);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].code, "unknown_opid");
  EXPECT_EQ(e[0].message, field_message("opid", "unknown_opid", lang::en));
  r.opid = "OP0001C";
  r.language = lang::ja;
  e = check_against_registry(r, reg);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].code, "child_opid");
  EXPECT_EQ(e[0].message, field_message("opid", "child_opid", lang::ja));
  r.opid = "OP0001";
  r.billing_an = "0120999999";
  e = check_against_registry(r, reg);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field + ":" + e[0].code, "billing_an:an_not_in_opid");
}

}  // namespace
}  // namespace cxs::domain
