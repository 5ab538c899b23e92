#include "domain/time.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

TEST(Time, DaysFromCivilRoundTrips) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({1970, 1, 2}), 1);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);  // 30 years incl. 7 leap days + Jan, Feb 2000
  for (int64_t d = -800000; d <= 800000; d += 37) {
    const civil_date c = civil_from_days(d);
    ASSERT_TRUE(is_valid_date(c));
    ASSERT_EQ(days_from_civil(c), d);
  }
}

TEST(Time, DaysInMonthKnowsLeapYears) {
  EXPECT_EQ(days_in_month(2024, 2), 29u);
  EXPECT_EQ(days_in_month(2026, 2), 28u);
  EXPECT_EQ(days_in_month(1900, 2), 28u);
  EXPECT_EQ(days_in_month(2000, 2), 29u);
  EXPECT_EQ(days_in_month(2026, 4), 30u);
  EXPECT_EQ(days_in_month(2026, 12), 31u);
  EXPECT_EQ(days_in_month(2026, 13), 0u);
}

TEST(Time, ToJstAddsNineHours) {
  // 2026-11-02T00:15:03Z = 09:15:03 JST, a Monday.
  const int64_t t = days_from_civil({2026, 11, 2}) * 86400 + 15 * 60 + 3;
  const jst_time j = to_jst(t);
  EXPECT_EQ(j.date, (civil_date{2026, 11, 2}));
  EXPECT_EQ(j.hour, 9);
  EXPECT_EQ(j.minute, 15);
  EXPECT_EQ(j.second, 3);
  EXPECT_EQ(j.weekday, 0);
}

TEST(Time, JstCrossesYearEnd) {
  // 2026-12-31T15:30:00Z is 2027-01-01 00:30 JST, a Friday.
  const auto t = parse_iso8601("2026-12-31T15:30:00Z");
  ASSERT_TRUE(t);
  const jst_time j = to_jst(*t);
  EXPECT_EQ(j.date, (civil_date{2027, 1, 1}));
  EXPECT_EQ(j.hour, 0);
  EXPECT_EQ(j.minute, 30);
  EXPECT_EQ(j.weekday, 4);
  // One hour earlier it is still 2026 in Japan.
  EXPECT_EQ(to_jst(*t - 3600).date, (civil_date{2026, 12, 31}));
  EXPECT_EQ(to_jst(*t - 3600).hour, 23);
}

