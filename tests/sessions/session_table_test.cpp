// The session table's ends (SPEC §4, §18): logout, 30 minutes idle, 12 hours after login.
#include "sessions/session_table.hpp"

#include <gtest/gtest.h>

namespace cxs::sessions {
namespace {

constexpr int64_t minute = 60;
constexpr int64_t hour = 60 * minute;
constexpr int64_t t0 = 1'700'000'000;

TEST(SessionTable, ActivityKeepsASessionWithinTheIdleLimit) {
  session_table t;
  auto s = t.create("AbCdEf1234", t0);
  for (int64_t now = t0 + 29 * minute; now < t0 + 3 * hour; now += 29 * minute) {
    auto info = t.touch(s.token, now);
    ASSERT_TRUE(info) << (now - t0) / minute << " minutes after login";
    EXPECT_EQ(info->id, "AbCdEf1234");
    EXPECT_EQ(info->csrf, s.csrf);
  }
}

TEST(SessionTable, ThirtyIdleMinutesEndASession) {
  session_table t;
  auto s = t.create("AbCdEf1234", t0);
  EXPECT_TRUE(t.touch(s.token, t0 + 29 * minute + 59));
  EXPECT_FALSE(t.touch(s.token, t0 + 59 * minute + 59));
  EXPECT_FALSE(t.live_for("AbCdEf1234", t0 + 59 * minute + 59));
}

TEST(SessionTable, TwelveHoursAfterLoginEndASessionHoweverBusy) {
  session_table t;
  auto s = t.create("AbCdEf1234", t0);
  int64_t now = t0;
  while (now + 20 * minute < t0 + 12 * hour) {
    now += 20 * minute;
    ASSERT_TRUE(t.touch(s.token, now)) << (now - t0) / minute << " minutes after login";
  }
  EXPECT_TRUE(t.live_for("AbCdEf1234", t0 + 12 * hour - 1));
  EXPECT_FALSE(t.live_for("AbCdEf1234", t0 + 12 * hour));
  EXPECT_FALSE(t.touch(s.token, t0 + 12 * hour));
  EXPECT_EQ(t.sweep(t0 + 12 * hour), 0u);
}

TEST(SessionTable, ANewLoginReplacesTheOldSessionAndLogoutEndsIt) {
  session_table t;
  auto first = t.create("AbCdEf1234", t0);
  auto second = t.create("AbCdEf1234", t0 + minute);
  EXPECT_FALSE(t.touch(first.token, t0 + 2 * minute));
  EXPECT_TRUE(t.touch(second.token, t0 + 2 * minute));
  t.end(second.token);
  EXPECT_FALSE(t.touch(second.token, t0 + 3 * minute));
  EXPECT_FALSE(t.live_for("AbCdEf1234", t0 + 3 * minute));
}

TEST(SessionTable, EndAllForOneIdLeavesTheOthers) {
  session_table t;
  auto a = t.create("AbCdEf1234", t0);
  auto b = t.create("ZyXwVu9876", t0);
  t.end_all_for("AbCdEf1234");
  EXPECT_FALSE(t.touch(a.token, t0 + 1));
  EXPECT_TRUE(t.touch(b.token, t0 + 1));
  EXPECT_EQ(t.sweep(t0 + 1), 1u);
}

TEST(SessionTable, ATakeOverEndsTheLiveSessionAndRemembersItAsReplaced) {
  session_table t;
  auto first = t.create("AbCdEf1234", t0);
  auto other = t.create("ZyXwVu9876", t0);
  EXPECT_TRUE(t.touch(first.token, t0 + 10 * minute));
  ASSERT_TRUE(t.take_over("AbCdEf1234", t0 + 11 * minute));
  auto second = t.create("AbCdEf1234", t0 + 11 * minute);
  EXPECT_FALSE(t.touch(first.token, t0 + 12 * minute));
  EXPECT_TRUE(t.replaced(first.token, t0 + 12 * minute));
  EXPECT_FALSE(t.replaced(second.token, t0 + 12 * minute));
  EXPECT_FALSE(t.replaced(other.token, t0 + 12 * minute));
  EXPECT_TRUE(t.touch(second.token, t0 + 12 * minute));
  // Remembered until the old session would have ended by itself (30 minutes after its last use).
  EXPECT_TRUE(t.replaced(first.token, t0 + 39 * minute + 59));
  EXPECT_FALSE(t.replaced(first.token, t0 + 40 * minute));
  EXPECT_EQ(t.sweep(t0 + 40 * minute), 1u);                 // the other ID's session ran out; the new one lives
  EXPECT_FALSE(t.replaced(first.token, t0 + 12 * minute));  // swept for good
}

TEST(SessionTable, ATakeOverOfNothingLiveReplacesNothing) {
  session_table t;
  EXPECT_FALSE(t.take_over("AbCdEf1234", t0));
  auto idle = t.create("AbCdEf1234", t0);
  EXPECT_FALSE(t.take_over("AbCdEf1234", t0 + hour));  // idle for an hour: it had ended already
  EXPECT_FALSE(t.replaced(idle.token, t0 + hour));
  auto logged_out = t.create("AbCdEf1234", t0 + hour);
  t.end(logged_out.token);
  EXPECT_FALSE(t.take_over("AbCdEf1234", t0 + hour + 1));
  EXPECT_FALSE(t.replaced(logged_out.token, t0 + hour + 1));
  EXPECT_FALSE(t.replaced("not a token", t0 + hour + 1));
}

TEST(SessionTable, MalformedOrUnknownCookieValuesFindNothing) {
  session_table t;
  t.create("AbCdEf1234", t0);
  for (const char* v : {"", "x", "not a token at all", "KlZ-fML8cIE0zQmCzVP2NMhEHqbuR-R7YVOuVCsLGaU"})
    EXPECT_FALSE(t.touch(v, t0 + 1)) << v;
}

}  // namespace
}  // namespace cxs::sessions

