#include "domain/groups.hpp"
#include "domain/by_id.hpp"
#include "domain/text.hpp"

#include "domain/numbers.hpp"
#include "domain/signup.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cxs::domain {

namespace {

using nlohmann::json;

bool contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// The catalogue keeps a group form's messages under "group.<field>" (a custom data set has a
// `name` too, with other words).
field_error field_fail(const char* field, const char* code, lang l) {
  return {field, code, field_message(std::string("group.") + field, code, l)};
}

}  // namespace

std::string_view group_kind_name(group_kind k) { return k == group_kind::an ? "an" : "dn"; }

std::variant<group_form, std::vector<field_error>> parse_group(const json& body, lang l) {
  std::vector<field_error> errors;
  if (!body.is_object()) return std::vector<field_error>{{"", "invalid", field_message("", "invalid", l)}};
  group_form form;

  const auto name = body.find("name");
  if (name == body.end() || name->is_null() || (name->is_string() && name->get_ref<const std::string&>().empty()))
    errors.push_back(field_fail("name", "required", l));
  else if (!name->is_string() || has_control_chars(name->get_ref<const std::string&>()))
    errors.push_back(field_fail("name", "invalid", l));
  else if (utf8_length(name->get_ref<const std::string&>()) > group_name_max_length)
    errors.push_back(field_fail("name", "too_long", l));
  else
    form.name = name->get<std::string>();

  const auto members = body.find("members");
  if (members == body.end() || members->is_null() || (members->is_array() && members->empty())) {
    errors.push_back(field_fail("members", "required", l));
  } else if (!members->is_array()) {
    errors.push_back(field_fail("members", "invalid", l));
  } else if (members->size() > group_max_members) {
    errors.push_back(field_fail("members", "too_many", l));
  } else {
    for (const json& m : *members) {
      const std::string digits = m.is_string() ? strip_hyphens(m.get_ref<const std::string&>()) : std::string{};
      if (digits.empty() || digits.size() > jp_phone_max_digits || !is_all_digits(digits)) {
        errors.push_back(field_fail("members", "invalid", l));
        break;
      }
      if (!contains(form.members, digits)) form.members.push_back(digits);
    }
  }
  if (!errors.empty()) return errors;
  return form;
}

const number_group* group_book::find(group_kind k, std::string_view id) const { return find_by_id(of(k), id); }

std::vector<number_group> group_book::listed(group_kind k) const {
  std::vector<number_group> out = of(k);
  std::sort(out.begin(), out.end(), [](const number_group& a, const number_group& b) {
    return std::tie(a.name, a.id) < std::tie(b.name, b.id);
  });
  return out;
}

std::vector<field_error> group_book::check(const group_change& change, const opid_numbers& current) const {
  std::vector<field_error> errors;
  const lang l = change.language;
  const auto& others = of(change.kind);
  const bool taken = std::any_of(others.begin(), others.end(), [&](const number_group& g) {
    return g.name == change.form.name && (!change.id || g.id != *change.id);
  });
  if (taken) errors.push_back(field_fail("name", "name_taken", l));
  const bool an = change.kind == group_kind::an;
  const auto& numbers = an ? current.ans : current.dns;
  for (const std::string& m : change.form.members)
    if (!contains(numbers, m)) {
      const char* code = an ? "an_not_in_account" : "dn_not_in_account";
      errors.push_back({"members", code, field_message("group.members", code, l) + " (" + m + ")"});
      break;
    }
  if (!change.id && others.size() >= groups_per_kind_max) errors.push_back(field_fail("", "too_many", l));
  return errors;
}

void group_book::put(group_kind k, number_group g) { put_by_id(kind_list(k), std::move(g)); }

bool group_book::erase(group_kind k, std::string_view id) { return erase_by_id(kind_list(k), id); }

json group_json(const number_group& g) { return json{{"id", g.id}, {"name", g.name}, {"members", g.members}}; }

json groups_json(const std::vector<number_group>& groups) {
  json list = json::array();
  for (const number_group& g : groups) list.push_back(group_json(g));
  return json{{"groups", std::move(list)}};
}

std::string group_to_storage(const number_group& g) { return json{{"name", g.name}, {"members", g.members}}.dump(); }

std::optional<number_group> group_from_storage(std::string id, std::string_view value) {
  const json j = json::parse(value, nullptr, false);
  if (!j.is_object() || !j.contains("name") || !j["name"].is_string() || !j.contains("members") ||
      !j["members"].is_array())
    return std::nullopt;
  number_group g{std::move(id), j["name"].get<std::string>(), {}};
  for (const json& m : j["members"])
    if (m.is_string()) g.members.push_back(m.get<std::string>());
  return g;
}

bool names_group_filter(const query_params& params) {
  return names_param(params, "an_group") || names_param(params, "dn_group");
}

std::optional<param_error> apply_group_filters(const query_params& params, const group_book& groups,
                                               const opid_numbers& current, filters& f) {
  for (const group_kind kind : {group_kind::an, group_kind::dn}) {
    const bool an = kind == group_kind::an;
    const std::string param = an ? "an_group" : "dn_group";
    std::vector<std::string> ids;
    for (const auto& [key, value] : params)
      if (key == param) append_list_items(ids, value);
    if (ids.empty()) continue;
    std::vector<std::string> unique_ids;
    for (auto& id : ids)
      if (!contains(unique_ids, id)) unique_ids.push_back(std::move(id));
    const auto& numbers = an ? current.ans : current.dns;
    std::vector<std::string> members;  // the union, limited to the account's numbers now
    for (const std::string& id : unique_ids) {
      const number_group* g = groups.find(kind, id);
      if (!g)
        return param_error{param,
                           "no " + std::string(group_kind_name(kind)) + " group of this account has the ID " + id};
      for (const std::string& m : g->members)
        if (contains(numbers, m) && !contains(members, m)) members.push_back(m);
    }
    auto& named = an ? f.ans : f.dns;
    if (!named.empty())
      members.erase(
          std::remove_if(members.begin(), members.end(), [&](const std::string& m) { return !contains(named, m); }),
          members.end());
    named = std::move(members);
    (an ? f.an_groups : f.dn_groups) = std::move(unique_ids);
    if (named.empty()) (an ? f.ans_none : f.dns_none) = true;
  }
  return std::nullopt;
}

}  // namespace cxs::domain
