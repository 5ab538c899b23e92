#include "http/certsrv_routes.hpp"

#include "domain/base64.hpp"
#include "domain/time.hpp"
#include "http/error_table.hpp"
#include "http/render.hpp"
#include "http/route_table.hpp"

#include <cctype>

namespace cxs::http {

namespace {

// Browsers show the realm in their sign-in box; ASCII, since not all of them decode more.
constexpr const char* challenge = "Basic realm=\"CX Support certificate download\", charset=\"UTF-8\"";

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool accepts_json(const request& req) {
  return lower(req.header("accept")).find("application/json") != std::string::npos;
}

// A POST of this site's own page, or of a client that is no browser (curl sends neither header).
// A browser's cross-site request carries Sec-Fetch-Site cross-site/same-site and an Origin of
// another host.
bool same_origin(const request& req) {
  auto site = lower(req.header("sec-fetch-site"));
  if (!site.empty() && site != "same-origin" && site != "none") return false;
  auto origin = lower(req.header("origin"));
  return origin.empty() || origin == "https://" + lower(req.header("host"));
}

void no_store(reply& r) {
  std::erase_if(r.headers, [](auto& h) { return h.first == "Cache-Control"; });
  r.headers.emplace_back("Cache-Control", "no-store");
}

// An error of the page itself (GET /certsrv/): a short document a browser shows as it is, after
// its sign-in box was cancelled or refused — in Japanese whatever the browser asks, as the page
// (SPEC §16).
reply page_error(int status, std::string_view code) {
  reply r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::string(
               "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>電子証明書ダウンロード | CX "
               "Support</title></head><body><h1>電子証明書ダウンロード</h1><p>") +
           domain::error_message(code, domain::lang::ja) +
           "</p><p><a href=\"/login\">ログイン画面へ</a></p></body></html>";
  return r;
}

// The failure of a Basic-auth step, with the challenge when the credentials were wrong (the
// browser asks again), as a page for the page and as JSON for the page's requests.
reply refused(const domain::failure& f, bool page, domain::lang l) {
  auto r = page && (f.code == domain::error_code::download_credentials || f.code == domain::error_code::download_locked)
               ? page_error(error_row_of(f.code).status, error_row_of(f.code).code)
               : customer_failure(f, l);
  if (f.code == domain::error_code::download_credentials) r.headers.emplace_back("WWW-Authenticate", challenge);
  return r;
}

// Calls next(account, password), or answers 401 with the challenge when no credentials came.
template <class Next>
void with_credentials(const request& req, bool page, domain::lang l, const respond_fn& respond, Next next) {
  auto given = parse_basic_auth(req.header("authorization"));
  if (!given) return respond(refused(domain::fail(domain::error_code::download_credentials), page, l));
  next(std::move(given->user), std::move(given->password));
}

// Hands a facade's answer to respond with no-store: rendered by on_value, or refused.
template <class T, class F>
actors::then_fn<T> answer(const respond_fn& respond, bool page, domain::lang l, F on_value) {
  return [respond, page, l, on_value](domain::expected<T> r) {
    auto out = r ? on_value(r.value()) : refused(r.error(), page, l);
    no_store(out);
    respond(std::move(out));
  };
}

void show_page(customer_context& ctx, const request& req, domain::lang l, const respond_fn& respond) {
  with_credentials(req, true, l, respond, [&](std::string user, std::string password) {
    auto site = ctx.site;
    auto encoding = req.header("accept-encoding");
    ctx.api->download_status(std::move(user), std::move(password),
                             answer<actors::download_view>(respond, true, l, [site, encoding, l](auto&) {
                               auto found = site ? site->answer("/certsrv.html", encoding) : std::nullopt;
                               return found ? std::move(*found) : customer_error(404, "not_found", l);
                             }));
  });
}

void status(customer_context& ctx, const request& req, domain::lang l, const respond_fn& respond) {
  with_credentials(req, false, l, respond, [&](std::string user, std::string password) {
    ctx.api->download_status(
        std::move(user), std::move(password), answer<actors::download_view>(respond, false, l, [](auto& v) {
          return json_reply(200, {{"id", v.id}, {"certificates", certificates_json(v.certificates)}});
        }));
  });
}

void issue(customer_context& ctx, const request& req, domain::lang l, const respond_fn& respond) {
  const bool json = accepts_json(req);
  with_credentials(req, false, l, respond, [&](std::string user, std::string password) {
    ctx.api->download_issue(std::move(user), std::move(password),
                            answer<actors::issued_pkcs12>(respond, false, l, [json](auto& made) {
                              const auto& rec = made.record;
                              if (json)
                                return json_reply(200, {{"id", rec.id},
                                                        {"pkcs12", domain::base64_encode(made.der)},
                                                        {"password", made.password},
                                                        {"serial", rec.serial},
                                                        {"not_after", domain::format_jst_iso(rec.not_after)}});
                              // The file, with its one-time password beside it for a client that
                              // is no page (curl -OJ): it is shown nowhere else.
                              reply r;
                              r.content_type = "application/x-pkcs12";
                              r.body = made.der;
                              r.filename = "cxs-" + rec.id + ".p12";
                              r.headers.emplace_back("X-PKCS12-Password", made.password);
                              r.headers.emplace_back("X-Certificate-Serial", rec.serial);
                              return r;
                            }));
  });
}

void sign_csr(customer_context& ctx, const request& req, domain::lang l, const respond_fn& respond) {
  if (!is_media_type(req.header("content-type"), "application/pkcs10"))
    return respond(json_reply(
        415,
        {{"error",
          {{"code", "unsupported_media_type"},
           {"message", domain::error_message("unsupported_media_type", l) + " Content-Type: application/pkcs10"}}}}));
  if (req.body->size() > max_csr_bytes)
    return respond(customer_failure(domain::field_failure({{"csr", "csr_invalid", {}}}), l));
  with_credentials(req, false, l, respond, [&](std::string user, std::string password) {
    ctx.api->download_csr(std::move(user), std::move(password), *req.body,
                          answer<actors::issued_pem>(respond, false, l, [](auto& made) {
                            reply r;
                            r.content_type = "application/x-pem-file";
                            r.body = made.pem;
                            r.headers.emplace_back("X-Certificate-Serial", made.record.serial);
                            return r;
                          }));
  });
}

reply not_allowed(const char* allow, domain::lang l) {
  auto r = customer_error(405, "method_not_allowed", l);
  r.allow = allow;
  return r;
}

}  // namespace

std::optional<basic_credentials> parse_basic_auth(const std::string& header) {
  if (!starts_with_ci(header, "basic ")) return std::nullopt;
  auto token = std::string_view(header).substr(6);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  auto decoded = domain::base64_decode(token);
  if (!decoded) return std::nullopt;
  auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return basic_credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

void handle_certsrv(customer_context& ctx, const request& req, domain::lang l, respond_fn respond) {
  auto p = split_path(req.path);
  const auto& m = req.method;
  const bool read = m == "GET" || m == "HEAD";
  // SPEC §16: the CA certificate, for anyone (browsers and curl --cacert take it as it is).
  if (p.size() == 2 && p[1] == "ca.pem") {
    if (!read) return respond(not_allowed("GET, HEAD", l));
    reply r;
    r.content_type = "application/x-pem-file";
    r.body = ctx.api->ca_pem();
    return respond(std::move(r));
  }
  const std::string step = p.size() == 1 ? "" : p.size() == 2 ? p[1] : "/";
  if (step != "" && step != "status" && step != "issue" && step != "csr")
    return respond(customer_error(404, "not_found", l));
  const bool post = step == "issue" || step == "csr";
  if (post ? m != "POST" : !read) return respond(not_allowed(post ? "POST" : "GET, HEAD", l));
  // Each try at the credentials counts toward the address's limit, as a login does.
  if (auto wait = ctx.by_address.take("certsrv " + req.remote)) {
    auto r = customer_error(429, "rate_limited", l);
    r.headers.emplace_back("Retry-After", std::to_string(*wait));
    return respond(std::move(r));
  }
  if (post && !same_origin(req)) return respond(customer_error(403, "forbidden_origin", l));
  if (step.empty()) return show_page(ctx, req, l, respond);
  if (step == "status") return status(ctx, req, l, respond);
  if (step == "issue") return issue(ctx, req, l, respond);
  sign_csr(ctx, req, l, respond);
}

}  // namespace cxs::http
