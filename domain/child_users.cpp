#include "domain/child_users.hpp"

#include "domain/settings.hpp"
#include "domain/signup.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>

namespace cxs::domain {

namespace {

using nlohmann::json;

field_error fail(const std::string& field, const char* code, lang l) {
  return {field, code, field_message(field == "an_groups" ? "user.an_groups" : field, code, l)};
}

// The contact fields and auth method by the rules of the account's own settings (PUT /api/me);
// a field already found missing is not reported twice.
void check_settings_fields(const json& body, std::vector<field_error>& errors, lang l) {
  json fields = json::object();
  for (const char* key : {"email", "person", "auth_method"}) {
    const bool missing =
        std::any_of(errors.begin(), errors.end(), [&](const field_error& e) { return e.field == key; });
    if (body.contains(key) && !missing) fields[key] = body[key];
  }
  auto parsed = parse_settings_change(fields, l);
  if (auto* e = std::get_if<std::vector<field_error>>(&parsed)) errors.insert(errors.end(), e->begin(), e->end());
  // A child ID logs in with one-time passwords: no download site or certificate of its own.
  if (auto it = fields.find("auth_method"); it != fields.end() && *it == "certificate")
    errors.push_back({"auth_method", "unavailable", field_message("auth_method", "unavailable", l)});
}

// A list of group IDs: strings, each once.
std::optional<std::vector<std::string>> read_group_ids(const json& body, std::vector<field_error>& errors, lang l) {
  const auto it = body.find("an_groups");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array() || std::any_of(it->begin(), it->end(), [](const json& v) { return !v.is_string(); })) {
    errors.push_back(fail("an_groups", "invalid", l));
    return std::nullopt;
  }
  std::vector<std::string> ids;
  for (const json& v : *it)
    if (std::find(ids.begin(), ids.end(), v.get<std::string>()) == ids.end()) ids.push_back(v.get<std::string>());
  return ids;
}

}  // namespace

std::variant<child_request, std::vector<field_error>> parse_child_request(const json& body, lang l) {
  if (!body.is_object()) return std::vector<field_error>{{"", "invalid", field_message("", "invalid", l)}};
  std::vector<field_error> errors;
  child_request r;
  const auto text = [&](const char* key) -> std::string {
    const auto it = body.find(key);
    if (it == body.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
      errors.push_back(fail(key, "required", l));
      return {};
    }
    return it->is_string() ? it->get<std::string>() : std::string();
  };
  r.password = text("password");
  if (!r.password.empty() && !is_valid_password(r.password)) errors.push_back(fail("password", "weak_password", l));
  r.email = text("email");
  r.person = text("person");
  r.auth_method = text("auth_method");
  check_settings_fields(body, errors, l);
  if (auto ids = read_group_ids(body, errors, l)) r.an_groups = std::move(*ids);
  if (!errors.empty()) return errors;
  return r;
}

std::variant<child_patch, std::vector<field_error>> parse_child_patch(const json& body, lang l) {
  if (!body.is_object()) return std::vector<field_error>{{"", "invalid", field_message("", "invalid", l)}};
  std::vector<field_error> errors;
  child_patch p;
  if (const auto it = body.find("disabled"); it != body.end() && !it->is_null()) {
    if (it->is_boolean())
      p.disabled = it->get<bool>();
    else
      errors.push_back(fail("disabled", "invalid", l));
  }
  json fields = json::object();
  for (const char* key : {"email", "person"})
    if (body.contains(key) && !body[key].is_null()) fields[key] = body[key];
  check_settings_fields(fields, errors, l);
  if (fields.contains("email") && fields["email"].is_string()) p.email = fields["email"].get<std::string>();
  if (fields.contains("person") && fields["person"].is_string()) p.person = fields["person"].get<std::string>();
  p.an_groups = read_group_ids(body, errors, l);
  if (body.contains("an_groups") && body["an_groups"].is_null()) p.an_groups = std::vector<std::string>{};
  if (!errors.empty()) return errors;
  return p;
}

std::vector<field_error> check_child_groups(const std::vector<std::string>& an_groups, const group_book& groups,
                                            lang l) {
  for (const auto& id : an_groups)
    if (!groups.find(group_kind::an, id)) {
      auto e = fail("an_groups", "unknown_group", l);
      e.message += " (" + id + ")";
      return {e};
    }
  return {};
}

