#pragma once
// The customer listener (SPEC §3, §4, §11): the browser pages, and the /api routes as one table —
// sign-up, login, sessions, settings, plan and analytics. Rows marked public answer without a
// session (sign-up, login, reissue; rate-limited); the rest sit behind the request guard: a live
// session, and X-CSRF-Token on every state-changing request. Security headers go on every
// answer. Pure dispatch: no Beast, no CAF.

#include "actors/customer_api.hpp"
#include "domain/messages.hpp"
#include "http/rate_limiter.hpp"
#include "http/reply.hpp"
#include "http/request.hpp"
#include "http/static_files.hpp"

#include <functional>
#include <memory>
#include <optional>

namespace cxs::http {

using respond_fn = std::function<void(reply)>;

struct customer_context {
  customer_context(actors::customer_api* a, std::shared_ptr<const static_site> pages, uint32_t per_address,
                   uint32_t per_id)
      : api(a), site(std::move(pages)), by_address(per_address), by_id(per_id) {}
  actors::customer_api* api;
  std::shared_ptr<const static_site> site;  // the browser pages; empty when not built
  rate_limiter by_address;                  // keys "<group> <address>"
  rate_limiter by_id;                       // keys "<group> <id>"
};

struct customer_call {
  customer_context& ctx;
  const request& req;
  std::vector<std::string> params;  // the values of the pattern's {…} segments
  domain::lang lang;
  std::optional<sessions::session_info> session;  // set on rows behind the guard
  std::string session_token;
  respond_fn respond;
  // On a standard_plan row: the answer the body's type earns (415), held until the plan is known,
  // since a free account hears 403 plan_required first (SPEC §15).
  std::optional<reply> held_refusal = std::nullopt;
};

struct customer_route {
  std::string pattern;
  std::vector<std::string> methods;
  bool needs_session = true;
  // Public rows: the rate-limit group, and the body key whose value is limited per ID too.
  const char* limit_group = nullptr;
  const char* limit_id_key = nullptr;
  void (*handler)(customer_call&);
  // Methods whose body has a type: they need Content-Type body_type (else 415, SPEC §18), so a
  // cross-site HTML form, which can send neither JSON nor CSV, never reaches them.
  std::vector<std::string> body_methods;
  std::vector<std::string> segments;  // of pattern
  std::string_view body_type = "application/json";
  // Methods a child ID may not use (403 forbidden_role, SPEC §15).
  std::vector<std::string> main_only = {};
  // A standard-plan feature: its handler checks the plan (on_standard_plan) before the body's type.
  bool standard_plan = false;
};

const std::vector<customer_route>& customer_routes();

// The route label used in metrics, from a fixed set: a row's pattern, "/api/other",
// "/assets/{file}" or "/{page}".
std::string customer_route_label(const request& req);

// Answers through respond (exactly once).
void handle_customer(customer_context& ctx, const request& req, respond_fn respond);

// The headers every customer answer carries (HSTS, CSP, nosniff, no-referrer, frame-ancestors);
// the listener applies it to each answer, its own errors included.
void add_security_headers(reply& r);

// The session cookie's name (SPEC §18). The __Host- prefix makes browsers refuse it unless it is
// Secure, has Path=/ and no Domain, so no sibling subdomain can plant or shadow it.
inline constexpr std::string_view session_cookie_name = "__Host-cxs_session";

// The Set-Cookie value of a session (SPEC §4, §18: Secure, HttpOnly, SameSite=Strict, Path=/); an
// empty token clears the cookie.
std::string session_cookie(const std::string& token);

}  // namespace cxs::http
