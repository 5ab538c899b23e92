// The one source of the form rules (docs/web.md, "Form rules from one source"): the catalogue
// that tools/form_rules.cpp exports to the browser is complete and bilingual, and the named
// limits it exports are the ones the checks apply.

#include "domain/account.hpp"
#include "domain/numbers.hpp"
#include "domain/settings.hpp"
#include "domain/signup.hpp"
#include "signup_samples.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cxs::domain {
namespace {

using key = std::pair<std::string, std::string>;

std::set<key> catalogue() {
  auto keys = field_message_keys();
  return {keys.begin(), keys.end()};
}

// A string of n copies of a multi-byte character: lengths count characters, not bytes.
std::string characters(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += "あ";
  return s;
}

nlohmann::json valid_body() { return samples::valid_signup_body(); }

std::vector<field_error> signup_errors(const nlohmann::json& body) {
  auto r = parse_signup(body, lang::ja);
  return std::holds_alternative<signup_form>(r) ? std::vector<field_error>{} : std::get<1>(r);
}

TEST(FormRules, EveryKeyHasItsOwnMessageInBothLanguages) {
  auto keys = field_message_keys();
  ASSERT_FALSE(keys.empty());
  EXPECT_EQ(catalogue().size(), keys.size()) << "a key is listed twice";
  const auto generic_ja = field_message("no such field", "no such code", lang::ja);
  const auto generic_en = field_message("no such field", "no such code", lang::en);
  for (auto& [field, code] : keys) {
    SCOPED_TRACE(field + "/" + code);
    auto ja = field_message(field, code, lang::ja);
    auto en = field_message(field, code, lang::en);
    EXPECT_FALSE(ja.empty());
    EXPECT_FALSE(en.empty());
    EXPECT_NE(ja, en);
    EXPECT_NE(ja, generic_ja) << "listed but not in the catalogue";
    EXPECT_NE(en, generic_en) << "listed but not in the catalogue";
  }
}

TEST(FormRules, EveryErrorTheFormsGiveIsExported) {
  const auto keys = catalogue();
  std::vector<field_error> errors;
  auto add = [&](const std::vector<field_error>& more) { errors.insert(errors.end(), more.begin(), more.end()); };

  add(signup_errors(nlohmann::json::object()));  // required, everywhere
  nlohmann::json wrong{{"contractor_name", characters(text_max_length + 1)},
                       {"industry", "農業"},
                       {"phone", "12345"},
                       {"department", "a\nb"},
                       {"person", 42},
                       {"email", "not an address"},
                       {"opid", "bad opid!"},
                       {"an", "0312345678"},
                       {"dn", "12"},
                       {"plan", "gold"},
                       {"password", "short"},
                       {"auth_method", "card"},
                       {"has_sales_code", "yes"}};
  add(signup_errors(wrong));
  auto standard = valid_body();
  standard["plan"] = "standard";
  standard["billing_an"] = "0312345678";
  standard["billing_phone"] = "12";
  standard["has_sales_code"] = true;
  standard["sales_code"] = "short";
  standard["email"] = std::string(email_max_length, 'a') + "@example.com";
  add(signup_errors(standard));
  add(signup_errors(nlohmann::json::array()));

  auto settings = parse_settings_change({{"email", ""}, {"person", 1}, {"password", "Passw0rdX"}}, lang::ja);
  ASSERT_TRUE(std::holds_alternative<std::vector<field_error>>(settings));
  add(std::get<1>(settings));
  for (auto [first, second] : {std::pair{"id", "password"}, std::pair{"id", "email"}}) {
    auto pair = parse_pair(nlohmann::json::object(), first, second, lang::ja);
    ASSERT_TRUE(std::holds_alternative<std::vector<field_error>>(pair));
    add(std::get<1>(pair));
  }
  auto login = parse_login({{"id", "AbCdEf1234"}, {"password", "x"}, {"take_over", "yes"}}, lang::ja);
  ASSERT_TRUE(std::holds_alternative<std::vector<field_error>>(login));
  add(std::get<1>(login));

  ASSERT_GT(errors.size(), 30u);
  for (auto& e : errors) EXPECT_TRUE(keys.count({e.field, e.code})) << e.field << "/" << e.code << " is not exported";
}

TEST(FormRules, LoginTakesAnOptionalBooleanTakeOver) {
  auto plain = parse_login({{"id", "AbCdEf1234"}, {"password", "Passw0rdX"}}, lang::en);
  ASSERT_TRUE(std::holds_alternative<login_request>(plain));
  EXPECT_EQ(std::get<0>(plain).id, "AbCdEf1234");
  EXPECT_EQ(std::get<0>(plain).password, "Passw0rdX");
  EXPECT_FALSE(std::get<0>(plain).take_over);
  auto taking = parse_login({{"id", "AbCdEf1234"}, {"password", "Passw0rdX"}, {"take_over", true}}, lang::en);
  ASSERT_TRUE(std::holds_alternative<login_request>(taking));
  EXPECT_TRUE(std::get<0>(taking).take_over);
  for (auto bad : {nlohmann::json("true"), nlohmann::json(1), nlohmann::json(nullptr)}) {
    auto refused = parse_login({{"id", "AbCdEf1234"}, {"password", "Passw0rdX"}, {"take_over", bad}}, lang::en);
    ASSERT_TRUE(std::holds_alternative<std::vector<field_error>>(refused)) << bad;
    ASSERT_EQ(std::get<1>(refused).size(), 1u);
    EXPECT_EQ(std::get<1>(refused)[0].field, "take_over");
    EXPECT_EQ(std::get<1>(refused)[0].code, "invalid");
  }
  auto both = parse_login({{"take_over", 2}}, lang::ja);
  ASSERT_TRUE(std::holds_alternative<std::vector<field_error>>(both));
  EXPECT_EQ(std::get<1>(both).size(), 3u) << "id, password and take_over, all at once";
}

TEST(FormRules, PasswordLimitsAreTheCheck) {
  const std::string head = "Aa1";
  auto of_length = [&](std::size_t n) { return head + std::string(n - head.size(), 'x'); };
  EXPECT_TRUE(is_valid_password(of_length(password_min_length)));
  EXPECT_FALSE(is_valid_password(of_length(password_min_length - 1)));
  EXPECT_TRUE(is_valid_password(of_length(password_max_length)));
  EXPECT_FALSE(is_valid_password(of_length(password_max_length + 1)));
  auto m = field_message("password", "weak_password", lang::en);
  EXPECT_NE(m.find(std::to_string(password_min_length) + " to " + std::to_string(password_max_length)),
            std::string::npos)
      << m;
}

TEST(FormRules, TextAndEmailLimitsAreTheCheck) {
  for (const char* field : {"contractor_name", "person", "department"}) {
    SCOPED_TRACE(field);
    auto body = valid_body();
    body[field] = characters(text_max_length);
    EXPECT_TRUE(signup_errors(body).empty());
    body[field] = characters(text_max_length + 1);
    auto errors = signup_errors(body);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].code, "too_long");
    EXPECT_NE(errors[0].message.find(std::to_string(text_max_length)), std::string::npos);
  }

  const std::string domain_part = "@example.com";
  const std::string longest = std::string(email_max_length - domain_part.size(), 'a') + domain_part;
  EXPECT_TRUE(is_valid_email(longest));
  EXPECT_FALSE(is_valid_email("a" + longest));
  auto body = valid_body();
  body["email"] = longest;
  EXPECT_TRUE(signup_errors(body).empty());
  body["email"] = "a" + longest;
  auto errors = signup_errors(body);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "too_long");
  EXPECT_NE(errors[0].message.find(std::to_string(email_max_length)), std::string::npos);
}

