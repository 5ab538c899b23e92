// Reading PUT /api/me (SPEC §4, §18): which fields, and when the current password is required.
#include "domain/settings.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

std::vector<std::string> fields_of(const std::variant<settings_change, std::vector<field_error>>& parsed) {
  std::vector<std::string> out;
  if (auto* errors = std::get_if<std::vector<field_error>>(&parsed))
    for (auto& e : *errors) out.push_back(e.field + ":" + e.code);
  return out;
}

TEST(SettingsChange, ANewPasswordNeedsTheCurrentOne) {
  EXPECT_EQ(fields_of(parse_settings_change({{"password", "NewSecret1"}}, lang::en)),
            std::vector<std::string>{"current_password:required"});
  EXPECT_EQ(fields_of(parse_settings_change({{"password", "NewSecret1"}, {"current_password", ""}}, lang::en)),
            std::vector<std::string>{"current_password:required"});
  auto ok = parse_settings_change({{"password", "NewSecret1"}, {"current_password", "OldSecret1"}}, lang::en);
  ASSERT_TRUE(std::holds_alternative<settings_change>(ok));
  EXPECT_EQ(std::get<settings_change>(ok).current_password, "OldSecret1");
}

TEST(SettingsChange, TheCurrentPasswordIsReadWithAnEmailOrAuthMethodToo) {
  // Whether the email is new only the stored account tells; the caller asks changed_items().
  auto parsed = parse_settings_change({{"email", "new@example.com"}, {"current_password", "OldSecret1"}}, lang::ja);
  ASSERT_TRUE(std::holds_alternative<settings_change>(parsed));
  auto& c = std::get<settings_change>(parsed);
  EXPECT_EQ(c.email, "new@example.com");
  EXPECT_EQ(c.current_password, "OldSecret1");
  auto without = parse_settings_change({{"auth_method", "otp"}}, lang::ja);
  ASSERT_TRUE(std::holds_alternative<settings_change>(without));
  EXPECT_TRUE(std::get<settings_change>(without).current_password.empty());
}

TEST(SettingsChange, ACurrentPasswordThatIsNoStringIsNamed) {
  EXPECT_EQ(fields_of(parse_settings_change({{"email", "a@example.com"}, {"current_password", 5}}, lang::en)),
            std::vector<std::string>{"current_password:invalid"});
}

}  // namespace
}  // namespace cxs::domain

namespace cxs::domain {
namespace {

// PUT /admin/accounts/{id}/auth_method (SPEC §16, §19): otp and certificate are taken; anything
// else names the field.
TEST(AuthMethodBody, OtpOrCertificateIsTaken) {
  auto otp = parse_auth_method_body(nlohmann::json{{"auth_method", "otp"}});
  ASSERT_TRUE(std::holds_alternative<std::string>(otp));
  EXPECT_EQ(std::get<std::string>(otp), "otp");
  const auto code_of = [](const nlohmann::json& body) {
    auto r = parse_auth_method_body(body);
    auto* errors = std::get_if<std::vector<field_error>>(&r);
    if (!errors || errors->size() != 1) return std::string("no single error");
    return (*errors)[0].field + ":" + (*errors)[0].code;
  };
  auto certificate = parse_auth_method_body(nlohmann::json{{"auth_method", "certificate"}});
  ASSERT_TRUE(std::holds_alternative<std::string>(certificate)) << "certificate login is served (SPEC §16)";
  EXPECT_EQ(code_of({{"auth_method", "sms"}}), "auth_method:invalid");
  EXPECT_EQ(code_of({{"auth_method", 1}}), "auth_method:invalid");
  EXPECT_EQ(code_of({{"auth_method", ""}}), "auth_method:required");
  EXPECT_EQ(code_of(nlohmann::json::object()), "auth_method:required");
  EXPECT_EQ(code_of(nlohmann::json::array()), ":invalid");
  EXPECT_FALSE(check_auth_method("otp", lang::ja));
  EXPECT_FALSE(check_auth_method("certificate", lang::ja)) << "certificate login is served (SPEC §16)";
}

}  // namespace
}  // namespace cxs::domain
