// Custom data sets (SPEC §15 "Custom data"): point times of the three kinds, the body's rules
// with their fields, the account's rules, the shapes, the stored form and retention.

#include "domain/custom_data.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cxs::domain {
namespace {

using nlohmann::json;

std::vector<std::string> codes(const std::vector<field_error>& errors, const std::string& field) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    if (e.field == field) out.push_back(e.code);
  return out;
}

std::vector<field_error> errors_of(const json& body) {
  auto r = parse_custom(body, lang::en);
  auto* e = std::get_if<std::vector<field_error>>(&r);
  return e ? *e : std::vector<field_error>{};
}

custom_form form_of(const json& body) { return std::get<custom_form>(parse_custom(body, lang::en)); }

TEST(CustomPointTime, ThreeKindsReadAndWrittenTheSameWay) {
  for (const char* s : {"2026-11", "2026-11-01", "2026-11-01T09", "2024-02-29", "2026-12-31T23"}) {
    auto t = parse_point_time(s);
    ASSERT_TRUE(t) << s;
    EXPECT_EQ(format_point_time(*t), s);
  }
  EXPECT_EQ(parse_point_time("2026-11")->kind, point_kind::month);
  EXPECT_EQ(parse_point_time("2026-11-01")->kind, point_kind::day);
  EXPECT_EQ(parse_point_time("2026-11-01T09")->hour, 9);
  for (const char* s : {"", "2026", "2026-13", "2026-00", "2026-11-31", "2025-02-29", "2026-11-01T24", "2026-11-01 09",
                        "2026-11-01T9", "26-11-01", "2026/11/01", "2026-11-01T09:00", "1969-12"})
    EXPECT_FALSE(parse_point_time(s)) << s;
  EXPECT_LT(*parse_point_time("2026-11-01T09"), *parse_point_time("2026-11-01T10"));
  EXPECT_LT(*parse_point_time("2026-10-31"), *parse_point_time("2026-11-01"));
}

TEST(CustomForm, ReadsNameUnitAndPointsInTheirOrder) {
  auto f = form_of({{"name", "来店数"},
                    {"unit", "人"},
                    {"points", {{{"t", "2026-11-02"}, {"value", 3}}, {{"t", "2026-11-01"}, {"value", 12.5}}}}});
  EXPECT_EQ(f.name, "来店数");
  EXPECT_EQ(f.unit, "人");
  ASSERT_EQ(f.points.size(), 2u);
  EXPECT_EQ(format_point_time(f.points[0].t), "2026-11-02");
  EXPECT_DOUBLE_EQ(f.points[1].value, 12.5);
  // Unit and points may be left out.
  auto bare = form_of({{"name", "x"}});
  EXPECT_TRUE(bare.unit.empty());
  EXPECT_TRUE(bare.points.empty());
  // The set a change makes is sorted by time.
  auto set = make_custom_set("id", f);
  EXPECT_EQ(format_point_time(set.points[0].t), "2026-11-01");
}

