#pragma once
// Requests and ingested rows per account since start, for the operators' "busiest accounts"
// (GET /admin/stats, SPEC §17). Not a Prometheus family: a series per account would be too many.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace cxs::metrics {

struct account_counts {
  std::string account;
  uint64_t requests = 0;  // analyses and ingest batches the account actor handled
  uint64_t rows = 0;      // CDR rows it stored
};

class account_activity {
 public:
  void add(const std::string& account, uint64_t requests, uint64_t rows);
  std::vector<account_counts> totals() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, account_counts> by_account_;
};

account_activity& activity();

}  // namespace cxs::metrics
