#pragma once
// An account's calls by minute over the day(s) one question asks for (SPEC §14 "Filters":
// `granularity=minute` when `from` = `to`): the basic analyses read these cells as they read the
// hourly rollups, with cells keyed by unix minute (unix seconds / 60) instead of hour. Built by
// the account actor from the `minutes` blocks of those days (storage/minute_block.hpp).

#include "domain/cdr.hpp"
#include "domain/dn_rollup.hpp"
#include "domain/rollup.hpp"

#include <cstdint>
#include <string_view>

namespace cxs::domain {

class minute_cells {
 public:
  // A call of unix minute `unix_minute` (unix seconds / 60).
  void add(int64_t unix_minute, uint16_t an_index, call_result r, uint32_t duration_s) {
    by_an_.add(unix_minute, an_index, r, duration_s);
  }
  // A call the per-DN figures count; an empty dn belongs to no DN (as in dn_rollup).
  void add_by_dn(int64_t unix_minute, uint16_t an_index, std::string_view dn, call_result r, uint32_t duration_s) {
    if (auto pair = by_dn_.index_of(an_index, dn)) by_dn_.cells().add(unix_minute, *pair, r, duration_s);
  }
  const traffic_rollup& by_an() const { return by_an_; }
  const dn_rollup& by_dn() const { return by_dn_; }

 private:
  traffic_rollup by_an_;
  dn_rollup by_dn_;
};

}  // namespace cxs::domain
