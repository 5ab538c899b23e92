#include "domain/caller_hash.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace cxs::domain {
namespace {

std::string hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

TEST(CallerHash, IsTruncatedHmacSha256) {
  // RFC 4231 test case 2: HMAC-SHA-256("Jefe", "what do ya want for nothing?") =
  // 5bdcc146bf60754e6a042426089575c7 5a003f089d2739839dec58b964ec3843; we keep the first 16 bytes.
  const std::string h = hash_caller("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(h.size(), caller_hash_size);
  EXPECT_EQ(hex(h), "5bdcc146bf60754e6a042426089575c7");
}

TEST(CallerHash, WithheldIsEmpty) { EXPECT_EQ(hash_caller("key", ""), ""); }

TEST(CallerHash, KeyedAndStable) {
  const std::string a = hash_caller("key-1", "0312345678");
  EXPECT_EQ(a, hash_caller("key-1", "0312345678"));
  EXPECT_NE(a, hash_caller("key-2", "0312345678"));  // switching keys re-keys the context
  EXPECT_EQ(a, hash_caller("key-1", "0312345678"));
  EXPECT_NE(a, hash_caller("key-1", "0312345679"));
  EXPECT_EQ(a.find("0312345678"), std::string::npos);
  EXPECT_EQ(hash_caller("", "0312345678").size(), caller_hash_size);  // an empty key still hashes
}

TEST(CallerHash, SameAnswerFromManyThreads) {
  const std::string expected = hash_caller("secret", "09012345678");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i)
        if (hash_caller("secret", "09012345678") != expected) ++mismatches[static_cast<std::size_t>(t)];
    });
  for (auto& th : threads) th.join();
  for (const int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace cxs::domain
