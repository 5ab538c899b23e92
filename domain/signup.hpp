#pragma once
// The sign-up form (SPEC §3, §13, §14 "Sign-up and login"): every field rule, with field-level
// errors in Japanese (English when the request asks for it), and the registry rules that need
// the OPID registry. Pure: the sign-up actor keeps applications, tokens and mails.

#include "domain/account.hpp"
#include "domain/messages.hpp"
#include "domain/registry.hpp"

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cxs::domain {

// "en" when the Accept-Language header prefers English (its first language is en or en-*),
// Japanese otherwise.
lang language_of(std::string_view accept_language);

// The industries of SPEC §14 in their documented order; the label is the value.
const std::vector<std::string>& industries();

// A sales code is exactly this many half-width letters or digits; an application without one
// stores as many zeros.
inline constexpr std::size_t sales_code_length = 14;

// One validated application. Numbers are stored as digits only (hyphens stripped).
struct signup_form {
  std::string contractor_name, industry, phone, department, person, email;
  std::string opid, an, dn, plan;
  std::string billing_an, billing_phone;  // empty unless plan == standard
  std::string password;                   // plain until the caller hashes it
  std::string auth_method;                // otp | certificate
  bool has_sales_code = false;
  std::string sales_code;  // sales_code_length half-width alphanumerics; all zeros without one
};

// The body's own rules (types, required, lengths, formats, password, email, phones, plan, auth
// method, sales code). Every violated rule gives one error; the field is the body key of §13.
// Codes: required, invalid, too_long, not_in_list (industry), weak_password (password).
std::variant<signup_form, std::vector<field_error>> parse_signup(const nlohmann::json& body, lang l);

// A sign-up body read whole: the form and every error of the body's own rules. A field whose own
// rules failed stays empty in the form (so are the password's and the rest once any rule failed,
// but opid, an, dn, plan and billing_an), so the registry rules still run on the fields that
// passed and the answer lists every error at once.
struct signup_draft {
  signup_form form;
  std::vector<field_error> errors;
};
signup_draft read_signup(const nlohmann::json& body, lang l);

// The §13 order of the form's keys, so that an error list reads like the form.
void sort_in_form_order(std::vector<field_error>& errors);

// Rules that need the registry, checked on a form whose own rules passed: unknown_opid,
// child_opid, opid_taken (taken(opid) says a contract or a pending unexpired application holds
// it), an_not_in_opid (an, and billing_an for standard), dn_not_in_opid.
std::vector<field_error> check_signup_against_registry(const signup_form& f, const registry& reg,
                                                       const std::function<bool(const std::string&)>& taken, lang l);

// The application as the confirmation page shows it: every field but the password.
nlohmann::json signup_summary_json(const signup_form& f);

// Stored form (meta CF): every field but the plain password.
nlohmann::json signup_to_storage_json(const signup_form& f);
std::optional<signup_form> signup_from_storage_json(const nlohmann::json& j);

// The message for an error code and field in the language asked for (used by parse_signup and
// check_signup_against_registry, and by the routes for codes such as opid_taken at confirm).
std::string field_message(const std::string& field, const std::string& code, lang l);
// Whether the catalogue holds a message for exactly this field and code.
bool has_field_message(const std::string& field, const std::string& code);

// Every (field, code) the message catalogue holds, in order: what tools/form_rules.cpp exports
// to the browser (docs/web.md, "Form rules from one source").
std::vector<std::pair<std::string, std::string>> field_message_keys();

}  // namespace cxs::domain
