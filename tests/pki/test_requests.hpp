#pragma once
// Test helper: a PEM PKCS#10 request for a common name, signed by `key` (a fresh EC P-256 key when
// none is given), as a customer's `openssl req` would make it.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

namespace cxs::testing {

inline std::string csr_for(const std::string& cn, EVP_PKEY* key = nullptr) {
  EVP_PKEY* own = key ? nullptr : EVP_EC_gen("P-256");
  EVP_PKEY* signer = key ? key : own;
  X509_REQ* req = X509_REQ_new();
  X509_REQ_set_pubkey(req, signer);
  X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_REQ_sign(req, signer, EVP_sha256());
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_REQ(b, req);
  char* data = nullptr;
  const long len = BIO_get_mem_data(b, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(b);
  X509_REQ_free(req);
  EVP_PKEY_free(own);
  return out;
}

}  // namespace cxs::testing
