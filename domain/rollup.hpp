// Hourly traffic rollups: what basic analyses (SPEC §7 basic 01–04) are answered from.
//
// An account keeps, per hour and per AN, the calls per result and the talk seconds. A dashboard
// question ("3 months by day") then reads ~2,200 hour entries instead of millions of CDRs.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/cdr.hpp"

namespace cxs::domain {

struct hour_counts {
  std::array<uint32_t, call_result_count> calls{};  // by call_result
  uint64_t talk_seconds = 0;

  void add(call_result r, uint32_t duration_s) {
    ++calls[static_cast<std::size_t>(r)];
    talk_seconds += duration_s;
  }
  hour_counts& operator+=(const hour_counts& o) {
    for (std::size_t i = 0; i < calls.size(); ++i) calls[i] += o.calls[i];
    talk_seconds += o.talk_seconds;
    return *this;
  }
  uint32_t total() const {
    uint32_t t = 0;
    for (const uint32_t c : calls) t += c;
    return t;
  }
  uint32_t of(call_result r) const { return calls[static_cast<std::size_t>(r)]; }
  bool operator==(const hour_counts&) const = default;
};

// Storage form: 8 × uint32 then uint64, big-endian, 40 bytes.
inline constexpr std::size_t encoded_counts_size = call_result_count * 4 + 8;
std::string encode_counts(const hour_counts& c);
// nullopt unless exactly encoded_counts_size bytes.
std::optional<hour_counts> decode_counts(std::string_view bytes);

// The rollups of one account, in memory.
//
// Layout: a vector of hour entries sorted by hour, each with the all-AN total and a small vector
// of (an_index, counts) sorted by an_index. Only hours with calls exist (sparse: a quiet account
// costs almost nothing); an all-AN query reads one total per hour however many ANs there are.
// CDRs arrive mostly in time order, so add() is usually an append.
class traffic_rollup {
 public:
  struct an_cell {
    uint16_t an_index;
    hour_counts counts;
  };
  static constexpr uint16_t no_an = 0xffff;
  // Most hours of most accounts have calls to one AN only: then the total is that AN's cell and
  // `ans` stays empty (no allocation), with `only_an` naming it. A second AN materialises `ans`.
  struct hour_entry {
    int64_t hour;
    hour_counts total;
    std::vector<an_cell> ans;  // sorted by an_index; empty while at most one AN has calls
    uint16_t only_an = no_an;  // the one AN while `ans` is empty
  };

  // hour = unix_seconds / 3600 (UTC hour number; JST hours align because the offset is 9 h).
  // Returns the updated per-AN cell, e.g. for the caller to persist it.
  const hour_counts& add(int64_t hour, uint16_t an_index, call_result r, uint32_t duration_s);
  // Replaces a cell (loading from storage); keeps the hour's total consistent.
  void set(int64_t hour, uint16_t an_index, const hour_counts& counts);
  const hour_counts* find(int64_t hour, uint16_t an_index) const;
  // Retention: drops every hour < `hour`.
  void erase_before(int64_t hour);
  void shrink();  // gives back spare capacity (after loading from storage)

  // Calls f(int64_t hour, const hour_counts&) for each hour in [from_hour, to_hour) that has
  // calls on the selected ANs, in ascending order, with their sum. An empty `ans` means every
  // AN (answered from the per-hour total). Indexes not present simply add nothing.
  template <class F>
  void for_each_hour(int64_t from_hour, int64_t to_hour, const std::vector<uint16_t>& ans, F&& f) const;

  std::size_t cell_count() const { return cells_; }
  std::size_t hour_count() const { return hours_.size(); }
  bool empty() const { return hours_.empty(); }
  const std::vector<hour_entry>& hours() const { return hours_; }

 private:
  hour_entry& entry_for(int64_t hour);
  std::vector<hour_entry>::const_iterator first_at_or_after(int64_t hour) const;

  std::vector<hour_entry> hours_;  // sorted by hour
  std::size_t cells_ = 0;
};

template <class F>
void traffic_rollup::for_each_hour(int64_t from_hour, int64_t to_hour, const std::vector<uint16_t>& ans, F&& f) const {
  auto it = first_at_or_after(from_hour);
  const auto end = hours_.end();
  if (ans.empty()) {
    for (; it != end && it->hour < to_hour; ++it) f(it->hour, it->total);
    return;
  }
  // A bitmap of the selected indexes makes each cell test O(1) whatever the selection size.
  uint16_t max_index = 0;
  for (const uint16_t a : ans) max_index = a > max_index ? a : max_index;
  std::vector<uint64_t> selected(max_index / 64 + 1, 0);
  for (const uint16_t a : ans) selected[a / 64] |= uint64_t{1} << (a % 64);
  const auto is_selected = [&](uint16_t a) { return a <= max_index && (selected[a / 64] >> (a % 64) & 1) != 0; };

  for (; it != end && it->hour < to_hour; ++it) {
    if (it->ans.empty()) {
      if (it->only_an != no_an && is_selected(it->only_an)) f(it->hour, it->total);
      continue;
    }
    if (ans.size() == 1) {  // the common "one AN" case: a binary search, no sum
      const auto c = std::lower_bound(it->ans.begin(), it->ans.end(), ans[0],
                                      [](const an_cell& cell, uint16_t a) { return cell.an_index < a; });
      if (c != it->ans.end() && c->an_index == ans[0]) f(it->hour, c->counts);
      continue;
    }
    hour_counts sum;
    bool any = false;
    for (const an_cell& c : it->ans) {
      if (is_selected(c.an_index)) {
        sum += c.counts;
        any = true;
      }
    }
    if (any) f(it->hour, sum);
  }
}

}  // namespace cxs::domain
