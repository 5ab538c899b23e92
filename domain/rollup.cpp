#include "domain/rollup.hpp"

#include <algorithm>

namespace cxs::domain {
namespace {

void put_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t get_be(std::string_view in, std::size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | static_cast<unsigned char>(in[pos + static_cast<std::size_t>(i)]);
  return v;
}

}  // namespace

std::string encode_counts(const hour_counts& c) {
  std::string out;
  out.reserve(encoded_counts_size);
  for (const uint32_t n : c.calls) put_be(out, n, 4);
  put_be(out, c.talk_seconds, 8);
  return out;
}

std::optional<hour_counts> decode_counts(std::string_view bytes) {
  if (bytes.size() != encoded_counts_size) return std::nullopt;
  hour_counts c;
  for (std::size_t i = 0; i < c.calls.size(); ++i) c.calls[i] = static_cast<uint32_t>(get_be(bytes, i * 4, 4));
  c.talk_seconds = get_be(bytes, c.calls.size() * 4, 8);
  return c;
}

std::vector<traffic_rollup::hour_entry>::const_iterator traffic_rollup::first_at_or_after(int64_t hour) const {
  return std::lower_bound(hours_.begin(), hours_.end(), hour,
                          [](const hour_entry& e, int64_t h) { return e.hour < h; });
}

traffic_rollup::hour_entry& traffic_rollup::entry_for(int64_t hour) {
  // Fast path: records arrive mostly in time order.
  if (hours_.empty() || hours_.back().hour < hour) return hours_.emplace_back(hour_entry{hour, {}, {}, no_an});
  if (hours_.back().hour == hour) return hours_.back();
  auto it =
      std::lower_bound(hours_.begin(), hours_.end(), hour, [](const hour_entry& e, int64_t h) { return e.hour < h; });
  if (it != hours_.end() && it->hour == hour) return *it;
  return *hours_.insert(it, hour_entry{hour, {}, {}, no_an});
}

namespace {

traffic_rollup::an_cell& cell_for(std::vector<traffic_rollup::an_cell>& cells, uint16_t an_index,
                                  std::size_t& cell_total) {
  auto it = std::lower_bound(cells.begin(), cells.end(), an_index,
                             [](const traffic_rollup::an_cell& c, uint16_t a) { return c.an_index < a; });
  if (it != cells.end() && it->an_index == an_index) return *it;
  ++cell_total;
  return *cells.insert(it, traffic_rollup::an_cell{an_index, {}});
}

}  // namespace

namespace {
// The cell of an_index in e, turning a single-AN entry into a list when a second AN arrives.
hour_counts& cell_in(traffic_rollup::hour_entry& e, uint16_t an_index, std::size_t& cell_total) {
  if (e.ans.empty()) {
    if (e.only_an == traffic_rollup::no_an) {
      e.only_an = an_index;
      ++cell_total;
      return e.total;
    }
    if (e.only_an == an_index) return e.total;
    e.ans.push_back(traffic_rollup::an_cell{e.only_an, e.total});
    e.only_an = traffic_rollup::no_an;
  }
  return cell_for(e.ans, an_index, cell_total).counts;
}
}  // namespace

const hour_counts& traffic_rollup::add(int64_t hour, uint16_t an_index, call_result r, uint32_t duration_s) {
  hour_entry& e = entry_for(hour);
  hour_counts& c = cell_in(e, an_index, cells_);
  if (&c == &e.total) {  // single-AN hour: the total is the cell
    c.add(r, duration_s);
    return c;
  }
  e.total.add(r, duration_s);
  c.add(r, duration_s);
  return c;
}

void traffic_rollup::set(int64_t hour, uint16_t an_index, const hour_counts& counts) {
  hour_entry& e = entry_for(hour);
  hour_counts& c = cell_in(e, an_index, cells_);
  c = counts;
  if (e.ans.empty()) return;
  // Recompute rather than adjust: unsigned subtraction of an old cell is error-prone.
  e.total = {};
  for (const an_cell& other : e.ans) e.total += other.counts;
}

const hour_counts* traffic_rollup::find(int64_t hour, uint16_t an_index) const {
  auto it = first_at_or_after(hour);
  if (it == hours_.end() || it->hour != hour) return nullptr;
  if (it->ans.empty()) return it->only_an == an_index ? &it->total : nullptr;
  for (const an_cell& c : it->ans)
    if (c.an_index == an_index) return &c.counts;
  return nullptr;
}

void traffic_rollup::erase_before(int64_t hour) {
  auto it = first_at_or_after(hour);
  for (auto e = hours_.cbegin(); e != it; ++e) cells_ -= e->ans.empty() ? (e->only_an != no_an ? 1 : 0) : e->ans.size();
  hours_.erase(hours_.cbegin(), it);
}

void traffic_rollup::shrink() { hours_.shrink_to_fit(); }

}  // namespace cxs::domain
