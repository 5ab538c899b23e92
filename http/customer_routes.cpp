#include "http/customer_routes.hpp"

#include "domain/filters.hpp"
#include "domain/secret.hpp"
#include "domain/signup.hpp"

#include <set>

namespace cxs::http {

using actors::done_fn;
using actors::error_reply;
using actors::json_reply;
using actors::reply;

namespace {

// The value of one cookie from a Cookie header ("a=1; cxs_session=…").
std::string cookie_value(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    auto item = std::string_view(header).substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.size() > name.size() && item.substr(0, name.size()) == name && item[name.size()] == '=')
      return std::string(item.substr(name.size() + 1));
    pos = end + 1;
  }
  return {};
}

reply localized(int status, const std::string& code, domain::lang l) {
  return error_reply(status, code, domain::error_message(code, l));
}

reply too_many(int retry_after, domain::lang l) {
  auto r = localized(429, "rate_limited", l);
  r.headers.emplace_back("Retry-After", std::to_string(retry_after));
  return r;
}

// Errors from the account side carry English texts; customers read them in their language.
reply localize(reply r, domain::lang l) {
  if (r.status < 400 || r.content_type != "application/json") return r;
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) return r;
  if (j.contains("error")) {
    auto code = j["error"].value("code", "");
    if (code == "plan_required" || code == "not_found" || code == "not_implemented" || code == "storage")
      j["error"]["message"] = domain::error_message(code, l);
  } else if (j.contains("errors") && j["errors"].is_array()) {
    for (auto& e : j["errors"]) e["message"] = domain::field_message(e.value("field", ""), e.value("code", ""), l);
  } else {
    return r;
  }
  r.body = json_reply(r.status, j).body;  // the rest of the answer (headers, Allow) stays
  return r;
}

// The string under key of a small JSON body, for per-ID rate limits; empty when absent.
std::string json_string(const std::string& body, const char* key) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_state_changing(const std::string& method) { return method != "GET" && method != "HEAD"; }

// Routes of the standard plan that later issues build: offered, never a broken link.
bool is_standard_feature(const std::vector<std::string>& p) {
  if (p.size() == 3 && p[1] == "groups" && (p[2] == "an" || p[2] == "dn")) return true;
  if (p.size() == 2 && (p[1] == "custom" || p[1] == "users")) return true;
  return p.size() == 3 && p[1] == "custom" && p[2] == "upload";
}

}  // namespace

