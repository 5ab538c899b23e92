#include "domain/filters.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

constexpr civil_date today{2026, 11, 25};

filters ok(const std::string& query, int retention = 12) {
  auto r = parse_filters(parse_query(query), today, retention);
  if (auto* e = std::get_if<param_error>(&r)) {
    ADD_FAILURE() << query << " -> error on " << e->field << ": " << e->message;
    return {};
  }
  return std::get<filters>(r);
}

param_error bad(const std::string& query, int retention = 12) {
  auto r = parse_filters(parse_query(query), today, retention);
  if (auto* e = std::get_if<param_error>(&r)) {
    EXPECT_FALSE(e->message.empty());
    return *e;
  }
  ADD_FAILURE() << query << " was accepted";
  return {};
}

TEST(ParseQuery, DecodesAndKeepsOrder) {
  const query_params q = parse_query("an=0120-111-111&an=0120222222%2C0120333333&x=a+b%20c&empty=&flag&&k=%E6%9D%B1");
  ASSERT_EQ(q.size(), 6u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"an", "0120-111-111"}));
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>{"an", "0120222222,0120333333"}));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"x", "a b c"}));
  EXPECT_EQ(q[3], (std::pair<std::string, std::string>{"empty", ""}));
  EXPECT_EQ(q[4], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(q[5], (std::pair<std::string, std::string>{"k", "東"}));
  EXPECT_TRUE(parse_query("").empty());
  const query_params broken = parse_query("a=%zz&b=%4&c=100%");
  EXPECT_EQ(broken[0].second, "%zz");
  EXPECT_EQ(broken[1].second, "%4");
  EXPECT_EQ(broken[2].second, "100%");
  EXPECT_EQ(parse_query("a%3Db=c")[0].first, "a=b");
}

// A parameter names a filter only with a value: `dn=` filters nothing.
TEST(ParseQuery, NamesParamNeedsAValue) {
  const query_params q = parse_query("dn=&custom=abc&an=");
  EXPECT_TRUE(names_param(q, "custom"));
  EXPECT_FALSE(names_param(q, "dn"));
  EXPECT_FALSE(names_param(q, "an"));
  EXPECT_FALSE(names_param(q, "from"));
}

TEST(Filters, Defaults) {
  const filters f = ok("");
  EXPECT_EQ(f.to, today);
  EXPECT_EQ(f.from, (civil_date{2026, 8, 25}));  // the same day three months back
  EXPECT_TRUE(f.ans.empty());
  EXPECT_EQ(f.weekday_mask, 0x7f);
  EXPECT_FALSE(f.hours);
  EXPECT_EQ(f.gran, granularity::day);
  EXPECT_FALSE(f.csv);
  EXPECT_FALSE(f.b_from);
  EXPECT_FALSE(f.b_to);
  EXPECT_TRUE(f.b_ans.empty());

  // Hour: the 31 days ending at `to` (SPEC §19: an hourly series covers at most 31 days).
  EXPECT_EQ(ok("granularity=hour").from, (civil_date{2026, 10, 26}));
  // Month: the whole retention window, the current month and the 11 (or 23) before it.
  EXPECT_EQ(ok("granularity=month").from, (civil_date{2025, 12, 1}));
  EXPECT_EQ(ok("granularity=month", 24).from, (civil_date{2024, 12, 1}));
  // Three months back from a month end clamps the day.
  EXPECT_EQ(ok("to=2026-05-31").from, (civil_date{2026, 2, 28}));
}

