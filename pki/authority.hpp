#pragma once
// The service's own certificate authority (SPEC §16): "CX Support Root", made at first start in the
// data folder (key 0600), signs the client certificates customers log in with — subject CN = the
// CX Support ID, extendedKeyUsage clientAuth, a random serial of 64 bits or more, valid one year —
// either with a key pair made here and handed over once in a PKCS#12 file (AES-256-CBC, PBKDF2),
// or from the customer's own PKCS#10 request, whose key never leaves them. It also writes the CRL
// and tells whether a certificate a TLS client presented is one of ours.
//
// OpenSSL 3's EVP/X509 interfaces only. Key generation and signing take milliseconds (an RSA key
// tens of them): callers run them off the actor scheduler's threads. Times are Unix seconds from
// the service's clock (the test clock moves them). Nothing here touches storage: the register of
// issued and revoked serials is the caller's.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cxs::pki {

inline constexpr int64_t certificate_lifetime_s = 365LL * 24 * 60 * 60;

struct issued_certificate {
  std::string id;          // the CX Support ID in the subject CN
  std::string serial_hex;  // lower-case hex, as the operators' API shows it
  int64_t not_before = 0;
  int64_t not_after = 0;
  std::string pem;
};

// A key pair made here with its certificate, in a PKCS#12 file under a fresh password.
struct pkcs12_bundle {
  issued_certificate certificate;
  std::string der;       // the .p12 file
  std::string password;  // shown once, never kept
};

// Why a request or a presented certificate was refused: a code for the API, a detail for the log.
struct refusal {
  std::string code;
  std::string detail;
};

struct revoked_serial {
  std::string serial_hex;
  int64_t revoked_at = 0;
};

// What a presented certificate is, once its signature is checked against our root.
struct presented_certificate {
  std::string id;  // the subject CN
  std::string serial_hex;
  int64_t not_before = 0;
  int64_t not_after = 0;
};

class authority {
 public:
  // DIR/ca.key and DIR/ca.crt, made when absent (the folder 0700, the files 0600). nullopt with
  // `error` set when they cannot be read or made, or do not belong together.
  static std::optional<authority> open(const std::string& dir, int64_t now, std::string& error);

  const std::string& ca_pem() const { return ca_pem_; }

  // A fresh RSA key, its certificate for `id`, both in a PKCS#12 under a fresh password.
  std::variant<pkcs12_bundle, refusal> issue_pkcs12(const std::string& id, int64_t now) const;
  // A PEM PKCS#10 request, signed when its own signature holds and its subject CN is `id`.
  // Refusals: csr_invalid (not a PEM request, or its signature fails), csr_subject (CN not `id`),
  // csr_key (a key too weak: RSA under 2048 bits, or not RSA or EC P-256/P-384).
  std::variant<issued_certificate, refusal> sign_csr(std::string_view pem, const std::string& id, int64_t now) const;
  // The CRL (PEM) listing these serials, valid from now for `valid_s`.
  std::string crl_pem(const std::vector<revoked_serial>& revoked, int64_t now, int64_t valid_s = 7 * 24 * 3600) const;
  // A certificate (DER) a TLS client presented: what it is when our root signed it and it is
  // meant for client authentication, else nullopt (not ours). Validity dates are the caller's to
  // judge against its clock, and revocation against its register.
  std::optional<presented_certificate> recognise(std::string_view der) const;

 private:
  struct keys;
  std::shared_ptr<const keys> keys_;
  std::string ca_pem_;
};

// The PKCS#12 password's alphabet has no look-alikes (0/O, 1/l/I): it is read off a page and typed.
std::string new_pkcs12_password();

}  // namespace cxs::pki
