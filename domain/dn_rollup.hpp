// Per-DN hourly rollups (standard plan, SPEC §15): what the `dn` filter of the basic analyses
// (traffic, compare, incomplete) is answered from, over the whole basic retention.
//
// A call is counted under the pair (AN it was made to, DN that took it): the `an` and `dn`
// filters then combine by intersection exactly. Pairs are interned into the 16-bit cell indexes
// of a traffic_rollup, so the basic analyses read these cells as they read the per-AN ones.
// Calls that never reached a destination (empty DN) belong to no DN and are not counted here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/rollup.hpp"

namespace cxs::domain {

class dn_rollup {
 public:
  // 0xffff is traffic_rollup::no_an; a carrier feed naming more distinct (AN, DN) pairs than
  // this within the retention is not a real account, and its further pairs are not counted.
  static constexpr std::size_t max_pairs = 0xfffe;

  struct pair {
    uint16_t an_index;
    std::string dn;
    auto operator<=>(const pair&) const = default;
  };

  // The cell index of (an_index, dn), interned on first use; nullopt for an empty DN or when
  // max_pairs are taken.
  std::optional<uint16_t> index_of(uint16_t an_index, std::string_view dn);
  const pair& pair_at(uint16_t index) const { return pairs_[index]; }
  std::size_t pair_count() const { return pairs_.size(); }

  // The cell indexes a filter means: pairs whose DN is one of `dns` and, unless `an_indexes` is
  // empty (every AN), whose AN is one of `an_indexes`. Sorted.
  std::vector<uint16_t> select(const std::vector<uint16_t>& an_indexes, const std::vector<std::string>& dns) const;

  traffic_rollup& cells() { return cells_; }
  const traffic_rollup& cells() const { return cells_; }

  // Memory held, for the bytes-per-account figure (docs/performance.md).
  std::size_t memory_bytes() const;

 private:
  std::vector<pair> pairs_;         // index -> pair
  std::map<pair, uint16_t> index_;  // pair -> index
  traffic_rollup cells_;
};

}  // namespace cxs::domain
