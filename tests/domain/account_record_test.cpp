// The one place account fields are copied: every field of a request or an application reaches
// the record, and settings change exactly the fields they name.

#include "domain/account_record.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

signup_form full_form() {
  signup_form f;
  f.contractor_name = "株式会社テスト";
  f.industry = "小売";
  f.phone = "0312345678";
  f.department = "営業部";
  f.person = "山田太郎";
  f.email = "taro@example.jp";
  f.opid = "OPA";
  f.an = "0120111111";
  f.dn = "0312345678";
  f.plan = "standard";
  f.billing_an = "0120111111";
  f.billing_phone = "0312345679";
  f.password = "Secret123";
  f.auth_method = "otp";
  f.has_sales_code = true;
  f.sales_code = "ABCDEFGHIJKLMN";
  return f;
}

TEST(AccountRecord, AConfirmedApplicationBecomesARecordWithEveryField) {
  auto request = request_from_application(full_form(), {2026, 12, 2});
  EXPECT_TRUE(request.password.empty()) << "the application keeps only the hash";
  auto a = new_account_record(request, "AbCdEf1234", 42, "$argon2id$hash", 683);
  EXPECT_EQ(a.id, "AbCdEf1234");
  EXPECT_EQ(a.number, 42u);
  EXPECT_EQ(a.password_hash, "$argon2id$hash");
  EXPECT_EQ(a.retention_month, 683);
  EXPECT_EQ(a.registered, (civil_date{2026, 12, 2}));
  EXPECT_EQ(a.opid, "OPA");
  EXPECT_EQ(a.plan, "standard");
  EXPECT_EQ(a.auth_method, "otp");
  EXPECT_EQ(a.email, "taro@example.jp");
  EXPECT_EQ(a.person, "山田太郎");
  EXPECT_EQ(a.department, "営業部");
  EXPECT_EQ(a.billing_an, "0120111111");
  EXPECT_EQ(a.billing_phone, "0312345679");
  EXPECT_EQ(a.contractor_name, "株式会社テスト");
  EXPECT_EQ(a.industry, "小売");
  EXPECT_EQ(a.phone, "0312345678");
  EXPECT_EQ(a.sales_code, "ABCDEFGHIJKLMN");
  EXPECT_TRUE(a.an_order.empty()) << "the directory sets the OPID's ANs";
}

TEST(AccountRecord, SettingsChangeOnlyTheFieldsTheyName) {
  auto a = new_account_record(request_from_application(full_form(), {2026, 12, 2}), "AbCdEf1234", 1, "old", 0);
  settings_change change;
  change.person = "佐藤花子";
  change.password = "NewSecret1";
  apply_changes(a, changes_from_settings(change, std::string("new-hash")));
  EXPECT_EQ(a.person, "佐藤花子");
  EXPECT_EQ(a.password_hash, "new-hash");
  EXPECT_EQ(a.email, "taro@example.jp");
  EXPECT_EQ(a.department, "営業部");
  EXPECT_EQ(a.auth_method, "otp");

  apply_changes(a, changes_from_settings(settings_change{}, std::nullopt));
  EXPECT_EQ(a.password_hash, "new-hash") << "no new password: the hash stays";
}

TEST(AccountRecord, ChangedItemsAreWhatDiffersFromTheStoredRecord) {
  auto a = new_account_record(request_from_application(full_form(), {2026, 12, 2}), "AbCdEf1234", 1, "old", 0);
  account_changes same;
  same.email = a.email;
  same.auth_method = a.auth_method;
  same.person = "別人";
  same.department = "別部署";
  EXPECT_TRUE(changed_items(a, same).empty()) << "stored values and contact fields need no password";

  account_changes all;
  all.email = "TARO@example.jp";  // a change of case is a change: the mail goes where it says
  all.auth_method = "certificate";
  all.password_hash = "new-hash";
  EXPECT_EQ(changed_items(a, all),
            (std::vector<changed_item>{changed_item::email, changed_item::password, changed_item::auth_method}));
  EXPECT_EQ(describe_changes(changed_items(a, all)), "・メールアドレス\n・パスワード\n・認証方式");
  EXPECT_EQ(describe_changes({changed_item::password_reissued}), "・パスワード（パスワードの再発行）");
  EXPECT_EQ(describe_changes({}), "");
  EXPECT_EQ(describe_changes({changed_item::email_by_main}), "・メールアドレス（メインIDの管理者による変更）");
}

// Judged again against the record it changes: what was read before may have changed meanwhile.
TEST(AccountRecord, AnOwnChangeIsJudgedAgainAgainstTheRecordItChanges) {
  auto now = new_account_record(request_from_application(full_form(), {2026, 12, 2}), "AbCdEf1234", 1, "hash-2", 0);
  auto field_of = [](const std::optional<failure>& f) {
    return f && f->code == error_code::invalid_fields && f->fields.size() == 1
               ? f->fields[0].field + " " + f->fields[0].code
               : std::string(f ? "other failure" : "passes");
  };

  account_changes contact;  // read when the address was another: no password asked for
  contact.email = "old@example.jp";
  contact.person = "別人";
  contact.own = own_change_check{""};
  EXPECT_EQ(field_of(recheck_own_change(now, contact)), "current_password required")
      << "it would now change the address, which needs the current password";
  contact.email = now.email;
  EXPECT_EQ(field_of(recheck_own_change(now, contact)), "passes") << "contact fields alone need none";

  account_changes method;
  method.auth_method = "certificate";
  method.own = own_change_check{"hash-1"};  // the password was checked against the old hash
  EXPECT_EQ(field_of(recheck_own_change(now, method)), "current_password wrong_password")
      << "the password it was checked against is no longer the ID's";
  method.own->verified_hash = "hash-2";
  EXPECT_EQ(field_of(recheck_own_change(now, method)), "passes");

  account_changes password;
  password.password_hash = "hash-3";
  password.own = own_change_check{"hash-1"};
  EXPECT_EQ(field_of(recheck_own_change(now, password)), "current_password wrong_password");
  password.own.reset();  // a reissue or an operator's change is not the customer's own
  EXPECT_EQ(field_of(recheck_own_change(now, password)), "passes");
}

TEST(AccountRecord, ANoticeGoesToTheOldAddressOnlyWhenTheEmailChanged) {
  EXPECT_EQ(notice_addresses("a@example.jp", "a@example.jp"), std::vector<std::string>{"a@example.jp"});
  EXPECT_EQ(notice_addresses("a@example.jp", "A@example.jp"),
            (std::vector<std::string>{"A@example.jp", "a@example.jp"}));
  const auto vars = change_notice_vars("山田 太郎", "AbCdEf1234", {changed_item::email, changed_item::password},
                                       1795230000);  // 2026-11-21 03:00 UTC
  EXPECT_EQ(vars, (mail_vars{{"person", "山田 太郎"},
                             {"id", "AbCdEf1234"},
                             {"changes", "・メールアドレス\n・パスワード"},
                             {"when", "2026年11月21日 12:00"}}));
}

}  // namespace
}  // namespace cxs::domain
