#pragma once
// The customer listener (SPEC §3, §4, §11): the browser pages, and the /api routes — sign-up,
// login, sessions, settings, plan and analytics — behind the request guard — a live session for everything but sign-up,
// login and reissue; X-CSRF-Token on every state-changing request; rate limits on the public
// routes; security headers on every answer. Pure dispatch: no Beast, no CAF.

#include "actors/service.hpp"
#include "http/rate_limiter.hpp"
#include "http/request.hpp"
#include "http/static_files.hpp"

#include <memory>

namespace cxs::http {

struct customer_context {
  customer_context(actors::service* s, std::shared_ptr<const static_site> pages, uint32_t per_address,
                   uint32_t per_id)
      : service(s), site(std::move(pages)), by_address(per_address), by_id(per_id) {}
  actors::service* service;
  std::shared_ptr<const static_site> site;  // the browser pages; empty when not built
  rate_limiter by_address;  // keys "<group> <address>"
  rate_limiter by_id;       // keys "<group> <id>"
};

// The route label used in metrics, from a fixed set.
std::string customer_route_label(const request& req);

// Answers through done (exactly once).
void handle_customer(customer_context& ctx, const request& req, actors::done_fn done);

// The headers every customer answer carries (HSTS, CSP, nosniff, no-referrer, frame-ancestors);
// the listener applies it to each answer, its own errors included.
void add_security_headers(actors::reply& r);

}  // namespace cxs::http
