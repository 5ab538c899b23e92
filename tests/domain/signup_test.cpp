#include "domain/signup.hpp"
#include "signup_samples.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cxs::domain {
namespace {

nlohmann::json valid_body() { return samples::valid_signup_body(); }

nlohmann::json standard_body() {
  auto b = valid_body();
  b["plan"] = "standard";
  b["billing_an"] = "0120-654-321";
  b["billing_phone"] = "090-1234-5678";
  return b;
}

std::vector<field_error> errors_of(const nlohmann::json& body, lang l = lang::ja) {
  auto r = parse_signup(body, l);
  if (std::holds_alternative<signup_form>(r)) return {};
  return std::get<std::vector<field_error>>(r);
}

signup_form form_of(const nlohmann::json& body) {
  auto r = parse_signup(body, lang::ja);
  if (auto* e = std::get_if<std::vector<field_error>>(&r)) {
    for (auto& x : *e) ADD_FAILURE() << x.field << " " << x.code << " " << x.message;
    return {};
  }
  return std::get<signup_form>(r);
}

// The single error the body gives, as "field:code".
std::string single_error(const nlohmann::json& body) {
  auto e = errors_of(body);
  if (e.size() != 1) {
    std::string all;
    for (auto& x : e) all += x.field + ":" + x.code + " ";
    return "expected one error, got " + std::to_string(e.size()) + ": " + all;
  }
  EXPECT_FALSE(e[0].message.empty());
  return e[0].field + ":" + e[0].code;
}

nlohmann::json with(nlohmann::json b, const std::string& key, nlohmann::json v) {
  b[key] = std::move(v);
  return b;
}

nlohmann::json without(nlohmann::json b, const std::string& key) {
  b.erase(key);
  return b;
}

TEST(SignupLanguage, FirstPreferredLanguage) {
  EXPECT_EQ(language_of(""), lang::ja);
  EXPECT_EQ(language_of("en"), lang::en);
  EXPECT_EQ(language_of("EN"), lang::en);
  EXPECT_EQ(language_of("en-US,en;q=0.9"), lang::en);
  EXPECT_EQ(language_of("en-GB"), lang::en);
  EXPECT_EQ(language_of("ja,en;q=0.8"), lang::ja);
  EXPECT_EQ(language_of("ja-JP,ja;q=0.9,en-US;q=0.8"), lang::ja);
  EXPECT_EQ(language_of("ja;q=0.5, en;q=0.9"), lang::en);  // highest q wins
  EXPECT_EQ(language_of("en;q=0.5, ja;q=0.5"), lang::en);  // tie: the first
  EXPECT_EQ(language_of("fr,en;q=0.9"), lang::ja);
  EXPECT_EQ(language_of("eng"), lang::ja);
  EXPECT_EQ(language_of("english"), lang::ja);
  EXPECT_EQ(language_of("en;q=0, ja"), lang::ja);
  EXPECT_EQ(language_of("*"), lang::ja);
  EXPECT_EQ(language_of(" en-us ; q=1.0 "), lang::en);
}

TEST(SignupIndustries, TheDocumentedList) {
  std::vector<std::string> expected{"製造業",         "建設業",           "情報通信業", "運輸業・郵便業",
                                    "卸売業・小売業", "金融業・保険業",   "不動産業",   "宿泊業・飲食サービス業",
                                    "医療・福祉",     "教育・学習支援業", "サービス業", "公務",
                                    "その他"};
  EXPECT_EQ(industries(), expected);
}

TEST(SignupParse, ValidFreeFormKeepsDigitsAndDefaults) {
  auto f = form_of(valid_body());
  EXPECT_EQ(f.contractor_name, "株式会社サンプル");
  EXPECT_EQ(f.industry, "情報通信業");
  EXPECT_EQ(f.phone, "0312345678");
  EXPECT_EQ(f.department, "お客様相談室");
  EXPECT_EQ(f.person, "山田 太郎");
  EXPECT_EQ(f.email, "taro@example.co.jp");
  EXPECT_EQ(f.opid, "OP0001");
  EXPECT_EQ(f.an, "0120123456");
  EXPECT_EQ(f.dn, "0311112222");
  EXPECT_EQ(f.plan, "free");
  EXPECT_EQ(f.billing_an, "");
  EXPECT_EQ(f.billing_phone, "");
  EXPECT_EQ(f.password, "Passw0rdX");
  EXPECT_EQ(f.auth_method, "otp");
  EXPECT_FALSE(f.has_sales_code);
  EXPECT_EQ(f.sales_code, "00000000000000");
}

TEST(SignupParse, ValidStandardForm) {
  auto f = form_of(standard_body());
  EXPECT_EQ(f.plan, "standard");
  EXPECT_EQ(f.billing_an, "0120654321");
  EXPECT_EQ(f.billing_phone, "09012345678");
}

TEST(SignupParse, BodyMustBeAnObject) {
  for (auto body : {nlohmann::json::array(), nlohmann::json("x"), nlohmann::json(3), nlohmann::json()}) {
    auto e = errors_of(body);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "");
    EXPECT_EQ(e[0].code, "invalid");
    EXPECT_FALSE(e[0].message.empty());
  }
}

