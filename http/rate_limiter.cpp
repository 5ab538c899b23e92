#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace cxs::http {

double rate_limiter::tokens_at(const bucket& b, std::chrono::steady_clock::time_point now) const {
  return b.tokens + std::chrono::duration<double>(now - b.at).count() * (per_minute_ / 60.0);
}

std::optional<int> rate_limiter::take(const std::string& key) {
  auto now = std::chrono::steady_clock::now();
  double capacity = per_minute_;
  double per_second = per_minute_ / 60.0;
  std::lock_guard lock(mutex_);
  if (++takes_since_sweep_ >= 10000) forget_full(now);
  if (buckets_.size() >= max_keys_ && !buckets_.count(key)) make_room(now);
  auto [it, fresh] = buckets_.try_emplace(key, bucket{capacity, now});
  auto& b = it->second;
  if (!fresh) {
    b.tokens = std::min(capacity, tokens_at(b, now));
    b.at = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / per_second)));
}

std::size_t rate_limiter::size() {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void rate_limiter::forget_full(std::chrono::steady_clock::time_point now) {
  takes_since_sweep_ = 0;
  std::erase_if(buckets_, [&](auto& kv) { return tokens_at(kv.second, now) >= per_minute_; });
}

// At the bound: forget full buckets, and if that is not enough, the tenth of the buckets nearest
// to full. Costs one pass over the table, at most once per tenth of max_keys new keys.
void rate_limiter::make_room(std::chrono::steady_clock::time_point now) {
  forget_full(now);
  if (buckets_.size() < max_keys_) return;
  std::vector<double> levels;
  levels.reserve(buckets_.size());
  for (auto& [_, b] : buckets_) levels.push_back(tokens_at(b, now));
  auto drop = std::max<std::size_t>(1, buckets_.size() / 10);
  std::nth_element(levels.begin(), levels.begin() + static_cast<std::ptrdiff_t>(drop - 1), levels.end(),
                   std::greater<>());
  auto threshold = levels[drop - 1];
  std::size_t dropped = 0;
  for (auto it = buckets_.begin(); it != buckets_.end() && dropped < drop;) {
    if (tokens_at(it->second, now) >= threshold) {
      it = buckets_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
}

}  // namespace cxs::http
