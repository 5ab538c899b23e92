#include "http/customer_routes.hpp"

#include "domain/custom_upload.hpp"
#include "domain/filters.hpp"
#include "domain/groups.hpp"
#include "domain/secret.hpp"
#include "domain/settings.hpp"
#include "domain/signup.hpp"
#include "http/certsrv_routes.hpp"
#include "http/error_table.hpp"
#include "http/render.hpp"
#include "http/route_table.hpp"
#include "metrics/metrics.hpp"

#include <set>

namespace cxs::http {

namespace {

reply too_many(int retry_after, domain::lang l) {
  auto r = customer_error(429, "rate_limited", l);
  r.headers.emplace_back("Retry-After", std::to_string(retry_after));
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

// Hands a facade's answer to respond: rendered by on_value, or the failure in the reader's language.
template <class T, class F>
actors::then_fn<T> answer(const customer_call& c, F on_value) {
  return [respond = c.respond, l = c.lang, on_value](domain::expected<T> r) {
    if (!r) return respond(customer_failure(r.error(), l));
    respond(on_value(r.value()));
  };
}

// The body as a JSON object, or the 400 answer (then nullopt).
std::optional<nlohmann::json> json_object(customer_call& c) {
  auto j = nlohmann::json::parse(*c.req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    c.respond(customer_error(400, "json", c.lang));
    return std::nullopt;
  }
  return j;
}

void reply_field_errors(customer_call& c, std::vector<domain::field_error> errors) {
  c.respond(customer_failure(domain::field_failure(std::move(errors)), c.lang));
}

// /api/me: the account's public record with the session's CSRF token.
auto me_with_csrf(const customer_call& c) {
  return [csrf = c.session->csrf](const actors::account_summary& a) {
    auto j = account_json(a);
    j["csrf_token"] = csrf;
    j["role"] = a.child ? "child" : "main";  // SPEC §15
    j["dns"] = a.numbers.dns;                // the DN group editor's list
    if (a.child) j["an_groups"] = a.child->an_groups;
    return json_reply(200, j);
  };
}

void signup_apply(customer_call& c) {
  auto json = json_object(c);
  if (!json) return;
  c.ctx.api->signup_apply(domain::read_signup(*json, c.lang), answer<domain::nothing>(c, [](auto&) {
                            return json_reply(202, {{"status", "provisional"}});
                          }));
}

void signup_show(customer_call& c) {
  c.ctx.api->signup_show(c.params[0], answer<actors::signup_view>(c, [](auto& v) { return signup_view_reply(v); }));
}

void signup_confirm(customer_call& c) {
  c.ctx.api->signup_confirm(c.params[0], answer<std::string>(c, [](auto& id) {
                              return json_reply(201, {{"id", id}});
                            }));
}

// A session began: its cookie, and the CSRF token and ID for the page.
reply session_reply(const actors::session_started& s) {
  auto r = json_reply(200, {{"csrf_token", s.csrf}, {"id", s.id}});
  r.headers.emplace_back("Set-Cookie", session_cookie(s.token));
  return r;
}

void login(customer_call& c) {
  auto json = json_object(c);
  if (!json) return;
  // SPEC §18: an `id` of the wrong shape (empty, not a string, not 10 letters or digits) names no
  // account; it is answered at once, before the rest of the body, and kept nowhere but in the
  // login counter, where a guessing run with such IDs must show like any other. (No `id` at all
  // is a body without the field: 422 `required`.)
  if (auto it = json->find("id");
      it != json->end() && !(it->is_string() && domain::looks_like_account_id(it->get_ref<const std::string&>()))) {
    metrics::global().get_counter("cxs_logins_total", {{"outcome", "invalid_credentials"}}).inc();
    return c.respond(customer_failure(domain::fail(domain::error_code::invalid_credentials), c.lang));
  }
  auto parsed = domain::parse_login(*json, c.lang);
  if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
    return reply_field_errors(c, std::move(*errors));
  auto& [id, password, take_over] = std::get<domain::login_request>(parsed);
  c.ctx.api->login(id, password, take_over, c.req.client_certificate, answer<actors::login_step>(c, [](auto& t) {
                     // SPEC §16: a certificate account's valid certificate was the second factor.
                     if (t.session) return session_reply(*t.session);
                     return json_reply(200, {{"second_factor", "otp"}, {"ticket", t.ticket}});
                   }));
}

void login_otp(customer_call& c) {
  auto json = json_object(c);
  if (!json) return;
  auto parsed = domain::parse_pair(*json, "ticket", "code", c.lang);
  if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
    return reply_field_errors(c, std::move(*errors));
  auto& [ticket, code] = std::get<std::pair<std::string, std::string>>(parsed);
  c.ctx.api->login_otp(ticket, code, answer<actors::session_started>(c, session_reply));
}

void reissue_request(customer_call& c) {
  auto json = json_object(c);
  if (!json) return;
  // Always 202, at once: neither the answer nor its timing tells whether ID and address match.
  c.respond(json_reply(202, {{"status", "accepted"}}));
  auto parsed = domain::parse_pair(*json, "id", "email", c.lang);
  if (auto* pair = std::get_if<std::pair<std::string, std::string>>(&parsed);
      pair && domain::looks_like_account_id(pair->first))
    c.ctx.api->reissue_request(pair->first, pair->second);
}

void reissue(customer_call& c) {
  auto json = json_object(c);
  if (!json) return;
  auto text = [&](const char* key) {
    auto it = json->find(key);
    return it != json->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  c.ctx.api->reissue(text("token"), text("password"), answer<domain::nothing>(c, [](auto&) {
                       return json_reply(200, {{"status", "reset"}});
                     }));
}

void logout(customer_call& c) {
  c.ctx.api->logout(c.session_token, answer<domain::nothing>(c, [](auto&) {
                      auto r = json_reply(200, {{"status", "logged_out"}});
                      r.headers.emplace_back("Set-Cookie", session_cookie(""));
                      return r;
                    }));
}

void me(customer_call& c) {
  if (c.req.method != "PUT")
    return c.ctx.api->me_show(c.session->id, answer<actors::account_summary>(c, me_with_csrf(c)));
  auto json = json_object(c);
  if (!json) return;
  auto parsed = domain::parse_settings_change(*json, c.lang);
  if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
    return reply_field_errors(c, std::move(*errors));
  c.ctx.api->me_update(c.session->id, std::move(std::get<domain::settings_change>(parsed)),
                       answer<actors::account_summary>(c, me_with_csrf(c)));
}

// GET /api/certificates (SPEC §16): the session's ID's client certificates, newest first, as the
// settings page shows them.
void certificates(customer_call& c) {
  c.ctx.api->certificates_of(c.session->id, answer<std::vector<domain::certificate_record>>(c, [](auto& list) {
                               return json_reply(200, {{"certificates", certificates_json(list)}});
                             }));
}

void analytics(customer_call& c) {
  c.ctx.api->analytics(*c.session, {c.params[0], domain::parse_query(c.req.query), c.lang == domain::lang::en},
                       answer<domain::analysis_document>(c, [](auto& d) { return document_reply(std::move(d)); }));
}

void plan(customer_call& c) {
  if (c.req.method != "POST")
    return c.ctx.api->plan_show(c.session->id,
                                answer<actors::account_summary>(c, [](auto& a) { return plan_reply(a); }));
  auto json = nlohmann::json::parse(*c.req.body, nullptr, false);
  if (json.is_discarded()) return c.respond(customer_error(400, "json", c.lang));
  c.ctx.api->plan_change(c.session->account, domain::read_plan_request(json),
                         answer<actors::account_summary>(c, [](auto& a) { return account_reply(a); }));
}

// A standard-plan call after its plan check: what the handler needs, copied out of the call,
// which ends before the facade answers.
struct standard_call {
  actors::customer_api* api;
  std::string account;
  std::string item;  // the {id} of the path; empty on a collection
  std::string method;
  std::shared_ptr<std::string> body;
  respond_fn respond;
  domain::lang lang;
  sessions::session_info who;  // the session: a limited child ID sees less (SPEC §15)

  bool one() const { return !item.empty(); }
  bool reading() const { return method == "GET" || method == "HEAD"; }
  std::optional<std::string> id() const { return one() ? std::optional<std::string>(item) : std::nullopt; }

  // A facade callback: the value rendered by on_value, a failure in the reader's language.
  template <class F>
  auto answered(F on_value) const {
    return [respond = respond, l = lang, on_value](auto r) {
      if (!r) return respond(customer_failure(r.error(), l));
      respond(on_value(*r));
    };
  }
  auto no_content() const {
    return answered([](const domain::nothing&) {
      reply r;
      r.status = 204;
      return r;
    });
  }
  // The body as a JSON object; nullopt after answering 400 `json`.
  std::optional<nlohmann::json> json_object() const {
    auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      respond(customer_error(400, "json", lang));
      return std::nullopt;
    }
    return json;
  }
  void field_errors(std::vector<domain::field_error> errors) const {
    respond(customer_failure(domain::field_failure(std::move(errors)), lang));
  }
};

// Runs `then` once the account is known to be on the standard plan, else answers plan_required:
// SPEC §15 checks the plan after the session and before the body (its type included).
template <class F>
void on_standard_plan(customer_call& c, F then) {
  standard_call d{c.ctx.api,    c.session->account, c.params.empty() ? std::string() : c.params[0],
                  c.req.method, c.req.body,         c.respond,
                  c.lang,       *c.session};
  c.ctx.api->require_standard(d.account,
                              [d, then, held = std::move(c.held_refusal)](domain::expected<domain::nothing> r) {
                                if (!r) return d.respond(customer_failure(r.error(), d.lang));
                                if (held) return d.respond(*held);
                                then(d);
                              });
}

// /api/groups/{an,dn}[/{id}]: GET lists (or shows one), POST creates, PUT replaces, DELETE removes.
void groups(customer_call& c, domain::group_kind kind) {
  on_standard_plan(c, [kind](const standard_call& d) {
    if (d.reading())
      return d.api->groups_list(d.who, kind, d.answered([d](const std::vector<domain::number_group>& list) {
        if (!d.one()) return json_reply(200, domain::groups_json(list));
        for (const auto& g : list)
          if (g.id == d.item) return json_reply(200, domain::group_json(g));
        return customer_error(404, "not_found", d.lang);
      }));
    if (d.method == "DELETE") return d.api->group_delete(d.account, kind, d.item, d.no_content());
    auto json = d.json_object();
    if (!json) return;
    auto parsed = domain::parse_group(*json, d.lang);
    if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
      return d.field_errors(std::move(*errors));
    domain::group_change change{kind, d.id(), std::move(std::get<domain::group_form>(parsed)), d.lang};
    d.api->group_save(d.account, std::move(change), d.answered([one = d.one()](const domain::number_group& g) {
      return json_reply(one ? 200 : 201, domain::group_json(g));
    }));
  });
}

// /api/custom[/{id}]: GET lists (or shows one), POST creates, PUT replaces, DELETE removes.
void custom_data(customer_call& c) {
  on_standard_plan(c, [](const standard_call& d) {
    if (d.reading() && !d.one())
      return d.api->customs_list(d.account, d.answered([](const std::vector<domain::custom_summary>& list) {
        return json_reply(200, domain::custom_list_json(list));
      }));
    if (d.reading())
      return d.api->custom_show(d.account, d.item, d.answered([](const domain::custom_set& set) {
        return json_reply(200, domain::custom_set_json(set));
      }));
    if (d.method == "DELETE") return d.api->custom_delete(d.account, d.item, d.no_content());
    auto json = d.json_object();
    if (!json) return;
    auto parsed = domain::parse_custom(*json, d.lang);
    if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
      return d.field_errors(std::move(*errors));
    domain::custom_change change{d.id(), std::move(std::get<domain::custom_form>(parsed)), d.lang};
    d.api->custom_save(d.account, std::move(change), d.answered([one = d.one()](const domain::custom_set& set) {
      return json_reply(one ? 200 : 201, domain::custom_set_json(set));
    }));
  });
}

// POST /api/custom/upload?name=…&unit=…&encoding=…&partial=…: a CSV file becomes a set (SPEC §15).
void custom_upload(customer_call& c) {
  on_standard_plan(c, [query = domain::parse_query(c.req.query)](const standard_call& d) {
    domain::custom_upload upload;
    upload.language = d.lang;
    for (const auto& [key, value] : query) {
      if (key == "name") {
        upload.name = value;
      } else if (key == "unit") {
        upload.unit = value;
      } else if (key == "encoding") {
        auto encoding = domain::parse_text_encoding(value);
        if (!encoding)
          return d.respond(customer_failure(
              domain::parameter_failure("encoding", "encoding must be auto, utf-8 or shift_jis"), d.lang));
        upload.encoding = *encoding;
      } else if (key == "partial") {
        if (value != "true" && value != "false")
          return d.respond(
              customer_failure(domain::parameter_failure("partial", "partial must be true or false"), d.lang));
        upload.partial = value == "true";
      }
    }
    upload.bytes = *d.body;
    d.api->custom_upload(d.account, std::move(upload), d.answered([](const domain::custom_upload_result& r) {
      auto json = domain::custom_set_json(r.set);
      json["errors"] = domain::field_errors_json(r.errors)["errors"];
      return json_reply(201, json);
    }));
  });
}

// /api/users[/{id}] (the main ID only: a child never gets here): GET lists (or shows one), POST
// creates a child ID and answers its ID, PATCH changes one, DELETE removes it.
void users(customer_call& c) {
  on_standard_plan(c, [](const standard_call& d) {
    if (d.reading())
      return d.api->users_list(d.account, d.answered([d](const std::vector<domain::child_user>& list) {
        if (!d.one()) return json_reply(200, domain::children_json(list));
        for (const auto& u : list)
          if (u.id == d.item) return json_reply(200, domain::child_json(u));
        return customer_error(404, "not_found", d.lang);
      }));
    if (d.method == "DELETE") return d.api->user_delete(d.account, d.item, d.no_content());
    auto json = d.json_object();
    if (!json) return;
    if (d.method == "POST") {
      auto parsed = domain::parse_child_request(*json, d.lang);
      if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
        return d.field_errors(std::move(*errors));
      return d.api->user_create(d.account, std::move(std::get<domain::child_request>(parsed)), d.lang,
                                d.answered([](const domain::child_user& u) {
                                  return json_reply(201, {{"id", u.id}});
                                }));
    }
    auto parsed = domain::parse_child_patch(*json, d.lang);
    if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
      return d.field_errors(std::move(*errors));
    d.api->user_patch(d.account, d.item, std::move(std::get<domain::child_patch>(parsed)), d.lang,
                      d.answered([](const domain::child_user& u) { return json_reply(200, domain::child_json(u)); }));
  });
}

void an_groups(customer_call& c) { groups(c, domain::group_kind::an); }
void dn_groups(customer_call& c) { groups(c, domain::group_kind::dn); }

std::vector<customer_route> make_rows() {
  const std::vector<std::string> get{"GET", "HEAD"}, post{"POST"}, any{"*"}, none{};
  // What a child ID may not do (403 forbidden_role, SPEC §15): change the plan, groups, custom
  // data or users.
  const std::vector<std::string> writes{"POST", "PUT", "PATCH", "DELETE"};
  const std::string_view json = "application/json";
  std::vector<customer_route> rows = {
      {"/api/signup", post, false, "signup", nullptr, signup_apply, post, {}},
      {"/api/signup/{token}", get, false, nullptr, nullptr, signup_show, none, {}},
      {"/api/signup/{token}/confirm", post, false, "signup", nullptr, signup_confirm, none, {}},
      {"/api/login", post, false, "login", "id", login, post, {}},
      {"/api/login/otp", post, false, "otp", nullptr, login_otp, post, {}},
      {"/api/password/reset-request", post, false, "reset", "id", reissue_request, post, {}},
      {"/api/password/reset", post, false, "reset", nullptr, reissue, post, {}},
      {"/api/logout", post, true, nullptr, nullptr, logout, none, {}},
      {"/api/me", {"GET", "HEAD", "PUT"}, true, nullptr, nullptr, me, {"PUT"}, {}},
      {"/api/certificates", {"GET", "HEAD"}, true, nullptr, nullptr, certificates, {}, {}},
      {"/api/analytics/{name}", get, true, nullptr, nullptr, analytics, none, {}},
      {"/api/plan", {"GET", "HEAD", "POST"}, true, nullptr, nullptr, plan, post, {}, json, writes},
      {"/api/groups/an", {"GET", "HEAD", "POST"}, true, nullptr, nullptr, an_groups, post, {}, json, writes, true},
      {"/api/groups/an/{id}",
       {"GET", "HEAD", "PUT", "DELETE"},
       true,
       nullptr,
       nullptr,
       an_groups,
       {"PUT"},
       {},
       json,
       writes,
       true},
      {"/api/groups/dn", {"GET", "HEAD", "POST"}, true, nullptr, nullptr, dn_groups, post, {}, json, writes, true},
      {"/api/groups/dn/{id}",
       {"GET", "HEAD", "PUT", "DELETE"},
       true,
       nullptr,
       nullptr,
       dn_groups,
       {"PUT"},
       {},
       json,
       writes,
       true},
      {"/api/custom/upload", post, true, nullptr, nullptr, custom_upload, post, {}, "text/csv", writes, true},
      {"/api/custom", {"GET", "HEAD", "POST"}, true, nullptr, nullptr, custom_data, post, {}, json, writes, true},
      {"/api/custom/{id}",
       {"GET", "HEAD", "PUT", "DELETE"},
       true,
       nullptr,
       nullptr,
       custom_data,
       {"PUT"},
       {},
       json,
       writes,
       true},
      {"/api/users", {"GET", "HEAD", "POST"}, true, nullptr, nullptr, users, post, {}, json, any, true},
      {"/api/users/{id}",
       {"GET", "HEAD", "PATCH", "DELETE"},
       true,
       nullptr,
       nullptr,
       users,
       {"PATCH"},
       {},
       json,
       any,
       true},
  };
  for (auto& r : rows) r.segments = pattern_segments(r.pattern);
  return rows;
}

// The browser pages: public files, no session needed (the pages ask /api/me themselves).
void page(customer_context& ctx, const request& req, const std::vector<std::string>& p, domain::lang l,
          const respond_fn& respond) {
  if (req.method != "GET" && req.method != "HEAD") {
    auto r = customer_error(405, "method_not_allowed", l);
    r.allow = "GET, HEAD";
    return respond(std::move(r));
  }
  // The admin listener's paths are not pages here: a clear 404, not the page shell.
  static const std::set<std::string> admin_paths{"admin", "metrics", "healthz", "readyz", "ops", "ops.html"};
  bool dot_segment = std::any_of(p.begin(), p.end(), [](auto& s) { return s == "." || s == ".."; });
  if (dot_segment || (!p.empty() && admin_paths.count(p[0]))) return respond(customer_error(404, "not_found", l));
  // The download site's page is served at /certsrv/ behind its credentials, not as a file.
  if (p.size() == 1 && p[0] == "certsrv.html") return respond(customer_error(404, "not_found", l));
  if (auto found = ctx.site ? ctx.site->answer(req.path, req.header("accept-encoding")) : std::nullopt)
    return respond(std::move(*found));
  respond(customer_error(404, "not_found", l));
}

}  // namespace

const std::vector<customer_route>& customer_routes() {
  static const auto rows = make_rows();
  return rows;
}

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

std::string session_cookie(const std::string& token) {
  auto base = std::string(session_cookie_name) + "=" + token + "; Path=/; Secure; HttpOnly; SameSite=Strict";
  return token.empty() ? base + "; Max-Age=0" : base;
}

std::string customer_route_label(const request& req) {
  auto p = split_path(req.path);
  if (!p.empty() && p[0] == "certsrv") {
    static const std::set<std::string> steps{"ca.pem", "status", "issue", "csr"};
    if (p.size() == 1) return "/certsrv/";
    return p.size() == 2 && steps.count(p[1]) ? "/certsrv/" + p[1] : "/certsrv/other";
  }
  if (p.empty() || p[0] != "api") return p.size() >= 2 && p[0] == "assets" ? "/assets/{file}" : "/{page}";
  std::vector<std::string> params;
  auto* row = find_route(customer_routes(), p, &params);
  return row ? row->pattern : "/api/other";
}

void handle_customer(customer_context& ctx, const request& req, respond_fn respond) {
  auto l = domain::language_of(req.header("accept-language"));
  auto p = split_path(req.path);
  // SPEC §16: the certificate download site.
  if (!p.empty() && p[0] == "certsrv") return handle_certsrv(ctx, req, l, std::move(respond));
  if (p.empty() || p[0] != "api") return page(ctx, req, p, l, respond);
  std::vector<std::string> params;
  // Paths that are no route answer 404 before the guard: the route list is public anyway.
  auto* row = find_route(customer_routes(), p, &params);
  if (!row) return respond(customer_error(404, "not_found", l));
  auto& m = req.method;
  customer_call call{ctx, req, std::move(params), l, std::nullopt, {}, std::move(respond)};
  if (row->needs_session) {
    call.session_token = cookie_value(req.header("cookie"), session_cookie_name);
    if (!call.session_token.empty()) call.session = ctx.api->session(call.session_token);
    if (!call.session) {
      // SPEC §19: a session another login took over says so, once the page asks again.
      const bool replaced = !call.session_token.empty() && ctx.api->session_replaced(call.session_token);
      return call.respond(customer_error(401, replaced ? "session_replaced" : "unauthenticated", l));
    }
    if (is_state_changing(m) && !domain::secrets_equal(req.header("x-csrf-token"), call.session->csrf))
      return call.respond(customer_error(403, "csrf", l));
  }
  if (!method_allowed(row->methods, m)) {
    auto r = customer_error(405, "method_not_allowed", l);
    r.allow = allow_header(row->methods);
    return call.respond(std::move(r));
  }
  if (call.session && call.session->child && method_allowed(row->main_only, m))
    return call.respond(customer_error(403, "forbidden_role", l));
  if (method_allowed(row->body_methods, m) && !is_media_type(req.header("content-type"), row->body_type)) {
    auto refusal = json_reply(415, {{"error",
                                     {{"code", "unsupported_media_type"},
                                      {"message", domain::error_message("unsupported_media_type", l) +
                                                      " Content-Type: " + std::string(row->body_type)}}}});
    if (!row->standard_plan) return call.respond(std::move(refusal));
    call.held_refusal = std::move(refusal);
  }
  if (row->limit_group) {
    // Limits per client address, and per ID where the body names one.
    std::string group = row->limit_group;
    if (auto wait = ctx.by_address.take(group + " " + req.remote)) return call.respond(too_many(*wait, l));
    // Only a well-formed ID keys the per-ID limiter (SPEC §18): what a client makes up is never kept.
    if (row->limit_id_key)
      if (auto id = json_string(*req.body, row->limit_id_key); domain::looks_like_account_id(id))
        if (auto wait = ctx.by_id.take(group + " " + id)) return call.respond(too_many(*wait, l));
  }
  row->handler(call);
}

}  // namespace cxs::http
