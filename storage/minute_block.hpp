#pragma once
// The calls of one account, JST day and ingest request, by minute: what the basic analyses
// answer `granularity=minute` from (SPEC §14 "Filters"). Column family `minutes` holds every call
// without its DN (10 bytes, against the ~60 of a raw record), kept as long as the basic data;
// `dn_minutes` the calls the per-DN figures count, with their DN, kept and deleted with the
// dn_traffic cells (standard plan only).

#include "domain/cdr.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace cxs::storage {

struct minute_call {
  uint16_t minute = 0;  // of the JST day, 0–1439
  uint16_t an_index = 0;
  std::string_view dn;  // empty in `minutes`
  uint32_t duration_s = 0;
  domain::call_result result = domain::call_result::other;
};

// The bytes append_minute adds for c (to size a block before filling it).
std::size_t minute_packed_size(const minute_call& c);
void append_minute(std::string& block, const minute_call& c);
// Calls f for each call, whose dn points into `in`; false when the block is corrupt (f may have
// seen the calls before the damage).
bool for_each_minute(std::string_view in, const std::function<void(const minute_call&)>& f);

}  // namespace cxs::storage