TEST(SignupParse, RequiredFields) {
  for (const char* key : {"contractor_name", "industry", "phone", "person", "email", "opid", "an", "dn", "plan",
                          "password", "auth_method", "has_sales_code"}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(single_error(without(valid_body(), key)), std::string(key) + ":required");
    EXPECT_EQ(single_error(with(valid_body(), key, nullptr)), std::string(key) + ":required");
    EXPECT_EQ(single_error(with(valid_body(), key, "")), std::string(key) + ":required");
  }
  // department is optional
  auto f = form_of(without(valid_body(), "department"));
  EXPECT_EQ(f.department, "");
  EXPECT_EQ(form_of(with(valid_body(), "department", nullptr)).department, "");
}

TEST(SignupParse, WrongJsonTypesAreInvalid) {
  for (const char* key : {"contractor_name", "industry", "phone", "department", "person", "email", "opid", "an", "dn",
                          "plan", "password", "auth_method"}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(single_error(with(valid_body(), key, 12345)), std::string(key) + ":invalid");
    EXPECT_EQ(single_error(with(valid_body(), key, nlohmann::json::array({"a"}))), std::string(key) + ":invalid");
  }
  EXPECT_EQ(single_error(with(valid_body(), "has_sales_code", "true")), "has_sales_code:invalid");
  EXPECT_EQ(single_error(with(valid_body(), "has_sales_code", 1)), "has_sales_code:invalid");
}

TEST(SignupParse, LengthsCountCharacters) {
  std::string hundred_kanji;
  for (int i = 0; i < 100; ++i) hundred_kanji += "株";  // 300 bytes, 100 characters
  for (const char* key : {"contractor_name", "department", "person"}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(single_error(with(valid_body(), key, hundred_kanji)), "expected one error, got 0: ");
    EXPECT_EQ(single_error(with(valid_body(), key, hundred_kanji + "a")), std::string(key) + ":too_long");
    EXPECT_EQ(single_error(with(valid_body(), key, std::string(101, 'a'))), std::string(key) + ":too_long");
    EXPECT_EQ(single_error(with(valid_body(), key, "line\nbreak")), std::string(key) + ":invalid");
  }
}

TEST(SignupParse, Industry) {
  for (auto& i : industries()) EXPECT_EQ(form_of(with(valid_body(), "industry", i)).industry, i);
  EXPECT_EQ(single_error(with(valid_body(), "industry", "農業")), "industry:not_in_list");
  EXPECT_EQ(single_error(with(valid_body(), "industry", "情報通信")), "industry:not_in_list");
}

