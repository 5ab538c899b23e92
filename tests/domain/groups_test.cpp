// AN and DN groups (SPEC §15 "Groups"): the form's own rules, the account's rules, the listing
// order, the stored form, and the an_group / dn_group filters.

#include "domain/groups.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cxs::domain {
namespace {

using nlohmann::json;

const opid_numbers account{{"0120111111", "0120222222", "0570333333"}, {"0312345678", "0612345678"}, {}};

std::vector<std::string> codes(const std::vector<field_error>& errors, const std::string& field) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    if (e.field == field) out.push_back(e.code);
  return out;
}

std::vector<field_error> form_errors(const json& body) {
  auto r = parse_group(body, lang::en);
  auto* e = std::get_if<std::vector<field_error>>(&r);
  return e ? *e : std::vector<field_error>{};
}

group_change change_of(group_kind kind, std::string name, std::vector<std::string> members,
                       std::optional<std::string> id = std::nullopt) {
  return {kind, std::move(id), {std::move(name), std::move(members)}, lang::en};
}

TEST(GroupForm, NameAndMembersAreReadAsDigitsEachOnce) {
  auto r = parse_group(json{{"name", "東日本"}, {"members", {"0120-111-111", "0120111111", "0120 222222"}}}, lang::ja);
  // A space is not a hyphen: that member is refused, the form is not half read.
  EXPECT_EQ(codes(std::get<std::vector<field_error>>(r), "members"), std::vector<std::string>{"invalid"});
  r = parse_group(json{{"name", "東日本"}, {"members", {"0120-111-111", "0120111111", "0120222222"}}}, lang::ja);
  const auto& form = std::get<group_form>(r);
  EXPECT_EQ(form.name, "東日本");
  EXPECT_EQ(form.members, (std::vector<std::string>{"0120111111", "0120222222"}));
}

TEST(GroupForm, EveryBrokenRuleIsNamed) {
  EXPECT_EQ(codes(form_errors(json::object()), "name"), std::vector<std::string>{"required"});
  EXPECT_EQ(codes(form_errors(json::object()), "members"), std::vector<std::string>{"required"});
  EXPECT_EQ(codes(form_errors({{"name", ""}, {"members", json::array()}}), "members"),
            std::vector<std::string>{"required"});
  // 50 characters (not bytes) are allowed, 51 are not.
  std::string fifty;
  for (int i = 0; i < 50; ++i) fifty += "東";
  EXPECT_TRUE(form_errors({{"name", fifty}, {"members", {"0120111111"}}}).empty());
  EXPECT_EQ(codes(form_errors({{"name", fifty + "x"}, {"members", {"0120111111"}}}), "name"),
            std::vector<std::string>{"too_long"});
  EXPECT_EQ(codes(form_errors({{"name", "a\nb"}, {"members", {"0120111111"}}}), "name"),
            std::vector<std::string>{"invalid"});
  EXPECT_EQ(codes(form_errors({{"name", 5}, {"members", {"0120111111"}}}), "name"),
            std::vector<std::string>{"invalid"});
  EXPECT_EQ(codes(form_errors({{"name", "x"}, {"members", "0120111111"}}), "members"),
            std::vector<std::string>{"invalid"});
  EXPECT_EQ(codes(form_errors({{"name", "x"}, {"members", {12345}}}), "members"), std::vector<std::string>{"invalid"});
  json many = json::array();
  for (int i = 0; i < 1001; ++i) many.push_back("0120111111");
  EXPECT_EQ(codes(form_errors({{"name", "x"}, {"members", many}}), "members"), std::vector<std::string>{"too_many"});
  many.erase(many.begin());
  EXPECT_TRUE(form_errors({{"name", "x"}, {"members", many}}).empty());  // 1,000 entries
  // Messages are in the language asked for.
  auto r = parse_group(json::object(), lang::ja);
  EXPECT_EQ(std::get<std::vector<field_error>>(r)[0].message, "グループ名を入力してください。");
}

TEST(GroupBook, AccountRulesNameTheField) {
  group_book book;
  book.put(group_kind::an, {"a1", "East", {"0120111111"}});
  // Unique per kind: the same name as a DN group is fine; replacing a group keeps its own name.
  EXPECT_EQ(codes(book.check(change_of(group_kind::an, "East", {"0120222222"}), account), "name"),
            std::vector<std::string>{"name_taken"});
  EXPECT_TRUE(book.check(change_of(group_kind::dn, "East", {"0312345678"}), account).empty());
  EXPECT_TRUE(book.check(change_of(group_kind::an, "East", {"0120222222"}, "a1"), account).empty());
  // Members must be the account's numbers of the kind.
  auto errors = book.check(change_of(group_kind::an, "West", {"0120111111", "0120999999"}), account);
  ASSERT_EQ(codes(errors, "members"), std::vector<std::string>{"an_not_in_account"});
  EXPECT_NE(errors[0].message.find("0120999999"), std::string::npos);
  EXPECT_EQ(codes(book.check(change_of(group_kind::an, "West", {"0312345678"}), account), "members"),
            std::vector<std::string>{"an_not_in_account"});  // a DN is not an AN
  EXPECT_EQ(codes(book.check(change_of(group_kind::dn, "West", {"0120111111"}), account), "members"),
            std::vector<std::string>{"dn_not_in_account"});
  // At most 100 groups of a kind; replacing one of them is still allowed.
  for (int i = 2; i <= 100; ++i)
    book.put(group_kind::an,
             {std::string("a").append(std::to_string(i)), std::string("g").append(std::to_string(i)), {}});
  EXPECT_EQ(codes(book.check(change_of(group_kind::an, "101st", {"0120111111"}), account), ""),
            std::vector<std::string>{"too_many"});
  EXPECT_TRUE(book.check(change_of(group_kind::an, "renamed", {"0120111111"}, "a7"), account).empty());
  EXPECT_TRUE(book.check(change_of(group_kind::dn, "first DN group", {"0612345678"}), account).empty());
}