TEST(CustomForm, EveryBrokenRuleNamesItsField) {
  EXPECT_EQ(codes(errors_of(json::object()), "name"), std::vector<std::string>{"required"});
  EXPECT_EQ(codes(errors_of({{"name", std::string(51, 'x')}}), "name"), std::vector<std::string>{"too_long"});
  EXPECT_EQ(codes(errors_of({{"name", "a\nb"}}), "name"), std::vector<std::string>{"invalid"});
  EXPECT_EQ(codes(errors_of({{"name", "x"}, {"unit", std::string(21, 'u')}}), "unit"),
            std::vector<std::string>{"too_long"});
  EXPECT_TRUE(
      errors_of({{"name", "x"}, {"unit", "円円円円円円円円円円円円円円円円円円円円"}}).empty());  // 20 characters
  EXPECT_EQ(codes(errors_of({{"name", "x"}, {"points", "many"}}), "points"), std::vector<std::string>{"invalid"});
  const auto bad = errors_of({{"name", "x"},
                              {"points",
                               {{{"t", "2026-11-01"}, {"value", 1}},
                                {{"t", "2026-11-01T09"}, {"value", 1}},
                                {{"t", "2026-11-31"}, {"value", "3"}},
                                {{"value", 1}},
                                {{"t", "2026-11-02"}},
                                7}}});
  EXPECT_EQ(codes(bad, "points[1].t"), std::vector<std::string>{"kind_mismatch"});
  EXPECT_EQ(codes(bad, "points[2].t"), std::vector<std::string>{"invalid"});
  EXPECT_EQ(codes(bad, "points[2].value"), std::vector<std::string>{"invalid"});
  EXPECT_EQ(codes(bad, "points[3].t"), std::vector<std::string>{"required"});
  EXPECT_EQ(codes(bad, "points[4].value"), std::vector<std::string>{"required"});
  EXPECT_EQ(codes(bad, "points[5].t"), std::vector<std::string>{"invalid"});
  // The message of a point's field is that of every point, in the language asked for.
  auto ja = std::get<std::vector<field_error>>(
      parse_custom({{"name", "x"}, {"points", {{{"t", "x"}, {"value", 1}}}}}, lang::ja));
  EXPECT_NE(ja[0].message.find("2026-11-01T09"), std::string::npos);
  // Two points at the same time.
  const auto dup =
      errors_of({{"name", "x"}, {"points", {{{"t", "2026-11"}, {"value", 1}}, {{"t", "2026-11"}, {"value", 2}}}}});
  ASSERT_EQ(codes(dup, "points"), std::vector<std::string>{"duplicate"});
  EXPECT_NE(dup[0].message.find("2026-11"), std::string::npos);
  json many = json::array();
  for (int i = 0; i < 20001; ++i) many.push_back({{"t", "2026-11-01"}, {"value", i}});
  EXPECT_EQ(codes(errors_of({{"name", "x"}, {"points", many}}), "points"), std::vector<std::string>{"too_many"});
}

TEST(CustomBook, AccountRulesRetentionAndListing) {
  custom_book book;
  const civil_date today{2026, 11, 20};
  const auto change = [](std::string name, std::vector<custom_point> points, std::optional<std::string> id = {}) {
    return custom_change{std::move(id), {std::move(name), "", std::move(points)}, lang::en};
  };
  const auto at = [](const char* t, double v) { return custom_point{*parse_point_time(t), v}; };
  book.put(make_custom_set("b", {"Sales", "円", {at("2026-11-01", 5), at("2025-01-31", 1)}}));
  book.put(make_custom_set("a", {"Staff", "人", {}}));
  EXPECT_EQ(codes(book.check(change("Sales", {}), today), "name"), std::vector<std::string>{"name_taken"});
  EXPECT_TRUE(book.check(change("Sales", {}, "b"), today).empty());  // a set keeps its own name
  // The window of 24 months starts on 2024-12-01.
  const auto old = book.check(change("x", {at("2026-01", 1), at("2024-11-30", 1), at("2024-12", 1)}), today);
  EXPECT_EQ(codes(old, "points[1].t"), std::vector<std::string>{"too_old"});
  EXPECT_EQ(old.size(), 1u);
  for (int i = 0; i < 48; ++i)
    book.put(make_custom_set(std::string("s").append(std::to_string(i)),
                             {std::string("n").append(std::to_string(i)), "", {}}));
  EXPECT_EQ(codes(book.check(change("one more", {}), today), ""), std::vector<std::string>{"too_many_sets"});

  auto listed = book.listed();
  ASSERT_EQ(listed.size(), 50u);
  EXPECT_EQ(listed[0].name, "Sales");  // "S" < "n" in byte order
  EXPECT_EQ(listed[0].points, 2u);
  EXPECT_EQ(format_point_time(*listed[0].first), "2025-01-31");
  EXPECT_EQ(format_point_time(*listed[0].last), "2026-11-01");
  EXPECT_FALSE(listed[1].first);  // Staff: no points

  EXPECT_EQ(book.drop_before({2025, 2, 1}), std::vector<std::string>{"b"});
  EXPECT_EQ(book.find("b")->points.size(), 1u);
  EXPECT_TRUE(book.drop_before({2025, 2, 1}).empty());
  EXPECT_TRUE(book.erase("b"));
  EXPECT_FALSE(book.erase("b"));
}

