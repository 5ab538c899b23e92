#pragma once
// A log-linear latency histogram. Debian ships no C HdrHistogram, and this is all cxs-load needs:
// microseconds, exact below 128 µs, then every power-of-two range [2^k, 2^(k+1)) cut into 128
// equal buckets. A reported percentile is the highest value of its bucket, so it is never below
// the true value and at most 1/128 (0.78 %) above it; the maximum is kept exactly. Fixed memory
// (58 KiB), O(1) recording, no allocation after construction.

#include <cstdint>
#include <vector>

namespace cxs::load {

class latency_histogram {
 public:
  static constexpr int sub_bits = 7;  // 128 buckets per power of two: relative error ≤ 2^-7

  latency_histogram();

  void record(uint64_t micros);
  void merge(const latency_histogram& other);

  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  // The value at percentile p (0 < p ≤ 100): the smallest bucket bound with at least
  // ceil(p/100 · count) values at or below it, capped at the maximum. 0 when empty.
  uint64_t percentile(double p) const;

 private:
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

}  // namespace cxs::load
