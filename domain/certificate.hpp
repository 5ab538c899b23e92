#pragma once
// The register of client certificates (SPEC §16) and its rules: what a certificate presented at
// login is worth at a moment (valid, expired, revoked, another ID's), which reminder is due (30 and
// 7 days before its end, each once), and a new certificate revoking the ID's earlier ones. The
// signing itself is pki/'s; the records are kept in storage under cert/<ID>/<serial>.

#include "domain/errors.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxs::domain {

struct certificate_record {
  std::string id;
  std::string serial;  // lower-case hex
  int64_t not_before = 0;
  int64_t not_after = 0;
  std::optional<int64_t> revoked;  // when
  bool reminded_30 = false;        // the 30-day reminder has gone out
  bool reminded_7 = false;
};

// One JSON object; nullopt for anything else (a damaged record is skipped and logged).
std::string encode_certificate(const certificate_record& r);
std::optional<certificate_record> decode_certificate(std::string_view text);

// What a certificate of ours, presented for `login_id` at `now`, is worth; in the order checked.
// absent: the TLS client presented none (judge_certificate never says it).
enum class certificate_verdict { valid, mismatch, revoked, expired, absent };
certificate_verdict judge_certificate(const certificate_record& r, const std::string& login_id, int64_t now);
// A certificate our root signed for `cert_id`, ending at `not_after`, that the register does not
// hold: dropped after its end (expired, unless it is another ID's), or newer than a restored
// backup of the register (mismatch).
certificate_verdict judge_unregistered(const std::string& cert_id, int64_t not_after, const std::string& login_id,
                                       int64_t now);
// The API's code for a refused verdict: certificate_required (absent), certificate_mismatch,
// certificate_revoked, certificate_expired.
std::string_view verdict_code(certificate_verdict v);
// The failure a refused verdict answers a login with; nullopt for valid.
std::optional<error_code> verdict_error(certificate_verdict v);

// The reminder due for `r` at `now` (SPEC §16): 30 or 7 (days before its end), or 0 for none. A
// revoked or expired certificate is reminded of nothing; when both are due (the service was down
// for weeks) only the 7-day one goes out, and the 30-day one counts as sent.
int due_reminder(const certificate_record& r, int64_t now);
void mark_reminded(certificate_record& r, int days);

// How long the register keeps a certificate after its end: the settings page and the operators
// still see what ended and why, then it goes from the register and the CRL (RFC 5280 §3.3: an
// expired certificate is refused on its dates alone), so neither grows with every renewal.
inline constexpr int64_t kept_after_end_s = 90LL * 24 * 60 * 60;
bool past_keeping(const certificate_record& r, int64_t now);

// The ID's certificates still unrevoked other than `kept`, revoked at `now` (a new certificate
// replaces the earlier ones); returns those changed.
std::vector<certificate_record*> revoke_others(std::vector<certificate_record>& of_id, const std::string& kept,
                                               int64_t now);

// What a switch of auth method still owes when its follow-up reaches the register (SPEC §16),
// judged against the method the account has by then (`method_now`, empty when it is gone). Two
// quick switches (two tabs) may have their follow-ups arrive in either order; the switch stored
// last must win: credentials are mailed only while the account is on certificate, a switch to otp
// always revokes the certificates issued until then, and voids the credentials unless the account
// is back on certificate (whose own follow-up mails new ones).
struct method_follow_up {
  bool mail_credentials = false;
  bool revoke_certificates = false;
  bool void_credentials = false;
};
method_follow_up follow_up_of_switch(std::string_view switched_to, std::string_view method_now);

}  // namespace cxs::domain
