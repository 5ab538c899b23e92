#include "domain/account.hpp"
#include "domain/text.hpp"

#include "domain/numbers.hpp"
#include "domain/signup.hpp"

#include <argon2.h>
#include <openssl/rand.h>

#include <algorithm>

namespace cxs::domain {

int basic_retention_months(const std::string& plan) { return plan == "standard" ? 24 : 12; }

civil_date detailed_window_start(const account& a, civil_date today) {
  return std::max({retention_start(today, detailed_retention_months), a.registered, a.detailed_since});
}

civil_date per_dn_since(const account& a) { return std::max(a.registered, a.detailed_since); }

nlohmann::json to_public_json(const account& a, const std::vector<std::string>& current_ans) {
  nlohmann::json j{{"id", a.id},
                   {"opid", a.opid},
                   {"plan", a.plan},
                   {"auth_method", a.auth_method},
                   {"ans", current_ans},
                   {"registered", format_date(a.registered)},
                   {"email", a.email},
                   {"person", a.person},
                   {"department", a.department}};
  // From the sign-up form; empty for accounts an operator created directly.
  j["contractor_name"] = a.contractor_name;
  j["industry"] = a.industry;
  j["phone"] = a.phone;
  if (a.plan == "standard") {
    j["billing_an"] = a.billing_an;
    j["billing_phone"] = a.billing_phone;
    j["detailed_since"] = format_date(std::max(a.detailed_since, a.registered));
  }
  return j;
}

nlohmann::json to_storage_json(const account& a) {
  return {{"id", a.id},
          {"number", a.number},
          {"opid", a.opid},
          {"plan", a.plan},
          {"auth_method", a.auth_method},
          {"password_hash", a.password_hash},
          {"email", a.email},
          {"person", a.person},
          {"department", a.department},
          {"registered", format_date(a.registered)},
          {"billing_an", a.billing_an},
          {"billing_phone", a.billing_phone},
          {"contractor_name", a.contractor_name},
          {"industry", a.industry},
          {"phone", a.phone},
          {"sales_code", a.sales_code},
          {"an_order", a.an_order},
          {"retention_month", a.retention_month},
          {"detailed_since", a.plan == "standard" ? format_date(a.detailed_since) : std::string()}};
}

std::optional<account> from_storage_json(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    account a;
    a.id = j.at("id");
    a.number = j.at("number");
    a.opid = j.at("opid");
    a.plan = j.at("plan");
    a.auth_method = j.at("auth_method");
    a.password_hash = j.at("password_hash");
    a.email = j.value("email", "");
    a.person = j.value("person", "");
    a.department = j.value("department", "");
    auto d = parse_date(j.at("registered").get<std::string>());
    if (!d) return std::nullopt;
    a.registered = *d;
    a.billing_an = j.value("billing_an", "");
    a.billing_phone = j.value("billing_phone", "");
    a.contractor_name = j.value("contractor_name", "");
    a.industry = j.value("industry", "");
    a.phone = j.value("phone", "");
    a.sales_code = j.value("sales_code", "");
    a.an_order = j.value("an_order", std::vector<std::string>{});
    a.retention_month = j.value("retention_month", uint16_t{0});
    if (a.plan == "standard") {
      // Records written before detailed data existed: collected since registration.
      const auto since = parse_date(j.value("detailed_since", ""));
      a.detailed_since = since ? *since : a.registered;
    }
    return a;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

bool is_valid_password(std::string_view p) {
  if (p.size() < password_min_length || p.size() > password_max_length) return false;
  bool upper = false, lower = false, digit = false;
  for (char c : p) {
    if (c >= 'A' && c <= 'Z')
      upper = true;
    else if (c >= 'a' && c <= 'z')
      lower = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      return false;
  }
  return upper && lower && digit;
}

bool is_valid_email(std::string_view e) {
  if (e.size() > email_max_length) return false;
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at != e.rfind('@')) return false;
  auto domain = e.substr(at + 1);
  auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  return std::none_of(e.begin(), e.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

bool looks_like_account_id(std::string_view s) {
  auto alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  return s.size() == 10 && std::all_of(s.begin(), s.end(), alnum);
}

std::string new_account_id() {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (;;) {
    std::string id;
    while (id.size() < 10) {
      unsigned char b;
      if (RAND_bytes(&b, 1) != 1) std::abort();
      if (b >= 248) continue;  // 248 = 4 * 62: reject to keep the choice uniform
      id.push_back(alphabet[b % 62]);
    }
    bool upper = std::any_of(id.begin(), id.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    bool lower = std::any_of(id.begin(), id.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (upper && lower) return id;  // "mixed case" (SPEC §1)
  }
}

namespace {
constexpr uint32_t argon_t = 2, argon_m_kib = 19 * 1024, argon_p = 1, salt_len = 16, hash_len = 32;

// Billing fields of a move to the standard plan: billing_an must be an AN of the OPID.
void check_billing(const std::string& opid, const std::optional<std::string>& billing_an,
                   const std::optional<std::string>& billing_phone, const registry& reg,
                   std::vector<field_error>& errors) {
  if (billing_an) {
    auto* e = reg.find(opid);
    auto an = strip_hyphens(*billing_an);
    bool found = e && std::any_of(e->ans.begin(), e->ans.end(), [&](auto& a) { return a.an == an; });
    if (!found) errors.push_back({"billing_an", "an_not_in_opid", "billing_an is not an AN of this OPID"});
  }
  if (billing_phone && !is_valid_jp_phone(strip_hyphens(*billing_phone)))
    errors.push_back({"billing_phone", "invalid", "billing_phone is not a valid Japanese phone number"});
}
}  // namespace

namespace {
failure argon2_failure(int rc) {
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) return fail(error_code::busy, "no memory for an Argon2id hash");
  return fail(error_code::internal, std::string("Argon2id: ") + argon2_error_message(rc));
}
}  // namespace

expected<std::string> hash_password(std::string_view password) {
  unsigned char salt[salt_len];
  if (RAND_bytes(salt, salt_len) != 1) std::abort();  // no entropy: nothing safe to hand out
  auto len = argon2_encodedlen(argon_t, argon_m_kib, argon_p, salt_len, hash_len, Argon2_id);
  std::string encoded(len, '\0');
  auto rc = argon2id_hash_encoded(argon_t, argon_m_kib, argon_p, password.data(), password.size(), salt, salt_len,
                                  hash_len, encoded.data(), len);
  if (rc != ARGON2_OK) return argon2_failure(rc);
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

expected<bool> verify_password(std::string_view password, const std::string& encoded) {
  auto rc = argon2id_verify(encoded.c_str(), password.data(), password.size());
  if (rc == ARGON2_OK) return true;
  if (rc == ARGON2_VERIFY_MISMATCH) return false;
  return argon2_failure(rc);
}

std::variant<account_request, std::vector<field_error>> parse_account_request(const nlohmann::json& body,
                                                                              civil_date today, lang l) {
  if (!body.is_object()) return std::vector<field_error>{{"", "invalid", field_message("", "invalid", l)}};
  // The codes and messages of the sign-up form (SPEC §14: "the errors list of §3 and its codes").
  std::vector<field_error> errors;
  const auto fail = [&](const char* field, const char* code) {
    errors.push_back({field, code, field_message(field, code, l)});
  };
  // Missing, null or "" → required (when required); another JSON type → invalid.
  const auto text = [&](const char* name, bool required) -> std::optional<std::string> {
    const auto given = read_given_text(body, name);
    if (given.state == given_text::kind::absent && required) fail(name, "required");
    if (given.state == given_text::kind::not_text) fail(name, "invalid");
    if (given.state != given_text::kind::text) return std::nullopt;
    return given.value;
  };
  account_request r;
  r.language = l;
  if (auto opid = text("opid", true)) {
    if (!is_valid_opid(*opid)) fail("opid", "invalid");
    r.opid = *opid;
  }
  if (auto plan = text("plan", true)) {
    if (*plan != "free" && *plan != "standard") fail("plan", "invalid");
    r.plan = *plan;
  }
  if (auto method = text("auth_method", true)) {
    if (*method != "otp" && *method != "certificate") fail("auth_method", "invalid");
    r.auth_method = *method;
  }
  if (auto password = text("password", true)) {
    if (!is_valid_password(*password)) fail("password", "weak_password");
    r.password = *password;
  }
  if (auto email = text("email", true)) {
    if (utf8_length(*email) > email_max_length)
      fail("email", "too_long");
    else if (!is_valid_email(*email))
      fail("email", "invalid");
    r.email = *email;
  }
  const auto one_line = [&](const char* name, std::string& out) {
    auto v = text(name, false);
    if (!v) return;
    if (has_control_chars(*v))
      fail(name, "invalid");
    else if (utf8_length(*v) > text_max_length)
      fail(name, "too_long");
    out = *v;
  };
  one_line("person", r.person);
  one_line("department", r.department);
  r.registered = today;
  if (auto reg = text("registered", false)) {
    auto d = parse_date(*reg);
    if (!d)
      fail("registered", "invalid");
    else if (*d > today)
      fail("registered", "future");
    else
      r.registered = *d;
  }
  if (r.plan == "standard") {
    // Formats only here; membership of the OPID is checked against the registry later.
    if (auto an = text("billing_an", true)) {
      r.billing_an = strip_hyphens(*an);
      if (!is_valid_an(r.billing_an)) fail("billing_an", "invalid");
    }
    if (auto phone = text("billing_phone", true)) {
      r.billing_phone = strip_hyphens(*phone);
      if (!is_valid_jp_phone(r.billing_phone)) fail("billing_phone", "invalid");
    }
  }
  if (!errors.empty()) return errors;
  return r;
}

std::vector<field_error> check_against_registry(const account_request& r, const registry& reg) {
  std::vector<field_error> errors;
  const auto fail = [&](const char* field, const char* code) {
    errors.push_back({field, code, field_message(field, code, r.language)});
  };
  auto* e = reg.find(r.opid);
  if (!e) {
    fail("opid", "unknown_opid");
    return errors;
  }
  if (!e->parent) fail("opid", "child_opid");
  if (!r.billing_an.empty()) {
    bool found = std::any_of(e->ans.begin(), e->ans.end(), [&](auto& a) { return a.an == r.billing_an; });
    if (!found) fail("billing_an", "an_not_in_opid");
  }
  return errors;
}

given_text read_given_text(const nlohmann::json& body, const char* name) {
  given_text g;
  auto it = body.find(name);
  if (it == body.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) return g;
  if (!it->is_string()) {
    g.state = given_text::kind::not_text;
    return g;
  }
  g.state = given_text::kind::text;
  g.value = it->get<std::string>();
  return g;
}

plan_request read_plan_request(const nlohmann::json& body) {
  plan_request r;
  if (!body.is_object()) {
    r.is_object = false;
    return r;
  }
  r.plan = read_given_text(body, "plan");
  r.billing_an = read_given_text(body, "billing_an");
  r.billing_phone = read_given_text(body, "billing_phone");
  auto it = body.find("confirm");
  r.confirm = it != body.end() && it->is_boolean() && it->get<bool>();
  return r;
}

namespace {
// A field read by read_given_text: its value, or a required/invalid error.
std::optional<std::string> given_field(const given_text& g, const char* name, std::vector<field_error>& errors,
                                       bool required) {
  if (g.state == given_text::kind::absent) {
    if (required) errors.push_back({name, "required", std::string("'") + name + "' is required"});
    return std::nullopt;
  }
  if (g.state == given_text::kind::not_text) {
    errors.push_back({name, "invalid", std::string("'") + name + "' must be a string"});
    return std::nullopt;
  }
  return g.value;
}
}  // namespace

std::variant<plan_change, std::vector<field_error>> check_plan_change(const plan_request& body, const account& current,
                                                                      const registry& reg) {
  if (!body.is_object) return std::vector<field_error>{{"", "invalid", "the body must be a JSON object"}};
  std::vector<field_error> errors;
  plan_change c;
  auto plan = given_field(body.plan, "plan", errors, true);
  if (plan && *plan != "free" && *plan != "standard")
    errors.push_back({"plan", "invalid", "plan must be free or standard"});
  if (!errors.empty()) return errors;
  c.plan = *plan;
  if (c.plan == "standard" && current.plan != "standard") {
    auto billing_an = given_field(body.billing_an, "billing_an", errors, true);
    auto billing_phone = given_field(body.billing_phone, "billing_phone", errors, true);
    check_billing(current.opid, billing_an, billing_phone, reg, errors);
    if (billing_an) c.billing_an = strip_hyphens(*billing_an);
    if (billing_phone) c.billing_phone = strip_hyphens(*billing_phone);
  }
  if (c.plan == "free" && current.plan == "standard") {
    c.confirm = body.confirm;
    if (!c.confirm)
      errors.push_back({"confirm", "confirmation_required",
                        "moving to free deletes detailed and custom data and data beyond 12 months; send "
                        "\"confirm\": true"});
  }
  if (!errors.empty()) return errors;
  return c;
}

nlohmann::json field_errors_json(const std::vector<field_error>& errors) {
  auto list = nlohmann::json::array();
  for (auto& e : errors) {
    nlohmann::json item = {{"field", e.field}, {"code", e.code}, {"message", e.message}};
    if (e.line > 0) item["line"] = e.line;
    list.push_back(std::move(item));
  }
  return {{"errors", list}};
}

void apply_plan_change(account& a, const plan_change& change, civil_date today) {
  if (change.plan == "standard" && a.plan != "standard") a.detailed_since = today;
  if (change.plan == "free") a.detailed_since = {};
  a.plan = change.plan;
  if (change.plan == "standard" && !change.billing_an.empty()) {
    a.billing_an = change.billing_an;
    a.billing_phone = change.billing_phone;
  }
  if (change.plan == "free") a.billing_an.clear(), a.billing_phone.clear();
}

}  // namespace cxs::domain
