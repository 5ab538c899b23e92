// Child IDs (子ID, SPEC §15): logins a standard account's main ID gives its colleagues. Each has
// its own ID, password, mail address, second factor, lockout and single session, and may be
// limited to the ANs of some AN groups; it sees the account's analyses, groups and custom data
// and changes none of them (nor users, plan or billing).
//
// Decisions where the spec is silent (docs/api.md, "Child IDs"):
// - A child's ID is a CX Support ID like a main one (10 letters and digits), unique among both.
// - `auth_method` is required, `otp` (a child ID has no certificates: `unavailable`); `person`
//   and `email` follow the rules of the account's own fields.
// - `an_groups` names AN groups of the account (`unknown_group` otherwise); empty or absent = every
//   AN. A group deleted later stays in the list and selects nothing: a child never sees more
//   because a group went away.
// - A limited child sees each group cut to its ANs and their DNs; a group with none of them is
//   hidden (404 on its own, 400 as a filter, like an unknown ID).
// - PATCH answers the user; DELETE and disabling end the child's session and its pending login.
#pragma once

#include "domain/account.hpp"
#include "domain/groups.hpp"
#include "domain/messages.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxs::domain {

inline constexpr std::size_t children_max = 50;

struct child_user {
  std::string id;       // its own CX Support ID
  std::string main_id;  // the account's main ID
  std::string email, person, auth_method, password_hash;
  std::vector<std::string> an_groups;  // AN group IDs; empty = every AN of the account
  bool disabled = false;
  civil_date created{};
};

// POST /api/users: every field but an_groups required; the password still plain.
struct child_request {
  std::string password, email, person, auth_method;
  std::vector<std::string> an_groups;
};
std::variant<child_request, std::vector<field_error>> parse_child_request(const nlohmann::json& body, lang l);

// PATCH /api/users/{id}: the fields given.
struct child_patch {
  std::optional<bool> disabled;
  std::optional<std::vector<std::string>> an_groups;
  std::optional<std::string> email, person;
};
std::variant<child_patch, std::vector<field_error>> parse_child_patch(const nlohmann::json& body, lang l);

// an_groups errors: an ID that is no AN group of the account (unknown_group).
std::vector<field_error> check_child_groups(const std::vector<std::string>& an_groups, const group_book& groups,
                                            lang l);
void apply_child_patch(child_user& c, const child_patch& p);

// The ANs a child may see: the members of its groups among the account's ANs now; nullopt when
// it is not limited (no an_groups).
std::optional<std::vector<std::string>> allowed_ans(const std::vector<std::string>& an_groups, const group_book& groups,
                                                    const std::vector<std::string>& ans);
// The account's numbers as a limited child sees them: its ANs and the DNs registered to them.
opid_numbers limited_numbers(const opid_numbers& current, const std::vector<std::string>& ans);
// The account's groups as a limited child sees them (its list and its group filters alike): each
// group's members cut to the numbers it sees (`seen`, from limited_numbers: its ANs for an AN
// group, their DNs for a DN group), and a group left with no member not at all, so a child is
// shown nothing, not even a name, outside its ANs.
group_book limited_groups(const group_book& groups, const opid_numbers& seen);

// What the login steps (password, second factor, lockout, reissue, settings) read of a child:
// the main record with the child's ID, contact fields, auth method and password hash, and
// main_id set. Never stored.
account login_view(const account& main, const child_user& child);

// {"id","email","person","auth_method","an_groups","disabled","created"}, and the list
// {"users":[…]} sorted by creation day then ID.
nlohmann::json child_json(const child_user& c);
nlohmann::json children_json(std::vector<child_user> list);

std::string child_to_storage(const child_user& c);
std::optional<child_user> child_from_storage(std::string_view value);

}  // namespace cxs::domain
