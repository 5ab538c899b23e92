#include "load/report.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace cxs::load {

namespace {

double ms(uint64_t micros) { return static_cast<double>(micros) / 1000.0; }

double rounded(double v, double unit) { return std::round(v / unit) * unit; }

}  // namespace

uint64_t operation_stats::failed() const {
  uint64_t n = 0;
  for (const auto& [code, count] : errors) n += count;
  return n;
}

bool run_report::any_failed() const {
  for (const auto& [op, s] : operations)
    if (s.failed() > 0) return true;
  return false;
}

std::string render_json(const run_report& r) {
  nlohmann::json ops = nlohmann::json::object();
  for (const auto& [op, s] : r.operations) {
    const auto& h = s.latency;
    ops[std::string(name_of(op))] = {
        {"count", s.started},
        {"ok", s.ok},
        {"failed", s.failed()},
        {"errors", s.errors},
        {"throughput_per_s", r.elapsed_seconds > 0 ? rounded(static_cast<double>(s.ok) / r.elapsed_seconds, 0.01) : 0},
        {"latency_ms",
         {{"p50", ms(h.percentile(50))},
          {"p90", ms(h.percentile(90))},
          {"p99", ms(h.percentile(99))},
          {"p99.9", ms(h.percentile(99.9))},
          {"max", ms(h.max())}}}};
  }
  nlohmann::json requests = nlohmann::json::array();
  for (const auto& [key, count] : r.requests) {
    const auto& [listener, route, status] = key;
    requests.push_back({{"listener", listener}, {"route", route}, {"status", status}, {"count", count}});
  }
  return nlohmann::json{
      {"planned_seconds", r.planned_seconds},
      {"elapsed_seconds", rounded(r.elapsed_seconds, 0.001)},
      {"operations", ops},
      {"setup",
       {{"seconds", rounded(r.setup.seconds, 0.001)},
        {"accounts_created", r.setup.accounts_created},
        {"accounts_reused", r.setup.accounts_reused},
        {"sessions", r.setup.sessions},
        {"seed_rows_accepted", r.setup.seed_rows_accepted}}},
      {"ingest_rows_accepted", r.ingest_rows_accepted},
      {"signups_completed", r.signups_completed},
      {"sessions_ended", r.sessions_ended},
      {"generator", {{"max_start_lag_ms", rounded(r.max_start_lag_ms, 0.001)}, {"late_starts", r.late_starts}}},
      {"requests", requests},
      {"failed", r.any_failed()}}
      .dump();
}

std::string render_text(const run_report& r) {
  std::string out;
  char line[256];
  std::snprintf(
      line, sizeof line,
      "cxs-load: %.1f s planned, %.1f s elapsed; set-up %.1f s (%u accounts created, %u reused, %u sessions)\n\n",
      r.planned_seconds, r.elapsed_seconds, r.setup.seconds, r.setup.accounts_created, r.setup.accounts_reused,
      r.setup.sessions);
  out += line;
  std::snprintf(line, sizeof line, "%-10s %8s %8s %8s %9s %9s %9s %9s %9s %9s\n", "operation", "count", "ok", "failed",
                "ops/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms");
  out += line;
  for (const auto& [op, s] : r.operations) {
    const auto& h = s.latency;
    std::snprintf(line, sizeof line, "%-10s %8llu %8llu %8llu %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f\n",
                  std::string(name_of(op)).c_str(), static_cast<unsigned long long>(s.started),
                  static_cast<unsigned long long>(s.ok), static_cast<unsigned long long>(s.failed()),
                  r.elapsed_seconds > 0 ? static_cast<double>(s.ok) / r.elapsed_seconds : 0.0, ms(h.percentile(50)),
                  ms(h.percentile(90)), ms(h.percentile(99)), ms(h.percentile(99.9)), ms(h.max()));
    out += line;
  }
  bool any = false;
  for (const auto& [op, s] : r.operations)
    for (const auto& [code, count] : s.errors) {
      if (!any) out += "\nerrors:\n";
      any = true;
      std::snprintf(line, sizeof line, "  %-10s %-40s %llu\n", std::string(name_of(op)).c_str(), code.c_str(),
                    static_cast<unsigned long long>(count));
      out += line;
    }
  std::snprintf(line, sizeof line,
                "\ningest rows accepted: %llu; sign-ups completed: %u; generator: max start lag %.2f ms, %llu "
                "starts > 10 ms late\n",
                static_cast<unsigned long long>(r.ingest_rows_accepted), r.signups_completed, r.max_start_lag_ms,
                static_cast<unsigned long long>(r.late_starts));
  out += line;
  out += r.any_failed() ? "result: FAILED (some operations failed)\n" : "result: ok\n";
  return out;
}

}  // namespace cxs::load
