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
#include <functional>
#include <string_view>
#include <vector>

namespace cxs::domain {

class call_id_set {
 public:
  // The fingerprint of (AN index, call ID): 48 well-mixed bits, never 0. Stable within a process
  // only — the set is rebuilt from the stored IDs at each start.
  static uint64_t fingerprint(uint16_t an_index, std::string_view call_id);

  void insert(uint64_t fingerprint, uint16_t month);
  // One probe for ingest: appends to `months` the month of every entry with this fingerprint and
  // returns true if there was any (a candidate duplicate: nothing inserted, the caller confirms
  // it and inserts if it is new); otherwise inserts (fingerprint, month) and returns false.
  bool insert_unless_candidate(uint64_t fingerprint, uint16_t month, std::vector<uint16_t>& months);
  // Room for `more` entries without growing (one rehash before a request instead of several in it).
  void reserve(std::size_t more);
  // Asks the CPU to bring in the slot a fingerprint starts at: a table of millions of entries
  // misses the cache on almost every probe, so ingest fetches a few records ahead.
  void prefetch(uint64_t fingerprint) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[home(fingerprint)]);
  }
  // Appends to `months` the month of every entry with this fingerprint (usually none; one for a
  // duplicate); returns whether there was any.
  bool candidates(uint64_t fingerprint, std::vector<uint16_t>& months) const;
  // Retention: forgets every entry of a month before `month`.
  void erase_before(uint16_t month);

  std::size_t size() const { return size_; }
  std::size_t memory_bytes() const { return slots_.capacity() * sizeof(uint64_t); }

 private:
  void grow();
  void rehash(std::size_t slot_count);
  std::size_t home(uint64_t fingerprint) const;

  // Open addressing with linear probing; a slot is fingerprint << 16 | month, 0 = empty. Kept at
  // most 3/4 full so a miss ends after a few probes.
  std::vector<uint64_t> slots_;
  std::size_t size_ = 0;
};

// SPEC §8 within one request: marks each position whose call ID (on the same AN) is that of an
// earlier position — the first of equal IDs stands. `fingerprints[i]` is position i's
// fingerprint; `same_id(a, b)` compares the exact IDs of two positions and is asked only when
// their fingerprints match. One pass through a table sized to the request.
std::vector<bool> mark_repeats(const std::vector<uint64_t>& fingerprints,
                               const std::function<bool(uint32_t, uint32_t)>& same_id);

}  // namespace cxs::domain
