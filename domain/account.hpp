#pragma once
// One CX Support contract (SPEC §1, §3, §6, §13): its record, the rules a new account or a plan
// change must follow, and the retention each plan grants.

#include "domain/errors.hpp"
#include "domain/messages.hpp"
#include "domain/registry.hpp"
#include "domain/time.hpp"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxs::domain {

struct account {
  std::string id;       // CX Support ID, [A-Za-z0-9]{10}
  uint32_t number = 0;  // internal key prefix in storage (fixed width)
  std::string opid;
  std::string plan;           // free | standard
  std::string auth_method;    // otp | certificate
  std::string password_hash;  // Argon2id encoded string
  std::string email;
  std::string person;
  std::string department;
  civil_date registered{};  // data start: CDRs dated before it are not kept
  std::string billing_an;
  std::string billing_phone;
  // From the sign-up form (SPEC §3); empty for accounts an operator created directly.
  std::string contractor_name, industry, phone, sales_code;
  std::vector<std::string> an_order;  // every AN ever seen for this account; index = storage an_index
  uint16_t retention_month = 0;       // JST month index in which retention last ran for it (runs once a month)
  // First JST day of detailed data (SPEC §6, §15): the registration date of an account that
  // starts on the standard plan, the day of its change to standard otherwise; unset ({}) on free.
  civil_date detailed_since{};
  // Set only on a child ID's login view (domain/child_users.hpp: login_view): the main ID of the
  // account the child belongs to. Never stored with a record.
  std::string main_id;
};

// Months of basic data kept (SPEC §6).
int basic_retention_months(const std::string& plan);
// Months of detailed data kept on the standard plan (SPEC §6).
inline constexpr int detailed_retention_months = 3;
// The first day of the account's detailed window today: the latest of the 3-month window's
// start, the registration date and detailed_since.
civil_date detailed_window_start(const account& a, civil_date today);
// The first day of the per-DN figures of a standard account (SPEC §15: collected from the
// registration or the plan change on, kept as long as basic data).
civil_date per_dn_since(const account& a);

nlohmann::json to_public_json(const account& a, const std::vector<std::string>& current_ans);
nlohmann::json to_storage_json(const account& a);
std::optional<account> from_storage_json(std::string_view text);

// A validated POST /admin/accounts body; the password is still plain here and is hashed by the
// caller off the actor threads.
struct account_request {
  std::string opid, plan, auth_method, password, email, person, department;
  civil_date registered{};
  std::string billing_an, billing_phone;
  std::string contractor_name, industry, phone, sales_code;  // set by sign-up only
  lang language = lang::ja;  // of the field messages (SPEC §3, §14: Japanese, or English on request)
};

// Checks the body's own rules (types, password, email, plan, auth method, registered date) with
// §3's codes and messages in language l (SPEC §14), which the request keeps for the registry's.
// Registry rules (unknown_opid, child_opid, opid_taken, an_not_in_opid) are checked by
// check_against_registry because they need the registry.
std::variant<account_request, std::vector<field_error>> parse_account_request(const nlohmann::json& body,
                                                                              civil_date today, lang l = lang::ja);
std::vector<field_error> check_against_registry(const account_request& r, const registry& reg);

// A text field as a request body gave it: absent (missing, null or ""), a string, or another type.
struct given_text {
  enum class kind { absent, text, not_text } state = kind::absent;
  std::string value;
};
given_text read_given_text(const nlohmann::json& body, const char* name);

// A plan change as the body of POST …/plan gave it, before it is checked against the account
// (which fields are required depends on the plan the account has now).
struct plan_request {
  bool is_object = true;
  given_text plan, billing_an, billing_phone;
  bool confirm = false;  // "confirm": true
};
plan_request read_plan_request(const nlohmann::json& body);

struct plan_change {
  std::string plan;
  std::string billing_an, billing_phone;
  bool confirm = false;
};
// Applies a checked change: the plan, the billing fields (kept, replaced, or cleared on free) and
// the detailed window (from today on a change to standard, unset on free).
void apply_plan_change(account& a, const plan_change& change, civil_date today);
std::variant<plan_change, std::vector<field_error>> check_plan_change(const plan_request& body, const account& current,
                                                                      const registry& reg);

// Form limits (SPEC §3, §13), the one place their numbers live: the checks, the form messages
// (signup.cpp) and the browser's export (tools/form_rules.cpp) all read them. Lengths of text
// count characters; an e-mail address counts bytes (it is ASCII when valid).
inline constexpr std::size_t text_max_length = 100;  // contractor name, department, person
inline constexpr std::size_t email_max_length = 254;
inline constexpr std::size_t password_min_length = 8, password_max_length = 64;

// password_min_length–password_max_length half-width letters/digits, with an upper-case letter,
// a lower-case letter and a digit.
bool is_valid_password(std::string_view p);
bool is_valid_email(std::string_view e);  // at most email_max_length, one @, a dot in the domain
std::string new_account_id();             // CSPRNG, mixed case, letters and digits
// The shape of a CX Support ID: 10 half-width letters or digits (SPEC §1, §18). Anything else
// cannot name an account, so it is answered at once and never kept.
bool looks_like_account_id(std::string_view s);

// Argon2id (libargon2). Parameters (docs/security.md): t=2, m=19 MiB, p=1 (OWASP minimum).
// Each needs 19 MiB: when it cannot be had, the failure is `busy` (the caller answers 503 and the
// client tries again), never an abort and never a wrong password.
expected<std::string> hash_password(std::string_view password);
// True when password matches; busy when out of memory; internal when the stored hash is broken.
expected<bool> verify_password(std::string_view password, const std::string& encoded);

nlohmann::json field_errors_json(const std::vector<field_error>& errors);

}  // namespace cxs::domain
