// The route tables of both listeners and the dispatch in front of the facades, without a socket
// and without actors: every case here answers before the handler would call the api (the api
// pointers are null, so a case that reached the api would crash the test, not pass it).

#include "http/route_table.hpp"
#include "domain/messages.hpp"
#include "http/admin_routes.hpp"
#include "http/customer_routes.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace cxs::http {
namespace {

using nlohmann::json;
using strings = std::vector<std::string>;

// ---------------------------------------------------------------------------------------------
// Helpers

request make_request(std::string method, std::string path, std::map<std::string, std::string> headers = {},
                     std::string body = {}, std::string remote = "192.0.2.1") {
  request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.remote = std::move(remote);
  r.headers = std::move(headers);
  // What a client of the API sends with a body: JSON, unless a test says otherwise.
  if ((r.method == "POST" || r.method == "PUT" || r.method == "PATCH") && !r.headers.count("content-type"))
    r.headers["content-type"] = "application/json";
  *r.body = std::move(body);
  return r;
}

// Runs a handler and checks it answered exactly once.
template <class Handler>
reply answer_of(Handler&& handle) {
  int calls = 0;
  reply got;
  handle([&](reply r) {
    ++calls;
    got = std::move(r);
  });
  EXPECT_EQ(calls, 1) << "a handler must answer exactly once";
  return got;
}

std::string error_code_of(const reply& r) {
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("error")) return "<no error object: " + r.body + ">";
  return j["error"].value("code", "<no code>");
}

std::string error_message_of(const reply& r) {
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("error")) return "<no error object: " + r.body + ">";
  return j["error"].value("message", "<no message>");
}

std::optional<std::string> header_of(const reply& r, const std::string& name) {
  for (auto& [k, v] : r.headers)
    if (k == name) return v;
  return std::nullopt;
}

// The pattern with "v1", "v2", … for its {…} segments, and those values in order.
std::pair<std::string, strings> sample_path(const std::string& pattern) {
  std::string path;
  strings values;
  for (auto& seg : pattern_segments(pattern)) {
    path += '/';
    if (seg.front() == '{' && seg.back() == '}') {
      values.push_back("v" + std::to_string(values.size() + 1));
      path += values.back();
    } else {
      path += seg;
    }
  }
  return {path.empty() ? "/" : path, values};
}

// ---------------------------------------------------------------------------------------------
// pattern_segments, split_path, pattern_matches

TEST(RouteTable, PatternSegmentsSplitOnSlashes) {
  EXPECT_EQ(pattern_segments("/admin/accounts/{id}"), (strings{"admin", "accounts", "{id}"}));
  EXPECT_EQ(pattern_segments("/healthz"), (strings{"healthz"}));
  // No leading slash is the same pattern: segments, not a string prefix, are compared.
  EXPECT_EQ(pattern_segments("a/b"), (strings{"a", "b"}));
}

TEST(RouteTable, SplitPathDropsEmptySegments) {
  // The root and the empty path have no segments (the customer listener serves its page shell).
  EXPECT_TRUE(split_path("").empty());
  EXPECT_TRUE(split_path("/").empty());
  EXPECT_TRUE(split_path("//").empty());
  // A trailing slash and doubled slashes do not make empty segments, so "/api/me/" is /api/me.
  EXPECT_EQ(split_path("/api/me/"), (strings{"api", "me"}));
  EXPECT_EQ(split_path("//api//me"), (strings{"api", "me"}));
  // Dots and percent signs are left alone: the page code refuses dot segments itself.
  EXPECT_EQ(split_path("/a/../b/%2F"), (strings{"a", "..", "b", "%2F"}));
}

TEST(RouteTable, WildcardSegmentsCaptureInOrder) {
  auto pattern = pattern_segments("/admin/accounts/{id}/analytics/{name}");
  strings params;
  ASSERT_TRUE(pattern_matches(pattern, split_path("/admin/accounts/ACC1/analytics/traffic"), &params));
  EXPECT_EQ(params, (strings{"ACC1", "traffic"}));
}

