#include "domain/secret.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdint>
#include <cstdlib>

namespace cxs::domain {

namespace {

constexpr char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t token_bytes = 32;
constexpr std::size_t token_chars = 43;  // ceil(32 * 8 / 6)

void random_bytes(unsigned char* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) std::abort();  // no entropy: nothing safe to hand out
}

void sha256(std::string_view s, unsigned char (&out)[32]) {
  unsigned int len = 0;
  if (EVP_Digest(s.data(), s.size(), out, &len, EVP_sha256(), nullptr) != 1 || len != 32) std::abort();
}

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::string new_request_id() {
  unsigned char b[8];
  random_bytes(b, sizeof b);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (auto c : b) {
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
  return out;
}

std::string new_record_id() { return new_request_id(); }

std::string new_token() {
  unsigned char b[token_bytes];
  random_bytes(b, sizeof b);
  std::string out;
  out.reserve(token_chars);
  std::size_t i = 0;
  for (; i + 3 <= sizeof b; i += 3) {
    uint32_t v = (uint32_t{b[i]} << 16) | (uint32_t{b[i + 1]} << 8) | b[i + 2];
    out.push_back(base64url[(v >> 18) & 63]);
    out.push_back(base64url[(v >> 12) & 63]);
    out.push_back(base64url[(v >> 6) & 63]);
    out.push_back(base64url[v & 63]);
  }
  // 32 = 10 * 3 + 2: two bytes left, three characters, no padding.
  uint32_t v = (uint32_t{b[i]} << 16) | (uint32_t{b[i + 1]} << 8);
  out.push_back(base64url[(v >> 18) & 63]);
  out.push_back(base64url[(v >> 12) & 63]);
  out.push_back(base64url[(v >> 6) & 63]);
  OPENSSL_cleanse(b, sizeof b);
  return out;
}

std::string new_otp() {
  // Reject the top of the 32-bit range so that every value below 10^6 is equally likely.
  constexpr uint64_t range = 1'000'000;
  constexpr uint64_t limit = (uint64_t{1} << 32) - ((uint64_t{1} << 32) % range);
  uint32_t value = 0;
  for (;;) {
    unsigned char b[4];
    random_bytes(b, sizeof b);
    uint32_t v = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    if (v < limit) {
      value = static_cast<uint32_t>(v % range);
      break;
    }
  }
  std::string out(6, '0');
  for (int i = 5; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out;
}

std::string new_readable_secret(std::size_t length, std::string_view alphabet) {
  std::string out;
  out.reserve(length);
  const std::size_t usable = 256 / alphabet.size() * alphabet.size();
  while (out.size() < length) {
    unsigned char b[32];
    random_bytes(b, sizeof b);
    for (unsigned char c : b) {
      if (c >= usable) continue;  // rejection sampling: every character equally likely
      out.push_back(alphabet[c % alphabet.size()]);
      if (out.size() == length) break;
    }
    OPENSSL_cleanse(b, sizeof b);
  }
  return out;
}

std::string token_digest(std::string_view token) {
  static const char hex[] = "0123456789abcdef";
  unsigned char d[32];
  sha256(token, d);
  std::string out;
  out.reserve(64);
  for (unsigned char c : d) {
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
  return out;
}

bool secrets_equal(std::string_view a, std::string_view b) {
  // Compare fixed-length digests so neither content nor length leaks through timing.
  unsigned char da[32], db[32];
  sha256(a, da);
  sha256(b, db);
  return CRYPTO_memcmp(da, db, sizeof da) == 0;
}

bool looks_like_token(std::string_view s) {
  if (s.size() != token_chars) return false;
  for (char c : s)
    if (!is_base64url_char(c)) return false;
  return true;
}

}  // namespace cxs::domain
