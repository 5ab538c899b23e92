#include "domain/day_summary.hpp"

#include <algorithm>

namespace cxs::domain {

std::size_t talk_bucket(uint32_t duration_s) {
  return static_cast<std::size_t>(std::upper_bound(talk_edges.begin(), talk_edges.end(), duration_s) -
                                  talk_edges.begin());
}

void day_summary::add(int jst_hour, uint16_t an_index, uint8_t origin_pref, uint8_t dest_pref, uint32_t duration_s,
                      call_result result) {
  const bool completed = result == call_result::completed;
  const uint8_t o = pref_slot(origin_pref), d = pref_slot(dest_pref);
  ++origin[o].calls;
  ++destination[d].calls;
  if (completed) {
    ++origin[o].completed;
    ++destination[d].completed;
    ++talk[talk_bucket(duration_s)];
  }
  const auto pair = static_cast<uint16_t>(o * pref_slots + d);
  auto it = std::lower_bound(pairs.begin(), pairs.end(), pair,
                             [](const pair_calls& p, uint16_t key) { return p.pair < key; });
  if (it != pairs.end() && it->pair == pair)
    ++it->calls;
  else
    pairs.insert(it, pair_calls{pair, 1});
  hours[static_cast<std::size_t>(jst_hour)].add(result, duration_s);
  if (an_index == 0xffff) return;  // no AN of the account (never routed here)
  if (an_index >= ans.size()) ans.resize(static_cast<std::size_t>(an_index) + 1);
  an_figures& a = ans[an_index];
  a.figures.add(result, duration_s);
  ++a.calls_by_hour[static_cast<std::size_t>(jst_hour)];
}

std::size_t day_summary::memory_bytes() const {
  return sizeof(*this) + pairs.capacity() * sizeof(pair_calls) + ans.capacity() * sizeof(an_figures);
}

}  // namespace cxs::domain