TEST(Time, JstCrossesMonthEnd) {
  const auto t = parse_iso8601("2026-11-30T15:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(to_jst(*t).date, (civil_date{2026, 12, 1}));
  EXPECT_EQ(to_jst(*t - 1).date, (civil_date{2026, 11, 30}));
}

TEST(Time, WeekdaysBeforeEpoch) {
  EXPECT_EQ(weekday_of({1970, 1, 1}), 3);                // Thursday
  EXPECT_EQ(weekday_of({1969, 12, 29}), 0);              // Monday
  EXPECT_EQ(weekday_of({2026, 11, 25}), 2);              // Wednesday
  EXPECT_EQ(to_jst(-1).date, (civil_date{1970, 1, 1}));  // 08:59:59 JST
  EXPECT_EQ(to_jst(-9 * 3600 - 1).date, (civil_date{1969, 12, 31}));
  EXPECT_EQ(to_jst(-9 * 3600 - 1).weekday, 2);
}

TEST(Time, DayStartIsMidnightJst) {
  const int64_t s = jst_day_start({2026, 11, 2});
  EXPECT_EQ(to_jst(s).date, (civil_date{2026, 11, 2}));
  EXPECT_EQ(to_jst(s).hour, 0);
  EXPECT_EQ(to_jst(s - 1).date, (civil_date{2026, 11, 1}));
  EXPECT_EQ(s % 3600, 0);  // JST days start on UTC hour boundaries
  EXPECT_EQ(jst_today(s), (civil_date{2026, 11, 2}));
  EXPECT_EQ(jst_today(s - 1), (civil_date{2026, 11, 1}));
}

TEST(Time, MonthIndexArithmetic) {
  EXPECT_EQ(month_index({2026, 1, 15}), 2026 * 12);
  EXPECT_EQ(first_of_month_index(month_index({2026, 12, 9})), (civil_date{2026, 12, 1}));
  EXPECT_EQ(first_of_month_index(month_index({2026, 1, 9}) - 1), (civil_date{2025, 12, 1}));
  EXPECT_EQ(add_months({2026, 3, 31}, -1), (civil_date{2026, 2, 28}));
  EXPECT_EQ(add_months({2024, 3, 31}, -1), (civil_date{2024, 2, 29}));
  EXPECT_EQ(add_months({2026, 11, 25}, -3), (civil_date{2026, 8, 25}));
  EXPECT_EQ(add_months({2026, 11, 30}, 3), (civil_date{2027, 2, 28}));
  EXPECT_EQ(add_months({2026, 1, 31}, -13), (civil_date{2024, 12, 31}));
  EXPECT_EQ(add_days({2026, 12, 31}, 1), (civil_date{2027, 1, 1}));
  EXPECT_EQ(add_days({2024, 3, 1}, -1), (civil_date{2024, 2, 29}));
}

TEST(Time, RetentionKeepsCurrentMonthAndNMinusOneBefore) {
  EXPECT_EQ(retention_start({2026, 11, 25}, 12), (civil_date{2025, 12, 1}));
  EXPECT_EQ(retention_start({2026, 11, 25}, 24), (civil_date{2024, 12, 1}));
  EXPECT_EQ(retention_start({2026, 11, 25}, 3), (civil_date{2026, 9, 1}));
  EXPECT_EQ(retention_start({2026, 1, 1}, 1), (civil_date{2026, 1, 1}));
  EXPECT_EQ(retention_start({2026, 1, 1}, 0), (civil_date{2026, 1, 1}));
  EXPECT_EQ(retention_start({2026, 2, 28}, 2), (civil_date{2026, 1, 1}));
}

TEST(Time, ParseIso8601AcceptsAnyOffset) {
  // The same instant written four ways.
  const int64_t expected = days_from_civil({2026, 11, 2}) * 86400 + 15 * 60 + 3;
  EXPECT_EQ(parse_iso8601("2026-11-02T09:15:03+09:00"), expected);
  EXPECT_EQ(parse_iso8601("2026-11-02T00:15:03Z"), expected);
  EXPECT_EQ(parse_iso8601("2026-11-01T19:15:03-05:00"), expected);
  EXPECT_EQ(parse_iso8601("2026-11-02T05:45:03+0530"), expected);
  EXPECT_EQ(parse_iso8601("2026-11-02T00:15:03.999Z"), expected);  // fraction dropped
  EXPECT_EQ(parse_iso8601("2026-11-02T00:15:03,5+00:00"), expected);
  EXPECT_EQ(parse_iso8601("2026-11-02t00:15:03z"), expected);
}

TEST(Time, ParseIso8601RejectsBadInput) {
  for (const char* bad : {"",
                          "2026-11-02",
                          "2026-11-02T09:15:03",
                          "2026-11-02T09:15+09:00",
                          "2026-11-02 09:15:03+09:00",
                          "2026-13-02T09:15:03Z",
                          "2026-02-29T09:15:03Z",
                          "2026-11-31T09:15:03Z",
                          "2026-11-02T24:00:00Z",
                          "2026-11-02T09:60:00Z",
                          "2026-11-02T09:15:60Z",
                          "2026-11-02T09:15:03+9:00",
                          "2026-11-02T09:15:03+09:0",
                          "2026-11-02T09:15:03+24:00",
                          "2026-11-02T09:15:03+09:60",
                          "2026-11-02T09:15:03.Z",
                          "2026-11-02T09:15:03Zx",
                          "2026-11-02T09:15:03 Z",
                          "x026-11-02T09:15:03Z",
                          "2026/11/02T09:15:03Z",
                          "1764026103"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
  EXPECT_TRUE(parse_iso8601("2024-02-29T23:59:59+09:00"));
}

TEST(Time, ParseDateIsStrict) {
  EXPECT_EQ(parse_date("2026-11-01"), (civil_date{2026, 11, 1}));
  EXPECT_EQ(parse_date("2024-02-29"), (civil_date{2024, 2, 29}));
  for (const char* bad : {"", "2026-11-1", "2026-1-01", "2026/11/01", "2026-11-01 ", " 2026-11-01", "2026-02-29",
                          "2026-00-10", "2026-11-00", "2026-11-31", "20261101", "2026-11-01T00"}) {
    EXPECT_FALSE(parse_date(bad)) << bad;
  }
}

TEST(Time, Formats) {
  EXPECT_EQ(format_date({2026, 11, 1}), "2026-11-01");
  EXPECT_EQ(format_date({987, 1, 9}), "0987-01-09");
  EXPECT_EQ(format_month({2026, 11, 1}), "2026-11");
  const int64_t t = *parse_iso8601("2026-11-02T00:15:03Z");
  EXPECT_EQ(format_jst_iso(t), "2026-11-02T09:15:03+09:00");
  EXPECT_EQ(format_jst_hour(t), "2026-11-02T09");
  EXPECT_EQ(format_jst_iso(*parse_iso8601("2026-12-31T15:30:00Z")), "2027-01-01T00:30:00+09:00");
}

}  // namespace
}  // namespace cxs::domain
