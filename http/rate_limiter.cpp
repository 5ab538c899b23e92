#include "http/rate_limiter.hpp"

#include <cmath>

namespace cxs::http {

std::optional<int> rate_limiter::take(const std::string& key) {
  auto now = std::chrono::steady_clock::now();
  double capacity = per_minute_;
  double per_second = per_minute_ / 60.0;
  std::lock_guard lock(mutex_);
  if (++takes_since_sweep_ >= 10000) forget_full(now);
  auto [it, fresh] = buckets_.try_emplace(key, bucket{capacity, now});
  auto& b = it->second;
  if (!fresh) {
    b.tokens = std::min(capacity, b.tokens + std::chrono::duration<double>(now - b.at).count() * per_second);
    b.at = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / per_second)));
}

void rate_limiter::forget_full(std::chrono::steady_clock::time_point now) {
  takes_since_sweep_ = 0;
  double per_second = per_minute_ / 60.0;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    double tokens = it->second.tokens + std::chrono::duration<double>(now - it->second.at).count() * per_second;
    if (tokens >= per_minute_)
      it = buckets_.erase(it);
    else
      ++it;
  }
}

}  // namespace cxs::http
