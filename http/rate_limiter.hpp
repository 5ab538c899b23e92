#pragma once
// Token buckets per key (SPEC §4 and the customers issue: login, OTP, sign-up and reissue are
// limited per client address and per ID). A bucket holds `per_minute` requests and refills at
// that rate; an empty one answers how many seconds until the next request may pass (the
// Retry-After of the 429). Thread-safe. Memory is bounded whatever clients send (SPEC §18): full
// buckets are forgotten, and at max_keys the buckets nearest to full make room for new keys
// (those are the keys that lose least by starting afresh).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace cxs::http {

class rate_limiter {
 public:
  explicit rate_limiter(uint32_t per_minute, std::size_t max_keys = 100000)
      : per_minute_(per_minute), max_keys_(max_keys) {}
  // nullopt: allowed (one request taken); else the seconds to wait, at least 1.
  std::optional<int> take(const std::string& key);
  std::size_t size();

 private:
  struct bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  void forget_full(std::chrono::steady_clock::time_point now);
  void make_room(std::chrono::steady_clock::time_point now);
  double tokens_at(const bucket& b, std::chrono::steady_clock::time_point now) const;

  uint32_t per_minute_;
  std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
  std::size_t takes_since_sweep_ = 0;
};

}  // namespace cxs::http