TEST(Filters, FromAndTo) {
  const filters f = ok("from=2026-10-01&to=2026-10-31");
  EXPECT_EQ(f.from, (civil_date{2026, 10, 1}));
  EXPECT_EQ(f.to, (civil_date{2026, 10, 31}));
  EXPECT_EQ(ok("from=2026-11-25&to=2026-11-25").from, today);
  EXPECT_EQ(ok("to=2026-11-01").from, (civil_date{2026, 8, 1}));

  EXPECT_EQ(bad("from=2026-13-01").field, "from");
  EXPECT_EQ(bad("from=yesterday").field, "from");
  EXPECT_EQ(bad("to=2026-11-31").field, "to");
  EXPECT_EQ(bad("to=26-11-01").field, "to");
  const param_error reversed = bad("from=2026-11-10&to=2026-11-01");
  EXPECT_EQ(reversed.field, "from");
  EXPECT_EQ(bad("from=2026-12-01").field, "from");  // in the future
}

TEST(Filters, FutureToIsCutToToday) {
  const filters f = ok("from=2026-11-01&to=2027-01-31");
  EXPECT_EQ(f.to, today);
  EXPECT_EQ(f.from, (civil_date{2026, 11, 1}));
}

TEST(Filters, RangeWiderThanRetentionIsCut) {
  const filters f = ok("from=2020-01-01&to=2026-03-15");
  EXPECT_EQ(f.from, (civil_date{2025, 12, 1}));  // 12 months: Dec 2025 .. Nov 2026
  EXPECT_EQ(f.to, (civil_date{2026, 3, 15}));
  EXPECT_EQ(ok("from=2020-01-01", 24).from, (civil_date{2024, 12, 1}));
  EXPECT_EQ(ok("from=2025-12-01").from, (civil_date{2025, 12, 1}));
  // Entirely before the window: nothing is kept there.
  EXPECT_EQ(bad("from=2024-01-01&to=2025-11-30").field, "to");
  // Default 3-month range near a short retention is cut too.
  EXPECT_EQ(ok("", 3).from, (civil_date{2026, 9, 1}));
}

TEST(Filters, Ans) {
  EXPECT_EQ(ok("an=0120111111").ans, (std::vector<std::string>{"0120111111"}));
  const std::vector<std::string> two{"0120111111", "0570222222"};
  EXPECT_EQ(ok("an=0120111111,0570222222").ans, two);                     // comma list
  EXPECT_EQ(ok("an=0120111111&an=0570222222").ans, two);                  // repeated
  EXPECT_EQ(ok("an=0120-111-111,&an=0570-222-222,0120111111").ans, two);  // hyphens, both, duplicate
  EXPECT_EQ(ok("an=08001234567").ans, (std::vector<std::string>{"08001234567"}));
  EXPECT_EQ(ok("an=").ans, std::vector<std::string>{});

  const param_error e = bad("an=0120111111,0312345678");
  EXPECT_EQ(e.field, "an");
  EXPECT_NE(e.message.find("0312345678"), std::string::npos) << e.message;
  EXPECT_EQ(bad("an=012011111").field, "an");
  EXPECT_EQ(bad("an=abc").field, "an");
}

TEST(Filters, Weekdays) {
  EXPECT_EQ(ok("weekday=mon").weekday_mask, 0x01);
  EXPECT_EQ(ok("weekday=sun").weekday_mask, 0x40);
  EXPECT_EQ(ok("weekday=mon,wed,fri").weekday_mask, 0x15);
  EXPECT_EQ(ok("weekday=mon&weekday=wed&weekday=fri").weekday_mask, 0x15);
  EXPECT_EQ(ok("weekday=sat,SUN").weekday_mask, 0x60);
  EXPECT_EQ(ok("weekday=mon,mon").weekday_mask, 0x01);
  EXPECT_EQ(bad("weekday=monday").field, "weekday");
  EXPECT_EQ(bad("weekday=mon,xyz").field, "weekday");
  EXPECT_EQ(bad("weekday=1").field, "weekday");
}

