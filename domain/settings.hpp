#pragma once
// Basic settings (基本情報設定, SPEC §4): the fields PUT /api/me may change and their rules, and
// the password reissue form. Pure: the caller verifies the current password and hashes the new one.

#include "domain/account.hpp"
#include "domain/messages.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxs::domain {

struct settings_change {
  std::optional<std::string> email, person, department, auth_method;
  std::optional<std::string> password;  // the new one, plain until hashed
  std::string current_password;         // required with password, and with a new email or auth method
};

// Keys: email, person, department, auth_method, password, current_password; others are ignored.
// Errors: required, invalid, too_long, weak_password (password), required (current_password
// when password is given; with email or auth_method the caller decides, see changed_items()). Messages in the language
// asked for.
std::variant<settings_change, std::vector<field_error>> parse_settings_change(const nlohmann::json& body, lang l);

// {"id","password"} of POST /api/login, or of the reissue request {"id","email"}: the two
// strings, or field errors (required).
std::variant<std::pair<std::string, std::string>, std::vector<field_error>> parse_pair(const nlohmann::json& body,
                                                                                       const char* first,
                                                                                       const char* second, lang l);

// POST /api/login's body: id and password as parse_pair reads them, and take_over (SPEC §19), a
// boolean, false when absent.
struct login_request {
  std::string id;
  std::string password;
  bool take_over = false;
};
std::variant<login_request, std::vector<field_error>> parse_login(const nlohmann::json& body, lang l);

// The auth method a customer (settings) or an operator (PUT /admin/accounts/{id}/auth_method)
// asks for: otp or certificate (invalid otherwise). nullopt when it may be set.
std::optional<field_error> check_auth_method(const std::string& method, lang l);

// {"auth_method": …} of PUT /admin/accounts/{id}/auth_method: the method, or its field error
// (required, invalid; English messages, for operators).
std::variant<std::string, std::vector<field_error>> parse_auth_method_body(const nlohmann::json& body);

// Case-insensitive comparison of e-mail addresses as customers type them.
bool same_email(std::string_view a, std::string_view b);

}  // namespace cxs::domain
