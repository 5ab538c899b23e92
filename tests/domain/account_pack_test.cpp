// The compact in-memory form of an account: every field comes back as it went in, and bytes
// that are not such a form (cut short, extended, another version) are refused.

#include "domain/account_pack.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

account full_record() {
  account a;
  a.id = "Ab3dE5gH9k";
  a.number = 4'000'000'123u;
  a.opid = "OPA";
  a.plan = "standard";
  a.auth_method = "certificate";
  a.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";
  a.email = "taro@example.jp";
  a.person = "山田太郎";
  a.department = "営業部";
  a.registered = {2026, 2, 28};
  a.billing_an = "0120111111";
  a.billing_phone = "0312345679";
  a.contractor_name = "株式会社テスト";
  a.industry = "小売";
  a.phone = "0312345678";
  a.sales_code = "ABCDEFGHIJKLMN";
  a.an_order = {"0120111111", "0800222222", "0570333333"};
  a.retention_month = 24'316;
  a.detailed_since = {2026, 3, 1};
  a.main_id = "Zz9yX8wV7u";
  return a;
}

void expect_same(const account& a, const account& b) {
  EXPECT_EQ(to_storage_json(a), to_storage_json(b));  // every stored field
  EXPECT_EQ(a.detailed_since, b.detailed_since);
  EXPECT_EQ(a.main_id, b.main_id);
}

TEST(AccountPack, EveryFieldComesBack) {
  const auto a = full_record();
  auto back = unpack_account(pack_account(a));
  ASSERT_TRUE(back);
  expect_same(*back, a);
}

TEST(AccountPack, EmptyFieldsAndUnsetDatesComeBack) {
  account a;
  a.id = "Ab3dE5gH9k";
  a.plan = "free";
  a.registered = {2026, 1, 1};
  auto back = unpack_account(pack_account(a));
  ASSERT_TRUE(back);
  expect_same(*back, a);
  EXPECT_EQ(back->detailed_since, civil_date{});
  EXPECT_TRUE(back->an_order.empty());
}

TEST(AccountPack, DatesBeforeYearZeroAndLongFieldsComeBack) {
  auto a = full_record();
  a.registered = {-4, 12, 31};
  a.person = std::string(300, 'x');  // a length over one varint byte
  a.an_order.assign(200, "0120111111");
  auto back = unpack_account(pack_account(a));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->registered, a.registered);
  EXPECT_EQ(back->person, a.person);
  EXPECT_EQ(back->an_order, a.an_order);
}

TEST(AccountPack, TheFormIsSmallerThanTheStruct) {
  const auto bytes = pack_account(full_record());
  // The struct alone (its strings' heap parts not counted) is larger than the whole form.
  EXPECT_LT(bytes.size(), sizeof(account));
  EXPECT_EQ(bytes.capacity(), bytes.size()) << "no spare capacity kept per account";
}

TEST(AccountPack, BytesThatAreNotAFormAreRefused) {
  const auto bytes = pack_account(full_record());
  for (std::size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(unpack_account(std::string_view(bytes).substr(0, n))) << "cut at " << n;
  EXPECT_FALSE(unpack_account(bytes + "x")) << "a trailing byte";
  auto other_version = bytes;
  other_version[0] = 2;
  EXPECT_FALSE(unpack_account(other_version));
  EXPECT_FALSE(unpack_account(std::string(1, '\1') + std::string(20, '\xff'))) << "a varint that never ends";
}

}  // namespace
}  // namespace cxs::domain
