// Download credentials (SPEC §16): random account and password, only the password's digest kept,
// the password checked in constant time, records read back, five wrong in a row lock 30 minutes.
#include "domain/download_credentials.hpp"

#include "domain/secret.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cxs::domain {
namespace {

constexpr int64_t t0 = 1'795'000'000;

TEST(DownloadCredentials, FreshPairsAreRandomReadableAndKeepOnlyADigest) {
  std::set<std::string> accounts, passwords;
  for (int i = 0; i < 50; ++i) {
    auto pair = make_download_credentials("AbCdEf1234", t0);
    EXPECT_EQ(pair.record.id, "AbCdEf1234");
    EXPECT_EQ(pair.record.issued, t0);
    EXPECT_TRUE(looks_like_download_account(pair.record.account)) << pair.record.account;
    ASSERT_EQ(pair.password.size(), download_password_length);
    for (char c : pair.password) EXPECT_NE(readable_alphabet.find(c), std::string_view::npos) << pair.password;
    EXPECT_EQ(pair.record.password_digest, token_digest(pair.password));
    EXPECT_EQ(encode_download_credentials(pair.record).find(pair.password), std::string::npos);
    accounts.insert(pair.record.account);
    passwords.insert(pair.password);
  }
  EXPECT_EQ(accounts.size(), 50u);
  EXPECT_EQ(passwords.size(), 50u);
}

TEST(DownloadCredentials, OnlyTheRightPasswordMatches) {
  auto pair = make_download_credentials("AbCdEf1234", t0);
  EXPECT_TRUE(download_password_matches(pair.record, pair.password));
  EXPECT_FALSE(download_password_matches(pair.record, ""));
  EXPECT_FALSE(download_password_matches(pair.record, pair.password + "x"));
  EXPECT_FALSE(download_password_matches(pair.record, pair.password.substr(1)));
}

TEST(DownloadCredentials, AccountShape) {
  EXPECT_TRUE(looks_like_download_account("abcdefghijk2"));
  for (const char* bad : {"", "abcdefghijk", "abcdefghijk23", "Abcdefghijk2", "abcdefghijkl", "abcdefghijk0",
                          "abcdefghij k", "abcdefghijk/"})
    EXPECT_FALSE(looks_like_download_account(bad)) << bad;
}

TEST(DownloadCredentials, RecordsReadBackAndDamagedOnesAreRefused) {
  auto pair = make_download_credentials("AbCdEf1234", t0);
  auto back = decode_download_credentials(encode_download_credentials(pair.record));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, pair.record.id);
  EXPECT_EQ(back->account, pair.record.account);
  EXPECT_EQ(back->password_digest, pair.record.password_digest);
  EXPECT_EQ(back->issued, t0);
  auto digest = std::string(64, 'a');
  for (std::string bad : {std::string(""), std::string("[]"), std::string("{}"),
                          R"({"id":"","account":"abcdefghijk2","digest":")" + digest + R"(","issued":1})",
                          R"({"id":"A","account":"ABC","digest":")" + digest + R"(","issued":1})",
                          std::string(R"({"id":"A","account":"abcdefghijk2","digest":"ab","issued":1})"),
                          R"({"id":"A","account":"abcdefghijk2","digest":")" + digest + R"(","issued":"1"})"})
    EXPECT_FALSE(decode_download_credentials(bad)) << bad;
}

TEST(DownloadCredentials, FiveWrongInARowLockThirtyMinutesThenTheCountStartsAfresh) {
  download_failures f;
  for (int i = 1; i < download_lock_after; ++i) {
    count_wrong_download(f, t0 + i);
    EXPECT_FALSE(download_locked(f, t0 + i)) << i;
  }
  count_wrong_download(f, t0 + 10);
  EXPECT_TRUE(download_locked(f, t0 + 10));
  EXPECT_TRUE(download_locked(f, t0 + 10 + download_lock_for_s - 1));
  EXPECT_FALSE(download_locked(f, t0 + 10 + download_lock_for_s));
  // After the lock ran out, one wrong password is the first of a new row.
  count_wrong_download(f, t0 + 10 + download_lock_for_s);
  EXPECT_FALSE(download_locked(f, t0 + 10 + download_lock_for_s));
  EXPECT_EQ(f.in_a_row, 1);
}

TEST(DownloadCredentials, ALockReadBackHoldsUntilItsEndThenTheCountStartsAfresh) {
  auto f = locked_download(t0 + 600);
  EXPECT_TRUE(download_locked(f, t0));
  EXPECT_TRUE(download_locked(f, t0 + 599));
  EXPECT_FALSE(download_locked(f, t0 + 600));
  count_wrong_download(f, t0 + 600);
  EXPECT_FALSE(download_locked(f, t0 + 600));
  EXPECT_EQ(f.in_a_row, 1);
}

TEST(DownloadCredentials, TheMailGivesTheSiteTheAccountAndThePassword) {
  auto block = download_mail_block("https://cx.example.jp", "abcdefghijk2", "Pw23456789abcdef");
  EXPECT_NE(block.find("ダウンロードURL: https://cx.example.jp/certsrv/\n"), std::string::npos) << block;
  EXPECT_NE(block.find("ダウンロードアカウント: abcdefghijk2\n"), std::string::npos) << block;
  EXPECT_NE(block.find("ダウンロードパスワード: Pw23456789abcdef\n"), std::string::npos) << block;
}

}  // namespace
}  // namespace cxs::domain
