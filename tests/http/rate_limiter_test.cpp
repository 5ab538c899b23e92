// The limiter's buckets: a key is limited at its rate, and the table stays within its bound
// whatever keys clients make up (SPEC §18), keeping the buckets that are actually limiting.

#include "http/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace cxs::http {
namespace {

TEST(RateLimiter, LimitsAKeyAtItsRateAndNoOther) {
  rate_limiter l(3);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(l.take("login 192.0.2.1")) << "request " << i + 1;
  auto wait = l.take("login 192.0.2.1");
  ASSERT_TRUE(wait);
  EXPECT_GE(*wait, 1);
  EXPECT_LE(*wait, 20) << "a token comes back after a third of a minute";
  EXPECT_FALSE(l.take("login 192.0.2.2"));
}

TEST(RateLimiter, TheTableStaysWithinItsBoundWhateverKeysArrive) {
  rate_limiter l(5, 1000);
  for (int i = 0; i < 50000; ++i) {
    EXPECT_FALSE(l.take(std::to_string(i).append(" login")));  // each new key has a full bucket
    ASSERT_LE(l.size(), 1000u) << "after key " << i;
  }
}

TEST(RateLimiter, AtTheBoundTheLimitingBucketsStay) {
  rate_limiter l(2, 100);
  ASSERT_FALSE(l.take("attacker"));
  ASSERT_FALSE(l.take("attacker"));
  ASSERT_TRUE(l.take("attacker")) << "empty now";
  // Many fresh keys, each taking one of its two tokens: fuller than the attacker's bucket.
  for (int i = 0; i < 10000; ++i) l.take(std::to_string(i).append(" fresh"));
  EXPECT_TRUE(l.take("attacker")) << "making room must not forget the bucket that limits";
}

}  // namespace
}  // namespace cxs::http
