#include "domain/bounded_tries.hpp"

#include <algorithm>
#include <tuple>

namespace cxs::domain {

std::vector<std::string> names_to_drop(std::vector<tried_name> table) {
  if (table.empty()) return {};
  const auto drop = std::max<std::size_t>(1, table.size() / 10);
  // Only which entries fall in the first `drop` matters, not their order: linear, not a sort.
  std::nth_element(table.begin(), table.begin() + static_cast<std::ptrdiff_t>(drop - 1), table.end(),
                   [](const tried_name& a, const tried_name& b) {
                     return std::tie(a.locked, a.last, a.name) < std::tie(b.locked, b.last, b.name);
                   });
  std::vector<std::string> names;
  names.reserve(drop);
  for (std::size_t i = 0; i < drop; ++i) names.push_back(std::move(table[i].name));
  return names;
}

}  // namespace cxs::domain
