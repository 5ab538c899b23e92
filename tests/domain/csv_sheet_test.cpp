// The CSV writer (SPEC §13, §14, §19): the machine form as before, and the people's form — headings
// in the reader's language, talk seconds also as h:mm:ss, customers' own column names untouched.
#include "domain/csv_sheet.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

using json = nlohmann::json;

TEST(CsvSheet, HmsCountsHoursBeyondADayAndKeepsTheSign) {
  EXPECT_EQ(format_hms(0), "0:00:00");
  EXPECT_EQ(format_hms(59), "0:00:59");
  EXPECT_EQ(format_hms(3600), "1:00:00");
  EXPECT_EQ(format_hms(3661), "1:01:01");
  EXPECT_EQ(format_hms(100 * 3600 + 5), "100:00:05");
  EXPECT_EQ(format_hms(-65), "-0:01:05");
  EXPECT_EQ(format_hms(89.5), "0:01:30") << "a mean rounds to whole seconds";
  EXPECT_EQ(format_hms(-0.4), "0:00:00") << "no minus sign on a zero";
}

TEST(CsvSheet, TalkSecondsColumnsAreKnownByName) {
  for (auto c : {"talk_seconds", "mean_talk_seconds", "talk_seconds_a", "talk_seconds_b", "talk_seconds_diff"})
    EXPECT_TRUE(is_talk_seconds_column(c)) << c;
  for (auto c : {"talk_seconds_ratio", "talk_minutes", "calls", "t", "seconds", "xtalk_seconds"})
    EXPECT_FALSE(is_talk_seconds_column(c)) << c;
}

TEST(CsvSheet, EveryColumnOfTheAnalysesHasWordsInBothLanguages) {
  for (auto c : {"t",
                 "t_b",
                 "calls",
                 "completed",
                 "incomplete",
                 "talk_seconds",
                 "talk_minutes",
                 "mean_talk_seconds",
                 "completion_rate",
                 "busy",
                 "no_answer",
                 "abandoned",
                 "out_of_hours",
                 "area_restricted",
                 "congestion",
                 "other",
                 "pref",
                 "name",
                 "origin",
                 "origin_name",
                 "destination",
                 "destination_name",
                 "an",
                 "busiest_hour",
                 "figure",
                 "value",
                 "peak",
                 "erlangs",
                 "table",
                 "key",
                 "calls_a",
                 "completion_rate_ratio"}) {
    auto ja = column_heading(c, lang::ja);
    auto en = column_heading(c, lang::en);
    EXPECT_NE(ja, c) << c;
    EXPECT_NE(en, c) << c;
    EXPECT_NE(ja, en) << c;
  }
  EXPECT_EQ(column_heading("weird_a", lang::ja), "weird_a") << "unknown names stay as they are";
}

TEST(CsvSheet, CustomerNamedColumnsAndMissingCellsAndQuoting) {
  csv_sheet sheet{{{"t"}, {"talk_seconds"}, {"calls", true}}, {{"2026-11-01", 7322, 5}, {"2026-11-02, 朝"}}};
  EXPECT_EQ(write_csv(sheet, std::nullopt),
            "\xEF\xBB\xBF"
            "t,talk_seconds,calls\r\n2026-11-01,7322,5\r\n\"2026-11-02, 朝\",,\r\n");
  EXPECT_EQ(write_csv(sheet, lang::ja),
            "\xEF\xBB\xBF"
            "期間,通話秒数,通話秒数（時:分:秒）,calls\r\n2026-11-01,7322,2:02:02,5\r\n\"2026-11-02, 朝\",,,\r\n");
}

TEST(CsvSheet, AnEmptySheetIsTheHeaderAlone) {
  csv_sheet sheet{{{"t"}, {"calls"}}, {}};
  EXPECT_EQ(write_csv(sheet, lang::en),
            "\xEF\xBB\xBF"
            "Period,Calls\r\n");
}

}  // namespace
}  // namespace cxs::domain
