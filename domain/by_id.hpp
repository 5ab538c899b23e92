// Lists of what a customer creates (groups, custom data sets), kept as vectors of records with an
// `id`: found, added or replaced, and removed by that ID. A few dozen entries at most, so a scan.
#pragma once

#include <algorithm>
#include <string_view>
#include <vector>

namespace cxs::domain {

template <class T>
const T* find_by_id(const std::vector<T>& list, std::string_view id) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const T& e) { return e.id == id; });
  return it == list.end() ? nullptr : &*it;
}

// Adds `item`, or replaces the entry with its ID.
template <class T>
void put_by_id(std::vector<T>& list, T item) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const T& e) { return e.id == item.id; });
  if (it == list.end())
    list.push_back(std::move(item));
  else
    *it = std::move(item);
}

template <class T>
bool erase_by_id(std::vector<T>& list, std::string_view id) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const T& e) { return e.id == id; });
  if (it == list.end()) return false;
  list.erase(it);
  return true;
}

}  // namespace cxs::domain
