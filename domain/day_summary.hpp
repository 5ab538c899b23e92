// One JST day of a standard account's detailed data, summed as the detailed analyses read it
// when no AN, DN or time band narrows the question (weekdays select whole days): prefecture
// counts, origin × destination pairs, figures per hour and per AN, talk-time buckets. Kept
// beside the day's records (detail_table) and updated with each record, so the default questions
// over three months read ~90 summaries instead of millions of records (docs/performance.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "domain/cdr.hpp"
#include "domain/prefecture.hpp"

namespace cxs::domain {

inline constexpr std::size_t pref_slots = prefecture_count + 1;  // 0 = unknown, 1..47
inline uint8_t pref_slot(uint8_t code) { return code < pref_slots ? code : 0; }

// Completed calls by talk time: [0,30) [30,60) [60,180) [180,300) [300,600) [600,1800) 1800+ s.
inline constexpr std::array<uint32_t, 6> talk_edges{30, 60, 180, 300, 600, 1800};
std::size_t talk_bucket(uint32_t duration_s);

struct call_figures {
  uint64_t calls = 0, completed = 0, talk_seconds = 0;
  void add(call_result r, uint32_t duration_s) {
    ++calls;
    if (r == call_result::completed) ++completed;
    talk_seconds += duration_s;
  }
  call_figures& operator+=(const call_figures& o) {
    calls += o.calls;
    completed += o.completed;
    talk_seconds += o.talk_seconds;
    return *this;
  }
  bool operator==(const call_figures&) const = default;
};

struct day_summary {
  struct pref_figures {
    uint32_t calls = 0, completed = 0;
  };
  struct an_figures {
    call_figures figures;
    std::array<uint32_t, 24> calls_by_hour{};
  };
  struct pair_calls {
    uint16_t pair;  // origin slot * pref_slots + destination slot
    uint32_t calls;
  };

  std::array<pref_figures, pref_slots> origin{}, destination{};
  std::vector<pair_calls> pairs;  // sorted by pair; only pairs with calls
  std::array<call_figures, 24> hours{};
  std::array<uint32_t, talk_edges.size() + 1> talk{};  // completed calls by talk_bucket
  std::vector<an_figures> ans;                         // by an_index, as far as the day's largest

  // jst_hour: the record's JST hour (0..23).
  void add(int jst_hour, uint16_t an_index, uint8_t origin_pref, uint8_t dest_pref, uint32_t duration_s,
           call_result result);
  std::size_t memory_bytes() const;
};

}  // namespace cxs::domain
