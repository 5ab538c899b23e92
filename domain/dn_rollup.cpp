#include "domain/dn_rollup.hpp"

#include <algorithm>

namespace cxs::domain {

std::optional<uint16_t> dn_rollup::index_of(uint16_t an_index, std::string_view dn) {
  if (dn.empty()) return std::nullopt;
  pair key{an_index, std::string(dn)};
  if (auto it = index_.find(key); it != index_.end()) return it->second;
  if (pairs_.size() >= max_pairs) return std::nullopt;
  const auto index = static_cast<uint16_t>(pairs_.size());
  pairs_.push_back(key);
  index_.emplace(std::move(key), index);
  return index;
}

std::vector<uint16_t> dn_rollup::select(const std::vector<uint16_t>& an_indexes,
                                        const std::vector<std::string>& dns) const {
  std::vector<uint16_t> out;
  for (std::size_t i = 0; i < pairs_.size(); ++i) {
    const pair& p = pairs_[i];
    if (std::find(dns.begin(), dns.end(), p.dn) == dns.end()) continue;
    if (!an_indexes.empty() && std::find(an_indexes.begin(), an_indexes.end(), p.an_index) == an_indexes.end())
      continue;
    out.push_back(static_cast<uint16_t>(i));
  }
  return out;
}

std::size_t dn_rollup::memory_bytes() const {
  std::size_t bytes = sizeof(*this) + pairs_.capacity() * sizeof(pair);
  // A map node holds the pair, the index and three pointers and a colour.
  bytes += index_.size() * (sizeof(pair) + sizeof(uint16_t) + 4 * sizeof(void*));
  for (const pair& p : pairs_)
    if (p.dn.capacity() > 15) bytes += 2 * p.dn.capacity();  // beyond the small-string buffer, twice
  for (const auto& e : cells_.hours()) bytes += sizeof(e) + e.ans.capacity() * sizeof(traffic_rollup::an_cell);
  return bytes + (cells_.hours().capacity() - cells_.hours().size()) * sizeof(traffic_rollup::hour_entry);
}

}  // namespace cxs::domain
