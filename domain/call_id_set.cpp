#include "domain/call_id_set.hpp"

#include <functional>

namespace cxs::domain {
namespace {

// splitmix64's finaliser: every input bit moves every output bit.
uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

constexpr uint64_t fingerprint_bits = 48;
constexpr uint64_t fingerprint_mask = (uint64_t{1} << fingerprint_bits) - 1;

}  // namespace

uint64_t call_id_set::fingerprint(uint16_t an_index, std::string_view call_id) {
  const uint64_t h = mix(std::hash<std::string_view>{}(call_id) ^ (uint64_t{an_index} << 48 | an_index));
  const uint64_t fp = h & fingerprint_mask;
  return fp == 0 ? 1 : fp;
}

std::size_t call_id_set::home(uint64_t fingerprint) const {
  return static_cast<std::size_t>(fingerprint) & (slots_.size() - 1);  // its low bits are mixed already
}

void call_id_set::insert(uint64_t fingerprint, uint16_t month) {
  if ((size_ + 1) * 4 > slots_.size() * 3) grow();
  const uint64_t entry = fingerprint << 16 | month;
  std::size_t i = home(fingerprint);
  while (slots_[i] != 0) {
    if (slots_[i] == entry) return;  // already there (e.g. stored twice by an interrupted rewrite)
    i = (i + 1) & (slots_.size() - 1);
  }
  slots_[i] = entry;
  ++size_;
}

bool call_id_set::insert_unless_candidate(uint64_t fingerprint, uint16_t month, std::vector<uint16_t>& months) {
  if ((size_ + 1) * 4 > slots_.size() * 3) grow();
  std::size_t i = home(fingerprint);
  bool any = false;
  for (; slots_[i] != 0; i = (i + 1) & (slots_.size() - 1)) {
    if (slots_[i] >> 16 == fingerprint) {
      months.push_back(static_cast<uint16_t>(slots_[i] & 0xffff));
      any = true;
    }
  }
  if (any) return true;
  slots_[i] = fingerprint << 16 | month;  // the probe ended at the empty slot the entry belongs in
  ++size_;
  return false;
}

void call_id_set::reserve(std::size_t more) {
  std::size_t slots = slots_.empty() ? 1024 : slots_.size();
  while ((size_ + more) * 4 > slots * 3) slots *= 2;
  if (slots != slots_.size()) rehash(slots);
}

bool call_id_set::candidates(uint64_t fingerprint, std::vector<uint16_t>& months) const {
  if (slots_.empty()) return false;
  bool any = false;
  for (std::size_t i = home(fingerprint); slots_[i] != 0; i = (i + 1) & (slots_.size() - 1)) {
    if (slots_[i] >> 16 == fingerprint) {
      months.push_back(static_cast<uint16_t>(slots_[i] & 0xffff));
      any = true;
    }
  }
  return any;
}

void call_id_set::grow() { rehash(slots_.empty() ? 1024 : slots_.size() * 2); }

void call_id_set::rehash(std::size_t slot_count) {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(slot_count, 0);
  size_ = 0;
  for (const uint64_t e : old)
    if (e != 0) insert(e >> 16, static_cast<uint16_t>(e & 0xffff));
}

void call_id_set::erase_before(uint16_t month) {
  // Linear probing cannot simply empty a slot (it would cut other entries' probe chains): rebuild.
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.size(), 0);
  size_ = 0;
  for (const uint64_t e : old)
    if (e != 0 && (e & 0xffff) >= month) insert(e >> 16, static_cast<uint16_t>(e & 0xffff));
}

std::vector<bool> mark_repeats(const std::vector<uint64_t>& fingerprints,
                               const std::function<bool(uint32_t, uint32_t)>& same_id) {
  std::vector<bool> repeat(fingerprints.size(), false);
  std::size_t slots = 16;
  while (slots < fingerprints.size() * 2) slots *= 2;
  // Only positions that stand are entered; fingerprints are never 0, so 0 marks an empty slot.
  std::vector<uint64_t> table(slots, 0);
  std::vector<uint32_t> position(slots);
  for (uint32_t i = 0; i < fingerprints.size(); ++i) {
    const uint64_t fp = fingerprints[i];
    std::size_t s = fp & (slots - 1);
    for (; table[s] != 0; s = (s + 1) & (slots - 1))
      if (table[s] == fp && same_id(position[s], i)) {
        repeat[i] = true;
        break;
      }
    if (repeat[i]) continue;
    table[s] = fp;
    position[s] = i;
  }
  return repeat;
}

}  // namespace cxs::domain
