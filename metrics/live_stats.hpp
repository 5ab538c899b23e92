#pragma once
// The live figures of GET /admin/stats and the /ops page (SPEC §17), from two snapshots of the
// service's own metrics (the Prometheus text of /metrics, parsed back) and of the per-account
// activity: rates are the change between the snapshots over the time between them, a route's
// p99 the upper bound of the latency bucket that holds its 99th percentile of that window.
//
// The snapshots are taken when the figures are asked for; the baseline is the newest snapshot
// kept that is at least `window_s` older, else the oldest one kept (at first: the start of the
// process, where every counter was zero). So the /ops page, polling every 2 s, sees rates over
// the last few seconds, and a lone `curl` sees averages since start.

#include "metrics/activity.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cxs::metrics {

struct sample {
  std::string name;                           // with its _bucket / _sum / _count suffix
  std::map<std::string, std::string> labels;  // le included
  double value = 0;
};

// The samples of a Prometheus text exposition (comments and malformed lines skipped).
std::vector<sample> parse_exposition(std::string_view text);

struct snapshot {
  double at_s = 0;  // seconds on a steady clock
  std::vector<sample> samples;
  std::vector<account_counts> activity;
};

// The upper bound of the bucket holding the q-quantile of a histogram's counts, from cumulative
// (le, count) pairs sorted by le; nullopt when there are no counts, +inf above the last bound.
std::optional<double> bucket_quantile(const std::vector<std::pair<double, double>>& cumulative, double q);

// {"window_s","actors","accounts","routes","ingest","sessions","mails","storage","connections",
//  "failures","busiest"} (docs/api.md, "GET /admin/stats").
nlohmann::json live_stats(const snapshot& now, const snapshot& base);

// The snapshots kept between calls (thread-safe): at most one per second, for two minutes.
class stats_history {
 public:
  explicit stats_history(double start_s, double window_s = 5) : start_s_(start_s), window_s_(window_s) {}
  // Keeps now and answers the baseline for it.
  snapshot baseline_for(const snapshot& now);

 private:
  double start_s_, window_s_;
  std::mutex mutex_;
  std::deque<snapshot> kept_;
};

}  // namespace cxs::metrics
