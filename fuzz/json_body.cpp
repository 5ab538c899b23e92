// Fuzz target: every JSON request body the domain reads, parsed the way the routes parse it
// (http/customer_routes.cpp, http/admin_routes.cpp): nlohmann::json::parse(body, nullptr, false),
// then the customer routes' object check, then the domain's reader and what the actors do next
// with its result, up to the stored JSON document. Nothing is hashed: the password hash is a
// fixed stand-in (Argon2id would cost 20-40 ms an input).
//
// Input: the first byte picks the route (low nibble) and the language (bit 7); the rest is the
// body as sent. Checks beyond the sanitizers: every field error has a field (or the body) and a
// code and renders as JSON; what the service stores reads back to the same document.

#include "domain/account.hpp"
#include "domain/account_record.hpp"
#include "domain/secret.hpp"
#include "domain/settings.hpp"
#include "domain/signup.hpp"
#include "fuzz/demo_registry.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {
using namespace cxs;
using domain::field_error;

constexpr const char* stand_in_hash =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";

void check_errors(const std::vector<field_error>& errors) {
  for (const auto& e : errors)
    fuzz::check(!e.code.empty() && !e.message.empty(), "field error without code or message");
  fuzz::strict_dump(domain::field_errors_json(errors));
}

// An account as stored, in either plan.
domain::account stored_account(bool standard) {
  domain::account a;
  a.id = "Abcde12345";
  a.number = 7;
  a.opid = "DEMO0001";
  a.plan = standard ? "standard" : "free";
  a.auth_method = "otp";
  a.password_hash = stand_in_hash;
  a.email = "taro@example.co.jp";
  a.person = "山田 太郎";
  a.registered = {2026, 5, 1};
  if (standard) {
    a.billing_an = "0120111222";
    a.billing_phone = "0352001234";
  }
  a.an_order = {"0120111222", "0120333444", "0570555666"};
  return a;
}

// The account record goes to the meta column family as to_storage_json().dump() and is read
// back with from_storage_json() at the next activation: the two must agree.
void check_stored(const domain::account& a) {
  const auto doc = domain::to_storage_json(a);
  const std::string text = fuzz::strict_dump(doc);
  const auto back = domain::from_storage_json(text);
  fuzz::check(back.has_value(), "a stored account does not read back", text);
  fuzz::check(domain::to_storage_json(*back) == doc, "a stored account reads back different", text);
}

// POST /api/signup: read_signup, then the sign-up actor's registry check and error order.
void signup(const nlohmann::json& body, domain::lang l) {
  auto draft = domain::read_signup(body, l);
  auto errors = draft.errors;
  if (!draft.form.opid.empty()) {
    auto taken = [](const std::string& opid) { return opid == "SHOP0002"; };
    for (auto& e : domain::check_signup_against_registry(draft.form, fuzz::demo_registry(), taken, l)) {
      bool known = std::any_of(errors.begin(), errors.end(), [&](auto& x) { return x.field == e.field; });
      if (!known) errors.push_back(std::move(e));
    }
  }
  domain::sort_in_form_order(errors);
  check_errors(errors);
  // The form is stored with the application whatever else failed (an error answers first, but
  // the draft must still be a storable form), and read back at confirmation.
  const auto doc = domain::signup_to_storage_json(draft.form);
  const std::string text = fuzz::strict_dump(doc);
  const auto back = domain::signup_from_storage_json(nlohmann::json::parse(text));
  fuzz::check(back.has_value(), "a stored sign-up form does not read back", text);
  fuzz::check(domain::signup_to_storage_json(*back) == doc, "a stored sign-up form reads back different", text);
  fuzz::strict_dump(domain::signup_summary_json(draft.form));
  if (errors.empty()) {
    // Confirmation makes the account from the application (the password is already hashed).
    const auto request = domain::request_from_application(draft.form, fuzz::today);
    check_stored(domain::new_account_record(request, "Abcde12345", 1, stand_in_hash, 0));
  }
}

// parse_signup: the all-or-nothing reader of the same body.
void signup_strict(const nlohmann::json& body, domain::lang l) {
  auto parsed = domain::parse_signup(body, l);
  if (auto* errors = std::get_if<std::vector<field_error>>(&parsed)) {
    fuzz::check(!errors->empty(), "parse_signup refused without an error");
    return check_errors(*errors);
  }
  fuzz::strict_dump(domain::signup_to_storage_json(std::get<domain::signup_form>(parsed)));
}

