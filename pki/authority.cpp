#include "pki/authority.hpp"

#include "config/secrets.hpp"
#include "domain/secret.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cctype>
#include <ctime>
#include <filesystem>
#include <utility>

namespace cxs::pki {

namespace {

template <class T, void (*Free)(T*)>
struct deleter {
  void operator()(T* p) const { Free(p); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using cert_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;
using bn_ptr = std::unique_ptr<BIGNUM, deleter<BIGNUM, BN_free>>;
using req_ptr = std::unique_ptr<X509_REQ, deleter<X509_REQ, X509_REQ_free>>;
using crl_ptr = std::unique_ptr<X509_CRL, deleter<X509_CRL, X509_CRL_free>>;
using p12_ptr = std::unique_ptr<PKCS12, deleter<PKCS12, PKCS12_free>>;
using time_ptr = std::unique_ptr<ASN1_TIME, deleter<ASN1_TIME, ASN1_TIME_free>>;

constexpr const char* root_name = "CX Support Root";
constexpr int64_t root_lifetime_s = 20LL * 365 * 24 * 60 * 60;

std::string text_of(BIO* b) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(b, &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

bio_ptr memory_bio(std::string_view bytes) {
  return bio_ptr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

int64_t unix_of(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

std::string serial_hex_of(const X509* cert) {
  bn_ptr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!bn) return {};
  char* hex = BN_bn2hex(bn.get());
  std::string out(hex ? hex : "");
  OPENSSL_free(hex);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The subject's common name as UTF-8, or empty.
std::string common_name(const X509_NAME* name) {
  const int at = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (at < 0 || X509_NAME_get_index_by_NID(name, NID_commonName, at) >= 0) return {};  // none, or two
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at)));
  if (len < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

bool add_extensions(X509* cert, X509* issuer, std::initializer_list<std::pair<int, const char*>> list) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  for (auto [nid, value] : list) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) return false;
    const int added = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    if (!added) return false;
  }
  return true;
}

// A random positive serial of 127 bits (the spec asks at least 64), never zero.
bool set_random_serial(X509* cert) {
  auto bytes = config::random_bytes(16);
  bytes[0] = static_cast<char>((bytes[0] & 0x7f) | 0x40);
  bn_ptr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), 16, nullptr));
  return bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

bool set_validity(X509* cert, int64_t from, int64_t until) {
  return ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(from)) &&
         ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(until));
}

bool set_cn(X509_NAME* name, const std::string& cn) {
  return X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                                    -1, 0) == 1;
}

std::string cert_pem(X509* cert) {
  bio_ptr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert);
  return text_of(out.get());
}

cert_ptr make_root(EVP_PKEY* key, int64_t now) {
  cert_ptr cert(X509_new());
  if (!cert || !X509_set_version(cert.get(), 2) || !set_random_serial(cert.get()) ||
      !set_validity(cert.get(), now - 3600, now + root_lifetime_s) || !X509_set_pubkey(cert.get(), key))
    return nullptr;
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (!set_cn(name, root_name) ||
      !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("CX Support"), -1,
                                  -1, 0) ||
      !X509_set_issuer_name(cert.get(), name))
    return nullptr;
  // A CA for client certificates and its CRL only: it signs no other CA (pathlen 0).
  if (!add_extensions(cert.get(), cert.get(),
                      {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                       {NID_key_usage, "critical,keyCertSign,cRLSign"},
                       {NID_subject_key_identifier, "hash"}}) ||
      !X509_sign(cert.get(), key, EVP_sha256()))
    return nullptr;
  return cert;
}

}  // namespace

struct authority::keys {
  key_ptr key;
  cert_ptr cert;
};

