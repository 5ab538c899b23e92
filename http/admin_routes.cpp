#include "http/admin_routes.hpp"

#include "domain/filters.hpp"
#include "domain/secret.hpp"
#include "ops/metrics.hpp"

namespace cxs::http {

using actors::error_reply;
using actors::json_reply;

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) parts.push_back(std::move(cur));
  return parts;
}

// A fixed set of labels: a path that is not a route must not create a new metric series.
std::string admin_route_label(const request& req) {
  auto p = split_path(req.path);
  auto n = p.size();
  if (n == 1 && (p[0] == "healthz" || p[0] == "readyz" || p[0] == "metrics")) return "/" + p[0];
  if (n < 2 || p[0] != "admin") return "other";
  if (n == 2 && (p[1] == "registry" || p[1] == "ingest" || p[1] == "accounts")) return "/admin/" + p[1];
  if (n == 3 && p[1] == "retention" && p[2] == "run") return "/admin/retention/run";
  if (p[1] != "accounts") return "other";
  if (n == 3) return "/admin/accounts/{id}";
  if (n == 4 && p[3] == "plan") return "/admin/accounts/{id}/plan";
  if (n == 5 && p[3] == "analytics") return "/admin/accounts/{id}/analytics/{name}";
  if (n == 5 && p[3] == "testing" && p[4] == "crash") return "/admin/accounts/{id}/testing/crash";
  return "other";
}

namespace {
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The Allow header of a 405 (RFC 9110 §15.5.6).
std::string allowed_methods(const std::vector<std::string>& p) {
  if (p.size() == 1) return "GET, HEAD";
  if (p.size() == 2 && p[1] == "registry") return "GET, PUT, PATCH";
  if (p.size() == 3 && p[1] == "accounts") return "GET";
  if (p.size() == 5 && p[3] == "analytics") return "GET";
  return "POST";
}
}  // namespace

void handle_admin(const admin_context& ctx, const request& req, actors::done_fn done) {
  auto p = split_path(req.path);
  auto& m = req.method;
  // Probes answer without the token (SPEC §14).
  if (p.size() == 1 && p[0] == "healthz" && (m == "GET" || m == "HEAD")) {
    done(json_reply(200, {{"status", "ok"}}));
    return;
  }
  if (p.size() == 1 && p[0] == "readyz" && (m == "GET" || m == "HEAD")) {
    if (ctx.service->ready()) done(json_reply(200, {{"status", "ready"}}));
    else done(error_reply(503, "not_ready", "not ready: storage is not open or the OPID registry is empty"));
    return;
  }
  auto auth = req.header("authorization");
  // The scheme name is case-insensitive (RFC 9110 §11.1); the token itself is not.
  auto scheme = lower(auth.substr(0, 7));
  if (scheme != "bearer " || !domain::secrets_equal(auth.substr(7), ctx.token)) {
    done(error_reply(401, "unauthorized", "an operator token is required: Authorization: Bearer <token>"));
    return;
  }
  auto method_not_allowed = [&] {
    auto r = error_reply(405, "method_not_allowed", m + " is not allowed on " + req.path);
    r.allow = allowed_methods(p);
    done(std::move(r));
  };

  if (p.size() == 1 && p[0] == "metrics") {
    if (m != "GET" && m != "HEAD") return method_not_allowed();
    actors::reply r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics::global().render() + ctx.service->storage_metrics() +
             (ctx.http_metrics ? ctx.http_metrics() : std::string());
    done(std::move(r));
    return;
  }
  if (p.empty() || p[0] != "admin") {
    done(error_reply(404, "not_found", "no route " + req.path));
    return;
  }
  if (p.size() == 2 && p[1] == "registry") {
    if (m == "GET") return ctx.service->registry_show(std::move(done));
    if (m == "PUT" || m == "PATCH") return ctx.service->registry_replace(*req.body, m == "PUT", std::move(done));
    return method_not_allowed();
  }
  if (p.size() == 2 && p[1] == "ingest") {
    if (m != "POST") return method_not_allowed();
    auto type = lower(req.header("content-type"));
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    if (type != "text/csv" && type != "application/x-ndjson") {
      done(error_reply(415, "content_type", "send CDRs as text/csv or application/x-ndjson"));
      return;
    }
    return ctx.service->ingest(req.body, type, std::move(done));
  }
  if (p.size() == 3 && p[1] == "retention" && p[2] == "run") {
    if (m != "POST") return method_not_allowed();
    return ctx.service->retention_run(std::move(done));
  }
  if (p.size() >= 2 && p[1] == "accounts") {
    if (p.size() == 2) {
      if (m != "POST") return method_not_allowed();
      return ctx.service->account_create(*req.body, std::move(done));
    }
    auto& id = p[2];
    if (p.size() == 3) {
      if (m != "GET") return method_not_allowed();
      return ctx.service->account_show(id, std::move(done));
    }
    if (p.size() == 4 && p[3] == "plan") {
      if (m != "POST") return method_not_allowed();
      return ctx.service->account_plan(id, *req.body, std::move(done));
    }
    if (p.size() == 5 && p[3] == "analytics") {
      if (m != "GET") return method_not_allowed();
      return ctx.service->analytics(id, p[4], domain::parse_query(req.query), std::move(done));
    }
    if (ctx.testing && p.size() == 5 && p[3] == "testing" && p[4] == "crash") {
      if (m != "POST") return method_not_allowed();
      return ctx.service->account_crash(id, std::move(done));
    }
  }
  done(error_reply(404, "not_found", "no route " + req.path));
}

}  // namespace cxs::http
