#include "domain/detail_table.hpp"

#include <algorithm>
#include <cstring>

namespace cxs::domain {

uint32_t detail_table::intern_caller(std::string_view hash) {
  if (hash.empty()) return 0;
  // Keyed hashes are uniformly random: their first 16 bytes are as good a key as the whole.
  caller_key key{0, 0};
  std::memcpy(&key.hi, hash.data(), std::min<std::size_t>(8, hash.size()));
  if (hash.size() > 8) std::memcpy(&key.lo, hash.data() + 8, std::min<std::size_t>(8, hash.size() - 8));
  auto [it, inserted] = callers_.try_emplace(key, static_cast<uint32_t>(callers_.size() + 1));
  return it->second;
}

uint16_t detail_table::intern_dn(std::string_view dn) {
  if (dn.empty()) return no_dn;
  const uint16_t found = dn_index(dn);
  if (found != no_dn) return found;
  if (dns_.size() >= no_dn) return no_dn;  // more DNs than an account can register
  dns_.emplace_back(dn);
  const auto index = static_cast<uint16_t>(dns_.size() - 1);
  dn_indexes_.emplace(dns_.back(), index);
  return index;
}

uint16_t detail_table::dn_index(std::string_view dn) const {
  const auto it = dn_indexes_.find(std::string(dn));
  return it == dn_indexes_.end() ? no_dn : it->second;
}

void detail_table::add(int64_t start, uint32_t duration_s, std::string_view caller_hash, uint16_t an_index,
                       std::string_view dn, uint8_t origin_pref, uint8_t dest_pref, call_result result) {
  detail_record r;
  r.start = static_cast<uint32_t>(start);
  r.duration_s = duration_s;
  r.caller = intern_caller(caller_hash);
  r.an_index = an_index;
  r.dn_index = intern_dn(dn);
  r.origin_pref = origin_pref;
  r.dest_pref = dest_pref;
  r.result = result;
  const int64_t day = jst_day_number(start);
  auto& records = days_[day];
  if (!records.empty() && records.back().start > r.start && (unsorted_.empty() || unsorted_.back() != day))
    unsorted_.push_back(day);
  records.push_back(r);
  ++records_;
  const int jst_hour = static_cast<int>((start + jst_offset_seconds) / 3600 % 24);
  summaries_[day].add(jst_hour, an_index, origin_pref, dest_pref, duration_s, result);
  if (r.caller >= calls_per_caller_.size()) calls_per_caller_.resize(static_cast<std::size_t>(r.caller) + 1, 0);
  ++calls_per_caller_[r.caller];
}

void detail_table::sort() {
  std::sort(unsorted_.begin(), unsorted_.end());
  unsorted_.erase(std::unique(unsorted_.begin(), unsorted_.end()), unsorted_.end());
  for (const int64_t day : unsorted_) {
    const auto it = days_.find(day);
    if (it == days_.end()) continue;
    std::stable_sort(it->second.begin(), it->second.end(),
                     [](const detail_record& a, const detail_record& b) { return a.start < b.start; });
  }
  unsorted_.clear();
}

void detail_table::shrink() {
  for (auto& [day, records] : days_) records.shrink_to_fit();
  for (auto& [day, summary] : summaries_) {
    summary.pairs.shrink_to_fit();
    summary.ans.shrink_to_fit();
  }
}

void detail_table::erase_before(civil_date first_kept) {
  const int64_t first = days_from_civil(first_kept);
  for (auto it = days_.begin(); it != days_.end() && it->first < first;) {
    records_ -= it->second.size();
    for (const detail_record& r : it->second) --calls_per_caller_[r.caller];
    it = days_.erase(it);
  }
  summaries_.erase(summaries_.begin(), summaries_.lower_bound(first));
  std::erase_if(unsorted_, [&](int64_t day) { return day < first; });
  // Callers and DNs of dropped days stay interned: they are few, and an id must not change while
  // the kept records use it.
}

void detail_table::clear() { *this = detail_table{}; }

std::size_t detail_table::memory_bytes() const {
  std::size_t bytes = sizeof(*this);
  for (const auto& [day, records] : days_) bytes += 64 + records.capacity() * sizeof(detail_record);
  for (const auto& [day, summary] : summaries_) bytes += 64 + summary.memory_bytes();
  bytes += calls_per_caller_.capacity() * sizeof(uint32_t);
  // An unordered_map node: the pair, the next pointer and the cached hash; plus the bucket array.
  bytes += callers_.size() * (sizeof(caller_key) + sizeof(uint32_t) + 2 * sizeof(void*)) +
           callers_.bucket_count() * sizeof(void*);
  for (const auto& dn : dns_) bytes += 2 * (sizeof(dn) + dn.capacity()) + 2 * sizeof(void*);  // vector + map node
  return bytes;
}

}  // namespace cxs::domain
