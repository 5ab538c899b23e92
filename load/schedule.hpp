#pragma once
// The open-loop plan of a cxs-load run (SPEC §17): every operation's start time is fixed before
// the run from its rate alone, whatever earlier operations are doing, and its latency is measured
// from that planned time (no coordinated omission: a slow server delays no start, it lengthens
// the measured latencies instead).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxs::load {

enum class operation { login, dashboard, analysis, ingest, signup };
inline constexpr operation all_operations[] = {operation::login, operation::dashboard, operation::analysis,
                                               operation::ingest, operation::signup};

std::string_view name_of(operation op);
std::optional<operation> operation_named(std::string_view name);

struct operation_rate {
  operation op;
  double per_second;
};

enum class arrival_process {
  uniform,  // evenly spaced at 1/rate, each operation with its own seeded phase
  poisson,  // exponential gaps of mean 1/rate (seeded)
};

struct planned_start {
  std::chrono::nanoseconds at;  // from the start of the run
  operation op;
};

// Every start in [0, duration), sorted by time; the same arguments give the same plan. An
// operation of rate r gets r·duration starts (± 1) with `uniform`, about that many with `poisson`.
std::vector<planned_start> open_loop_schedule(const std::vector<operation_rate>& rates,
                                              std::chrono::nanoseconds duration, arrival_process process,
                                              uint64_t seed);

}  // namespace cxs::load
