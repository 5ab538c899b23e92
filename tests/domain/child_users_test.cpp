// Child IDs (SPEC §15): the POST and PATCH bodies with their fields, the an_groups check, the ANs
// and DNs a limited child sees, the login view, the shapes and the stored form.

#include "domain/child_users.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cxs::domain {
namespace {

using nlohmann::json;

std::vector<std::string> fields_of(const std::vector<field_error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field + ":" + e.code);
  return out;
}

std::vector<field_error> request_errors(const json& body) {
  auto r = parse_child_request(body, lang::en);
  auto* e = std::get_if<std::vector<field_error>>(&r);
  return e ? *e : std::vector<field_error>{};
}

const json good = {
    {"password", "Child1Passw0rd"}, {"email", "c@example.com"}, {"person", "子 太郎"}, {"auth_method", "otp"}};

TEST(ChildRequest, ReadsEveryFieldAndTheGroupsOnce) {
  auto body = good;
  body["an_groups"] = {"a1", "a2", "a1"};
  auto r = std::get<child_request>(parse_child_request(body, lang::en));
  EXPECT_EQ(r.email, "c@example.com");
  EXPECT_EQ(r.person, "子 太郎");
  EXPECT_EQ(r.auth_method, "otp");
  EXPECT_EQ(r.password, "Child1Passw0rd");
  EXPECT_EQ(r.an_groups, (std::vector<std::string>{"a1", "a2"}));
  EXPECT_TRUE(std::get<child_request>(parse_child_request(good, lang::en)).an_groups.empty());
}

TEST(ChildRequest, EveryBrokenRuleNamesItsField) {
  EXPECT_EQ(
      fields_of(request_errors(json::object())),
      (std::vector<std::string>{"password:required", "email:required", "person:required", "auth_method:required"}));
  auto bad = good;
  bad["password"] = "short";
  bad["email"] = "nope";
  bad["person"] = "a\tb";
  bad["auth_method"] = "certificate";  // a child ID has no certificates
  bad["an_groups"] = {1};
  EXPECT_EQ(fields_of(request_errors(bad)),
            (std::vector<std::string>{"password:weak_password", "email:invalid", "person:invalid",
                                      "auth_method:unavailable", "an_groups:invalid"}));
  for (const auto& e : request_errors(bad)) EXPECT_FALSE(e.message.empty()) << e.field;
  EXPECT_EQ(fields_of(request_errors(json::array())), (std::vector<std::string>{":invalid"}));
  auto empty = good;
  empty["person"] = "";
  EXPECT_EQ(fields_of(request_errors(empty)), std::vector<std::string>{"person:required"});  // once
}

TEST(ChildPatch, OnlyTheFieldsGiven) {
  auto p = std::get<child_patch>(parse_child_patch({{"disabled", true}, {"person", "次郎"}}, lang::en));
  EXPECT_EQ(p.disabled, true);
  EXPECT_EQ(p.person, "次郎");
  EXPECT_FALSE(p.email);
  EXPECT_FALSE(p.an_groups);
  auto cleared = std::get<child_patch>(parse_child_patch({{"an_groups", json::array()}}, lang::en));
  ASSERT_TRUE(cleared.an_groups);
  EXPECT_TRUE(cleared.an_groups->empty());
  auto errors = std::get<std::vector<field_error>>(
      parse_child_patch({{"disabled", "yes"}, {"email", "x"}, {"an_groups", "g"}}, lang::en));
  EXPECT_EQ(fields_of(errors), (std::vector<std::string>{"disabled:invalid", "email:invalid", "an_groups:invalid"}));

  child_user c{"Child00001", "MainId0001", "a@example.com", "太郎", "otp", "hash", {"g1"}, false, {2026, 11, 1}};
  apply_child_patch(c, p);
  EXPECT_TRUE(c.disabled);
  EXPECT_EQ(c.person, "次郎");
  EXPECT_EQ(c.an_groups, std::vector<std::string>{"g1"});
  apply_child_patch(c, cleared);
  EXPECT_TRUE(c.an_groups.empty());
}

group_book book_with(std::vector<std::pair<std::string, std::vector<std::string>>> groups) {
  group_book b;
  for (auto& [id, members] : groups) b.put(group_kind::an, {id, id, members});
  return b;
}