TEST(CustomStorage, RoundTripsShapesAndRefusesDamage) {
  custom_set s{"0123456789abcdef",
               "来店数",
               "人",
               {{*parse_point_time("2026-11-01"), 12.5}, {*parse_point_time("2026-11-02"), 3}}};
  auto back = custom_from_storage(s.id, custom_to_storage(s));
  ASSERT_TRUE(back);
  EXPECT_EQ(custom_set_json(*back), custom_set_json(s));
  EXPECT_EQ(
      custom_set_json(s).dump(),
      R"({"id":"0123456789abcdef","name":"来店数","points":[{"t":"2026-11-01","value":12.5},{"t":"2026-11-02","value":3}],"unit":"人"})");
  EXPECT_FALSE(custom_from_storage("x", "[]"));
  EXPECT_FALSE(custom_from_storage("x", R"({"name":"a","unit":"","points":[["2026-13",1]]})"));
  custom_book book;
  book.put(s);
  EXPECT_EQ(
      custom_list_json(book.listed()).dump(),
      R"({"sets":[{"first":"2026-11-01","id":"0123456789abcdef","last":"2026-11-02","name":"来店数","points":2,"unit":"人"}]})");
}

custom_set set_of(std::vector<std::pair<const char*, double>> points) {
  custom_set s{"id", "name", "unit", {}};
  for (auto [t, v] : points) s.points.push_back({*parse_point_time(t), v});
  return s;
}

std::vector<std::optional<double>> values(std::vector<std::optional<double>> v) { return v; }

TEST(CustomOverlay, SumsInsideABucketAndPutsCoarserPointsOnTheBucketStartingTheirPeriod) {
  const std::vector<std::string> days{"2026-10-31", "2026-11-01", "2026-11-02"};
  // As fine as the buckets: the point itself; none: null.
  EXPECT_EQ(overlay(set_of({{"2026-11-01", 2.5}, {"2026-11-05", 9}}), days), values({std::nullopt, 2.5, std::nullopt}));
  // Finer: the sum of the hours of each day.
  EXPECT_EQ(overlay(set_of({{"2026-10-31T23", 1}, {"2026-11-01T00", 2}, {"2026-11-01T13", 3}}), days),
            values({1.0, 5.0, std::nullopt}));
  // Coarser: a month only on the day that starts it.
  EXPECT_EQ(overlay(set_of({{"2026-10", 100}, {"2026-11", 200}}), days), values({std::nullopt, 200.0, std::nullopt}));
  // Months: days summed per month; hours: a day only on its 00 hour; minutes: an hour on its :00.
  EXPECT_EQ(
      overlay(set_of({{"2026-10-30", 1}, {"2026-10-31", 2}, {"2026-11-15", 4}}), {"2026-10", "2026-11", "2026-12"}),
      values({3.0, 4.0, std::nullopt}));
  EXPECT_EQ(overlay(set_of({{"2026-11-01", 7}}), {"2026-10-31T23", "2026-11-01T00", "2026-11-01T01"}),
            values({std::nullopt, 7.0, std::nullopt}));
  EXPECT_EQ(overlay(set_of({{"2026-11-01T09", 4}, {"2026-11-01T10", 5}}), {"2026-11-01T09:00", "2026-11-01T09:01"}),
            values({4.0, std::nullopt}));
  // Negative and fractional values add up as numbers; no labels, no buckets.
  EXPECT_EQ(overlay(set_of({{"2026-11-01T01", -1.5}, {"2026-11-01T02", 0.25}}), days),
            values({std::nullopt, -1.25, std::nullopt}));
  EXPECT_TRUE(overlay(set_of({{"2026-11-01", 1}}), {}).empty());
  EXPECT_EQ(
      overlay_json(set_of({{"2026-11-01", 1}}), {"2026-11-01", "2026-11-02"}).dump(),
      R"({"id":"id","name":"name","series":[{"t":"2026-11-01","value":1},{"t":"2026-11-02","value":null}],"unit":"unit"})");
}