TEST(Filters, Hours) {
  EXPECT_EQ(ok("hours=9-18").hours, (std::pair<int, int>{9, 18}));
  EXPECT_EQ(ok("hours=22-6").hours, (std::pair<int, int>{22, 6}));
  EXPECT_EQ(ok("hours=0-24").hours, (std::pair<int, int>{0, 24}));
  EXPECT_EQ(ok("hours=09-18").hours, (std::pair<int, int>{9, 18}));
  for (const char* v : {"9", "9-9", "25-3", "3-25", "a-b", "9-18-20", "-1-5", "9 - 18", "9-", "-18", "9.5-18"})
    EXPECT_EQ(bad(std::string("hours=") + v).field, "hours") << v;
  EXPECT_EQ(bad("hours=9-18&hours=10-11").field, "hours");
}

TEST(Filters, HourMatchesBandsAndWeekdays) {
  filters f = ok("hours=9-18");
  EXPECT_FALSE(hour_matches(f, 0, 8));
  EXPECT_TRUE(hour_matches(f, 0, 9));
  EXPECT_TRUE(hour_matches(f, 0, 17));
  EXPECT_FALSE(hour_matches(f, 0, 18));

  f = ok("hours=22-6");  // wraps past midnight
  for (int h = 0; h < 24; ++h) EXPECT_EQ(hour_matches(f, 3, h), h >= 22 || h < 6) << h;

  f = ok("hours=0-24");
  for (int h = 0; h < 24; ++h) EXPECT_TRUE(hour_matches(f, 6, h));

  f = ok("weekday=sat,sun");
  EXPECT_FALSE(hour_matches(f, 0, 12));
  EXPECT_FALSE(hour_matches(f, 4, 12));
  EXPECT_TRUE(hour_matches(f, 5, 12));
  EXPECT_TRUE(hour_matches(f, 6, 0));

  f = ok("weekday=mon&hours=22-6");
  EXPECT_TRUE(hour_matches(f, 0, 23));
  EXPECT_TRUE(hour_matches(f, 0, 2));
  EXPECT_FALSE(hour_matches(f, 1, 2));
}

TEST(Filters, Granularity) {
  EXPECT_EQ(ok("granularity=hour").gran, granularity::hour);
  EXPECT_EQ(ok("granularity=day").gran, granularity::day);
  EXPECT_EQ(ok("granularity=month").gran, granularity::month);
  EXPECT_EQ(bad("granularity=week").field, "granularity");
  EXPECT_EQ(bad("granularity=month&granularity=day").field, "granularity");
  EXPECT_EQ(granularity_name(granularity::month), "month");
}

TEST(Filters, MinuteNeedsOneDay) {
  const filters f = ok("granularity=minute&from=2026-11-20&to=2026-11-20");
  EXPECT_EQ(f.gran, granularity::minute);
  EXPECT_EQ(f.from, f.to);
  const filters d = ok("granularity=minute");  // defaults to today only
  EXPECT_EQ(d.from, today);
  EXPECT_EQ(d.to, today);
  EXPECT_EQ(ok("granularity=minute&to=2026-11-03").from, (civil_date{2026, 11, 3}));
  EXPECT_EQ(bad("granularity=minute&from=2026-11-20&to=2026-11-21").field, "granularity");
  EXPECT_EQ(bad("granularity=minute&from=2026-11-20").field, "granularity");
}

// SPEC §19: an hourly series covers at most 31 days; the range counted is the one applied.
TEST(Filters, HourlyRangesAreBoundedTo31Days) {
  EXPECT_EQ(ok("granularity=hour&from=2026-10-01&to=2026-10-31").gran, granularity::hour);
  const auto e = bad("granularity=hour&from=2026-10-01&to=2026-11-01");
  EXPECT_EQ(e.field, "granularity");
  EXPECT_NE(e.message.find("32"), std::string::npos) << e.message;
  EXPECT_EQ(bad("granularity=hour&from=2026-08-01").field, "granularity");
  EXPECT_EQ(ok("from=2026-08-01").gran, granularity::day) << "days are not bounded so";
}