namespace cxs::sessions {
namespace {

TEST(SessionRecord, EncodesAndDecodesEveryField) {
  stored_session s{"ab12", {"AbCdEf1234", "csrf-token", "MainId0001", true}, 1'700'000'000, 1'700'000'060};
  auto back = decode_session(encode_session(s));
  ASSERT_TRUE(back);
  EXPECT_EQ((std::tuple{back->digest, back->info.id, back->info.csrf, back->info.account, back->info.child,
                        back->created, back->last_seen}),
            (std::tuple{s.digest, s.info.id, s.info.csrf, s.info.account, s.info.child, s.created, s.last_seen}));
  EXPECT_EQ(back->replaced_until, 0) << "a live session carries no mark";
  for (const char* bad : {"", "[]", "{}", R"({"digest":"a","replaced_until":"x"})",
                          R"({"digest":"a","replaced_until":0})", R"({"digest":"","replaced_until":5})",
                          R"({"digest":"a","id":"b","csrf":"c","account":"d","child":1,"created":1,"last_seen":1})",
                          R"({"digest":"","id":"b","csrf":"c","account":"d","child":true,"created":1,"last_seen":1})"})
    EXPECT_FALSE(decode_session(bad)) << bad;
}

TEST(SessionRecord, AMarkKeepsNothingButItsDigestAndTime) {
  stored_session s{"ab12", {"AbCdEf1234", "csrf-token", "MainId0001", false}, 1'700'000'000, 1'700'000'060};
  s.replaced_until = 1'700'001'860;
  const auto text = encode_session(s);
  // Without "id" a build from before marks skips (and erases) the record instead of taking it live.
  EXPECT_EQ(text, R"({"digest":"ab12","replaced_until":1700001860})");
  auto mark = decode_session(text);
  ASSERT_TRUE(mark);
  EXPECT_EQ((std::tuple{mark->digest, mark->replaced_until, mark->info.id, mark->info.csrf}),
            (std::tuple{std::string("ab12"), s.replaced_until, std::string(), std::string()}));
}

TEST(SessionTable, ARestoredSessionThatRanOutIsNotTaken) {
  session_table t;
  stored_session live{"d1", {"AbCdEf1234", "c", "AbCdEf1234", false}, 1'000, 1'000};
  EXPECT_FALSE(t.restore(live, 1'000 + 30 * 60)) << "30 idle minutes";
  EXPECT_TRUE(t.restore(live, 1'000 + 29 * 60));
  stored_session older{"d0", {"AbCdEf1234", "c", "AbCdEf1234", false}, 900, 1'000};
  EXPECT_FALSE(t.restore(older, 1'000)) << "an older record of the same ID";
  stored_session newer{"d2", {"AbCdEf1234", "c", "AbCdEf1234", false}, 1'100, 1'100};
  std::string replaced;
  EXPECT_TRUE(t.restore(newer, 1'100, &replaced));
  EXPECT_EQ(replaced, "d1");
}

}  // namespace
}  // namespace cxs::sessions

namespace cxs::sessions {
namespace {

TEST(SessionTable, ASessionFoundEndedStaysEnded) {
  session_table t;
  auto s = t.create("AbCdEf1234", 1'000);
  EXPECT_FALSE(t.touch(s.token, 1'000 + 31 * 60));
  // Even if the service clock is set back (the test clock), it does not come back.
  EXPECT_FALSE(t.touch(s.token, 1'000 + 60));
  EXPECT_FALSE(t.live_for("AbCdEf1234", 1'000 + 60));
}

}  // namespace
}  // namespace cxs::sessions