TEST(ChildLimit, GroupsMustBeTheAccountsAndGiveTheirANsInTheAccountsOrder) {
  const auto book = book_with({{"east", {"0120000003", "0120000001"}}, {"west", {"0120000002", "0120999999"}}});
  EXPECT_TRUE(check_child_groups({"east", "west"}, book, lang::en).empty());
  auto unknown = check_child_groups({"east", "north"}, book, lang::en);
  ASSERT_EQ(fields_of(unknown), std::vector<std::string>{"an_groups:unknown_group"});
  EXPECT_NE(unknown[0].message.find("north"), std::string::npos);

  const std::vector<std::string> ans{"0120000001", "0120000002", "0120000003"};
  EXPECT_FALSE(allowed_ans({}, book, ans));  // no limit
  EXPECT_EQ(*allowed_ans({"east"}, book, ans), (std::vector<std::string>{"0120000001", "0120000003"}));
  // A member that left the registry matches nothing; a group deleted since selects nothing.
  EXPECT_EQ(*allowed_ans({"west"}, book, ans), std::vector<std::string>{"0120000002"});
  EXPECT_TRUE(allowed_ans({"gone"}, book, ans)->empty());

  opid_numbers current{
      ans, {"0311111111", "0322222222", "0333333333"}, {{"0311111111"}, {"0322222222", "0311111111"}, {"0333333333"}}};
  auto limited = limited_numbers(current, {"0120000002"});
  EXPECT_EQ(limited.ans, std::vector<std::string>{"0120000002"});
  EXPECT_EQ(limited.dns, (std::vector<std::string>{"0322222222", "0311111111"}));
  EXPECT_TRUE(limited_numbers(current, {}).ans.empty());
}

// What a limited child sees of the groups: members cut to its ANs (AN groups) and their DNs (DN
// groups), order kept; a group with none of them is not there at all.
TEST(ChildLimit, GroupsAreCutToTheNumbersSeenAndEmptyOnesHidden) {
  group_book book;
  book.put(group_kind::an, {"a1", "Both", {"0120000002", "0120000001"}});
  book.put(group_kind::an, {"a2", "Other", {"0120000003"}});
  book.put(group_kind::dn, {"d1", "Mixed", {"0333333333", "0322222222", "0311111111"}});
  book.put(group_kind::dn, {"d2", "Far", {"0333333333"}});
  opid_numbers seen{{"0120000001", "0120000002"}, {"0311111111", "0322222222"}, {}};  // the groups' order stays
  const auto cut = limited_groups(book, seen);
  ASSERT_EQ(cut.of(group_kind::an).size(), 1u);
  EXPECT_EQ(cut.of(group_kind::an)[0].members, (std::vector<std::string>{"0120000002", "0120000001"}));
  EXPECT_EQ(cut.of(group_kind::an)[0].name, "Both");
  EXPECT_FALSE(cut.find(group_kind::an, "a2"));
  ASSERT_EQ(cut.of(group_kind::dn).size(), 1u);
  EXPECT_EQ(cut.of(group_kind::dn)[0].members, (std::vector<std::string>{"0322222222", "0311111111"}));
  EXPECT_FALSE(cut.find(group_kind::dn, "d2"));
  EXPECT_TRUE(limited_groups(book, {}).of(group_kind::an).empty());
}

TEST(ChildRecord, LoginViewShapesAndStorage) {
  account main;
  main.id = "MainId0001";
  main.opid = "OPID0001";
  main.plan = "standard";
  main.email = "main@example.com";
  main.person = "主";
  main.department = "営業部";
  main.password_hash = "main-hash";
  child_user c{"Child00001", "MainId0001", "c@example.com", "子", "otp", "child-hash", {"g1"}, false, {2026, 11, 1}};
  auto view = login_view(main, c);
  EXPECT_EQ(view.id, "Child00001");
  EXPECT_EQ(view.main_id, "MainId0001");
  EXPECT_EQ(view.email, "c@example.com");
  EXPECT_EQ(view.person, "子");
  EXPECT_EQ(view.password_hash, "child-hash");
  EXPECT_EQ(view.department, "");
  EXPECT_EQ(view.opid, "OPID0001");
  EXPECT_EQ(view.plan, "standard");

  EXPECT_EQ(child_json(c), (json{{"id", "Child00001"},
                                 {"email", "c@example.com"},
                                 {"person", "子"},
                                 {"auth_method", "otp"},
                                 {"an_groups", {"g1"}},
                                 {"disabled", false},
                                 {"created", "2026-11-01"}}));
  EXPECT_EQ(child_json(c).count("password_hash"), 0u);
  auto later = c;
  later.id = "Child00000";
  later.created = {2026, 11, 2};
  auto listed = children_json({later, c});
  EXPECT_EQ(listed["users"][0]["id"], "Child00001");  // by creation day first

  auto stored = child_from_storage(child_to_storage(c));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->password_hash, "child-hash");
  EXPECT_EQ(stored->main_id, "MainId0001");
  EXPECT_EQ(child_json(*stored), child_json(c));
  EXPECT_FALSE(child_from_storage("{}"));
  EXPECT_FALSE(child_from_storage("not json"));
}

}  // namespace
}  // namespace cxs::domain
