#pragma once
// Every account record the directory knows, by CX Support ID, kept in the compact form of
// domain/account_pack.hpp (a passivated account must cost under 1 KiB, SPEC §17). A record is
// decoded when asked for: the directory's messages need one or two, a registry change or the
// retention run walks them all.

#include "actors/results.hpp"

#include <cstddef>
#include <string>
#include <unordered_map>

namespace cxs::actors {

class account_table {
 public:
  // The record, or null for an unknown ID.
  account_ptr find(const std::string& id) const;
  bool contains(const std::string& id) const { return packed_.count(id) > 0; }
  std::size_t size() const { return packed_.size(); }
  // Adds the record or replaces the one with its ID.
  void put(const domain::account& a);
  void erase(const std::string& id) { packed_.erase(id); }

  // Calls f(const domain::account&) for every record, decoded one at a time, in no set order.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [id, bytes] : packed_) f(decode(bytes));
  }

 private:
  static domain::account decode(const std::string& bytes);
  std::unordered_map<std::string, std::string> packed_;
};

}  // namespace cxs::actors
