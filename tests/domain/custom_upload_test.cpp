// A custom data set uploaded as CSV (SPEC §15): encodings (UTF-8 with or without BOM, CP932 made
// by iconv, auto), CRLF, the three headers, every line rule with its line and field, partial
// readings, and the limits.

#include "domain/custom_upload.hpp"
#include "domain/text.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

const civil_date today{2026, 11, 15};

custom_upload file(std::string bytes, text_encoding enc = text_encoding::automatic) {
  custom_upload u;
  u.name = "来店数";
  u.unit = "人";
  u.encoding = enc;
  u.bytes = std::move(bytes);
  u.language = lang::en;
  return u;
}

// "line:field:code" of every error.
std::vector<std::string> errors_of(const upload_reading& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors) out.push_back(std::to_string(e.line) + ":" + e.field + ":" + e.code);
  return out;
}

TEST(CustomUpload, ReadsUtf8WithTheThreeHeaders) {
  for (const char* header : {"t,value", "date,value", "日付,値", "T,Value", " date , value "}) {
    auto r = read_custom_upload(file(std::string(header) + "\n2026-11-01,12.5\n2026-11-02,3\n"), today);
    SCOPED_TRACE(header);
    EXPECT_TRUE(r.errors.empty()) << errors_of(r).front();
    ASSERT_EQ(r.form.points.size(), 2u);
    EXPECT_EQ(format_point_time(r.form.points[0].t), "2026-11-01");
    EXPECT_DOUBLE_EQ(r.form.points[0].value, 12.5);
    EXPECT_EQ(r.form.name, "来店数");
    EXPECT_EQ(r.form.unit, "人");
  }
}

TEST(CustomUpload, CrlfBomAndBlankLines) {
  auto r = read_custom_upload(file("\xEF\xBB\xBFt,value\r\n2026-11-01,1\r\n\r\n2026-11-02,2\r\n"), today);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.form.points.size(), 2u);
  auto forced = read_custom_upload(file("\xEF\xBB\xBFt,value\n2026-11-01,1\n", text_encoding::utf8), today);
  EXPECT_TRUE(forced.errors.empty());
  EXPECT_EQ(forced.form.points.size(), 1u);
}

TEST(CustomUpload, ShiftJisIsReadAsCp932ByAutoAndWhenAsked) {
  // 日付,値 / 2026-11-01,5 in CP932 (Python: "日付,値".encode("cp932") == b"\x93\xfa\x95t,\x92l").
  const std::string sjis = "\x93\xfa\x95t,\x92l\r\n2026-11-01,5\r\n";
  ASSERT_EQ(to_utf8(sjis, "CP932"), std::optional<std::string>("日付,値\r\n2026-11-01,5\r\n"));
  for (auto enc : {text_encoding::automatic, text_encoding::shift_jis}) {
    auto r = read_custom_upload(file(sjis, enc), today);
    EXPECT_TRUE(r.errors.empty());
    ASSERT_EQ(r.form.points.size(), 1u);
    EXPECT_DOUBLE_EQ(r.form.points[0].value, 5);
  }
  // Asked to read it as UTF-8, the header cannot be read: the whole file is refused.
  auto wrong = read_custom_upload(file(sjis, text_encoding::utf8), today);
  EXPECT_TRUE(wrong.whole_file_refused);
  EXPECT_EQ(errors_of(wrong), std::vector<std::string>{"1:line:header"});
}

TEST(CustomUpload, ALineThatIsNotTextInTheEncodingIsItsOwnError) {
  auto r = read_custom_upload(file("t,value\n2026-11-01,1\n2026-11-02,\xff\xfe\n2026-11-03,3\n", text_encoding::utf8),
                              today);
  EXPECT_FALSE(r.whole_file_refused);
  EXPECT_EQ(errors_of(r), std::vector<std::string>{"3:line:encoding"});
  EXPECT_EQ(r.form.points.size(), 2u);
}

TEST(CustomUpload, EveryLineRuleNamesItsLineAndField) {
  const std::string csv =
      "t,value\n"
      "2026-11-01,1\n"     // 2 good: sets the kind (days)
      "2026-13-01,1\n"     // 3 t invalid
      "2026-11-02,abc\n"   // 4 value invalid
      "2026-11,1\n"        // 5 t kind_mismatch
      "2026-11-01,2\n"     // 6 t duplicate
      "2024-01-01,1\n"     // 7 t too_old (before 2024-12-01)
      "2026-11-03\n"       // 8 line columns
      ",4\n"               // 9 t required
      "2026-11-04,\n"      // 10 value required
      "2026-11-05,1,2\n"   // 11 line columns
      "\"2026-11-06,1\n"   // 12 line columns (an open quote)
      "2026-11-07,inf\n"   // 13 value invalid
      "2026-11-08,1e3\n";  // 14 good
  auto r = read_custom_upload(file(csv), today);
  EXPECT_EQ(errors_of(r),
            (std::vector<std::string>{"3:t:invalid", "4:value:invalid", "5:t:kind_mismatch", "6:t:duplicate",
                                      "7:t:too_old", "8:line:columns", "9:t:required", "10:value:required",
                                      "11:line:columns", "12:line:columns", "13:value:invalid"}));
  ASSERT_EQ(r.form.points.size(), 2u);
  EXPECT_DOUBLE_EQ(r.form.points[1].value, 1000);
  EXPECT_FALSE(r.whole_file_refused);
  for (const auto& e : r.errors) EXPECT_FALSE(e.message.empty()) << e.line;
}

