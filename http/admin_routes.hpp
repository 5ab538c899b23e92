#pragma once
// The admin listener's routes (SPEC §9, §11, §14 "Operator API"): one table of rows, the bearer
// token before everything but the probes, then one typed call to the admin facade per route.
// Pure dispatch: no Beast, no CAF.

#include "actors/admin_api.hpp"
#include "http/ops_sessions.hpp"
#include "http/reply.hpp"
#include "http/request.hpp"
#include "http/static_files.hpp"
#include "metrics/live_stats.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cxs::http {

using respond_fn = std::function<void(reply)>;

struct admin_context {
  actors::admin_api* api = nullptr;
  std::string token;
  bool testing = false;  // --testing.clock given: test-only routes exist
  // The snapshots GET /admin/stats keeps between calls (its rates' baseline); null: since boot.
  std::shared_ptr<metrics::stats_history> stats = nullptr;
  // The /ops page (SPEC §17): its operators' sessions and the built page (may be empty).
  std::shared_ptr<ops_sessions> ops = std::make_shared<ops_sessions>();
  std::shared_ptr<const static_site> site = nullptr;
};

struct admin_call {
  const admin_context& ctx;
  const request& req;
  std::vector<std::string> params;  // the values of the pattern's {…} segments
  respond_fn respond;
};

struct admin_route {
  std::string pattern;
  std::vector<std::string> methods;
  bool needs_token = true;  // false: the probes, the /ops page and its login, answered to anyone
  void (*handler)(admin_call&);
  std::vector<std::string> segments;  // of pattern
  // Methods whose body is JSON: they need Content-Type application/json (else 415, SPEC §18).
  std::vector<std::string> json_methods = {};
};

// The rows of the admin listener; the test-only rows only with testing.
const std::vector<admin_route>& admin_routes(bool testing);

// The route label used in metrics: a row's pattern, or "other".
std::string admin_route_label(const request& req);

// The answer to a request head without the operator token where one is needed (401), or to a
// JSON route's head of another Content-Type (415), or nullopt. The listener asks this before
// reading a body (SPEC §18), and handle_admin asks it again.
std::optional<reply> admin_head_check(const admin_context& ctx, const request& head);

// The headers every admin answer carries (the listener applies it to each, its own errors
// included): HSTS, nosniff, no framing, no referrer, and a CSP that loads nothing — the admin
// listener serves data (JSON, CSV, metrics), never a page.
void add_admin_security_headers(reply& r);

// Answers through respond (exactly once).
void handle_admin(const admin_context& ctx, const request& req, respond_fn respond);

}  // namespace cxs::http