TEST(RouteTable, FindRouteStartsEachRowWithNoParams) {
  // A row that fails after capturing must not leave its captures for the row that matches.
  struct row {
    strings segments;
  };
  std::vector<row> rows{{pattern_segments("/a/{x}/b")}, {pattern_segments("/a/{y}/c")}};
  strings params{"stale"};
  auto* found = find_route(rows, split_path("/a/1/c"), &params);
  EXPECT_EQ(found, &rows[1]);
  EXPECT_EQ(params, (strings{"1"}));
}

TEST(RouteTable, LiteralSegmentsMustBeEqual) {
  auto pattern = pattern_segments("/admin/accounts/{id}/plan");
  EXPECT_FALSE(pattern_matches(pattern, split_path("/admin/accounts/x/plans"), nullptr));
  EXPECT_FALSE(pattern_matches(pattern, split_path("/admin/Accounts/x/plan"), nullptr));  // case matters
  EXPECT_TRUE(pattern_matches(pattern, split_path("/admin/accounts/x/plan"), nullptr));   // params optional
}

TEST(RouteTable, LengthMismatchNeverMatches) {
  auto pattern = pattern_segments("/api/analytics/{name}");
  // A wildcard takes exactly one segment: neither zero nor two.
  EXPECT_FALSE(pattern_matches(pattern, split_path("/api/analytics"), nullptr));
  EXPECT_FALSE(pattern_matches(pattern, split_path("/api/analytics/a/b"), nullptr));
  EXPECT_TRUE(pattern_matches(pattern_segments("/"), split_path(""), nullptr));
  EXPECT_FALSE(pattern_matches(pattern_segments("/"), split_path("/x"), nullptr));
}

TEST(RouteTable, OnlyBracedSegmentsAreWildcards) {
  // "{}" is a (nameless) wildcard; a lone brace or a brace inside a segment is a literal.
  EXPECT_TRUE(pattern_matches(pattern_segments("/{}"), split_path("/anything"), nullptr));
  EXPECT_FALSE(pattern_matches(pattern_segments("/{"), split_path("/x"), nullptr));
  EXPECT_TRUE(pattern_matches(pattern_segments("/{"), split_path("/{"), nullptr));
  EXPECT_FALSE(pattern_matches(pattern_segments("/a{x}"), split_path("/ab"), nullptr));
}

// ---------------------------------------------------------------------------------------------
// method_allowed, allow_header

TEST(RouteTable, MethodAllowed) {
  strings get{"GET", "HEAD"}, post{"POST"}, any{"*"};
  EXPECT_TRUE(method_allowed(get, "GET"));
  EXPECT_TRUE(method_allowed(get, "HEAD"));
  EXPECT_FALSE(method_allowed(get, "POST"));
  EXPECT_FALSE(method_allowed(get, "get"));  // methods are case-sensitive (RFC 9110 §9.1)
  // HEAD is not implied by GET: only rows that list it take it.
  EXPECT_FALSE(method_allowed(strings{"GET"}, "HEAD"));
  EXPECT_FALSE(method_allowed(post, "GET"));
  EXPECT_TRUE(method_allowed(any, "DELETE"));
  EXPECT_TRUE(method_allowed(any, "HEAD"));
  EXPECT_FALSE(method_allowed(strings{}, "GET"));
}

TEST(RouteTable, MediaTypeIgnoresCaseAndParameters) {
  EXPECT_TRUE(is_media_type("application/json", "application/json"));
  EXPECT_TRUE(is_media_type("Application/JSON; charset=utf-8", "application/json"));
  EXPECT_TRUE(is_media_type("application/json \t;charset=utf-8", "application/json"));
  EXPECT_FALSE(is_media_type("", "application/json"));
  EXPECT_FALSE(is_media_type("application/jsonp", "application/json"));
  EXPECT_FALSE(is_media_type("text/plain; x=application/json", "application/json"));
  EXPECT_FALSE(is_media_type("application/x-www-form-urlencoded", "application/json"));
}

TEST(RouteTable, AllowHeaderJoinsWithCommaSpace) {
  EXPECT_EQ(allow_header({}), "");
  EXPECT_EQ(allow_header({"POST"}), "POST");
  EXPECT_EQ(allow_header({"GET", "HEAD", "PUT"}), "GET, HEAD, PUT");
}

// ---------------------------------------------------------------------------------------------
// The admin table

