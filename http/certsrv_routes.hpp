#pragma once
// The certificate download site (SPEC §16) on the customer listener. GET /certsrv/ca.pem answers
// anyone; the rest sits behind HTTP Basic auth with the download credentials of mail (3/3): the
// Japanese page (GET /certsrv/), what it shows (GET /certsrv/status), a key pair and certificate
// made here in a PKCS#12 (POST /certsrv/issue) and a customer's own request signed (POST
// /certsrv/csr). Every answer is `no-store`: they carry secrets. A POST from another site is
// refused (browsers send cached Basic credentials cross-site). Pure dispatch: no Beast, no CAF.

#include "http/customer_routes.hpp"

#include <optional>
#include <string>

namespace cxs::http {

// Answers a request whose path starts with /certsrv (exactly once, through respond).
void handle_certsrv(customer_context& ctx, const request& req, domain::lang l, respond_fn respond);

// The user name and password of an `Authorization: Basic …` header (RFC 7617); nullopt when the
// header is absent or malformed.
struct basic_credentials {
  std::string user;
  std::string password;
};
std::optional<basic_credentials> parse_basic_auth(const std::string& header);

// The largest certificate request taken (a PEM RSA 4096 request is about 1.7 KiB).
inline constexpr std::size_t max_csr_bytes = 16 * 1024;

}  // namespace cxs::http
