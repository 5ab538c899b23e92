#pragma once
// Raw call records packed into one value per account, day and batch (DESIGN.md: time-ordered
// blocks, not one random key per record). Kept for detailed analyses of standard accounts.

#include "domain/cdr.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cxs::storage {

struct stored_cdr {
  std::string call_id;
  int64_t start = 0;
  uint16_t an_index = 0;
  std::string dn;
  std::string caller_hash;  // 16 bytes, empty when withheld
  uint8_t origin_pref = 0, dest_pref = 0;
  uint32_t duration_s = 0;
  domain::call_result result = domain::call_result::other;
};

// A record as views into its source (an ingest request, or a block being read): appending and
// reading blocks copies no strings.
struct cdr_view {
  std::string_view call_id;
  int64_t start = 0;
  uint16_t an_index = 0;
  std::string_view dn;
  std::string_view caller_hash;  // 16 bytes, empty when withheld
  uint8_t origin_pref = 0, dest_pref = 0;
  uint32_t duration_s = 0;
  domain::call_result result = domain::call_result::other;
};

void append_cdr(std::string& block, const cdr_view& r);
// The bytes append_cdr adds for r (to size a block before filling it).
std::size_t packed_size(const cdr_view& r);
void append_cdr(std::string& block, const stored_cdr& r);
// Calls f(const cdr_view&) for each record, whose views point into `in`; false when the block is
// corrupt (f may have seen the records before the damage).
bool for_each_cdr(std::string_view in, const std::function<void(const cdr_view&)>& f);
// nullopt when the block is corrupt.
std::optional<std::vector<stored_cdr>> decode_cdr_block(std::string_view in);

}  // namespace cxs::storage