// A detailed analysis's window (kept_from) cuts the range before the hourly limit counts it: 50 days
// asked, 10 of them in the window, are 10 hours' days; a range ending before it is left as it is.
TEST(Filters, TheHourlyLimitCountsTheDaysLeftAfterTheDetailedWindow) {
  const civil_date window{2026, 11, 16};
  auto r = parse_filters(parse_query("granularity=hour&from=2026-10-07&to=2026-11-25"), today, 3, window);
  ASSERT_TRUE(std::holds_alternative<filters>(r)) << std::get<param_error>(r).message;
  EXPECT_EQ(std::get<filters>(r).from, window);
  EXPECT_EQ(std::get<filters>(r).to, today);
  auto before = parse_filters(parse_query("from=2026-10-01&to=2026-10-31"), today, 3, window);
  ASSERT_TRUE(std::holds_alternative<filters>(before));
  EXPECT_EQ(std::get<filters>(before).from, (civil_date{2026, 10, 1})) << "for the caller to refuse";
  EXPECT_EQ(
      std::get<param_error>(parse_filters(parse_query("granularity=hour&from=2026-10-07&to=2026-11-25"), today, 3))
          .field,
      "granularity")
      << "without a window the 50 days count";
}

TEST(Filters, Align) {
  EXPECT_FALSE(ok("").align_weekday);
  EXPECT_FALSE(ok("align=date").align_weekday);
  EXPECT_TRUE(ok("align=Weekday").align_weekday);
  EXPECT_EQ(bad("align=week").field, "align");
  EXPECT_EQ(bad("align=date&align=weekday").field, "align");
}

TEST(Filters, Format) {
  EXPECT_TRUE(ok("format=csv").csv);
  EXPECT_FALSE(ok("format=json").csv);
  EXPECT_EQ(bad("format=xml").field, "format");
}

// SPEC §19: the CSV for people names its language.
TEST(Filters, Headers) {
  EXPECT_FALSE(ok("format=csv").csv_headings);
  EXPECT_EQ(ok("format=csv&headers=ja").csv_headings, lang::ja);
  EXPECT_EQ(ok("format=csv&headers=EN").csv_headings, lang::en);
  EXPECT_EQ(bad("format=csv&headers=fr").field, "headers");
  EXPECT_EQ(bad("headers=ja&headers=en").field, "headers");
}

TEST(Filters, CompareRange) {
  const filters f = ok("b_from=2026-07-01&b_to=2026-07-31&b_an=0120-111-111,0120222222");
  EXPECT_EQ(f.b_from, (civil_date{2026, 7, 1}));
  EXPECT_EQ(f.b_to, (civil_date{2026, 7, 31}));
  EXPECT_EQ(f.b_ans, (std::vector<std::string>{"0120111111", "0120222222"}));
  EXPECT_EQ(ok("b_from=2020-01-01").b_from, (civil_date{2020, 1, 1}));  // B is not cut
  EXPECT_EQ(bad("b_from=2026-7-1").field, "b_from");
  EXPECT_EQ(bad("b_to=2026-07-32").field, "b_to");
  EXPECT_EQ(bad("b_from=2026-08-01&b_to=2026-07-01").field, "b_from");
  EXPECT_EQ(bad("b_an=0120").field, "b_an");
}

TEST(Filters, SingleValuedParametersOnlyOnce) {
  EXPECT_EQ(bad("from=2026-10-01&from=2026-10-02").field, "from");
  EXPECT_EQ(bad("to=2026-10-01&to=2026-10-02").field, "to");
  EXPECT_EQ(bad("format=csv&format=csv").field, "format");
}

TEST(Filters, UnknownAndEmptyParametersAreIgnored) {
  const filters f = ok("foo=bar&an_group=g1&dn=0312345678&from=&hours=&gos=0.05&_=123");
  EXPECT_EQ(f.from, (civil_date{2026, 8, 25}));
  EXPECT_FALSE(f.hours);
  EXPECT_EQ(f.gos, "0.05");
}

TEST(Filters, MessagesAreSafeAscii) {
  const param_error e = bad("from=%FF%FE");
  for (const char c : e.message) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << e.message;
}

}  // namespace
}  // namespace cxs::domain