// PUT /api/me: parse_settings_change, then the directory's apply_changes on the stored record.
void settings(const nlohmann::json& body, domain::lang l) {
  auto parsed = domain::parse_settings_change(body, l);
  if (auto* errors = std::get_if<std::vector<field_error>>(&parsed)) {
    fuzz::check(!errors->empty(), "parse_settings_change refused without an error");
    return check_errors(*errors);
  }
  const auto& change = std::get<domain::settings_change>(parsed);
  auto a = stored_account(false);
  const auto before = a;
  const auto changes =
      domain::changes_from_settings(change, change.password ? std::optional<std::string>(stand_in_hash) : std::nullopt);
  domain::apply_changes(a, changes);
  const auto items = domain::changed_items(before, changes);
  (void)domain::describe_changes(items);
  check_stored(a);
}

// POST /api/login, /api/login/otp and /api/password/reset-request: parse_pair, and the per-ID
// rate limit's own read of "id".
void pair(const nlohmann::json& body, domain::lang l, const char* first, const char* second) {
  auto parsed = domain::parse_pair(body, first, second, l);
  if (auto* errors = std::get_if<std::vector<field_error>>(&parsed)) {
    fuzz::check(!errors->empty(), "parse_pair refused without an error");
    return check_errors(*errors);
  }
  const auto& [a, b] = std::get<std::pair<std::string, std::string>>(parsed);
  fuzz::check(!a.empty() && !b.empty(), "parse_pair accepted an empty value");
  if (std::string_view(first) == "id") (void)domain::looks_like_account_id(a);
  if (std::string_view(first) == "ticket") (void)domain::token_digest(a);
}

// POST /api/plan and /admin/accounts/{id}/plan: read_plan_request, then the directory's check
// against the account in either plan.
void plan(const nlohmann::json& body) {
  const auto request = domain::read_plan_request(body);
  for (bool standard : {false, true}) {
    auto a = stored_account(standard);
    auto parsed = domain::check_plan_change(request, a, fuzz::demo_registry());
    if (auto* errors = std::get_if<std::vector<field_error>>(&parsed)) {
      fuzz::check(!errors->empty(), "check_plan_change refused without an error");
      check_errors(*errors);
      continue;
    }
    const auto& c = std::get<domain::plan_change>(parsed);
    fuzz::check(c.plan == "free" || c.plan == "standard", "an accepted plan is neither free nor standard", c.plan);
  }
}

// POST /admin/accounts: parse_account_request, check_against_registry, the new record stored.
void account_create(const nlohmann::json& body) {
  auto parsed = domain::parse_account_request(body, fuzz::today);
  if (auto* errors = std::get_if<std::vector<field_error>>(&parsed)) {
    fuzz::check(!errors->empty(), "parse_account_request refused without an error");
    return check_errors(*errors);
  }
  const auto& request = std::get<domain::account_request>(parsed);
  fuzz::check(request.registered <= fuzz::today, "registered in the future");
  check_errors(domain::check_against_registry(request, fuzz::demo_registry()));
  check_stored(domain::new_account_record(request, "Abcde12345", 1, stand_in_hash, 0));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int route = data[0] & 0x0f;
  const auto l = (data[0] & 0x80) ? domain::lang::en : domain::lang::ja;
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto j = fuzz::parse_body(body);
  // The customer routes answer 400 json unless the body is an object (json_object()); the
  // customer plan route and the admin routes only refuse text that is not JSON.
  const bool object = !j.is_discarded() && j.is_object();
  switch (route) {
    case 0:
      if (object) signup(j, l);
      break;
    case 1:
      if (object) signup_strict(j, l);
      break;
    case 2:
      if (object) settings(j, l);
      break;
    case 3:
      if (object) pair(j, l, "id", "password");
      break;
    case 4:
      if (object) pair(j, l, "ticket", "code");
      break;
    case 5:
      if (object) pair(j, l, "id", "email");
      break;
    case 6:
      if (!j.is_discarded()) plan(j);
      break;
    case 7:
      if (!j.is_discarded()) account_create(j);
      break;
    default:
      // Any value that parses, whatever the route would have done with it: each reader must
      // refuse a non-object body with an error, never misread it.
      if (j.is_discarded()) break;
      signup(j, l);
      settings(j, l);
      pair(j, l, "id", "password");
      plan(j);
      account_create(j);
      break;
  }
  return 0;
}