TEST(GroupBook, ListsByNameReplacesAndErasesById) {
  group_book book;
  book.put(group_kind::an, {"z", "北海道", {"0120111111"}});
  book.put(group_kind::an, {"y", "Aomori", {"0120222222"}});
  book.put(group_kind::an, {"x", "Chiba", {"0120222222"}});
  book.put(group_kind::dn, {"w", "DN", {"0312345678"}});
  auto listed = book.listed(group_kind::an);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].name, "Aomori");
  EXPECT_EQ(listed[1].name, "Chiba");
  EXPECT_EQ(listed[2].name, "北海道");  // byte order: ASCII before kanji
  book.put(group_kind::an, {"y", "Zama", {"0120111111"}});
  EXPECT_EQ(book.find(group_kind::an, "y")->name, "Zama");
  EXPECT_EQ(book.of(group_kind::an).size(), 3u);
  EXPECT_FALSE(book.find(group_kind::dn, "y"));
  EXPECT_TRUE(book.erase(group_kind::an, "y"));
  EXPECT_FALSE(book.erase(group_kind::an, "y"));
  EXPECT_EQ(book.of(group_kind::an).size(), 2u);
}

TEST(GroupStorage, RoundTripsAndRefusesDamage) {
  number_group g{"0123456789abcdef", "東日本 \"quoted\"", {"0120111111", "0120222222"}};
  auto back = group_from_storage(g.id, group_to_storage(g));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, g.id);
  EXPECT_EQ(back->name, g.name);
  EXPECT_EQ(back->members, g.members);
  EXPECT_FALSE(group_from_storage("x", "{\"name\":1}"));
  EXPECT_FALSE(group_from_storage("x", "not json"));
  EXPECT_EQ(group_json(g).dump(),
            R"({"id":"0123456789abcdef","members":["0120111111","0120222222"],"name":"東日本 \"quoted\""})");
  EXPECT_EQ(groups_json({}).dump(), R"({"groups":[]})");
}

filters parsed(const query_params& q) {
  auto r = parse_filters(q, {2026, 11, 20}, 24);
  return std::get<filters>(r);
}

TEST(GroupFilters, UnionOfGroupsIntersectedWithNamedNumbers) {
  group_book book;
  book.put(group_kind::an, {"east", "East", {"0120111111", "0120888888"}});  // 0120888888 left the registry
  book.put(group_kind::an, {"west", "West", {"0120222222"}});
  book.put(group_kind::dn, {"tokyo", "Tokyo", {"0312345678"}});

  query_params q{{"an_group", "east,west"}};
  filters f = parsed(q);
  ASSERT_FALSE(apply_group_filters(q, book, account, f));
  EXPECT_EQ(f.ans, (std::vector<std::string>{"0120111111", "0120222222"}));  // the member that left matches nothing
  EXPECT_EQ(f.an_groups, (std::vector<std::string>{"east", "west"}));
  EXPECT_FALSE(f.ans_none);

  q = {{"an_group", "east"}, {"an_group", "west"}, {"an", "0120222222,0570333333"}};
  f = parsed(q);
  ASSERT_FALSE(apply_group_filters(q, book, account, f));
  EXPECT_EQ(f.ans, std::vector<std::string>{"0120222222"});

  q = {{"an_group", "east"}, {"an", "0570333333"}};
  f = parsed(q);
  ASSERT_FALSE(apply_group_filters(q, book, account, f));
  EXPECT_TRUE(f.ans.empty());
  EXPECT_TRUE(f.ans_none);  // not "every AN"

  q = {{"dn_group", "tokyo"}};
  f = parsed(q);
  ASSERT_FALSE(apply_group_filters(q, book, account, f));
  EXPECT_EQ(f.dns, std::vector<std::string>{"0312345678"});
  EXPECT_TRUE(f.ans.empty());
  EXPECT_FALSE(f.ans_none);
}

TEST(GroupFilters, AnUnknownIdNamesItsParameter) {
  group_book book;
  book.put(group_kind::an, {"east", "East", {"0120111111"}});
  for (const char* param : {"an_group", "dn_group"}) {
    query_params q{{param, "east,nope"}};
    filters f = parsed(q);
    auto e = apply_group_filters(q, book, account, f);
    if (std::string(param) == "an_group") {
      ASSERT_TRUE(e);
      EXPECT_EQ(e->field, "an_group");
      EXPECT_NE(e->message.find("nope"), std::string::npos);
    } else {
      ASSERT_TRUE(e);  // "east" is an AN group, not a DN group
      EXPECT_EQ(e->field, "dn_group");
    }
  }
  EXPECT_TRUE(names_group_filter({{"dn_group", "x"}}));
  EXPECT_FALSE(names_group_filter({{"an_group", ""}, {"an", "0120111111"}}));
}

}  // namespace
}  // namespace cxs::domain
