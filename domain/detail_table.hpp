// Detailed data (SPEC §6, §7 detailed 01–08, §15) of one standard account, in memory: every call
// of the detailed window as a 20-byte record, grouped by JST day. The eight detailed analyses
// read it (detailed_analysis.hpp); the account actor fills it from storage and at ingest.
//
// Callers are kept as keyed hashes (never numbers, SPEC §8) and interned to small integers so
// that "how many distinct callers, how often each" is a counting pass over an array.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/cdr.hpp"
#include "domain/day_summary.hpp"
#include "domain/time.hpp"

namespace cxs::domain {

struct detail_record {
  uint32_t start = 0;       // unix seconds (fits until 2106)
  uint32_t duration_s = 0;  // talk seconds, 0 unless completed
  uint32_t caller = 0;      // interned caller, 0 = withheld
  uint16_t an_index = 0;    // as in the rollups: the account's an_order
  uint16_t dn_index = 0;    // index in detail_table::dns(); no_dn when no destination
  uint8_t origin_pref = 0, dest_pref = 0;
  call_result result = call_result::other;
};
static_assert(sizeof(detail_record) == 20);

inline constexpr uint16_t no_dn = 0xffff;

// The unix day number (days since 1970-01-01) of a JST date, and of a start time's JST date.
inline int64_t jst_day_number(int64_t unix_seconds) {
  const int64_t local = unix_seconds + jst_offset_seconds;
  return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

class detail_table {
 public:
  // caller_hash: 16 bytes, or empty when withheld; dn: digits or empty.
  void add(int64_t start, uint32_t duration_s, std::string_view caller_hash, uint16_t an_index, std::string_view dn,
           uint8_t origin_pref, uint8_t dest_pref, call_result result);
  // Drops every day before `first_kept` (retention, plan change).
  void erase_before(civil_date first_kept);
  void clear();
  // Puts each day's records in start order (adds are usually appends in order; late records are
  // sorted here, once, before the next analysis).
  void sort();
  // Gives back spare capacity (after loading from storage).
  void shrink();
  bool sorted() const { return unsorted_.empty(); }

  // The records of JST days [from, to], day by day in order, each day in start order once sort()
  // has run: f(int64_t day_number, const std::vector<detail_record>&).
  template <class F>
  void for_each_day(civil_date from, civil_date to, F&& f) const {
    const int64_t first = days_from_civil(from), last = days_from_civil(to);
    for (auto it = days_.lower_bound(first); it != days_.end() && it->first <= last; ++it) f(it->first, it->second);
  }

  // The summaries of JST days [from, to] that have calls, in order:
  // f(int64_t day_number, const day_summary&).
  template <class F>
  void for_each_summary(civil_date from, civil_date to, F&& f) const {
    const int64_t first = days_from_civil(from), last = days_from_civil(to);
    for (auto it = summaries_.lower_bound(first); it != summaries_.end() && it->first <= last; ++it)
      f(it->first, it->second);
  }

  // Calls per interned caller over every kept day (index 0: withheld calls): the callers
  // analysis reads it for a question over the whole table.
  const std::vector<uint32_t>& calls_per_caller() const { return calls_per_caller_; }
  // The first and last JST day numbers kept; first > last when empty.
  int64_t first_day() const { return days_.empty() ? 1 : days_.begin()->first; }
  int64_t last_day() const { return days_.empty() ? 0 : days_.rbegin()->first; }

  const std::vector<std::string>& dns() const { return dns_; }
  uint16_t dn_index(std::string_view dn) const;                                     // no_dn when unknown
  uint32_t caller_count() const { return static_cast<uint32_t>(callers_.size()); }  // ids are 1..count
  std::size_t size() const { return records_; }
  // Heap bytes held, for the bench's bytes-per-account figure.
  std::size_t memory_bytes() const;

 private:
  struct caller_key {
    uint64_t hi, lo;
    bool operator==(const caller_key&) const = default;
  };
  struct caller_key_hash {
    std::size_t operator()(const caller_key& k) const { return k.hi ^ (k.lo * 0x9e3779b97f4a7c15ull); }
  };
  uint32_t intern_caller(std::string_view hash);
  uint16_t intern_dn(std::string_view dn);

  std::map<int64_t, std::vector<detail_record>> days_;  // by JST day number
  std::map<int64_t, day_summary> summaries_;            // the same days, summed
  std::vector<uint32_t> calls_per_caller_;
  std::vector<int64_t> unsorted_;  // days with an out-of-order add
  std::unordered_map<caller_key, uint32_t, caller_key_hash> callers_;
  std::vector<std::string> dns_;
  // dns_ inverted: every add looks its DN up, and an account may have hundreds of DNs.
  std::unordered_map<std::string, uint16_t> dn_indexes_;
  std::size_t records_ = 0;
};

}  // namespace cxs::domain