std::optional<authority> authority::open(const std::string& dir, int64_t now, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  ::chmod(dir.c_str(), 0700);
  const std::string key_path = dir + "/ca.key", cert_path = dir + "/ca.crt";
  auto made = std::make_shared<keys>();
  if (fs::exists(key_path) || fs::exists(cert_path)) {
    auto key_text = config::read_file(key_path);
    auto cert_text = config::read_file(cert_path);
    if (!key_text || !cert_text) {
      error = "the CA needs both " + key_path + " and " + cert_path;
      return std::nullopt;
    }
    made->key.reset(PEM_read_bio_PrivateKey(memory_bio(*key_text).get(), nullptr, nullptr, nullptr));
    made->cert.reset(PEM_read_bio_X509(memory_bio(*cert_text).get(), nullptr, nullptr, nullptr));
    if (!made->key || !made->cert || X509_check_private_key(made->cert.get(), made->key.get()) != 1) {
      error = "the CA key in " + key_path + " and certificate in " + cert_path + " cannot be read or do not match";
      return std::nullopt;
    }
  } else {
    // ECDSA P-256: made in a millisecond at first start, and every browser accepts the chain.
    made->key.reset(EVP_EC_gen("P-256"));
    if (made->key) made->cert = make_root(made->key.get(), now);
    if (!made->cert) {
      error = "cannot make the CA certificate";
      return std::nullopt;
    }
    bio_ptr key_out(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(key_out.get(), made->key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    if (!config::write_private_file(key_path, text_of(key_out.get()), error) ||
        !config::write_private_file(cert_path, cert_pem(made->cert.get()), error))
      return std::nullopt;
  }
  authority ca;
  ca.ca_pem_ = cert_pem(made->cert.get());
  ca.keys_ = std::move(made);
  return ca;
}

namespace {

// The client certificate for `id` around `subject_key`, signed by the root.
std::variant<issued_certificate, refusal> sign_for(const X509* root, EVP_PKEY* root_key, EVP_PKEY* subject_key,
                                                   const std::string& id, int64_t now) {
  cert_ptr cert(X509_new());
  const int64_t until = now + certificate_lifetime_s;
  if (!cert || !X509_set_version(cert.get(), 2) || !set_random_serial(cert.get()) ||
      !set_validity(cert.get(), now, until) || !X509_set_pubkey(cert.get(), subject_key) ||
      !set_cn(X509_get_subject_name(cert.get()), id) || !X509_set_issuer_name(cert.get(), X509_get_subject_name(root)))
    return refusal{"internal", "cannot build a client certificate"};
  if (!add_extensions(cert.get(), const_cast<X509*>(root),
                      {{NID_basic_constraints, "critical,CA:FALSE"},
                       {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                       {NID_ext_key_usage, "clientAuth"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid:always"}}) ||
      !X509_sign(cert.get(), root_key, EVP_sha256()))
    return refusal{"internal", "cannot sign a client certificate"};
  return issued_certificate{id, serial_hex_of(cert.get()), now, until, cert_pem(cert.get())};
}

// Keys a request may carry: RSA of 2048 bits or more, or EC on P-256 or P-384.
bool strong_enough(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: return EVP_PKEY_get_bits(key) >= 2048;
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) != 1) return false;
      const std::string_view g(group, len);
      return g == "prime256v1" || g == "P-256" || g == "secp384r1" || g == "P-384";
    }
    default: return false;
  }
}

}  // namespace

std::variant<pkcs12_bundle, refusal> authority::issue_pkcs12(const std::string& id, int64_t now) const {
  // RSA for the key handed over: every browser and keychain imports it.
  key_ptr key(EVP_RSA_gen(2048));
  if (!key) return refusal{"internal", "cannot make a key pair"};
  auto signed_cert = sign_for(keys_->cert.get(), keys_->key.get(), key.get(), id, now);
  if (auto* r = std::get_if<refusal>(&signed_cert)) return *r;
  auto& certificate = std::get<issued_certificate>(signed_cert);
  cert_ptr cert(PEM_read_bio_X509(memory_bio(certificate.pem).get(), nullptr, nullptr, nullptr));
  pkcs12_bundle out{certificate, {}, new_pkcs12_password()};
  const std::string friendly = "CX Support " + id;
  // AES-256-CBC under PBKDF2 (HMAC-SHA-256) for key and certificates, and an HMAC-SHA-256 MAC:
  // SPEC §16; docs/certificates.md says which systems import it.
  // The key and its certificate only, not the root: importing a root makes Windows and macOS ask
  // to trust it for every purpose (web sites too), more than a login needs. Browsers choose the
  // certificate by its issuer's name, which the server's request names.
  p12_ptr p12(PKCS12_create_ex(out.password.c_str(), friendly.c_str(), key.get(), cert.get(), nullptr, NID_aes_256_cbc,
                               NID_aes_256_cbc, PKCS12_DEFAULT_ITER, -1, 0, nullptr, nullptr));
  if (!p12 || PKCS12_set_mac(p12.get(), out.password.c_str(), -1, nullptr, 0, PKCS12_DEFAULT_ITER, EVP_sha256()) != 1)
    return refusal{"internal", "cannot make the PKCS#12 file"};
  unsigned char* der = nullptr;
  const int len = i2d_PKCS12(p12.get(), &der);
  if (len <= 0) return refusal{"internal", "cannot encode the PKCS#12 file"};
  out.der.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::variant<issued_certificate, refusal> authority::sign_csr(std::string_view pem, const std::string& id,
                                                              int64_t now) const {
  req_ptr req(PEM_read_bio_X509_REQ(memory_bio(pem).get(), nullptr, nullptr, nullptr));
  if (!req) return refusal{"csr_invalid", "not a PEM certificate request"};
  EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());
  if (!key || X509_REQ_verify(req.get(), key) != 1)
    return refusal{"csr_invalid", "the request's signature does not hold"};
  if (common_name(X509_REQ_get_subject_name(req.get())) != id)
    return refusal{"csr_subject", "the request's subject CN is not the ID"};
  if (!strong_enough(key)) return refusal{"csr_key", "the request's key is too weak"};
  return sign_for(keys_->cert.get(), keys_->key.get(), key, id, now);
}

std::string authority::crl_pem(const std::vector<revoked_serial>& revoked, int64_t now, int64_t valid_s) const {
  crl_ptr crl(X509_CRL_new());
  time_ptr this_update(ASN1_TIME_set(nullptr, static_cast<time_t>(now)));
  time_ptr next_update(ASN1_TIME_set(nullptr, static_cast<time_t>(now + valid_s)));
  if (!crl || !X509_CRL_set_version(crl.get(), 1) ||
      !X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(keys_->cert.get())) ||
      !X509_CRL_set1_lastUpdate(crl.get(), this_update.get()) ||
      !X509_CRL_set1_nextUpdate(crl.get(), next_update.get()))
    return {};
  for (const auto& r : revoked) {
    BIGNUM* raw = nullptr;
    if (!BN_hex2bn(&raw, r.serial_hex.c_str())) continue;
    bn_ptr bn(raw);
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn.get(), nullptr);
    time_ptr when(ASN1_TIME_set(nullptr, static_cast<time_t>(r.revoked_at)));
    const bool ok = entry && serial && when && X509_REVOKED_set_serialNumber(entry, serial) &&
                    X509_REVOKED_set_revocationDate(entry, when.get()) && X509_CRL_add0_revoked(crl.get(), entry);
    ASN1_INTEGER_free(serial);
    if (!ok) {
      X509_REVOKED_free(entry);
      return {};
    }
  }
  X509_CRL_sort(crl.get());
  if (!X509_CRL_sign(crl.get(), keys_->key.get(), EVP_sha256())) return {};
  bio_ptr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_CRL(out.get(), crl.get());
  return text_of(out.get());
}

std::optional<presented_certificate> authority::recognise(std::string_view der) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  cert_ptr cert(d2i_X509(nullptr, &bytes, static_cast<long>(der.size())));
  if (!cert) return std::nullopt;
  // Signed by our root's key, issued in its name, and a client certificate.
  if (X509_NAME_cmp(X509_get_issuer_name(cert.get()), X509_get_subject_name(keys_->cert.get())) != 0 ||
      X509_verify(cert.get(), keys_->key.get()) != 1 || X509_check_purpose(cert.get(), X509_PURPOSE_SSL_CLIENT, 0) != 1)
    return std::nullopt;
  const std::string id = common_name(X509_get_subject_name(cert.get()));
  if (id.empty()) return std::nullopt;
  return presented_certificate{id, serial_hex_of(cert.get()), unix_of(X509_get0_notBefore(cert.get())),
                               unix_of(X509_get0_notAfter(cert.get()))};
}

std::string new_pkcs12_password() {
  return domain::new_readable_secret(16);  // 16 characters of 57: about 93 bits
}

}  // namespace cxs::pki
