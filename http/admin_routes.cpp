#include "http/admin_routes.hpp"

#include "domain/secret.hpp"
#include "domain/settings.hpp"
#include "domain/signup.hpp"
#include "http/error_table.hpp"
#include "http/render.hpp"
#include "http/route_table.hpp"
#include "metrics/activity.hpp"
#include "metrics/metrics.hpp"

#include <chrono>

namespace cxs::http {

namespace {

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Hands a facade's answer to respond: rendered by on_value, or the failure in English.
template <class T, class F>
actors::then_fn<T> answer(respond_fn respond, F on_value) {
  return [respond = std::move(respond), on_value](domain::expected<T> r) {
    if (!r) return respond(admin_failure(r.error()));
    respond(on_value(r.value()));
  };
}

// The body as JSON, or the 400 answer (then nullopt).
std::optional<nlohmann::json> json_body(admin_call& c, const char* what) {
  auto j = nlohmann::json::parse(*c.req.body, nullptr, false);
  if (j.is_discarded()) {
    c.respond(admin_failure(domain::fail(domain::error_code::json, what)));
    return std::nullopt;
  }
  return j;
}

void healthz(admin_call& c) { c.respond(json_reply(200, {{"status", "ok"}})); }

void readyz(admin_call& c) {
  if (c.ctx.api->ready()) return c.respond(json_reply(200, {{"status", "ready"}}));
  c.respond(error_reply(503, "not_ready", "not ready: storage is not open or the OPID registry is empty"));
}

void metrics_text(admin_call& c) {
  reply r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics::global().render() + c.ctx.api->storage_metrics();
  c.respond(std::move(r));
}

// SPEC §17: the live figures of the /ops page, from the service's own metrics and the accounts'
// activity, rates over the last few seconds (metrics/live_stats.hpp).
void stats(admin_call& c) {
  metrics::snapshot now{steady_seconds(),
                        metrics::parse_exposition(metrics::global().render() + c.ctx.api->storage_metrics()),
                        metrics::activity().totals()};
  auto base = c.ctx.stats ? c.ctx.stats->baseline_for(now) : metrics::snapshot{};
  c.respond(json_reply(200, metrics::live_stats(now, base)));
}

// The /ops page and its files (SPEC §17): the built ops.html and the assets it loads.
void ops_page(admin_call& c) {
  const std::string path = c.req.path == "/ops" ? "/ops.html" : c.req.path;
  if (auto found = c.ctx.site ? c.ctx.site->answer(path, c.req.header("accept-encoding")) : std::nullopt)
    return c.respond(std::move(*found));
  c.respond(error_reply(404, "not_found", "the /ops page is not built (./ops/cxs build)"));
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// POST /admin/login {"token"}: the operator's session cookie for the /ops page.
void ops_login(admin_call& c) {
  auto json = json_body(c, "the body is not JSON");
  if (!json) return;
  const auto token = json->is_object() && json->contains("token") && (*json)["token"].is_string()
                         ? (*json)["token"].get<std::string>()
                         : std::string();
  if (!domain::secrets_equal(token, c.ctx.token))
    return c.respond(error_reply(401, "unauthorized", "wrong operator token"));
  auto r = json_reply(200, {{"status", "ok"}});
  r.headers.emplace_back("Set-Cookie", ops_cookie(c.ctx.ops->open(unix_now())));
  c.respond(std::move(r));
}

void ops_logout(admin_call& c) {
  c.ctx.ops->close(cookie_value(c.req.header("cookie"), ops_cookie_name));
  auto r = json_reply(200, {{"status", "logged_out"}});
  r.headers.emplace_back("Set-Cookie", ops_cookie(""));
  c.respond(std::move(r));
}

// POST /admin/backup {"dir"}: an online backup (docs/operations.md "Backup and restore").
void backup(admin_call& c) {
  auto json = json_body(c, "the body is not JSON");
  if (!json) return;
  const auto dir = json->is_object() && json->contains("dir") && (*json)["dir"].is_string()
                       ? (*json)["dir"].get<std::string>()
                       : std::string();
  c.ctx.api->backup(dir, answer<actors::backup_made>(c.respond, [](const actors::backup_made& b) {
                      return json_reply(200, {{"dir", b.dir}, {"bytes", b.bytes}, {"seconds", b.seconds}});
                    }));
}

void registry(admin_call& c) {
  auto& m = c.req.method;
  if (m == "GET")
    return c.ctx.api->registry_show(
        answer<actors::registry_ptr>(c.respond, [](auto& reg) { return json_reply(200, reg->to_json()); }));
  auto parsed = domain::parse_registry_json(*c.req.body);
  if (auto* errors = std::get_if<std::vector<domain::registry_error>>(&parsed)) {
    auto f = domain::fail(domain::error_code::invalid_registry);
    f.registry_errors = std::move(*errors);
    return c.respond(admin_failure(f));
  }
  c.ctx.api->registry_apply(std::move(std::get<std::vector<domain::opid_entry>>(parsed)), m == "PUT",
                            answer<std::size_t>(c.respond, [](std::size_t n) {
                              return json_reply(200, {{"opids", n}});
                            }));
}

void ingest(admin_call& c) {
  const auto type = c.req.header("content-type");
  const bool csv = is_media_type(type, "text/csv");
  if (!csv && !is_media_type(type, "application/x-ndjson"))
    return c.respond(error_reply(415, "content_type", "send CDRs as text/csv or application/x-ndjson"));
  auto format = csv ? actors::cdr_format::csv : actors::cdr_format::ndjson;
  c.ctx.api->ingest(c.req.body, format,
                    answer<actors::ingest_summary>(c.respond, [](auto& s) { return ingest_reply(s); }));
}

void retention(admin_call& c) {
  c.ctx.api->retention_run(answer<domain::nothing>(c.respond, [](auto&) {
    return json_reply(200, {{"status", "done"}});
  }));
}

void account_create(admin_call& c) {
  auto json = json_body(c, "the body is not valid JSON");
  if (!json) return;
  auto parsed =
      domain::parse_account_request(*json, c.ctx.api->today(), domain::language_of(c.req.header("accept-language")));
  if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
    return c.respond(admin_failure(domain::field_failure(std::move(*errors))));
  c.ctx.api->account_create(std::move(std::get<domain::account_request>(parsed)),
                            answer<actors::account_summary>(c.respond, [](auto& a) { return account_reply(a, 201); }));
}

void account_show(admin_call& c) {
  c.ctx.api->account_show(c.params[0],
                          answer<actors::account_summary>(c.respond, [](auto& a) { return account_reply(a); }));
}

void account_plan(admin_call& c) {
  auto json = json_body(c, "the body is not JSON");
  if (!json) return;
  c.ctx.api->plan_change(c.params[0], domain::read_plan_request(*json),
                         answer<actors::account_summary>(c.respond, [](auto& a) { return account_reply(a); }));
}

// Support (SPEC §19). POST /admin/accounts/{id}/unlock lifts a lockout.
void account_unlock(admin_call& c) {
  c.ctx.api->account_unlock(c.params[0], answer<bool>(c.respond, [id = c.params[0]](bool was_locked) {
                              return json_reply(200, {{"id", id}, {"was_locked", was_locked}});
                            }));
}

// POST /admin/accounts/{id}/sessions/end ends the ID's session and pending one-time password.
void account_end_sessions(admin_call& c) {
  c.ctx.api->account_end_sessions(c.params[0], answer<bool>(c.respond, [id = c.params[0]](bool ended) {
                                    return json_reply(200, {{"id", id}, {"ended", ended}});
                                  }));
}

// PUT /admin/accounts/{id}/auth_method {"auth_method": …}: never a method the customer cannot
// log in with yet (422 auth_method unavailable).
void account_auth_method(admin_call& c) {
  auto json = json_body(c, "the body is not JSON");
  if (!json) return;
  auto parsed = domain::parse_auth_method_body(*json);
  if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
    return c.respond(admin_failure(domain::field_failure(std::move(*errors))));
  c.ctx.api->account_auth_method(c.params[0], std::get<std::string>(parsed),
                                 answer<actors::account_summary>(c.respond, [](auto& a) { return account_reply(a); }));
}

// GET /admin/accounts/{id}/certificates (SPEC §16): {"certificates":[{"serial","not_after","revoked"}]},
// newest first; times in JST ISO 8601, revoked null while the certificate stands.
void account_certificates(admin_call& c) {
  c.ctx.api->certificates_list(c.params[0], answer<std::vector<domain::certificate_record>>(c.respond, [](auto& list) {
                                 return json_reply(200, {{"certificates", certificates_json(list)}});
                               }));
}

// POST /admin/accounts/{id}/certificates/{serial}/revoke: 200 {"id","serial"}; the CRL lists it.
void certificate_revoke(admin_call& c) {
  std::string serial = c.params[1];
  for (auto& ch : serial) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  c.ctx.api->certificate_revoke(c.params[0], serial,
                                answer<domain::nothing>(c.respond, [id = c.params[0], serial](auto&) {
                                  return json_reply(200, {{"id", id}, {"serial", serial}});
                                }));
}

// POST /admin/accounts/{id}/download-credentials: new download credentials mailed (SPEC §16);
// 200 {"id","mailed":true} (a mail that could not be queued answers 503 `mail`).
void download_credentials(admin_call& c) {
  c.ctx.api->download_credentials_send(c.params[0], answer<bool>(c.respond, [id = c.params[0]](bool mailed) {
                                         return json_reply(200, {{"id", id}, {"mailed", mailed}});
                                       }));
}

// POST /admin/certificates/remind: the expiry reminders due now; 200 {"sent": n}.
void certificates_remind(admin_call& c) {
  c.ctx.api->certificates_remind(answer<std::size_t>(c.respond, [](std::size_t sent) {
    return json_reply(200, {{"sent", sent}});
  }));
}

// GET /admin/crl: the CA's current CRL (PEM), every revoked serial.
void crl(admin_call& c) {
  c.ctx.api->crl(answer<std::string>(c.respond, [](auto& pem) {
    reply r;
    r.content_type = "application/x-pem-file";
    r.body = pem;
    return r;
  }));
}

// DELETE /admin/signup/{opid} cancels the OPID's pending application: 204, the OPID free again.
void signup_cancel(admin_call& c) {
  c.ctx.api->signup_cancel(c.params[0], answer<domain::nothing>(c.respond, [](auto&) {
                             reply r;
                             r.status = 204;
                             return r;
                           }));
}

// GET /admin/accounts?q=&after=&limit=: a page of the /ops account list; POST creates an account.
void accounts(admin_call& c) {
  if (c.req.method == "POST") return account_create(c);
  auto search = domain::read_account_search(domain::parse_query(c.req.query));
  if (!search) return c.respond(admin_failure(search.error()));
  c.ctx.api->account_list(
      std::move(*search), answer<actors::account_page>(c.respond, [](auto& page) {
        auto list = nlohmann::json::array();
        for (const auto& f : page.accounts) {
          auto j = account_json(f.summary);
          j["sessions"] = f.sessions;
          j["children"] = f.children;
          j["last_ingest"] =
              f.last_ingest ? nlohmann::json(domain::format_jst_iso(f.last_ingest)) : nlohmann::json(nullptr);
          list.push_back(std::move(j));
        }
        return json_reply(200, {{"accounts", list},
                                {"total", page.total},
                                {"next", page.next.empty() ? nlohmann::json(nullptr) : nlohmann::json(page.next)}});
      }));
}

void account_analytics(admin_call& c) {
  c.ctx.api->analytics(
      c.params[0],
      {c.params[1], domain::parse_query(c.req.query),
       domain::language_of(c.req.header("accept-language")) == domain::lang::en},
      answer<domain::analysis_document>(c.respond, [](auto& d) { return document_reply(std::move(d)); }));
}

void account_crash(admin_call& c) {
  c.ctx.api->account_crash(c.params[0], answer<domain::nothing>(c.respond, [](auto&) {
                             return json_reply(200, {{"status", "crashed"}});
                           }));
}

std::vector<admin_route> make_rows(bool testing) {
  std::vector<admin_route> rows = {
      {"/healthz", {"GET", "HEAD"}, false, healthz, {}},
      {"/readyz", {"GET", "HEAD"}, false, readyz, {}},
      {"/metrics", {"GET", "HEAD"}, true, metrics_text, {}},
      {"/ops", {"GET", "HEAD"}, false, ops_page, {}},
      {"/assets/{file}", {"GET", "HEAD"}, false, ops_page, {}},
      {"/admin/login", {"POST"}, false, ops_login, {}, {"POST"}},
      {"/admin/logout", {"POST"}, false, ops_logout, {}},
      {"/admin/stats", {"GET"}, true, stats, {}},
      {"/admin/registry", {"GET", "PUT", "PATCH"}, true, registry, {}, {"PUT", "PATCH"}},
      {"/admin/ingest", {"POST"}, true, ingest, {}},
      {"/admin/retention/run", {"POST"}, true, retention, {}},
      {"/admin/backup", {"POST"}, true, backup, {}, {"POST"}},
      {"/admin/accounts", {"GET", "POST"}, true, accounts, {}, {"POST"}},
      {"/admin/accounts/{id}", {"GET"}, true, account_show, {}},
      {"/admin/accounts/{id}/plan", {"POST"}, true, account_plan, {}, {"POST"}},
      {"/admin/accounts/{id}/analytics/{name}", {"GET"}, true, account_analytics, {}},
      {"/admin/accounts/{id}/unlock", {"POST"}, true, account_unlock, {}},
      {"/admin/accounts/{id}/sessions/end", {"POST"}, true, account_end_sessions, {}},
      {"/admin/accounts/{id}/auth_method", {"PUT"}, true, account_auth_method, {}, {"PUT"}},
      {"/admin/signup/{opid}", {"DELETE"}, true, signup_cancel, {}},
      {"/admin/accounts/{id}/certificates", {"GET"}, true, account_certificates, {}},
      {"/admin/accounts/{id}/certificates/{serial}/revoke", {"POST"}, true, certificate_revoke, {}},
      {"/admin/crl", {"GET"}, true, crl, {}},
      {"/admin/accounts/{id}/download-credentials", {"POST"}, true, download_credentials, {}},
      {"/admin/certificates/remind", {"POST"}, true, certificates_remind, {}},
  };
  if (testing) rows.push_back({"/admin/accounts/{id}/testing/crash", {"POST"}, true, account_crash, {}});
  for (auto& r : rows) r.segments = pattern_segments(r.pattern);
  return rows;
}

}  // namespace

const std::vector<admin_route>& admin_routes(bool testing) {
  static const auto plain = make_rows(false);
  static const auto with_testing = make_rows(true);
  return testing ? with_testing : plain;
}

// A fixed set of labels: a path that is not a route must not create a new metric series.
std::string admin_route_label(const request& req) {
  std::vector<std::string> params;
  auto* row = find_route(admin_routes(true), split_path(req.path), &params);
  return row ? row->pattern : "other";
}

namespace {
// The 401 for a request to row (null: no route) without the token, or nullopt when it may go on.
std::optional<reply> token_refusal(const admin_context& ctx, const request& head, const admin_route* row) {
  // Probes answer without the token (SPEC §14), with the methods they take.
  if (row && !row->needs_token && method_allowed(row->methods, head.method)) return std::nullopt;
  auto auth = head.header("authorization");
  // The scheme name is case-insensitive (RFC 9110 §11.1); the token itself is not.
  if (lower(auth.substr(0, 7)) == "bearer " && domain::secrets_equal(auth.substr(7), ctx.token)) return std::nullopt;
  // The /ops page's session cookie stands for the token; a change sent with it must also carry
  // X-CXS-Ops: 1, which no cross-site form or simple request can.
  if (ctx.ops && ctx.ops->touch(cookie_value(head.header("cookie"), ops_cookie_name), unix_now())) {
    const bool change = head.method != "GET" && head.method != "HEAD";
    if (!change || head.header("x-cxs-ops") == "1") return std::nullopt;
    return error_reply(403, "csrf", "a change from the /ops page needs the header X-CXS-Ops: 1");
  }
  return error_reply(401, "unauthorized", "an operator token is required: Authorization: Bearer <token>");
}

// The 415 of a JSON route (SPEC §18) whose head names another type, or nullopt.
std::optional<reply> media_type_refusal(const request& head, const admin_route& row) {
  if (!method_allowed(row.methods, head.method) || !method_allowed(row.json_methods, head.method) ||
      is_media_type(head.header("content-type"), "application/json"))
    return std::nullopt;
  return error_reply(415, "unsupported_media_type", "send the body as Content-Type: application/json");
}
}  // namespace

std::optional<reply> admin_head_check(const admin_context& ctx, const request& head) {
  std::vector<std::string> params;
  auto* row = find_route(admin_routes(ctx.testing), split_path(head.path), &params);
  if (auto refused = token_refusal(ctx, head, row)) return refused;
  // A body of the wrong type is not worth reading.
  return row ? media_type_refusal(head, *row) : std::nullopt;
}

void handle_admin(const admin_context& ctx, const request& req, respond_fn respond) {
  std::vector<std::string> params;
  auto* row = find_route(admin_routes(ctx.testing), split_path(req.path), &params);
  if (auto refused = token_refusal(ctx, req, row)) return respond(std::move(*refused));
  if (!row) return respond(error_reply(404, "not_found", "no route " + req.path));
  auto& m = req.method;
  if (!method_allowed(row->methods, m)) {
    auto r = error_reply(405, "method_not_allowed", m + " is not allowed on " + req.path);
    r.allow = allow_header(row->methods);
    return respond(std::move(r));
  }
  if (auto refused = media_type_refusal(req, *row)) return respond(std::move(*refused));
  admin_call call{ctx, req, std::move(params), std::move(respond)};
  row->handler(call);
}

void add_admin_security_headers(reply& r) {
  r.headers.emplace_back("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  // The /ops page loads its own scripts, styles and fonts and talks to this listener only.
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                         "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; "
                         "frame-ancestors 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
}

}  // namespace cxs::http
