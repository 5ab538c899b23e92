#pragma once
// Token buckets per key (SPEC §4 and the customers issue: login, OTP, sign-up and reissue are
// limited per client address and per ID). A bucket holds `per_minute` requests and refills at
// that rate; an empty one answers how many seconds until the next request may pass (the
// Retry-After of the 429). Thread-safe; full buckets are forgotten so memory stays bounded.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace cxs::http {

class rate_limiter {
 public:
  explicit rate_limiter(uint32_t per_minute) : per_minute_(per_minute) {}
  // nullopt: allowed (one request taken); else the seconds to wait, at least 1.
  std::optional<int> take(const std::string& key);

 private:
  struct bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  void forget_full(std::chrono::steady_clock::time_point now);

  uint32_t per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
  std::size_t takes_since_sweep_ = 0;
};

}  // namespace cxs::http