TEST(FormRules, NumberLimitsAreTheCheck) {
  EXPECT_TRUE(is_valid_opid(std::string(opid_min_length, 'A')));
  EXPECT_TRUE(is_valid_opid(std::string(opid_max_length, 'A')));
  EXPECT_FALSE(is_valid_opid(std::string(opid_max_length + 1, 'A')));
  EXPECT_FALSE(is_valid_opid(std::string(opid_min_length - 1, 'A')));
  EXPECT_NE(field_message("opid", "invalid", lang::ja).find(std::to_string(opid_max_length)), std::string::npos);

  for (auto& f : an_formats) {
    SCOPED_TRACE(std::string(f.prefix));
    const std::string an = std::string(f.prefix) + std::string(f.digits - f.prefix.size(), '1');
    EXPECT_TRUE(is_valid_an(an));
    EXPECT_FALSE(is_valid_an(an + "1"));
    EXPECT_FALSE(is_valid_an(an.substr(0, an.size() - 1)));
    EXPECT_NE(field_message("an", "invalid", lang::ja).find(f.prefix), std::string::npos);
    EXPECT_NE(field_message("billing_an", "invalid", lang::en).find(f.prefix), std::string::npos);
  }

  EXPECT_EQ(std::string("0312345678").size(), jp_phone_min_digits);
  EXPECT_TRUE(is_valid_jp_phone("0312345678"));
  EXPECT_EQ(std::string("09012345678").size(), jp_phone_max_digits);
  EXPECT_TRUE(is_valid_jp_phone("09012345678"));
  EXPECT_FALSE(is_valid_jp_phone("090123456789"));  // one more than jp_phone_max_digits
  EXPECT_FALSE(is_valid_jp_phone(std::string(jp_international_prefix) + "1234567"));  // 10 digits
}

TEST(FormRules, SalesCodeLengthIsTheCheck) {
  auto body = valid_body();
  body["has_sales_code"] = true;
  body["sales_code"] = std::string(sales_code_length, 'A');
  EXPECT_TRUE(signup_errors(body).empty());
  for (std::size_t n : {sales_code_length - 1, sales_code_length + 1}) {
    body["sales_code"] = std::string(n, 'A');
    auto errors = signup_errors(body);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].field, "sales_code");
  }
  EXPECT_NE(field_message("sales_code", "invalid", lang::ja).find(std::to_string(sales_code_length)),
            std::string::npos);

  body["has_sales_code"] = false;
  auto form = parse_signup(body, lang::ja);
  ASSERT_TRUE(std::holds_alternative<signup_form>(form));
  EXPECT_EQ(std::get<signup_form>(form).sales_code, std::string(sales_code_length, '0'));
}

}  // namespace
}  // namespace cxs::domain
