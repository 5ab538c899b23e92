// AN groups and DN groups a standard account defines (SPEC §15 "Groups"), and the `an_group` /
// `dn_group` filters they give every analysis.
//
// Decisions where the spec is silent (docs/api.md, "Groups"):
// - A group's ID is 16 lower-case hex characters (64 random bits), so the ID of another account's
//   group is never one of this account's (it answers 404).
// - Members are stored as digits, in the order given, each once; a number given twice counts once.
// - The whole form is checked and every broken rule reported: `name` (required, too_long,
//   invalid for control characters, name_taken), `members` (required when empty or absent,
//   invalid for an entry that is not a number, too_many beyond 1,000, an_not_in_account /
//   dn_not_in_account, the message naming the first such number), and "" with too_many for the
//   101st group of a kind.
#pragma once

#include "domain/errors.hpp"
#include "domain/filters.hpp"
#include "domain/messages.hpp"
#include "domain/registry.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cxs::domain {

enum class group_kind : uint8_t { an = 0, dn = 1 };
std::string_view group_kind_name(group_kind k);  // "an", "dn"

inline constexpr std::size_t group_name_max_length = 50;  // characters
inline constexpr std::size_t group_max_members = 1000;
inline constexpr std::size_t groups_per_kind_max = 100;

struct number_group {
  std::string id;
  std::string name;
  std::vector<std::string> members;  // digits
};

// A POST or PUT body after its own rules (name, members as numbers), before the account's.
struct group_form {
  std::string name;
  std::vector<std::string> members;  // digits, each once, in the order given
};

std::variant<group_form, std::vector<field_error>> parse_group(const nlohmann::json& body, lang l);

// A create (no id) or a replace (id) of one group, as the account actor receives it.
struct group_change {
  group_kind kind = group_kind::an;
  std::optional<std::string> id;
  group_form form;
  lang language = lang::ja;
};

// The account's groups of both kinds.
class group_book {
 public:
  const std::vector<number_group>& of(group_kind k) const { return k == group_kind::an ? an_ : dn_; }
  const number_group* find(group_kind k, std::string_view id) const;
  // Sorted by name (then ID), as GET lists them.
  std::vector<number_group> listed(group_kind k) const;

  // The account's rules on a form (SPEC §15): members in the account's numbers now, the name unique
  // among the other groups of the kind, at most 100 of a kind. Every broken rule, in field order.
  std::vector<field_error> check(const group_change& change, const opid_numbers& current) const;

  void put(group_kind k, number_group g);  // adds, or replaces the group with g's ID
  bool erase(group_kind k, std::string_view id);
  void clear() { an_.clear(), dn_.clear(); }

 private:
  std::vector<number_group>& kind_list(group_kind k) { return k == group_kind::an ? an_ : dn_; }
  std::vector<number_group> an_, dn_;
};

// {"id","name","members"} and {"groups":[…]}.
nlohmann::json group_json(const number_group& g);
nlohmann::json groups_json(const std::vector<number_group>& groups);

// The stored value of a group (column family `groups`): {"name","members"} as JSON.
std::string group_to_storage(const number_group& g);
std::optional<number_group> group_from_storage(std::string id, std::string_view value);

// Applies `an_group` and `dn_group` (comma lists, repetition: the union) to filters already
// parsed: the members that are numbers of the account now, intersected with `an` / `dn` when
// those were given; a selection that leaves nothing sets `f.numbers_none`. An unknown ID is an
// error naming its parameter. The caller checks the plan first.
std::optional<param_error> apply_group_filters(const query_params& params, const group_book& groups,
                                               const opid_numbers& current, filters& f);

// True when the query names an_group or dn_group (standard-plan filters).
bool names_group_filter(const query_params& params);

}  // namespace cxs::domain