void apply_child_patch(child_user& c, const child_patch& p) {
  if (p.disabled) c.disabled = *p.disabled;
  if (p.an_groups) c.an_groups = *p.an_groups;
  if (p.email) c.email = *p.email;
  if (p.person) c.person = *p.person;
}

std::optional<std::vector<std::string>> allowed_ans(const std::vector<std::string>& an_groups, const group_book& groups,
                                                    const std::vector<std::string>& ans) {
  if (an_groups.empty()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& id : an_groups)
    if (const number_group* g = groups.find(group_kind::an, id))
      for (const auto& m : g->members)
        if (std::find(ans.begin(), ans.end(), m) != ans.end() && std::find(out.begin(), out.end(), m) == out.end())
          out.push_back(m);
  // In the account's order, so a limited child's lists read like its main ID's.
  std::vector<std::string> ordered;
  for (const auto& an : ans)
    if (std::find(out.begin(), out.end(), an) != out.end()) ordered.push_back(an);
  return ordered;
}

opid_numbers limited_numbers(const opid_numbers& current, const std::vector<std::string>& ans) {
  opid_numbers out;
  for (std::size_t i = 0; i < current.ans.size(); ++i) {
    if (std::find(ans.begin(), ans.end(), current.ans[i]) == ans.end()) continue;
    out.ans.push_back(current.ans[i]);
    const auto& dns = i < current.dns_of.size() ? current.dns_of[i] : std::vector<std::string>{};
    out.dns_of.push_back(dns);
    for (const auto& dn : dns)
      if (std::find(out.dns.begin(), out.dns.end(), dn) == out.dns.end()) out.dns.push_back(dn);
  }
  return out;
}

group_book limited_groups(const group_book& groups, const opid_numbers& seen) {
  std::vector<std::string> ans = seen.ans, dns = seen.dns;  // sorted, for up to 100,000 look-ups a kind
  std::sort(ans.begin(), ans.end());
  std::sort(dns.begin(), dns.end());
  group_book out;
  for (const group_kind kind : {group_kind::an, group_kind::dn}) {
    const auto& numbers = kind == group_kind::an ? ans : dns;
    for (const number_group& g : groups.of(kind)) {
      number_group cut{g.id, g.name, {}};
      for (const auto& m : g.members)
        if (std::binary_search(numbers.begin(), numbers.end(), m)) cut.members.push_back(m);
      if (!cut.members.empty()) out.put(kind, std::move(cut));
    }
  }
  return out;
}

account login_view(const account& main, const child_user& child) {
  account view = main;
  view.id = child.id;
  view.main_id = main.id;
  view.email = child.email;
  view.person = child.person;
  view.department.clear();
  view.auth_method = child.auth_method;
  view.password_hash = child.password_hash;
  return view;
}

json child_json(const child_user& c) {
  return {{"id", c.id},
          {"email", c.email},
          {"person", c.person},
          {"auth_method", c.auth_method},
          {"an_groups", c.an_groups},
          {"disabled", c.disabled},
          {"created", format_date(c.created)}};
}

json children_json(std::vector<child_user> list) {
  std::sort(list.begin(), list.end(), [](const child_user& a, const child_user& b) {
    return std::tie(a.created, a.id) < std::tie(b.created, b.id);
  });
  auto users = json::array();
  for (const auto& c : list) users.push_back(child_json(c));
  return {{"users", users}};
}

std::string child_to_storage(const child_user& c) {
  json j = child_json(c);
  j["main_id"] = c.main_id;
  j["password_hash"] = c.password_hash;
  return j.dump();
}

std::optional<child_user> child_from_storage(std::string_view value) {
  const json j = json::parse(value, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    child_user c;
    c.id = j.at("id").get<std::string>();
    c.main_id = j.at("main_id").get<std::string>();
    c.email = j.at("email").get<std::string>();
    c.person = j.at("person").get<std::string>();
    c.auth_method = j.at("auth_method").get<std::string>();
    c.password_hash = j.at("password_hash").get<std::string>();
    c.an_groups = j.at("an_groups").get<std::vector<std::string>>();
    c.disabled = j.at("disabled").get<bool>();
    const auto created = parse_date(j.at("created").get<std::string>());
    if (!created || !looks_like_account_id(c.id) || !looks_like_account_id(c.main_id)) return std::nullopt;
    c.created = *created;
    return c;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace cxs::domain