void add_security_headers(reply& r) {
  r.headers.emplace_back("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                         "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                         "form-action 'self'; frame-ancestors 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
}

std::string customer_route_label(const request& req) {
  auto p = split_path(req.path);
  auto n = p.size();
  if (n == 0 || p[0] != "api") return n >= 2 && p[0] == "assets" ? "/assets/{file}" : "/{page}";
  if (n < 2) return "/api/other";
  if (p[1] == "signup") {
    if (n == 2) return "/api/signup";
    if (n == 3) return "/api/signup/{token}";
    if (n == 4 && p[3] == "confirm") return "/api/signup/{token}/confirm";
  }
  if (p[1] == "login" && n == 2) return "/api/login";
  if (p[1] == "login" && n == 3 && p[2] == "otp") return "/api/login/otp";
  if (n == 2 && (p[1] == "logout" || p[1] == "me" || p[1] == "plan" || p[1] == "custom" || p[1] == "users"))
    return "/api/" + p[1];
  if (n == 3 && p[1] == "password" && (p[2] == "reset-request" || p[2] == "reset")) return "/api/password/" + p[2];
  if (n == 3 && p[1] == "analytics") return "/api/analytics/{name}";
  if (n == 3 && p[1] == "groups" && (p[2] == "an" || p[2] == "dn")) return "/api/groups/" + p[2];
  if (n == 3 && p[1] == "custom" && p[2] == "upload") return "/api/custom/upload";
  return "/api/other";
}

void handle_customer(customer_context& ctx, const request& req, done_fn done_plain) {
  auto l = domain::language_of(req.header("accept-language"));
  done_fn done = [done_plain = std::move(done_plain), l](reply r) {
    done_plain(localize(std::move(r), l));
  };
  auto p = split_path(req.path);
  auto& m = req.method;
  auto& svc = *ctx.service;
  auto not_allowed = [&](const char* allow) {
    auto r = localized(405, "method_not_allowed", l);
    r.allow = allow;
    done(std::move(r));
  };
  // Limits per client address, and per ID where the body names one.
  auto limited = [&](const char* group, const std::string& id) {
    if (auto wait = ctx.by_address.take(std::string(group) + " " + req.remote)) return done(too_many(*wait, l)), true;
    if (!id.empty())
      if (auto wait = ctx.by_id.take(std::string(group) + " " + id)) return done(too_many(*wait, l)), true;
    return false;
  };
  if (p.empty() || p[0] != "api") {
    // The browser pages: public files, no session needed (the pages ask /api/me themselves).
    if (m != "GET" && m != "HEAD") return not_allowed("GET, HEAD");
    // The admin listener's paths are not pages here: a clear 404, not the page shell.
    static const std::set<std::string> admin_paths{"admin", "metrics", "healthz", "readyz", "ops"};
    bool dot_segment = std::any_of(p.begin(), p.end(), [](auto& s) { return s == "." || s == ".."; });
    if (dot_segment || (!p.empty() && admin_paths.count(p[0]))) return done(localized(404, "not_found", l));
    if (auto page = ctx.site ? ctx.site->answer(req.path, req.header("accept-encoding")) : std::nullopt)
      return done(std::move(*page));
    return done(localized(404, "not_found", l));
  }
  // Paths that are no route answer 404 before the guard: the route list is public anyway.
  if (customer_route_label(req) == "/api/other") return done(localized(404, "not_found", l));
  auto& what = p[1];

  // -- public routes: sign-up, login, reissue ------------------------------------------------
  if (what == "signup" && p.size() == 2) {
    if (m != "POST") return not_allowed("POST");
    if (limited("signup", {})) return;
    return svc.signup_apply(*req.body, l, std::move(done));
  }
  if (what == "signup" && p.size() == 3) {
    if (m != "GET" && m != "HEAD") return not_allowed("GET, HEAD");
    return svc.signup_show(p[2], l, std::move(done));
  }
  if (what == "signup" && p.size() == 4 && p[3] == "confirm") {
    if (m != "POST") return not_allowed("POST");
    if (limited("signup", {})) return;
    return svc.signup_confirm(p[2], l, std::move(done));
  }
  if (what == "login" && p.size() == 2) {
    if (m != "POST") return not_allowed("POST");
    if (limited("login", json_string(*req.body, "id"))) return;
    return svc.login(*req.body, l, std::move(done));
  }
  if (what == "login" && p.size() == 3 && p[2] == "otp") {
    if (m != "POST") return not_allowed("POST");
    if (limited("otp", {})) return;
    return svc.login_otp(*req.body, l, std::move(done));
  }
  if (what == "password" && p.size() == 3 && p[2] == "reset-request") {
    if (m != "POST") return not_allowed("POST");
    if (limited("reset", json_string(*req.body, "id"))) return;
    return svc.reissue_request(*req.body, l, std::move(done));
  }
  if (what == "password" && p.size() == 3 && p[2] == "reset") {
    if (m != "POST") return not_allowed("POST");
    if (limited("reset", {})) return;
    return svc.reissue(*req.body, l, std::move(done));
  }

  // -- the guard: a live session, and the CSRF token on state-changing requests ---------------
  auto token = cookie_value(req.header("cookie"), "cxs_session");
  auto session = token.empty() ? std::nullopt : svc.session(token);
  if (!session) return done(localized(401, "unauthenticated", l));
  if (is_state_changing(m) && !domain::secrets_equal(req.header("x-csrf-token"), session->csrf))
    return done(localized(403, "csrf", l));
  auto& id = session->id;

  if (what == "logout" && p.size() == 2) {
    if (m != "POST") return not_allowed("POST");
    return svc.logout(token, std::move(done));
  }
  if (what == "me" && p.size() == 2) {
    if (m == "GET" || m == "HEAD") return svc.me_show(id, session->csrf, std::move(done));
    if (m == "PUT") return svc.me_update(id, *req.body, l, session->csrf, std::move(done));
    return not_allowed("GET, HEAD, PUT");
  }
  if (what == "analytics" && p.size() == 3) {
    if (m != "GET" && m != "HEAD") return not_allowed("GET, HEAD");
    return svc.analytics(id, p[2], domain::parse_query(req.query), std::move(done));
  }
  if (what == "plan" && p.size() == 2) {
    if (m == "GET" || m == "HEAD") return svc.plan_show(id, std::move(done));
    if (m == "POST") return svc.account_plan(id, *req.body, std::move(done));
    return not_allowed("GET, HEAD, POST");
  }
  if (is_standard_feature(p)) {
    return svc.plan_show(id, [done, l](reply r) {
      auto j = nlohmann::json::parse(r.body, nullptr, false);
      if (r.status != 200 || j.is_discarded()) return done(std::move(r));
      if (j.value("plan", "") != "standard") return done(localized(403, "plan_required", l));
      done(localized(501, "not_implemented", l));
    });
  }
  done(localized(404, "not_found", l));
}

}  // namespace cxs::http
