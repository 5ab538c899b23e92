#pragma once
// The admin listener's routes (SPEC §9, §11, §14 "Operator API"): bearer token, then one call to
// the service per route. Pure dispatch: no Beast, no CAF.

#include "actors/service.hpp"
#include "http/request.hpp"

#include <functional>
#include <string>

namespace cxs::http {

struct admin_context {
  actors::service* service = nullptr;
  std::string token;
  bool testing = false;        // --testing.clock given: test-only routes exist
  std::function<std::string()> http_metrics;  // the front door's own metrics text
};

// The route label used in metrics, e.g. "/admin/accounts/{id}".
std::string admin_route_label(const request& req);

// Answers through done (exactly once).
void handle_admin(const admin_context& ctx, const request& req, actors::done_fn done);

}  // namespace cxs::http