TEST(CustomCopy, AFromAnalysisBodyAndThePointsOfItsAnswer) {
  auto f = form_of(json::parse(R"({"name":"Copy","from_analysis":{"name":"traffic","figure":"calls",
      "filters":{"from":"2026-11-01","an":["0120111111","0120222222"],"gos":0.05}}})"));
  ASSERT_TRUE(f.from_analysis);
  EXPECT_EQ(f.from_analysis->name, "traffic");
  EXPECT_EQ(f.from_analysis->figure, "calls");
  EXPECT_EQ(f.from_analysis->filters, (std::vector<std::pair<std::string, std::string>>{
                                          {"an", "0120111111,0120222222"}, {"from", "2026-11-01"}, {"gos", "0.05"}}));
  for (const json& bad :
       {json{{"name", "x"}, {"points", json::array()}, {"from_analysis", {{"name", "traffic"}, {"figure", "calls"}}}},
        json{{"name", "x"}, {"from_analysis", {{"figure", "calls"}}}},
        json{{"name", "x"}, {"from_analysis", {{"name", "traffic"}, {"figure", "calls"}, {"filters", "from=x"}}}},
        json{{"name", "x"}, {"from_analysis", "traffic"}}})
    EXPECT_EQ(codes(errors_of(bad), "from_analysis"), std::vector<std::string>{"invalid"}) << bad.dump();

  const analysis_copy calls{"traffic", "calls", {}}, rate{"traffic", "completion_rate", {}},
      nothing{"traffic", "nope", {}};
  const std::string answer =
      R"({"series":[{"t":"2026-11-01","calls":3,"completion_rate":null},{"t":"2026-11-02","calls":0,"completion_rate":0.5}]})";
  auto points = std::get<std::vector<custom_point>>(points_from_answer(calls, answer, lang::en));
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(format_point_time(points[0].t), "2026-11-01");
  EXPECT_DOUBLE_EQ(points[0].value, 3);
  EXPECT_EQ(std::get<std::vector<custom_point>>(points_from_answer(rate, answer, lang::en)).size(), 1u);  // null: none
  EXPECT_EQ(
      codes(std::get<std::vector<field_error>>(points_from_answer(nothing, answer, lang::en)), "from_analysis.figure"),
      std::vector<std::string>{"invalid"});
  EXPECT_EQ(codes(std::get<std::vector<field_error>>(points_from_answer(calls, R"({"rows":[]})", lang::en)),
                  "from_analysis.figure"),
            std::vector<std::string>{"invalid"});
  EXPECT_EQ(codes(std::get<std::vector<field_error>>(
                      points_from_answer(calls, R"({"series":[{"t":"2026-11-01T09:05","calls":1}]})", lang::en)),
                  "from_analysis.filters"),
            std::vector<std::string>{"minute"});
  // A failure of the analysis names the field it belongs to, with its reason.
  EXPECT_EQ(copy_error(false, fail(error_code::not_found, "no analysis"), lang::en).field, "from_analysis.name");
  failure bad_from = fail(error_code::invalid_parameter, "from is not a date");
  bad_from.field = "from";
  const auto e = copy_error(true, bad_from, lang::en);
  EXPECT_EQ(e.field, "from_analysis.filters");
  EXPECT_NE(e.message.find("from: from is not a date"), std::string::npos);
  // In Japanese the reason is the parameter's name alone: no English on a Japanese page.
  EXPECT_EQ(copy_error(true, bad_from, lang::ja).message, "コピー元の分析の条件が正しくありません。（from）");
}

}  // namespace
}  // namespace cxs::domain