// Every row is found for a path made from its own pattern, with its {…} values in order, and no
// earlier row shadows it (its handler would never run); its metrics label is its pattern.
template <class Row, class Label>
void expect_every_row_found(const std::vector<Row>& rows, Label label) {
  ASSERT_FALSE(rows.empty());
  for (auto& row : rows) {
    SCOPED_TRACE(row.pattern);
    EXPECT_EQ(row.segments, pattern_segments(row.pattern));
    EXPECT_FALSE(row.methods.empty());
    EXPECT_NE(row.handler, nullptr);
    auto [path, values] = sample_path(row.pattern);
    EXPECT_TRUE(pattern_matches(row.segments, split_path(path), nullptr));
    strings params;
    EXPECT_EQ(find_route(rows, split_path(path), &params), &row);
    EXPECT_EQ(params, values);
    EXPECT_EQ(label(make_request("GET", path)), row.pattern);
  }
}

TEST(AdminRoutes, EveryRowIsFoundForItsOwnPattern) { expect_every_row_found(admin_routes(true), admin_route_label); }

TEST(AdminRoutes, PatternsAreUnique) {
  std::set<std::string> seen;
  for (auto& row : admin_routes(true)) EXPECT_TRUE(seen.insert(row.pattern).second) << row.pattern;
}

TEST(AdminRoutes, OnlyTheProbesAndTheOpsPageAreOpenWithoutToken) {
  const std::set<std::string> open{"/healthz", "/readyz", "/ops", "/assets/{file}", "/admin/login", "/admin/logout"};
  for (auto& row : admin_routes(true)) EXPECT_EQ(row.needs_token, !open.count(row.pattern)) << row.pattern;
}

TEST(AdminRoutes, TestingRowsOnlyWithTesting) {
  const std::string crash = "/admin/accounts/{id}/testing/crash";
  auto has_crash = [&](const std::vector<admin_route>& rows) {
    return std::any_of(rows.begin(), rows.end(), [&](auto& r) { return r.pattern == crash; });
  };
  EXPECT_TRUE(has_crash(admin_routes(true)));
  EXPECT_FALSE(has_crash(admin_routes(false)));
  EXPECT_EQ(admin_routes(true).size(), admin_routes(false).size() + 1);
  // Labels come from the full table, so the label set does not depend on the flag.
  EXPECT_EQ(admin_route_label(make_request("POST", "/admin/accounts/A1/testing/crash")), crash);
}

TEST(AdminRoutes, UnknownPathsShareOneLabel) {
  // A fixed label set: scanners must not create a metric series per path.
  for (auto* path : {"/", "", "/nope", "/admin", "/admin/accounts/a/b", "/healthz/x", "/admin/accounts/a/plan/x"})
    EXPECT_EQ(admin_route_label(make_request("GET", path)), "other") << path;
}

// ---------------------------------------------------------------------------------------------
// handle_admin: answers that come before any facade call

struct AdminHandler : ::testing::Test {
  admin_context ctx{nullptr, "s3cret-token", false, {}};
  reply handle(const request& req) {
    return answer_of([&](respond_fn respond) { handle_admin(ctx, req, std::move(respond)); });
  }
  std::map<std::string, std::string> bearer(const std::string& token = "s3cret-token") {
    return {{"authorization", "Bearer " + token}};
  }
};

TEST_F(AdminHandler, HealthzAnswersWithoutToken) {
  auto r = handle(make_request("GET", "/healthz"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body), (json{{"status", "ok"}}));
  EXPECT_EQ(handle(make_request("HEAD", "/healthz")).status, 200);
  // A wrong token does not hurt a probe.
  EXPECT_EQ(handle(make_request("GET", "/healthz", bearer("wrong"))).status, 200);
}

TEST_F(AdminHandler, MissingOrWrongTokenIs401) {
  for (auto* path : {"/metrics", "/admin/registry", "/admin/accounts/X1", "/admin/ingest"}) {
    SCOPED_TRACE(path);
    auto none = handle(make_request("GET", path));
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(error_code_of(none), "unauthorized");
    EXPECT_EQ(handle(make_request("GET", path, bearer("wrong"))).status, 401);
  }
  // Near misses of the header: the token itself is compared exactly.
  for (std::string auth : {"Bearer S3CRET-TOKEN", "Bearer s3cret-token ", "Bearer  s3cret-token", "Basic s3cret-token",
                           "s3cret-token", "Bearer", "Bearer s3cret-toke", ""}) {
    SCOPED_TRACE(auth);
    EXPECT_EQ(handle(make_request("GET", "/admin/nope", {{"authorization", auth}})).status, 401);
  }
}

