#include "config/secrets.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace cxs::config {

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    std::abort();  // no CSPRNG: nothing secret can be made safely
  return out;
}

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

bool write_private_file(const std::string& path, std::string_view content, std::string& error) {
  std::error_code ec;
  auto parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    error = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  auto written = ::write(fd, content.data(), content.size());
  ::fsync(fd);
  ::close(fd);
  if (written != static_cast<ssize_t>(content.size())) {
    error = "cannot write " + path;
    return false;
  }
  return true;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string load_or_create_token(const std::string& path, std::string& error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    // Anyone who can read it is an operator: refuse rather than serve with a leaked token.
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    error = "operator token file " + path + " can be read by other users (mode " + mode + "); chmod 600 it";
    return {};
  }
  if (auto existing = read_file(path)) {
    auto& t = *existing;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    if (t.empty()) error = "operator token file " + path + " is empty";
    return t;
  }
  auto token = to_hex(random_bytes(32));
  if (!write_private_file(path, token + "\n", error)) return {};
  return token;
}

std::string load_or_create_key(const std::string& path, std::size_t n, std::string& error) {
  if (auto existing = read_file(path)) {
    if (existing->size() != n) {
      error = "key file " + path + " has the wrong size";
      return {};
    }
    return *existing;
  }
  auto key = random_bytes(n);
  if (!write_private_file(path, key, error)) return {};
  return key;
}

namespace {
// True when the certificate file holds a certificate valid for at least `days` more days.
bool valid_for(const std::string& cert_path, long days) {
  auto pem = read_file(cert_path);
  if (!pem) return false;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) return false;
  time_t until = time(nullptr) + days * 24 * 60 * 60;
  return X509_cmp_time(X509_get0_notAfter(cert.get()), &until) > 0;
}
}  // namespace

bool ensure_self_signed_cert(const std::string& cert_path, const std::string& key_path, std::string& error) {
  // 397 days, the longest a browser accepts for a certificate issued today; made anew at a start
  // within 30 days of its end, so a long-running demo or test folder never serves an expired one.
  if (fs::exists(cert_path) && fs::exists(key_path) && valid_for(cert_path, 30)) return true;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!key || !cert) {
    error = "cannot create a TLS key";
    return false;
  }
  X509_set_version(cert.get(), 2);
  auto serial = random_bytes(16);
  serial[0] &= 0x7f;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()), 16, nullptr), BN_free);
  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 397);
  X509_set_pubkey(cert.get(), key.get());
  auto* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("CX Support"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] :
       {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1"},
        // A server certificate, not a CA: it can sign nothing else.
        std::pair{NID_basic_constraints, "critical,CA:FALSE"}, std::pair{NID_key_usage, "critical,digitalSignature"},
        std::pair{NID_ext_key_usage, "serverAuth"}}) {
    auto* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) {
      error = "cannot build the TLS certificate";
      return false;
    }
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (!X509_sign(cert.get(), key.get(), EVP_sha256())) {
    error = "cannot sign the TLS certificate";
    return false;
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> kb(BIO_new(BIO_s_mem()), BIO_free), cb(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(kb.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_X509(cb.get(), cert.get());
  auto text = [](BIO* b) {
    char* data = nullptr;
    auto len = BIO_get_mem_data(b, &data);
    return std::string(data, static_cast<std::size_t>(len));
  };
  std::error_code ec;
  fs::remove(cert_path, ec);
  fs::remove(key_path, ec);
  return write_private_file(key_path, text(kb.get()), error) && write_private_file(cert_path, text(cb.get()), error);
}

}  // namespace cxs::config