TEST(SignupParse, Phones) {
  EXPECT_EQ(form_of(with(valid_body(), "phone", "090-1234-5678")).phone, "09012345678");
  EXPECT_EQ(form_of(with(valid_body(), "phone", "0312345678")).phone, "0312345678");
  for (const char* bad : {"031234567", "+81312345678", "03 1234 5678", "０３１２３４５６７８", "abc", "010312345678"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(single_error(with(valid_body(), "phone", bad)), "phone:invalid");
    EXPECT_EQ(single_error(with(valid_body(), "dn", bad)), "dn:invalid");
  }
  EXPECT_EQ(form_of(with(valid_body(), "dn", "06-2345-6789")).dn, "0623456789");
}

TEST(SignupParse, EmailOpidAn) {
  EXPECT_EQ(single_error(with(valid_body(), "email", "not-an-address")), "email:invalid");
  EXPECT_EQ(single_error(with(valid_body(), "email", "a b@example.com")), "email:invalid");
  EXPECT_EQ(single_error(with(valid_body(), "email", std::string(250, 'a') + "@example.com")), "email:too_long");

  EXPECT_EQ(form_of(with(valid_body(), "opid", "A1b2C3d4E5f6G7h8")).opid, "A1b2C3d4E5f6G7h8");
  EXPECT_EQ(single_error(with(valid_body(), "opid", "A1b2C3d4E5f6G7h8X")), "opid:invalid");
  EXPECT_EQ(single_error(with(valid_body(), "opid", "OP-0001")), "opid:invalid");

  EXPECT_EQ(form_of(with(valid_body(), "an", "0800-123-4567")).an, "08001234567");
  EXPECT_EQ(form_of(with(valid_body(), "an", "0570-064-556")).an, "0570064556");
  EXPECT_EQ(single_error(with(valid_body(), "an", "03-1234-5678")), "an:invalid");
  EXPECT_EQ(single_error(with(valid_body(), "an", "0120-123-45")), "an:invalid");
}

TEST(SignupParse, PlanAndAuthMethod) {
  EXPECT_EQ(single_error(with(valid_body(), "plan", "premium")), "plan:invalid");
  EXPECT_EQ(single_error(with(valid_body(), "plan", "Free")), "plan:invalid");
  EXPECT_EQ(form_of(with(valid_body(), "auth_method", "certificate")).auth_method, "certificate");
  EXPECT_EQ(single_error(with(valid_body(), "auth_method", "sms")), "auth_method:invalid");
}

TEST(SignupParse, BillingRequiredOnStandardOnly) {
  EXPECT_EQ(single_error(without(standard_body(), "billing_an")), "billing_an:required");
  EXPECT_EQ(single_error(with(standard_body(), "billing_phone", "")), "billing_phone:required");
  EXPECT_EQ(single_error(with(standard_body(), "billing_an", "0312345678")), "billing_an:invalid");
  EXPECT_EQ(single_error(with(standard_body(), "billing_phone", "12345")), "billing_phone:invalid");
  EXPECT_EQ(single_error(with(standard_body(), "billing_an", 120)), "billing_an:invalid");
}

TEST(SignupParse, BillingIgnoredOnFree) {
  auto body = valid_body();
  body["billing_an"] = "garbage";
  body["billing_phone"] = 42;
  auto f = form_of(body);
  EXPECT_EQ(f.billing_an, "");
  EXPECT_EQ(f.billing_phone, "");
  // Valid billing fields on free are not kept either.
  body["billing_an"] = "0120-654-321";
  body["billing_phone"] = "0312345678";
  f = form_of(body);
  EXPECT_EQ(f.billing_an, "");
  EXPECT_EQ(f.billing_phone, "");
}

TEST(SignupParse, PasswordRules) {
  for (const char* good : {"Abcdefg1", "aB3aB3aB3aB3", "ZZZZzzz9"})
    EXPECT_EQ(form_of(with(valid_body(), "password", good)).password, good);
  EXPECT_EQ(form_of(with(valid_body(), "password", "A1" + std::string(62, 'b'))).password.size(), 64u);
  for (std::string bad : {std::string("Abcdef1"),       // 7
                          "A1" + std::string(63, 'b'),  // 65
                          std::string("abcdefg1"),      // no upper
                          std::string("ABCDEFG1"),      // no lower
                          std::string("Abcdefgh"),      // no digit
                          std::string("Abcdef1!"),      // symbol
                          std::string("Abcd ef12"),     // space
                          std::string("Ａbcdefg1")}) {  // full-width letter
    SCOPED_TRACE(bad);
    EXPECT_EQ(single_error(with(valid_body(), "password", bad)), "password:weak_password");
  }
  EXPECT_EQ(single_error(with(valid_body(), "password", 12345678)), "password:invalid");
}

TEST(SignupParse, SalesCode) {
  auto body = with(valid_body(), "has_sales_code", true);
  EXPECT_EQ(single_error(body), "sales_code:required");
  EXPECT_EQ(single_error(with(body, "sales_code", "")), "sales_code:required");
  EXPECT_EQ(form_of(with(body, "sales_code", "AB12cd34EF56gh")).sales_code, "AB12cd34EF56gh");
  EXPECT_TRUE(form_of(with(body, "sales_code", "AB12cd34EF56gh")).has_sales_code);
  EXPECT_EQ(single_error(with(body, "sales_code", "AB12cd34EF56g")), "sales_code:invalid");    // 13
  EXPECT_EQ(single_error(with(body, "sales_code", "AB12cd34EF56gh7")), "sales_code:invalid");  // 15
  EXPECT_EQ(single_error(with(body, "sales_code", "AB12cd34EF56g-")), "sales_code:invalid");
  EXPECT_EQ(single_error(with(body, "sales_code", "ＡB12cd34EF56g")), "sales_code:invalid");  // full-width
  EXPECT_EQ(single_error(with(body, "sales_code", 12345678901234)), "sales_code:invalid");

  // false: whatever is sent is ignored and the zero code stored.
  auto f = form_of(with(valid_body(), "sales_code", "bad!"));
  EXPECT_FALSE(f.has_sales_code);
  EXPECT_EQ(f.sales_code, "00000000000000");
  f = form_of(with(valid_body(), "sales_code", "AB12cd34EF56gh"));
  EXPECT_EQ(f.sales_code, "00000000000000");
}

TEST(SignupParse, EveryErrorAtOnceInKeyOrder) {
  nlohmann::json body{{"contractor_name", std::string(101, 'x')},
                      {"industry", "農業"},
                      {"phone", "123"},
                      {"department", 5},
                      {"email", "nope"},
                      {"opid", "bad opid"},
                      {"an", "0312345678"},
                      {"dn", "x"},
                      {"plan", "standard"},
                      {"billing_an", "1"},
                      {"billing_phone", "2"},
                      {"password", "short"},
                      {"auth_method", "sms"},
                      {"has_sales_code", true},
                      {"sales_code", "123"}};
  auto e = errors_of(body);
  std::vector<std::string> got;
  for (auto& x : e) {
    got.push_back(x.field + ":" + x.code);
    EXPECT_FALSE(x.message.empty()) << x.field;
  }
  std::vector<std::string> expected{"contractor_name:too_long",
                                    "industry:not_in_list",
                                    "phone:invalid",
                                    "department:invalid",
                                    "person:required",
                                    "email:invalid",
                                    "opid:invalid",
                                    "an:invalid",
                                    "dn:invalid",
                                    "billing_an:invalid",
                                    "billing_phone:invalid",
                                    "password:weak_password",
                                    "auth_method:invalid",
                                    "sales_code:invalid"};
  EXPECT_EQ(got, expected);

  auto empty = errors_of(nlohmann::json::object());
  std::vector<std::string> fields;
  for (auto& x : empty) fields.push_back(x.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"contractor_name", "industry", "phone", "person", "email", "opid", "an",
                                              "dn", "plan", "password", "auth_method", "has_sales_code"}));
  for (auto& x : empty) EXPECT_EQ(x.code, "required");
}

