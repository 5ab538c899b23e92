#include "metrics/activity.hpp"

namespace cxs::metrics {

void account_activity::add(const std::string& account, uint64_t requests, uint64_t rows) {
  std::lock_guard lock(mutex_);
  auto& c = by_account_[account];
  if (c.account.empty()) c.account = account;
  c.requests += requests;
  c.rows += rows;
}

std::vector<account_counts> account_activity::totals() const {
  std::lock_guard lock(mutex_);
  std::vector<account_counts> out;
  out.reserve(by_account_.size());
  for (const auto& [id, c] : by_account_) out.push_back(c);
  return out;
}

account_activity& activity() {
  static account_activity a;
  return a;
}

}  // namespace cxs::metrics
