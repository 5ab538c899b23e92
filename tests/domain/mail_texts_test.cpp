#include "domain/mail_texts.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

namespace cxs::domain {
namespace {

const std::vector<std::string> names{"signup_provisional",   "signup_accepted",     "signup_ready", "login_otp",
                                     "password_reset",       "account_changed",     "child_ready",  "session_replaced",
                                     "certificate_download", "certificate_expiring"};

mail_vars all_vars() {
  return {{"person", "山田 太郎"},
          {"contractor_name", "株式会社サンプル"},
          {"opid", "OP0001"},
          {"confirm_url", "https://cx.example/signup/confirm/TOKEN"},
          {"expires", "2026年11月26日 14:45"},
          {"id", "Abcde01234"},
          {"login_url", "https://cx.example/login"},
          {"plan_label", "スタンダードプラン"},
          {"certificate_info", ""},
          {"main_person", "山田 花子"},
          {"limit_info", ""},
          {"code", "048213"},
          {"reset_url", "https://cx.example/password/reset/TOKEN"},
          {"when", "2026年11月26日 14:45"},
          {"changes", "・メールアドレス"},
          {"download_info", "ダウンロードURL: https://cx.example/certsrv/\n"},
          {"serial", "4860219d4f0e0d2557bfe881ed89475b"},
          {"not_after", "2027年12月3日 22:51"},
          {"days", "30"},
          {"download_url", "https://cx.example/certsrv/"}};
}

bool has_line(const std::string& body, const std::string& regex) {
  return std::regex_search(body, std::regex("(^|\n)" + regex + "(\n|$)"));
}

TEST(MailTexts, BuiltInsParseAndRenderCompletely) {
  mail_texts texts;
  for (auto& name : names) {
    SCOPED_TRACE(name);
    auto m = texts.render(name, all_vars());
    EXPECT_FALSE(m.subject.empty());
    EXPECT_FALSE(m.body.empty());
    EXPECT_EQ(m.subject.rfind("【CX Support】", 0), 0u) << m.subject;
    EXPECT_EQ(m.subject.find("{{"), std::string::npos) << m.subject;
    EXPECT_EQ(m.body.find("{{"), std::string::npos) << m.body;
    EXPECT_EQ(m.body.find('\r'), std::string::npos);
    EXPECT_NE(m.body.find("CX Support サポートセンター"), std::string::npos);
  }
}

TEST(MailTexts, SubjectsAndRequiredLines) {
  mail_texts texts;
  auto v = all_vars();
  auto p = texts.render(mail_signup_provisional, v);
  EXPECT_EQ(p.subject, "【CX Support】仮登録のお知らせ (1/3)");
  EXPECT_TRUE(has_line(p.body, "https://cx\\.example/signup/confirm/TOKEN"));
  EXPECT_NE(p.body.find("山田 太郎 様"), std::string::npos);
  EXPECT_NE(p.body.find("株式会社サンプル"), std::string::npos);
  EXPECT_NE(p.body.find("OP0001"), std::string::npos);
  EXPECT_NE(p.body.find("24時間"), std::string::npos);
  EXPECT_NE(p.body.find("2026年11月26日 14:45"), std::string::npos);

  auto a = texts.render(mail_signup_accepted, v);
  EXPECT_EQ(a.subject, "【CX Support】本登録受付のお知らせ (2/3)");
  EXPECT_NE(a.body.find("本登録"), std::string::npos);
  EXPECT_NE(a.body.find("OP0001"), std::string::npos);

  auto r = texts.render(mail_signup_ready, v);
  EXPECT_EQ(r.subject, "【CX Support】ご利用開始のお知らせ (3/3)");
  EXPECT_TRUE(has_line(r.body, "CX Support ID: Abcde01234"));
  EXPECT_TRUE(has_line(r.body, "ログインURL: https://cx\\.example/login"));
  EXPECT_NE(r.body.find("スタンダードプラン"), std::string::npos);
  EXPECT_NE(r.body.find("パスワード"), std::string::npos);

  auto o = texts.render(mail_login_otp, v);
  EXPECT_EQ(o.subject, "【CX Support】ワンタイムパスワードのお知らせ");
  EXPECT_TRUE(has_line(o.body, "ワンタイムパスワード: 048213"));
  EXPECT_NE(o.body.find("10分"), std::string::npos);

  auto w = texts.render(mail_password_reset, v);
  EXPECT_EQ(w.subject, "【CX Support】パスワード再発行のご案内");
  EXPECT_TRUE(has_line(w.body, "https://cx\\.example/password/reset/TOKEN"));
  EXPECT_NE(w.body.find("1時間"), std::string::npos);
  EXPECT_NE(w.body.find("Abcde01234"), std::string::npos);

  auto n = texts.render(mail_account_changed, v);
  EXPECT_EQ(n.subject, "【CX Support】ご登録内容変更のお知らせ");
  EXPECT_TRUE(has_line(n.body, "・メールアドレス"));
  EXPECT_NE(n.body.find("Abcde01234"), std::string::npos);
  EXPECT_NE(n.body.find("2026年11月26日 14:45"), std::string::npos);
  EXPECT_NE(n.body.find("パスワードの再発行"), std::string::npos) << "tells what to do when it was not the owner";
}

TEST(MailTexts, RenderLeavesUnknownPlaceholdersAndDoesNotRescanValues) {
  mail_text t;
  std::string error;
  ASSERT_TRUE(mail_texts::parse("Subject: Hi {{name}}\n\n{{name}} {{other}} {{{name}}} {{name", t, error)) << error;
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("cxs-mail-render-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  for (auto& n : names)
    std::ofstream(dir / (n + ".txt")) << "Subject: Hi {{name}}\n\n{{name}} {{other}} {{{name}}} {{name";
  mail_texts texts;
  ASSERT_TRUE(mail_texts::load_dir(dir.string(), texts, error)) << error;
  auto m = texts.render(mail_login_otp, {{"name", "{{other}}"}});
  EXPECT_EQ(m.subject, "Hi {{other}}");
  EXPECT_EQ(m.body, "{{other}} {{other}} {{{other}}} {{name");
  EXPECT_TRUE(texts.render("no_such_mail", {}).subject.empty());
  std::filesystem::remove_all(dir);
}

class MailTextsDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cxs-mail-texts-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    for (auto& n : names) write(n, "Subject: 件名 " + n + " {{id}}\r\n\r\n本文 {{id}}\r\n2行目\r\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / (name + ".txt"), std::ios::binary) << content;
  }
  std::filesystem::path dir_;
};

TEST_F(MailTextsDir, LoadsEveryFile) {
  mail_texts texts;
  std::string error;
  ASSERT_TRUE(mail_texts::load_dir(dir_.string(), texts, error)) << error;
  EXPECT_TRUE(error.empty());
  for (auto& n : names) {
    auto m = texts.render(n, {{"id", "Abcde01234"}});
    EXPECT_EQ(m.subject, "件名 " + n + " Abcde01234");
    EXPECT_EQ(m.body, "本文 Abcde01234\n2行目\n");  // CRLF read as LF
  }
}

TEST_F(MailTextsDir, MissingFileIsNamedAndNothingChanges) {
  std::filesystem::remove(dir_ / "login_otp.txt");
  mail_texts texts;
  std::string error;
  EXPECT_FALSE(mail_texts::load_dir(dir_.string(), texts, error));
  EXPECT_NE(error.find("login_otp.txt"), std::string::npos) << error;
  // The texts passed in are left as they were (the built-ins here).
  EXPECT_EQ(texts.render(mail_login_otp, {}).subject, "【CX Support】ワンタイムパスワードのお知らせ");
}

TEST_F(MailTextsDir, MalformedFileIsNamed) {
  write("password_reset", "件名なし\n\n本文\n");
  mail_texts texts;
  std::string error;
  EXPECT_FALSE(mail_texts::load_dir(dir_.string(), texts, error));
  EXPECT_NE(error.find("password_reset.txt"), std::string::npos) << error;
  EXPECT_NE(error.find("Subject"), std::string::npos) << error;
}

TEST(MailTexts, ParseRules) {
  mail_text t;
  std::string error;
  ASSERT_TRUE(mail_texts::parse("Subject: こんにちは\n\n本文\n", t, error)) << error;
  EXPECT_EQ(t.subject, "こんにちは");
  EXPECT_EQ(t.body, "本文\n");
  EXPECT_TRUE(error.empty());

  ASSERT_TRUE(mail_texts::parse("Subject: CRLF\r\n\r\nline1\r\nline2", t, error)) << error;
  EXPECT_EQ(t.subject, "CRLF");
  EXPECT_EQ(t.body, "line1\nline2");

  ASSERT_TRUE(mail_texts::parse("\xEF\xBB\xBFSubject: BOM\n\n", t, error)) << error;  // a Windows editor's BOM
  EXPECT_EQ(t.subject, "BOM");
  EXPECT_EQ(t.body, "");

  for (std::string bad :
       {std::string(""), std::string("subject: lower\n\nbody"), std::string("Subject:no space\n\nbody"),
        std::string("Subject: no blank line\nbody"), std::string("Subject: only a subject"),
        std::string("Subject: \n\nempty subject"), std::string("\nSubject: late\n\nbody"),
        std::string("Subject: x\n \nspace is not empty"), std::string("Subject: \x8C\x8F\x96\xBC\n\nShift_JIS")}) {
    SCOPED_TRACE(bad);
    error.clear();
    EXPECT_FALSE(mail_texts::parse(bad, t, error));
    EXPECT_FALSE(error.empty());
  }
}

}  // namespace
}  // namespace cxs::domain
