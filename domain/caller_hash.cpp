#include "domain/caller_hash.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>
#include <memory>

namespace cxs::domain {
namespace {

struct mac_free {
  void operator()(EVP_MAC* p) const { EVP_MAC_free(p); }
  void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
};

// One keyed HMAC context per thread: EVP_MAC_init with a NULL key re-initialises it with the key
// already set, so a hash costs no allocation and no algorithm fetch. The key is remembered so a
// different key (tests, key rotation) re-keys the context.
struct keyed_hmac {
  std::unique_ptr<EVP_MAC_CTX, mac_free> ctx;
  std::string key;
  bool keyed = false;
};

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

}  // namespace

std::string hash_caller(std::string_view key, std::string_view digits) {
  if (digits.empty()) return {};
  thread_local keyed_hmac state;
  if (!state.ctx) {
    EVP_MAC* mac = hmac_algorithm();
    if (mac != nullptr) state.ctx.reset(EVP_MAC_CTX_new(mac));
    // Without a working libcrypto nothing about callers can be kept safely: that is a broken
    // installation, not bad input, so stop loudly rather than store numbers unhashed.
    if (!state.ctx) std::abort();
  }
  EVP_MAC_CTX* ctx = state.ctx.get();
  bool ok;
  if (!state.keyed || state.key != key) {
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    // HMAC accepts an empty key, but EVP_MAC_init reads a NULL pointer as "keep the old key".
    static const unsigned char empty_key = 0;
    const auto* key_bytes = key.empty() ? &empty_key : reinterpret_cast<const unsigned char*>(key.data());
    ok = EVP_MAC_init(ctx, key_bytes, key.size(), params) == 1;
    state.key.assign(key);
    state.keyed = ok;
  } else {
    ok = EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1;
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t out_len = 0;
  ok = ok && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(digits.data()), digits.size()) == 1 &&
       EVP_MAC_final(ctx, out, &out_len, sizeof out) == 1 && out_len >= caller_hash_size;
  if (!ok) std::abort();  // see above: only a broken libcrypto gets here
  return std::string(reinterpret_cast<const char*>(out), caller_hash_size);
}

}  // namespace cxs::domain
