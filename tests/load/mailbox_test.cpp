#include "load/mailbox.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "domain/mail_message.hpp"
#include "domain/mail_texts.hpp"

using namespace cxs::load;
namespace fs = std::filesystem;

namespace {

// A message exactly as the server's mailer renders it (domain/mail_message.hpp).
std::string rendered(const std::string& to, const std::string& body) {
  cxs::domain::mail_message m;
  m.from = "CX Support <no-reply@cxsupport.example>";
  m.to = to;
  m.subject = "【CX Support】お知らせ";
  m.body = body;
  m.date_unix = 1796000000;
  m.message_id = "x@cxsupport.example";
  return cxs::domain::render_message(m);
}

class TempFolder {
 public:
  TempFolder() : path_(fs::temp_directory_path() / ("cxs-load-test-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }

 private:
  fs::path path_;
};

}  // namespace

// The service's own mail texts (config/mail/*.txt, built in), filled as the server fills them.
std::string service_mail(std::string_view name, const cxs::domain::mail_vars& vars) {
  return cxs::domain::mail_texts().render(name, vars).body;
}

TEST(Mailbox, ReadsTheOneTimePasswordOfTheServersMail) {
  auto m = parse_mail(rendered(
      "loada000001@load.example",
      service_mail(cxs::domain::mail_login_otp, {{"id", "Ab12Cd34Ef"}, {"code", "041932"}, {"expires", "12:00"}})));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to, "loada000001@load.example");
  EXPECT_EQ(find_otp(m->body), "041932");
  EXPECT_FALSE(find_signup_token(m->body));
}

TEST(Mailbox, FindsTheSignupLinkOfTheServersMail) {
  const std::string token = "zotqTtFAg-dhYiM5OHVZJ3drZxqRmfOFHjF0MWS4HoY";
  auto m = parse_mail(rendered("Someone <LOADS0001@Load.Example>",
                               service_mail(cxs::domain::mail_signup_provisional,
                                            {{"contractor_name", "負荷試験"},
                                             {"person", "負荷 花子"},
                                             {"opid", "LOADS0001"},
                                             {"confirm_url", "https://127.0.0.1:9443/signup/confirm/" + token},
                                             {"expires", "2026-12-04 12:00"}})));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to, "loads0001@load.example");
  EXPECT_EQ(find_signup_token(m->body), token);
  EXPECT_FALSE(find_otp(m->body));
}

TEST(Mailbox, RejectsMessagesWithoutRecipientOrWithBrokenBase64) {
  EXPECT_FALSE(parse_mail("Subject: x\r\n\r\nbody"));
  EXPECT_FALSE(parse_mail("To: a@b.example\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@"));
  EXPECT_FALSE(parse_mail("no blank line at all"));
  auto plain = parse_mail("To: a@b.example\n\nワンタイムパスワード: 123456");
  ASSERT_TRUE(plain);
  EXPECT_EQ(find_otp(plain->body), "123456");
}

TEST(Mailbox, TakesOwnMailsFromTheOutboxAndLeavesOthers) {
  TempFolder outbox;
  outbox.write("1.eml", rendered("loada000001@load.example", "ワンタイムパスワード: 111111\n"));
  outbox.write("2.eml", rendered("customer@example.jp", "ワンタイムパスワード: 222222\n"));
  outbox.write(".3.tmp", rendered("loada000001@load.example", "ワンタイムパスワード: 333333\n"));
  outbox_reader reader(outbox.path().string(), "load.example");
  reader.poll();
  EXPECT_EQ(reader.mails_read(), 1u);
  EXPECT_FALSE(fs::exists(outbox.path() / "1.eml"));  // ours: read and removed
  EXPECT_TRUE(fs::exists(outbox.path() / "2.eml"));   // someone else's: left alone
  EXPECT_TRUE(fs::exists(outbox.path() / ".3.tmp"));  // still being written: not read
  EXPECT_FALSE(reader.take("loada000001@load.example", wanted::signup_token));
  EXPECT_EQ(reader.take("loada000001@load.example", wanted::otp), "111111");
  EXPECT_FALSE(reader.take("loada000001@load.example", wanted::otp));  // taken once
  outbox.write("4.eml", rendered("loada000002@load.example", "ワンタイムパスワード: 444444\n"));
  reader.poll();
  EXPECT_EQ(reader.mails_read(), 2u);
  EXPECT_EQ(reader.take("loada000002@load.example", wanted::otp), "444444");
}
