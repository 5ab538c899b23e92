#include "load/schedule.hpp"

#include <algorithm>
#include <random>

namespace cxs::load {

std::string_view name_of(operation op) {
  switch (op) {
    case operation::login: return "login";
    case operation::dashboard: return "dashboard";
    case operation::analysis: return "analysis";
    case operation::ingest: return "ingest";
    case operation::signup: return "signup";
  }
  return "?";
}

std::optional<operation> operation_named(std::string_view name) {
  for (auto op : all_operations)
    if (name_of(op) == name) return op;
  return std::nullopt;
}

std::vector<planned_start> open_loop_schedule(const std::vector<operation_rate>& rates,
                                              std::chrono::nanoseconds duration, arrival_process process,
                                              uint64_t seed) {
  std::vector<planned_start> plan;
  const double total_ns = static_cast<double>(duration.count());
  for (const auto& [op, per_second] : rates) {
    if (per_second <= 0) continue;
    // One generator per operation, so adding an operation does not move the others' starts.
    std::mt19937_64 rng(seed * 1000003 + static_cast<uint64_t>(op) + 1);
    const double mean_gap_ns = 1e9 / per_second;
    double t = 0;
    if (process == arrival_process::uniform) {
      t = std::uniform_real_distribution<double>(0, mean_gap_ns)(rng);
      for (; t < total_ns; t += mean_gap_ns) plan.push_back({std::chrono::nanoseconds(static_cast<int64_t>(t)), op});
    } else {
      std::exponential_distribution<double> gap(1.0 / mean_gap_ns);
      for (t = gap(rng); t < total_ns; t += gap(rng))
        plan.push_back({std::chrono::nanoseconds(static_cast<int64_t>(t)), op});
    }
  }
  std::stable_sort(plan.begin(), plan.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  return plan;
}

}  // namespace cxs::load
