#include "actors/answer_cache.hpp"

#include <gtest/gtest.h>

using cxs::actors::answer_cache;
using cxs::actors::answer_key;
using cxs::domain::analysis_document;
using cxs::domain::analysis_request;

namespace {

constexpr int64_t noon = 1796270400;  // 2026-12-03 12:00 JST

analysis_document doc(const std::string& json) { return analysis_document{json, std::nullopt}; }

analysis_request traffic(std::string from = "2026-11-01") {
  return analysis_request{"traffic", {{"from", std::move(from)}, {"granularity", "day"}}, false, {}};
}

}  // namespace

TEST(AnswerCache, ServesOnlyTheCurrentGeneration) {
  answer_cache cache(1 << 20);
  const auto key = answer_key(traffic(), noon);
  EXPECT_EQ(cache.find("A", key), nullptr);  // no generation open: nothing
  auto g1 = cache.renew("A");
  cache.store("A", g1, key, doc("{\"calls\":1}"));
  ASSERT_NE(cache.find("A", key), nullptr);
  EXPECT_EQ(cache.find("A", key)->json, "{\"calls\":1}");
  EXPECT_EQ(cache.find("B", key), nullptr);  // another account's answer is never this one's
  // A change (an ingest, say): the kept answer is stale at once.
  auto g2 = cache.renew("A");
  EXPECT_NE(g1, g2);
  EXPECT_EQ(cache.find("A", key), nullptr);
  // An answer computed before the change, stored after it, is not kept.
  cache.store("A", g1, key, doc("{\"calls\":1}"));
  EXPECT_EQ(cache.find("A", key), nullptr);
  cache.store("A", g2, key, doc("{\"calls\":2}"));
  EXPECT_EQ(cache.find("A", key)->json, "{\"calls\":2}");
}

TEST(AnswerCache, ForgetOnlyTheGenerationOfTheStoppedActor) {
  answer_cache cache(1 << 20);
  const auto key = answer_key(traffic(), noon);
  auto old_actor = cache.renew("A");
  auto new_actor = cache.renew("A");  // a new actor of the account started before the old one's exit ran
  cache.store("A", new_actor, key, doc("{}"));
  cache.forget("A", old_actor);
  EXPECT_NE(cache.find("A", key), nullptr);
  cache.forget("A", new_actor);
  EXPECT_EQ(cache.find("A", key), nullptr);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(AnswerCache, BoundedInBytesOldestFirst) {
  answer_cache cache(64 * 1024);
  auto g = cache.renew("A");
  const std::string body(4000, 'x');
  for (int i = 0; i < 100; ++i)
    cache.store("A", g, answer_key(traffic("2026-10-" + std::to_string(10 + i % 20) + std::to_string(i)), noon),
                doc(body));
  EXPECT_LE(cache.bytes(), 64u * 1024);
  EXPECT_EQ(cache.find("A", answer_key(traffic("2026-10-100"), noon)), nullptr);   // the first went
  EXPECT_NE(cache.find("A", answer_key(traffic("2026-10-2999"), noon)), nullptr);  // the last is there
  // One answer over a quarter of the bound is not kept at all.
  cache.store("A", g, "big", doc(std::string(20000, 'y')));
  EXPECT_EQ(cache.find("A", "big"), nullptr);
}

TEST(AnswerCache, KeysTellEveryFieldDateAndHourApart) {
  const auto base = answer_key(traffic(), noon);
  EXPECT_EQ(base, answer_key(traffic(), noon + 59));         // same hour: same key
  EXPECT_NE(base, answer_key(traffic(), noon + 3600));       // the next hour
  EXPECT_NE(base, answer_key(traffic(), noon + 86400));      // tomorrow
  EXPECT_NE(base, answer_key(traffic("2026-11-02"), noon));  // a parameter
  auto english = traffic();
  english.english = true;
  EXPECT_NE(base, answer_key(english, noon));
  auto child = traffic();
  child.an_group_limit = {"g1"};
  EXPECT_NE(base, answer_key(child, noon));  // a limited child ID
  auto other = traffic();
  other.name = "compare";
  EXPECT_NE(base, answer_key(other, noon));
  // No value can run into the next field, whatever bytes it holds: a main ID's crafted question
  // is never the key of a limited child's.
  analysis_request a{"traffic", {{"an", "1"}, {"b", "2"}}, false, {}};
  analysis_request b{"traffic", {{"an", "1:1:b1:2"}}, false, {}};
  EXPECT_NE(answer_key(a, noon), answer_key(b, noon));
  analysis_request main_id{"traffic", {{"x", "1:11:g1"}}, false, {}};
  analysis_request limited{"traffic", {{"x", ""}}, false, {"g1"}};
  EXPECT_NE(answer_key(main_id, noon), answer_key(limited, noon));
}