TEST_F(AdminHandler, SchemeNameIsCaseInsensitive) {
  // RFC 9110 §11.1: "bearer" and "BEARER" name the same scheme; the path is no route, so a
  // passed check shows as 404 rather than 401.
  for (std::string scheme : {"Bearer ", "bearer ", "BEARER "})
    EXPECT_EQ(handle(make_request("GET", "/admin/nope", {{"authorization", scheme + "s3cret-token"}})).status, 404)
        << scheme;
}

TEST_F(AdminHandler, UnknownPathNeedsTokenBefore404) {
  // Without a token an unknown path must not reveal that it is unknown.
  auto hidden = handle(make_request("GET", "/admin/secret-route"));
  EXPECT_EQ(hidden.status, 401);
  EXPECT_EQ(error_code_of(hidden), "unauthorized");
  auto r = handle(make_request("GET", "/admin/secret-route", bearer()));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_code_of(r), "not_found");
  EXPECT_EQ(error_message_of(r), "no route /admin/secret-route");
}

TEST_F(AdminHandler, ProbeWithWrongMethodIsNotPublic) {
  auto r = handle(make_request("POST", "/healthz"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(error_code_of(r), "unauthorized");
  auto with_token = handle(make_request("POST", "/healthz", bearer()));
  EXPECT_EQ(with_token.status, 405);
  EXPECT_EQ(with_token.allow, "GET, HEAD");
}

TEST_F(AdminHandler, WrongMethodIs405WithTheRowsMethods) {
  ctx.testing = true;
  for (auto& row : admin_routes(true)) {
    SCOPED_TRACE(row.pattern);
    const std::string wrong = method_allowed(row.methods, "DELETE") ? "PATCH" : "DELETE";
    ASSERT_FALSE(method_allowed(row.methods, wrong));
    auto r = handle(make_request(wrong, sample_path(row.pattern).first, bearer()));
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(error_code_of(r), "method_not_allowed");
    EXPECT_EQ(r.allow, allow_header(row.methods));
  }
  // The documented values (docs/api.md).
  EXPECT_EQ(handle(make_request("DELETE", "/admin/registry", bearer())).allow, "GET, PUT, PATCH");
  EXPECT_EQ(handle(make_request("POST", "/admin/accounts/X1", bearer())).allow, "GET");
  EXPECT_EQ(handle(make_request("GET", "/admin/ingest", bearer())).allow, "POST");
  // HEAD only where listed: /admin/registry takes GET but not HEAD.
  EXPECT_EQ(handle(make_request("HEAD", "/admin/registry", bearer())).status, 405);
}

TEST_F(AdminHandler, CrashRouteIsNoRouteWithoutTesting) {
  ctx.testing = false;
  EXPECT_EQ(handle(make_request("POST", "/admin/accounts/A1/testing/crash", bearer())).status, 404);
  EXPECT_EQ(handle(make_request("POST", "/admin/accounts/A1/testing/crash")).status, 401);
}

TEST_F(AdminHandler, IngestRefusesOtherContentTypes) {
  for (std::string type : {"", "application/json", "text/plain", "text/csvx", "text/csv-ish; charset=utf-8"}) {
    SCOPED_TRACE(type);
    auto headers = bearer();
    if (!type.empty()) headers["content-type"] = type;
    auto r = handle(make_request("POST", "/admin/ingest", headers, "call_id\n"));
    EXPECT_EQ(r.status, 415);
    EXPECT_EQ(error_code_of(r), "content_type");
  }
}

TEST_F(AdminHandler, JsonRoutesRefuseOtherMediaTypes) {
  // SPEC §18 on both listeners: a JSON body comes as application/json, or 415 before it is read.
  std::set<std::string> json_routes;
  for (auto& row : admin_routes(true)) {
    for (auto& method : row.json_methods) {
      json_routes.insert(method + " " + row.pattern);
      for (std::string type :
           {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x", "application/jsonp"}) {
        SCOPED_TRACE(method + " " + row.pattern + " type '" + type + "'");
        auto headers = bearer();
        headers["content-type"] = type;
        auto r = handle(make_request(method, sample_path(row.pattern).first, headers, "{}"));
        EXPECT_EQ(r.status, 415);
        EXPECT_EQ(error_code_of(r), "unsupported_media_type");
        // The token comes first: without it the type is not judged.
        if (row.needs_token) {
          EXPECT_EQ(handle(make_request(method, sample_path(row.pattern).first, {{"content-type", type}}, "{}")).status,
                    401);
        }
        // The listener refuses the head before it reads the body; with the right type it lets it through.
        EXPECT_EQ(admin_head_check(ctx, make_request(method, sample_path(row.pattern).first, headers))
                      .value_or(reply{})
                      .status,
                  415);
        auto good = bearer();
        good["content-type"] = "application/json";
        EXPECT_FALSE(admin_head_check(ctx, make_request(method, sample_path(row.pattern).first, good)));
      }
    }
  }
  // Every route that reads a JSON body (docs/api.md), and no other.
  EXPECT_EQ(json_routes,
            (std::set<std::string>{"POST /admin/login", "PUT /admin/registry", "PATCH /admin/registry",
                                   "POST /admin/backup", "POST /admin/accounts", "POST /admin/accounts/{id}/plan",
                                   "PUT /admin/accounts/{id}/auth_method"}));
  // The type's case and parameters do not matter: the body is read (and found not to be JSON).
  auto headers = bearer();
  headers["content-type"] = "Application/JSON ; charset=UTF-8";
  auto r = handle(make_request("POST", "/admin/accounts", headers, "{not json"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_code_of(r), "json");
}

TEST_F(AdminHandler, BodiesThatAreNotJsonAnswerBeforeTheFacade) {
  auto create = handle(make_request("POST", "/admin/accounts", bearer(), "{not json"));
  EXPECT_EQ(create.status, 400);
  EXPECT_EQ(error_code_of(create), "json");
  EXPECT_EQ(error_message_of(create), "the body is not valid JSON");
  auto plan = handle(make_request("POST", "/admin/accounts/A1/plan", bearer(), "]"));
  EXPECT_EQ(plan.status, 400);
  EXPECT_EQ(error_code_of(plan), "json");
  // A registry that is not a JSON object is a registry error (422 with an errors list).
  auto reg = handle(make_request("PUT", "/admin/registry", bearer(), "nope"));
  EXPECT_EQ(reg.status, 422);
  auto j = json::parse(reg.body);
  ASSERT_TRUE(j.contains("errors"));
  ASSERT_FALSE(j["errors"].empty());
  EXPECT_TRUE(j["errors"][0].contains("opid"));
}

// ---------------------------------------------------------------------------------------------
// The customer table

TEST(CustomerRoutes, EveryRowIsFoundForItsOwnPattern) {
  expect_every_row_found(customer_routes(), customer_route_label);
  for (auto& row : customer_routes()) EXPECT_EQ(row.segments.at(0), "api") << row.pattern;
}

TEST(CustomerRoutes, PublicRowsAreRateLimitedPostsOrTheSignupView) {
  // Every public state-changing row must have a limit group (SPEC §4: login, OTP, sign-up and
  // reissue are limited); the only public row without one is the read-only sign-up view.
  for (auto& row : customer_routes()) {
    SCOPED_TRACE(row.pattern);
    if (row.needs_session) {
      EXPECT_EQ(row.limit_group, nullptr);
    } else if (row.pattern == "/api/signup/{token}") {
      EXPECT_EQ(row.methods, (strings{"GET", "HEAD"}));
    } else {
      EXPECT_NE(row.limit_group, nullptr);
      EXPECT_EQ(row.methods, (strings{"POST"}));
    }
  }
}

TEST(CustomerRoutes, LabelsOfOtherPaths) {
  EXPECT_EQ(customer_route_label(make_request("GET", "/api/nope")), "/api/other");
  EXPECT_EQ(customer_route_label(make_request("GET", "/api")), "/api/other");
  EXPECT_EQ(customer_route_label(make_request("GET", "/api/me/x")), "/api/other");
  EXPECT_EQ(customer_route_label(make_request("GET", "/api/accounts/A1")), "/api/other");
  EXPECT_EQ(customer_route_label(make_request("GET", "/assets/app.js")), "/assets/{file}");
  EXPECT_EQ(customer_route_label(make_request("GET", "/assets/fonts/x.woff2")), "/assets/{file}");
  // "/assets" alone is a page name, not a file.
  EXPECT_EQ(customer_route_label(make_request("GET", "/assets")), "/{page}");
  EXPECT_EQ(customer_route_label(make_request("GET", "/")), "/{page}");
  EXPECT_EQ(customer_route_label(make_request("GET", "/dashboard")), "/{page}");
  // The download site's steps (SPEC §16) each have a label; anything else under it one more.
  EXPECT_EQ(customer_route_label(make_request("GET", "/certsrv/")), "/certsrv/");
  EXPECT_EQ(customer_route_label(make_request("POST", "/certsrv/issue")), "/certsrv/issue");
  EXPECT_EQ(customer_route_label(make_request("GET", "/certsrv/ca.pem")), "/certsrv/ca.pem");
  EXPECT_EQ(customer_route_label(make_request("GET", "/certsrv/x/y")), "/certsrv/other");
  EXPECT_EQ(customer_route_label(make_request("GET", "/analytics/traffic")), "/{page}");
  EXPECT_EQ(customer_route_label(make_request("GET", "/apis")), "/{page}");
}

// ---------------------------------------------------------------------------------------------
// handle_customer: answers that come before any facade call

struct CustomerHandler : ::testing::Test {
  reply handle(customer_context& c, const request& req) {
    return answer_of([&](respond_fn respond) { handle_customer(c, req, std::move(respond)); });
  }
  customer_context ctx{nullptr, nullptr, 1000, 1000};
  reply handle(const request& req) { return handle(ctx, req); }
};

TEST_F(CustomerHandler, UnknownApiPathIs404BeforeTheGuard) {
  // No cookie, yet 404 and not 401: the route list is public.
  for (auto* path : {"/api/nope", "/api", "/api/accounts/A1", "/api/me/extra"}) {
    SCOPED_TRACE(path);
    auto r = handle(make_request("DELETE", path));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(error_code_of(r), "not_found");
  }
}

TEST_F(CustomerHandler, SessionRoutesWithoutSessionCookieAre401) {
  // Without a __Host-cxs_session value the guard answers before asking the session store; the
  // unprefixed name of earlier releases is not read either.
  for (auto* cookie : {"", "other=1", "__Host-cxs_session=", "x__Host-cxs_session=abc", "__Host-cxs_sessionx=abc",
                       "cxs_session=abc"}) {
    for (auto& row : customer_routes()) {
      if (!row.needs_session) continue;
      SCOPED_TRACE(std::string(cookie) + " " + row.pattern);
      std::map<std::string, std::string> headers;
      if (*cookie) headers["cookie"] = cookie;
      // Also with a method the row does not take: the guard comes before the method (405).
      for (auto* method : {"GET", "POST", "DELETE"}) {
        auto r = handle(make_request(method, sample_path(row.pattern).first, headers));
        EXPECT_EQ(r.status, 401);
        EXPECT_EQ(error_code_of(r), "unauthenticated");
      }
    }
  }
}

TEST_F(CustomerHandler, PublicRouteWithWrongMethodIs405) {
  auto r = handle(make_request("GET", "/api/login"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(error_code_of(r), "method_not_allowed");
  EXPECT_EQ(r.allow, "POST");
  auto view = handle(make_request("DELETE", "/api/signup/tok"));
  EXPECT_EQ(view.status, 405);
  EXPECT_EQ(view.allow, "GET, HEAD");
}

TEST_F(CustomerHandler, PublicPostsWithoutJsonObjectAre400) {
  // Every public POST reads a JSON object first; none of these bodies is one.
  for (auto* path :
       {"/api/signup", "/api/login", "/api/login/otp", "/api/password/reset-request", "/api/password/reset"}) {
    for (std::string body : {"", "{", "[1,2]", "\"id\"", "42", "null"}) {
      SCOPED_TRACE(std::string(path) + " body " + body);
      auto r = handle(make_request("POST", path, {}, body));
      EXPECT_EQ(r.status, 400);
      EXPECT_EQ(error_code_of(r), "json");
    }
  }
}

TEST_F(CustomerHandler, JsonRoutesRefuseOtherMediaTypes) {
  // SPEC §18: a cross-site HTML form can send only form, multipart or text bodies.
  for (auto& row : customer_routes()) {
    if (row.needs_session) continue;  // behind the guard 401 comes first; the integration tests cover those
    for (auto& method : row.body_methods) {
      for (std::string type :
           {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x", "application/jsonp"}) {
        SCOPED_TRACE(method + " " + row.pattern + " type '" + type + "'");
        auto r = handle(make_request(method, sample_path(row.pattern).first, {{"content-type", type}}, "{}"));
        EXPECT_EQ(r.status, 415);
        EXPECT_EQ(error_code_of(r), "unsupported_media_type");
      }
    }
  }
  // The type's case and parameters do not matter.
  auto ok = handle(make_request("POST", "/api/login", {{"content-type", "Application/JSON; charset=UTF-8"}}, "{}"));
  EXPECT_EQ(ok.status, 422) << "read as JSON: the fields are missing";
}

TEST_F(CustomerHandler, LoginFieldErrorsAnswerBeforeTheFacade) {
  auto r = handle(make_request("POST", "/api/login", {{"accept-language", "en"}}, R"({"id":"User000001"})"));
  EXPECT_EQ(r.status, 422);
  auto j = json::parse(r.body);
  ASSERT_EQ(j["errors"].size(), 1u);
  EXPECT_EQ(j["errors"][0]["field"], "password");
  EXPECT_EQ(j["errors"][0]["code"], "required");
}

TEST_F(CustomerHandler, MessagesFollowAcceptLanguage) {
  using domain::lang;
  struct lang_case {
    const char* accept;  // nullptr: no header
    lang expected;
  };
  for (auto c : {lang_case{nullptr, lang::ja}, lang_case{"en", lang::en}, lang_case{"en-US,en;q=0.9", lang::en},
                 lang_case{"ja,en;q=0.8", lang::ja}, lang_case{"fr", lang::ja}}) {
    SCOPED_TRACE(c.accept ? c.accept : "(none)");
    std::map<std::string, std::string> headers;
    if (c.accept) headers["accept-language"] = c.accept;
    auto unauth = handle(make_request("GET", "/api/me", headers));
    EXPECT_EQ(error_message_of(unauth), domain::error_message("unauthenticated", c.expected));
    auto missing = handle(make_request("GET", "/api/nope", headers));
    EXPECT_EQ(error_message_of(missing), domain::error_message("not_found", c.expected));
  }
  // The two languages really differ (a catalogue with one text for both would pass the above).
  EXPECT_NE(domain::error_message("unauthenticated", lang::en), domain::error_message("unauthenticated", lang::ja));
}

TEST_F(CustomerHandler, RateLimitPerAddressAnswers429WithRetryAfter) {
  customer_context limited(nullptr, nullptr, 1, 1000);
  // The first request takes the address's only token, then fails on its body (400 json comes
  // after the limiter), so the facade is never called.
  auto first = handle(limited, make_request("POST", "/api/login", {}, "not json", "198.51.100.7"));
  EXPECT_EQ(first.status, 400);
  EXPECT_EQ(error_code_of(first), "json");
  // The second is refused before its body is looked at.
  auto second = handle(limited, make_request("POST", "/api/login", {}, "not json", "198.51.100.7"));
  EXPECT_EQ(second.status, 429);
  EXPECT_EQ(error_code_of(second), "rate_limited");
  auto retry = header_of(second, "Retry-After");
  ASSERT_TRUE(retry);
  int seconds = std::stoi(*retry);
  EXPECT_GE(seconds, 1);
  EXPECT_LE(seconds, 60);  // one request per minute: never more than a minute away
  // Other addresses and other groups have their own buckets.
  EXPECT_EQ(handle(limited, make_request("POST", "/api/login", {}, "not json", "198.51.100.8")).status, 400);
  EXPECT_EQ(handle(limited, make_request("POST", "/api/login/otp", {}, "not json", "198.51.100.7")).status, 400);
  // The limit is checked after the method: a GET is still 405, not 429.
  EXPECT_EQ(handle(limited, make_request("GET", "/api/login", {}, "", "198.51.100.7")).status, 405);
}

TEST_F(CustomerHandler, RateLimitPerIdAcrossAddresses) {
  customer_context limited(nullptr, nullptr, 1000, 1);
  // {"id":…} without a password: the ID's token is taken, then 422 before the facade.
  auto first = handle(limited, make_request("POST", "/api/login", {}, R"({"id":"User000001"})", "198.51.100.1"));
  EXPECT_EQ(first.status, 422);
  auto second = handle(limited, make_request("POST", "/api/login", {}, R"({"id":"User000001"})", "198.51.100.2"));
  EXPECT_EQ(second.status, 429);
  EXPECT_TRUE(header_of(second, "Retry-After"));
  // Another ID is not limited by that bucket.
  EXPECT_EQ(handle(limited, make_request("POST", "/api/login", {}, R"({"id":"User000002"})", "198.51.100.2")).status,
            422);
  // SPEC §18: an ID of the wrong shape keys no bucket at all, however often it comes, and is
  // answered 401 at once, before the missing password.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(handle(limited, make_request("POST", "/api/login", {}, R"({"id":"U1"})", "198.51.100.3")).status, 401)
        << "try " << i + 1;
}

TEST_F(CustomerHandler, PagesWithoutSiteAnswerWithoutTheFacade) {
  auto post = handle(make_request("POST", "/dashboard"));
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.allow, "GET, HEAD");
  // Admin paths and dot segments are a clear 404 on the customer listener.
  for (auto* path : {"/admin/registry", "/metrics", "/healthz", "/readyz", "/ops", "/a/../b", "/./x", "/dashboard"}) {
    SCOPED_TRACE(path);
    auto r = handle(make_request("GET", path));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(error_code_of(r), "not_found");
  }
}

// ---------------------------------------------------------------------------------------------
// The session cookie and the security headers

TEST(CustomerSecurity, SessionCookieFlags) {
  auto c = session_cookie("TOKEN123");
  EXPECT_EQ(c.rfind("__Host-cxs_session=TOKEN123;", 0), 0u) << c;
  for (auto* flag : {"; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/"})
    EXPECT_NE(c.find(flag), std::string::npos) << flag << " missing in " << c;
  // A browser-session cookie: no lifetime of its own (docs/api.md).
  EXPECT_EQ(c.find("Max-Age"), std::string::npos);
  EXPECT_EQ(c.find("Expires"), std::string::npos);
  // __Host- cookies must not name a Domain, or browsers drop them.
  EXPECT_EQ(c.find("Domain"), std::string::npos);
}

TEST(CustomerSecurity, ClearingCookieExpiresAtOnce) {
  auto c = session_cookie("");
  EXPECT_EQ(c.rfind("__Host-cxs_session=;", 0), 0u) << c;
  EXPECT_NE(c.find("; Max-Age=0"), std::string::npos);
  // Clearing must carry the same flags, or the browser keeps the original cookie.
  for (auto* flag : {"; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/"})
    EXPECT_NE(c.find(flag), std::string::npos) << flag << " missing in " << c;
}

TEST(CustomerSecurity, SecurityHeaders) {
  reply r;
  r.headers.emplace_back("Set-Cookie", "kept");
  add_security_headers(r);
  EXPECT_EQ(header_of(r, "Set-Cookie"), "kept");  // headers already there stay
  auto csp = header_of(r, "Content-Security-Policy");
  ASSERT_TRUE(csp);
  EXPECT_NE(csp->find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(csp->find("default-src 'self'"), std::string::npos);
  EXPECT_NE(csp->find("object-src 'none'"), std::string::npos);
  EXPECT_EQ(csp->find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(header_of(r, "Strict-Transport-Security"), "max-age=63072000; includeSubDomains");
  EXPECT_EQ(header_of(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header_of(r, "X-Frame-Options"), "DENY");
  EXPECT_EQ(header_of(r, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(header_of(r, "Cross-Origin-Opener-Policy"), "same-origin");
  // Each header once: a repeated CSP would be combined by browsers into the stricter of both,
  // a repeated HSTS is ignored, neither is intended.
  std::set<std::string> names;
  for (auto& [k, v] : r.headers) EXPECT_TRUE(names.insert(k).second) << k;
}

}  // namespace
}  // namespace cxs::http