TEST(CustomUpload, ExcelStyleTimesAndNumbers) {
  auto days =
      read_custom_upload(file("日付,値\n2026/1/5,\"1,234\"\n\"2026/11/01\",\"-2,000.5\"\n2026-11-02,+7\n"), today);
  EXPECT_TRUE(days.errors.empty()) << errors_of(days).front();
  ASSERT_EQ(days.form.points.size(), 3u);
  EXPECT_EQ(format_point_time(days.form.points[0].t), "2026-01-05");
  EXPECT_DOUBLE_EQ(days.form.points[0].value, 1234);
  EXPECT_DOUBLE_EQ(days.form.points[1].value, -2000.5);
  EXPECT_DOUBLE_EQ(days.form.points[2].value, 7);

  auto hours = read_custom_upload(file("t,value\n2026/11/01 9:00,1\n2026-11-01 10,2\n2026-11-01T11,3\n"), today);
  EXPECT_TRUE(hours.errors.empty()) << errors_of(hours).front();
  ASSERT_EQ(hours.form.points.size(), 3u);
  EXPECT_EQ(format_point_time(hours.form.points[0].t), "2026-11-01T09");

  auto months = read_custom_upload(file("t,value\n2026/11,1\n2026-10,2\n"), today);
  EXPECT_TRUE(months.errors.empty());
  EXPECT_EQ(months.form.points[0].t.kind, point_kind::month);

  auto bad = read_custom_upload(file("t,value\n2026/11/01 9:30,1\n2026-11-02,\"12,34\"\n2026-11-03,1.2,3\n"), today);
  EXPECT_EQ(errors_of(bad), (std::vector<std::string>{"2:t:invalid", "3:value:invalid", "4:line:columns"}));
}

TEST(CustomUpload, AHeaderThatCannotBeReadRefusesTheWholeFile) {
  for (const char* csv : {"", "\n\n", "time,amount\n2026-11-01,1\n", "2026-11-01,1\n", "t,value,x\n"}) {
    auto r = read_custom_upload(file(csv), today);
    SCOPED_TRACE(csv);
    EXPECT_TRUE(r.whole_file_refused);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].field, "line");
    EXPECT_EQ(r.errors[0].code, "header");
    EXPECT_TRUE(r.form.points.empty());
  }
  // The first line that is not blank is the header.
  auto later = read_custom_upload(file("\n\nx,y\n"), today);
  EXPECT_EQ(errors_of(later), std::vector<std::string>{"3:line:header"});
}

TEST(CustomUpload, NameAndUnitFollowTheSetsRules) {
  auto u = file("t,value\n2026-11-01,1\n");
  u.name = "";
  u.unit = std::string(21, 'x');
  auto r = read_custom_upload(u, today);
  EXPECT_TRUE(r.whole_file_refused);
  EXPECT_EQ(errors_of(r), (std::vector<std::string>{"0:name:required", "0:unit:too_long"}));
}

TEST(CustomUpload, AtMostTwentyThousandPointsAndAThousandErrorsListed) {
  std::string csv = "t,value\n";
  civil_date d{2024, 12, 1};
  for (std::size_t i = 0; i < custom_points_max + 2; ++i) {
    const int hour = static_cast<int>(i % 24);
    if (i > 0 && hour == 0) d = add_days(d, 1);
    csv += format_date(d) + (hour < 10 ? "T0" : "T") + std::to_string(hour) + ",1\n";
  }
  auto r = read_custom_upload(file(csv), today);
  EXPECT_EQ(r.form.points.size(), custom_points_max);
  EXPECT_EQ(errors_of(r), (std::vector<std::string>{"20002:line:too_many", "20003:line:too_many"}));

  std::string broken = "t,value\n";
  for (int i = 0; i < 1500; ++i) broken += "x,1\n";
  auto many = read_custom_upload(file(broken), today);
  ASSERT_EQ(many.errors.size(), custom_upload_errors_max + 1);
  EXPECT_EQ(many.errors.back().code, "too_many_errors");
  EXPECT_NE(many.errors.back().message.find("(500)"), std::string::npos) << many.errors.back().message;
}

TEST(CustomUpload, EncodingNames) {
  EXPECT_EQ(parse_text_encoding("auto"), text_encoding::automatic);
  EXPECT_EQ(parse_text_encoding("UTF-8"), text_encoding::utf8);
  EXPECT_EQ(parse_text_encoding("shift_jis"), text_encoding::shift_jis);
  EXPECT_EQ(parse_text_encoding("CP932"), text_encoding::shift_jis);
  EXPECT_FALSE(parse_text_encoding("latin1"));
  EXPECT_FALSE(parse_text_encoding(""));
}

}  // namespace
}  // namespace cxs::domain
