#include "load/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace cxs::load {

namespace {

constexpr uint64_t linear_limit = uint64_t{1} << latency_histogram::sub_bits;  // 128
constexpr int top_bit = 63;

std::size_t index_of(uint64_t v) {
  if (v < linear_limit) return static_cast<std::size_t>(v);
  const int k = std::bit_width(v) - 1;  // v in [2^k, 2^(k+1)), k ≥ sub_bits
  const int shift = k - latency_histogram::sub_bits;
  const uint64_t step = (v >> shift) - linear_limit;  // 0..127 within the range
  return static_cast<std::size_t>((k - latency_histogram::sub_bits + 1) * linear_limit + step);
}

// The highest value that falls into bucket i.
uint64_t upper_bound_of(std::size_t i) {
  if (i < linear_limit) return i;
  const auto range = i / linear_limit;  // 1 for k = sub_bits
  const auto step = i % linear_limit;
  const int shift = static_cast<int>(range) - 1;
  const uint64_t first = (linear_limit + step) << shift;
  return first + ((uint64_t{1} << shift) - 1);
}

}  // namespace

latency_histogram::latency_histogram() : buckets_((top_bit - sub_bits + 2) * linear_limit, 0) {}

void latency_histogram::record(uint64_t micros) {
  ++buckets_[index_of(micros)];
  ++count_;
  max_ = std::max(max_, micros);
}

void latency_histogram::merge(const latency_histogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

uint64_t latency_histogram::percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  auto rank = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(upper_bound_of(i), max_);
  }
  return max_;
}

}  // namespace cxs::load
