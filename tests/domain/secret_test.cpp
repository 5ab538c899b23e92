#include "domain/secret.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace cxs::domain {
namespace {

bool base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

TEST(SecretToken, LengthAlphabetAndUniqueness) {
  std::set<std::string> seen;
  std::array<int, 256> chars{};
  for (int i = 0; i < 1000; ++i) {
    auto t = new_token();
    ASSERT_EQ(t.size(), 43u);
    for (char c : t) {
      ASSERT_TRUE(base64url_char(c)) << t;
      ++chars[static_cast<unsigned char>(c)];
    }
    EXPECT_TRUE(looks_like_token(t));
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 1000u);
  // Both extra base64url characters turn up (not the '+' '/' of plain base64).
  EXPECT_GT(chars['-'], 0);
  EXPECT_GT(chars['_'], 0);
  EXPECT_EQ(chars['+'] + chars['/'] + chars['='], 0);
}

TEST(SecretToken, LooksLikeToken) {
  EXPECT_TRUE(looks_like_token(std::string(43, 'A')));
  EXPECT_TRUE(looks_like_token("abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE"));
  EXPECT_FALSE(looks_like_token(""));
  EXPECT_FALSE(looks_like_token(std::string(42, 'A')));
  EXPECT_FALSE(looks_like_token(std::string(44, 'A')));
  EXPECT_FALSE(looks_like_token(std::string(42, 'A') + "="));
  EXPECT_FALSE(looks_like_token(std::string(42, 'A') + "+"));
  EXPECT_FALSE(looks_like_token(std::string(42, 'A') + "/"));
  EXPECT_FALSE(looks_like_token(std::string(42, 'A') + "."));
  EXPECT_FALSE(looks_like_token(std::string(42, 'A') + " "));
  EXPECT_FALSE(looks_like_token(std::string(41, 'A') + "\xC3\xA9"));  // é: 43 bytes, not base64url
}

TEST(SecretOtp, SixDigitsRoughlyUniform) {
  std::array<int, 10> first{};
  std::set<std::string> seen;
  constexpr int draws = 10000;
  for (int i = 0; i < draws; ++i) {
    auto code = new_otp();
    ASSERT_EQ(code.size(), 6u);
    for (char c : code) ASSERT_TRUE(c >= '0' && c <= '9') << code;
    ++first[static_cast<std::size_t>(code[0] - '0')];
    seen.insert(code);
  }
  // Expected 1000 per digit, standard deviation 30: 800–1200 is far beyond chance.
  for (int d = 0; d < 10; ++d) {
    EXPECT_GT(first[static_cast<std::size_t>(d)], 800) << d;
    EXPECT_LT(first[static_cast<std::size_t>(d)], 1200) << d;
  }
  // 10000 draws from 10^6 values: about 50 collisions expected, never thousands.
  EXPECT_GT(seen.size(), 9800u);
}

TEST(SecretDigest, KnownVectors) {
  EXPECT_EQ(token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(token_digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto t = new_token();
  EXPECT_EQ(token_digest(t), token_digest(t));
  EXPECT_NE(token_digest(t), token_digest(new_token()));
  EXPECT_EQ(token_digest(t).size(), 64u);
}

TEST(SecretEqual, ComparesContentAndLength) {
  EXPECT_TRUE(secrets_equal("", ""));
  EXPECT_TRUE(secrets_equal("s3cret-token", "s3cret-token"));
  EXPECT_FALSE(secrets_equal("s3cret-token", "s3cret-tokem"));
  EXPECT_FALSE(secrets_equal("s3cret-token", "s3cret-token "));
  EXPECT_FALSE(secrets_equal("s3cret-token", ""));
  EXPECT_FALSE(secrets_equal("", "x"));
  std::string with_nul("a\0b", 3);
  EXPECT_TRUE(secrets_equal(with_nul, std::string("a\0b", 3)));
  EXPECT_FALSE(secrets_equal(with_nul, "a"));
  auto t = new_token();
  EXPECT_TRUE(secrets_equal(t, std::string(t)));
}

}  // namespace
}  // namespace cxs::domain
