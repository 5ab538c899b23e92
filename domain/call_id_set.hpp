// The call IDs an account has kept (SPEC §8: a call_id seen before on the same AN is a duplicate),
// as 48-bit fingerprints in memory — about 11–21 bytes per record — so that ingest checks a
// record without a storage lookup and records it without a random-key write.
//
// A fingerprint match is only a candidate: two call IDs can share a fingerprint. Each entry keeps
// the JST month of its record, and the caller confirms a candidate against the exact IDs stored
// for that month (storage/id_block.hpp), so no record is ever refused by a collision.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cxs::domain {

class call_id_set {
 public:
  // The fingerprint of (AN index, call ID): 48 well-mixed bits, never 0. Stable within a process
  // only — the set is rebuilt from the stored IDs at each start.
  static uint64_t fingerprint(uint16_t an_index, std::string_view call_id);

  void insert(uint64_t fingerprint, uint16_t month);
  // Appends to `months` the month of every entry with this fingerprint (usually none; one for a
  // duplicate); returns whether there was any.
  bool candidates(uint64_t fingerprint, std::vector<uint16_t>& months) const;
  // Retention: forgets every entry of a month before `month`.
  void erase_before(uint16_t month);

  std::size_t size() const { return size_; }
  std::size_t memory_bytes() const { return slots_.capacity() * sizeof(uint64_t); }

 private:
  void grow();
  std::size_t home(uint64_t fingerprint) const;

  // Open addressing with linear probing; a slot is fingerprint << 16 | month, 0 = empty. Kept at
  // most 3/4 full so a miss ends after a few probes.
  std::vector<uint64_t> slots_;
  std::size_t size_ = 0;
};

}  // namespace cxs::domain
