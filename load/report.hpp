#pragma once
// What a cxs-load run measured, and its two renderings (a table for people, one JSON object for
// scripts). Latencies are of the operations that succeeded, from their planned start.

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "load/histogram.hpp"
#include "load/schedule.hpp"

namespace cxs::load {

struct operation_stats {
  uint64_t started = 0;
  uint64_t ok = 0;
  std::map<std::string, uint64_t> errors;  // "409 session_active", "transport: …", "no_mail" → count
  latency_histogram latency;               // µs, successful operations only

  uint64_t failed() const;
};

struct setup_stats {
  double seconds = 0;
  unsigned accounts_created = 0;
  unsigned accounts_reused = 0;
  unsigned sessions = 0;  // logins done before the run (not measured)
  uint64_t seed_rows_accepted = 0;
};

struct run_report {
  double planned_seconds = 0;
  double elapsed_seconds = 0;  // first planned start to the last operation's end
  std::map<operation, operation_stats> operations;
  setup_stats setup;
  uint64_t ingest_rows_accepted = 0;  // during the run
  unsigned signups_completed = 0;
  double max_start_lag_ms = 0;  // how late the generator started an operation (its own health)
  uint64_t late_starts = 0;     // starts more than 10 ms after their planned time
  unsigned sessions_ended = 0;  // logouts after the run
  // Every request cxs-load sent (set-up, run and end): listener, route pattern, status → count.
  std::map<std::tuple<std::string, std::string, long>, uint64_t> requests;

  bool any_failed() const;
};

std::string render_json(const run_report& r);
std::string render_text(const run_report& r);

}  // namespace cxs::load