TEST(SignupMessages, JapaneseAndEnglishDiffer) {
  auto body = nlohmann::json::object();
  auto ja = errors_of(body, lang::ja);
  auto en = errors_of(body, lang::en);
  ASSERT_EQ(ja.size(), en.size());
  for (std::size_t i = 0; i < ja.size(); ++i) {
    EXPECT_FALSE(ja[i].message.empty());
    EXPECT_FALSE(en[i].message.empty());
    EXPECT_NE(ja[i].message, en[i].message);
    EXPECT_EQ(ja[i].field, en[i].field);
    EXPECT_EQ(ja[i].code, en[i].code);
  }
  EXPECT_EQ(ja[0].message, "契約者名を入力してください。");
  EXPECT_EQ(en[0].message, "Please enter the contractor name.");
}

TEST(SignupMessages, NamedFieldsAndKnownCodes) {
  EXPECT_EQ(field_message("password", "weak_password", lang::ja),
            "パスワードは半角英数字8〜64文字で、英大文字・英小文字・数字をそれぞれ1文字以上含めてください。");
  EXPECT_EQ(field_message("opid", "opid_taken", lang::ja), "このOPIDはすでに契約済みか、お申し込み手続き中です。");
  std::vector<std::pair<std::string, std::string>> labelled{{"contractor_name", "契約者名"},
                                                            {"industry", "業種"},
                                                            {"phone", "連絡先電話番号"},
                                                            {"person", "担当者"},
                                                            {"email", "メールアドレス"},
                                                            {"opid", "OPID"},
                                                            {"an", "FD/ND番号"},
                                                            {"dn", "着信先番号"},
                                                            {"plan", "プラン"},
                                                            {"billing_an", "請求用FD/ND番号"},
                                                            {"billing_phone", "請求用電話番号"},
                                                            {"password", "パスワード"},
                                                            {"auth_method", "認証方式"},
                                                            {"has_sales_code", "営業コード"},
                                                            {"sales_code", "営業コード"}};
  for (auto& [field, name] : labelled) {
    auto m = field_message(field, "required", lang::ja);
    EXPECT_NE(m.find(name), std::string::npos) << field << ": " << m;
  }
  EXPECT_NE(field_message("department", "too_long", lang::ja).find("部署"), std::string::npos);

  auto generic_ja = field_message("nonsense", "whatever", lang::ja);
  auto generic_en = field_message("nonsense", "whatever", lang::en);
  EXPECT_FALSE(generic_ja.empty());
  EXPECT_FALSE(generic_en.empty());
  EXPECT_NE(generic_ja, generic_en);

  std::vector<std::pair<std::string, std::string>> used{{"", "invalid"},
                                                        {"opid", "opid_taken"},
                                                        {"opid", "unknown_opid"},
                                                        {"opid", "child_opid"},
                                                        {"an", "an_not_in_opid"},
                                                        {"billing_an", "an_not_in_opid"},
                                                        {"dn", "dn_not_in_opid"},
                                                        {"confirm", "confirmation_required"},
                                                        {"current_password", "wrong_password"},
                                                        {"email", "invalid"},
                                                        {"password", "weak_password"},
                                                        {"industry", "not_in_list"},
                                                        {"sales_code", "invalid"},
                                                        {"contractor_name", "too_long"}};
  std::set<std::string> distinct;
  for (auto& [field, code] : used) {
    SCOPED_TRACE(field + ":" + code);
    auto ja = field_message(field, code, lang::ja);
    auto en = field_message(field, code, lang::en);
    EXPECT_NE(ja, generic_ja);
    EXPECT_NE(en, generic_en);
    EXPECT_NE(ja, en);
    distinct.insert(ja);
  }
  EXPECT_EQ(distinct.size(), used.size());
}

