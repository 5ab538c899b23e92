#include "domain/settings.hpp"
#include "domain/text.hpp"

#include "domain/signup.hpp"

#include <algorithm>

namespace cxs::domain {

namespace {
std::size_t characters(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

// The string under key, nullopt when absent; a present non-string or empty value is an error.
std::optional<std::string> optional_string(const nlohmann::json& body, const char* key, bool may_be_empty,
                                           std::vector<field_error>& errors, lang l) {
  auto it = body.find(key);
  if (it == body.end()) return std::nullopt;
  if (!it->is_string()) {
    errors.push_back({key, "invalid", field_message(key, "invalid", l)});
    return std::nullopt;
  }
  auto v = it->get<std::string>();
  if (v.empty() && !may_be_empty) {
    errors.push_back({key, "required", field_message(key, "required", l)});
    return std::nullopt;
  }
  return v;
}
}  // namespace

std::variant<settings_change, std::vector<field_error>> parse_settings_change(const nlohmann::json& body, lang l) {
  if (!body.is_object()) return std::vector<field_error>{{"", "invalid", field_message("", "invalid", l)}};
  std::vector<field_error> errors;
  settings_change c;
  c.email = optional_string(body, "email", false, errors, l);
  if (c.email && !is_valid_email(*c.email))
    errors.push_back({"email", "invalid", field_message("email", "invalid", l)});
  c.person = optional_string(body, "person", false, errors, l);
  if (c.person && characters(*c.person) > text_max_length)
    errors.push_back({"person", "too_long", field_message("person", "too_long", l)});
  else if (c.person && has_control_chars(*c.person))
    errors.push_back({"person", "invalid", field_message("person", "invalid", l)});
  c.department = optional_string(body, "department", true, errors, l);
  if (c.department && characters(*c.department) > text_max_length)
    errors.push_back({"department", "too_long", field_message("department", "too_long", l)});
  else if (c.department && has_control_chars(*c.department))
    errors.push_back({"department", "invalid", field_message("department", "invalid", l)});
  c.auth_method = optional_string(body, "auth_method", false, errors, l);
  if (c.auth_method)
    if (auto refused = check_auth_method(*c.auth_method, l)) errors.push_back(std::move(*refused));
  c.password = optional_string(body, "password", false, errors, l);
  if (c.password && !is_valid_password(*c.password))
    errors.push_back({"password", "weak_password", field_message("password", "weak_password", l)});
  // A new email or auth method needs it too (SPEC §18), but only the stored account tells
  // whether they are new: the caller checks that with changed_items().
  auto current = optional_string(body, "current_password", false, errors, l);
  if (current) c.current_password = *current;
  if (c.password && !current &&
      std::none_of(errors.begin(), errors.end(), [](auto& e) { return e.field == "current_password"; }))
    errors.push_back({"current_password", "required", field_message("current_password", "required", l)});
  if (!errors.empty()) return errors;
  return c;
}

std::variant<std::pair<std::string, std::string>, std::vector<field_error>> parse_pair(const nlohmann::json& body,
                                                                                       const char* first,
                                                                                       const char* second, lang l) {
  if (!body.is_object()) return std::vector<field_error>{{"", "invalid", field_message("", "invalid", l)}};
  std::vector<field_error> errors;
  std::pair<std::string, std::string> out;
  for (auto [key, target] : {std::pair{first, &out.first}, std::pair{second, &out.second}}) {
    auto it = body.find(key);
    if (it == body.end() || !it->is_string() || it->get<std::string>().empty())
      errors.push_back({key, "required", field_message(key, "required", l)});
    else
      *target = it->get<std::string>();
  }
  if (!errors.empty()) return errors;
  return out;
}

std::variant<login_request, std::vector<field_error>> parse_login(const nlohmann::json& body, lang l) {
  auto pair = parse_pair(body, "id", "password", l);
  auto errors = std::holds_alternative<std::vector<field_error>>(pair) ? std::get<1>(pair) : std::vector<field_error>{};
  login_request out;
  if (body.is_object())
    if (auto it = body.find("take_over"); it != body.end()) {
      if (it->is_boolean())
        out.take_over = it->get<bool>();
      else
        errors.push_back({"take_over", "invalid", field_message("take_over", "invalid", l)});
    }
  if (!errors.empty()) return errors;
  std::tie(out.id, out.password) = std::get<0>(std::move(pair));
  return out;
}

bool same_email(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<field_error> check_auth_method(const std::string& method, lang l) {
  if (method != "otp" && method != "certificate")
    return field_error{"auth_method", "invalid", field_message("auth_method", "invalid", l)};
  return std::nullopt;
}

std::variant<std::string, std::vector<field_error>> parse_auth_method_body(const nlohmann::json& body) {
  if (!body.is_object()) return std::vector<field_error>{{"", "invalid", field_message("", "invalid", lang::en)}};
  std::vector<field_error> errors;
  auto method = optional_string(body, "auth_method", false, errors, lang::en);
  if (!errors.empty()) return errors;
  if (!method)
    return std::vector<field_error>{{"auth_method", "required", field_message("auth_method", "required", lang::en)}};
  if (auto refused = check_auth_method(*method, lang::en)) return std::vector<field_error>{std::move(*refused)};
  return *method;
}

}  // namespace cxs::domain
