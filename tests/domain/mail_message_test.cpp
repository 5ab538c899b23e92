#include "domain/mail_message.hpp"
#include "domain/time.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <vector>

namespace cxs::domain {
namespace {

// EVP_DecodeBlock counts the padding as zero bytes: drop one byte per '='.
std::string unbase64(const std::string& b64) {
  std::string out(b64.size(), '\0');
  auto n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  EXPECT_GE(n, 0);
  auto pad = static_cast<int>(std::count(b64.end() - std::min<std::size_t>(2, b64.size()), b64.end(), '='));
  out.resize(static_cast<std::size_t>(std::max(0, n - pad)));
  return out;
}

// Decodes a header value made of encoded words (as a mail reader would), independently.
std::string decode_words(const std::string& value) {
  std::string out;
  std::size_t at = 0;
  while ((at = value.find("=?UTF-8?B?", at)) != std::string::npos) {
    auto start = at + 10;
    auto end = value.find("?=", start);
    out += unbase64(value.substr(start, end - start));
    at = end + 2;
  }
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find("\r\n", at);
    EXPECT_NE(end, std::string::npos) << "every line ends with CRLF";
    out.push_back(text.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

TEST(MailMessage, AsciiSubjectsStayReadable) { EXPECT_EQ(encode_header_words("Ready to use"), "Ready to use"); }

TEST(MailMessage, JapaneseSubjectIsEncodedWordsThatDecodeBack) {
  const std::string subject =
      "【CX Support】(1/3) 仮登録のお知らせ — お申し込みありがとうございます。本登録のURLをお送りします";
  auto encoded = encode_header_words(subject);
  EXPECT_EQ(decode_words(encoded), subject);
  for (auto& line : lines(encoded + "\r\n")) {
    auto word = line.substr(line.find("=?"));
    EXPECT_LE(word.size(), 75u) << word;  // RFC 2047 §2
  }
}

TEST(MailMessage, EncodedWordsNeverSplitACharacter) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "あ";  // 3 bytes each: 45-byte words hold 15 exactly
  subject += "x";
  auto encoded = encode_header_words(subject);
  std::size_t at = 0;
  while ((at = encoded.find("=?UTF-8?B?", at)) != std::string::npos) {
    auto end = encoded.find("?=", at + 10);
    auto one = decode_words(encoded.substr(at, end + 2 - at));
    // each word alone is valid UTF-8: it starts and ends on a character boundary
    EXPECT_NE(static_cast<unsigned char>(one.front()) & 0xC0, 0x80);
    EXPECT_EQ(one.size() % 3 == 0 || one.back() == 'x', true) << one.size();
    at = end + 2;
  }
  EXPECT_EQ(decode_words(encoded), subject);
}

TEST(MailMessage, DateIsRfc5322InJst) {
  auto t = parse_iso8601("2026-11-25T05:45:00Z");  // 14:45 JST, a Wednesday
  ASSERT_TRUE(t);
  EXPECT_EQ(rfc5322_date_jst(*t), "Wed, 25 Nov 2026 14:45:00 +0900");
  auto new_year = parse_iso8601("2026-12-31T15:00:00Z");  // already 2027 in Japan
  EXPECT_EQ(rfc5322_date_jst(*new_year), "Fri, 01 Jan 2027 00:00:00 +0900");
}

TEST(MailMessage, RenderedMessageHasHeadersAndABase64Body) {
  mail_message m;
  m.from = "CX Support <no-reply@cxsupport.example>";
  m.to = "tanaka@example.jp";
  m.subject = "(3/3) ご利用開始のお知らせ";
  m.body = "田中様\nCX Support ID: Abcde01234\nログイン: https://cx.example/login\n";
  m.date_unix = *parse_iso8601("2026-11-25T05:45:00Z");
  m.message_id = "abc123@cxsupport.example";
  auto text = render_message(m);
  auto ls = lines(text);
  auto blank = std::find(ls.begin(), ls.end(), "");
  ASSERT_NE(blank, ls.end());
  std::vector<std::string> headers(ls.begin(), blank);
  auto header = [&](const std::string& name) {
    for (auto& h : headers)
      if (h.rfind(name + ": ", 0) == 0) return h.substr(name.size() + 2);
    return std::string("<missing>");
  };
  EXPECT_EQ(header("From"), m.from);
  EXPECT_EQ(header("To"), m.to);
  EXPECT_EQ(decode_words(header("Subject")), m.subject);
  EXPECT_EQ(header("Date"), "Wed, 25 Nov 2026 14:45:00 +0900");
  EXPECT_EQ(header("Message-ID"), "<abc123@cxsupport.example>");
  EXPECT_EQ(header("MIME-Version"), "1.0");
  EXPECT_EQ(header("Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(header("Content-Transfer-Encoding"), "base64");
  std::string b64;
  for (auto it = blank + 1; it != ls.end(); ++it) {
    EXPECT_LE(it->size(), 76u);
    b64 += *it;
  }
  EXPECT_EQ(unbase64(b64), "田中様\r\nCX Support ID: Abcde01234\r\nログイン: https://cx.example/login\r\n");
  for (auto& h : headers) EXPECT_LE(h.size(), 78u) << h;
}

}  // namespace
}  // namespace cxs::domain