registry small_registry() {
  return registry({
      {"OP0001", true, {{"0120123456", {"0311112222", "0311113333"}}, {"0120654321", {"0622223333"}}}},
      {"OP0002", true, {{"0120999999", {"0399998888"}}}},
      {"OP0001C", false, {{"0120555555", {"0355556666"}}}},
  });
}

std::vector<std::string> registry_errors(
    const signup_form& f,
    const std::function<bool(const std::string&)>& taken = [](const std::string&) { return false; }) {
  std::vector<std::string> out;
  for (auto& e : check_signup_against_registry(f, small_registry(), taken, lang::ja)) {
    EXPECT_FALSE(e.message.empty());
    out.push_back(e.field + ":" + e.code);
  }
  return out;
}

TEST(SignupRegistry, ValidApplicationPasses) {
  EXPECT_TRUE(registry_errors(form_of(valid_body())).empty());
  EXPECT_TRUE(registry_errors(form_of(standard_body())).empty());
  // The DN may belong to another AN of the same OPID.
  EXPECT_TRUE(registry_errors(form_of(with(valid_body(), "dn", "06-2222-3333"))).empty());
}

TEST(SignupRegistry, UnknownAndChildOpid) {
  EXPECT_EQ(registry_errors(form_of(with(valid_body(), "opid", "OP9999"))),
            std::vector<std::string>{"opid:unknown_opid"});
  EXPECT_EQ(registry_errors(form_of(with(valid_body(), "opid", "OP0001C"))),
            std::vector<std::string>{"opid:child_opid"});
}

TEST(SignupRegistry, TakenOpid) {
  std::vector<std::string> asked;
  auto taken = [&](const std::string& opid) {
    asked.push_back(opid);
    return opid == "OP0001";
  };
  EXPECT_EQ(registry_errors(form_of(valid_body()), taken), std::vector<std::string>{"opid:opid_taken"});
  EXPECT_EQ(asked, std::vector<std::string>{"OP0001"});
  auto other = form_of(with(with(with(valid_body(), "opid", "OP0002"), "an", "0120999999"), "dn", "0399998888"));
  EXPECT_TRUE(registry_errors(other, taken).empty());
  auto msgs = check_signup_against_registry(form_of(valid_body()), small_registry(), taken, lang::ja);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].message, "このOPIDはすでに契約済みか、お申し込み手続き中です。");
}

TEST(SignupRegistry, AnDnAndBillingMustBelongToTheOpid) {
  EXPECT_EQ(registry_errors(form_of(with(valid_body(), "an", "0120999999"))),
            std::vector<std::string>{"an:an_not_in_opid"});
  EXPECT_EQ(registry_errors(form_of(with(valid_body(), "dn", "0399998888"))),
            std::vector<std::string>{"dn:dn_not_in_opid"});
  EXPECT_EQ(registry_errors(form_of(with(standard_body(), "billing_an", "0120999999"))),
            std::vector<std::string>{"billing_an:an_not_in_opid"});
  auto all = with(with(with(standard_body(), "an", "0120999999"), "dn", "0399998888"), "billing_an", "0120555555");
  EXPECT_EQ(registry_errors(form_of(all), [](const std::string&) { return true; }),
            (std::vector<std::string>{"opid:opid_taken", "an:an_not_in_opid", "dn:dn_not_in_opid",
                                      "billing_an:an_not_in_opid"}));
  // Unknown OPID: the AN and DN checks would be noise.
  EXPECT_EQ(registry_errors(form_of(with(all, "opid", "OP9999"))), std::vector<std::string>{"opid:unknown_opid"});
}

TEST(SignupRegistry, EnglishMessages) {
  auto e = check_signup_against_registry(
      form_of(with(valid_body(), "opid", "OP9999")), small_registry(), [](const std::string&) { return false; },
      lang::en);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].message, field_message("opid", "unknown_opid", lang::en));
  EXPECT_NE(e[0].message, field_message("opid", "unknown_opid", lang::ja));
}

TEST(SignupJson, SummaryHasEverythingButThePassword) {
  auto f = form_of(with(with(standard_body(), "has_sales_code", true), "sales_code", "AB12cd34EF56gh"));
  auto j = signup_summary_json(f);
  EXPECT_FALSE(j.contains("password"));
  EXPECT_EQ(j.dump().find("Passw0rdX"), std::string::npos);
  for (const char* key : {"contractor_name", "industry", "phone", "department", "person", "email", "opid", "an", "dn",
                          "plan", "billing_an", "billing_phone", "auth_method", "has_sales_code", "sales_code"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["an"], "0120123456");
  EXPECT_EQ(j["billing_phone"], "09012345678");
  EXPECT_EQ(j["has_sales_code"], true);
  EXPECT_EQ(j["sales_code"], "AB12cd34EF56gh");
}

TEST(SignupJson, StorageRoundTrip) {
  auto f = form_of(with(with(standard_body(), "has_sales_code", true), "sales_code", "AB12cd34EF56gh"));
  auto j = signup_to_storage_json(f);
  EXPECT_FALSE(j.contains("password"));
  EXPECT_EQ(j.dump().find("Passw0rdX"), std::string::npos);
  auto back = signup_from_storage_json(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->contractor_name, f.contractor_name);
  EXPECT_EQ(back->industry, f.industry);
  EXPECT_EQ(back->phone, f.phone);
  EXPECT_EQ(back->department, f.department);
  EXPECT_EQ(back->person, f.person);
  EXPECT_EQ(back->email, f.email);
  EXPECT_EQ(back->opid, f.opid);
  EXPECT_EQ(back->an, f.an);
  EXPECT_EQ(back->dn, f.dn);
  EXPECT_EQ(back->plan, f.plan);
  EXPECT_EQ(back->billing_an, f.billing_an);
  EXPECT_EQ(back->billing_phone, f.billing_phone);
  EXPECT_EQ(back->auth_method, f.auth_method);
  EXPECT_EQ(back->has_sales_code, f.has_sales_code);
  EXPECT_EQ(back->sales_code, f.sales_code);
  EXPECT_EQ(back->password, "");

  EXPECT_FALSE(signup_from_storage_json(nlohmann::json::array()));
  EXPECT_FALSE(signup_from_storage_json(nlohmann::json("text")));
  auto missing = j;
  missing.erase("opid");
  EXPECT_FALSE(signup_from_storage_json(missing));
  auto garbled = j;
  garbled["has_sales_code"] = "yes";
  EXPECT_FALSE(signup_from_storage_json(garbled));
  garbled = j;
  garbled["an"] = 120;
  EXPECT_FALSE(signup_from_storage_json(garbled));
}

}  // namespace
}  // namespace cxs::domain
