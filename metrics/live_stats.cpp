#include "metrics/live_stats.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace cxs::metrics {

namespace {

using nlohmann::json;
using key = std::vector<std::string>;

// Label values of `keys` (missing ones empty) → the sum of the samples of `name` with them.
std::map<key, double> grouped(const snapshot& s, std::string_view name, const std::vector<std::string>& keys) {
  std::map<key, double> out;
  for (const sample& x : s.samples) {
    if (x.name != name) continue;
    key k;
    for (const auto& label : keys) {
      auto it = x.labels.find(label);
      k.push_back(it == x.labels.end() ? std::string() : it->second);
    }
    out[k] += x.value;
  }
  return out;
}

double total(const snapshot& s, std::string_view name) {
  double v = 0;
  for (const sample& x : s.samples)
    if (x.name == name) v += x.value;
  return v;
}

// A gauge's value as JSON: a whole number without decimals (the registry's gauges are integers).
json whole(double v) {
  if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) return static_cast<int64_t>(v);
  return v;
}

double number(std::string_view v) {
  if (v == "+Inf" || v == "Inf") return std::numeric_limits<double>::infinity();
  if (v == "-Inf") return -std::numeric_limits<double>::infinity();
  double d = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc()) return std::numeric_limits<double>::quiet_NaN();
  return d;
}

// Rates of a counter family by some labels: {labels…, total, per_s}, busiest first.
json counter_rates(const snapshot& now, const snapshot& base, std::string_view name,
                   const std::vector<std::string>& keys, double dt, const char* total_key, const char* rate_key) {
  const auto before = grouped(base, name, keys);
  std::vector<std::pair<double, json>> rows;
  for (const auto& [k, v] : grouped(now, name, keys)) {
    const auto b = before.find(k);
    const double rate = std::max(0.0, v - (b == before.end() ? 0 : b->second)) / dt;
    json row = json::object();
    for (std::size_t i = 0; i < keys.size(); ++i) row[keys[i]] = k[i];
    row[total_key] = static_cast<uint64_t>(v);
    row[rate_key] = std::round(rate * 100) / 100;
    rows.emplace_back(rate, std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  json out = json::array();
  for (auto& [rate, row] : rows) out.push_back(std::move(row));
  return out;
}

json gauges(const snapshot& now, std::string_view name, const std::string& label, const char* value_key) {
  json out = json::array();
  for (const auto& [k, v] : grouped(now, name, {label})) out.push_back({{label, k[0]}, {value_key, whole(v)}});
  return out;
}

}  // namespace

std::vector<sample> parse_exposition(std::string_view text) {
  std::vector<sample> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    sample s;
    const auto name_end = line.find_first_of("{ ");
    if (name_end == std::string_view::npos) continue;
    s.name = std::string(line.substr(0, name_end));
    std::size_t i = name_end;
    if (line[i] == '{') {
      ++i;
      bool ok = true;
      while (i < line.size() && line[i] != '}') {
        const auto eq = line.find('=', i);
        if (eq == std::string_view::npos || eq + 1 >= line.size() || line[eq + 1] != '"') {
          ok = false;
          break;
        }
        std::string label(line.substr(i, eq - i)), value;
        std::size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) {
            ++j;
            value += line[j] == 'n' ? '\n' : line[j];
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) {
          ok = false;
          break;
        }
        s.labels[label] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (!ok || i >= line.size()) continue;
      ++i;  // '}'
    }
    while (i < line.size() && line[i] == ' ') ++i;
    auto value = line.substr(i);
    value = value.substr(0, value.find(' '));  // a timestamp may follow
    s.value = number(value);
    if (std::isnan(s.value)) continue;
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<double> bucket_quantile(const std::vector<std::pair<double, double>>& cumulative, double q) {
  if (cumulative.empty() || cumulative.back().second <= 0) return std::nullopt;
  const double want = q * cumulative.back().second;
  for (const auto& [le, count] : cumulative)
    if (count >= want) return le;
  return cumulative.back().first;
}

json live_stats(const snapshot& now, const snapshot& base) {
  const double dt = std::max(now.at_s - base.at_s, 1e-3);
  json out;
  out["window_s"] = std::round(dt * 10) / 10;

  // Actors per kind.
  const auto live = grouped(now, "cxs_actors", {"kind"});
  const auto depth = grouped(now, "cxs_actor_mailbox_depth", {"kind"});
  const auto restarts = grouped(now, "cxs_actor_restarts_total", {"kind"});
  const auto messages = grouped(now, "cxs_actor_messages_total", {"kind"});
  const auto messages_before = grouped(base, "cxs_actor_messages_total", {"kind"});
  out["actors"] = json::array();
  for (const auto& [k, n] : live) {
    const auto at = [&](const std::map<key, double>& m) { return m.count(k) ? m.at(k) : 0.0; };
    out["actors"].push_back(
        {{"kind", k[0]},
         {"live", n},
         {"mailbox_depth", at(depth)},
         {"messages_per_s", std::round(std::max(0.0, at(messages) - at(messages_before)) / dt * 100) / 100},
         {"restarts", at(restarts)}});
  }
  const auto accounts = grouped(now, "cxs_accounts", {"state"});
  out["accounts"] = {{"live", whole(accounts.count({"live"}) ? accounts.at({"live"}) : 0)},
                     {"passivated", whole(accounts.count({"passivated"}) ? accounts.at({"passivated"}) : 0)}};

  // Routes: requests per second and the p99 of the window.
  const auto requests = grouped(now, "cxs_http_requests_total", {"listener", "route"});
  const auto requests_before = grouped(base, "cxs_http_requests_total", {"listener", "route"});
  const auto buckets = grouped(now, "cxs_http_request_duration_seconds_bucket", {"listener", "route", "le"});
  const auto buckets_before = grouped(base, "cxs_http_request_duration_seconds_bucket", {"listener", "route", "le"});
  std::map<key, std::vector<std::pair<double, double>>> cumulative;
  for (const auto& [k, v] : buckets) {
    const auto b = buckets_before.find(k);
    cumulative[{k[0], k[1]}].emplace_back(number(k[2]), v - (b == buckets_before.end() ? 0 : b->second));
  }
  std::vector<std::pair<double, json>> routes;
  for (const auto& [k, v] : requests) {
    const auto b = requests_before.find(k);
    const double rate = std::max(0.0, v - (b == requests_before.end() ? 0 : b->second)) / dt;
    auto& c = cumulative[k];
    std::sort(c.begin(), c.end());
    const auto p99 = bucket_quantile(c, 0.99);
    json row{{"listener", k[0]},
             {"route", k[1]},
             {"requests", static_cast<uint64_t>(v)},
             {"requests_per_s", std::round(rate * 100) / 100}};
    row["p99_ms"] = p99 && std::isfinite(*p99) ? json(*p99 * 1000) : json(nullptr);
    if (p99 && !std::isfinite(*p99)) row["p99_over_ms"] = c.size() > 1 ? c[c.size() - 2].first * 1000 : 0.0;
    routes.emplace_back(rate, std::move(row));
  }
  std::stable_sort(routes.begin(), routes.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  out["routes"] = json::array();
  for (auto& [rate, row] : routes) out["routes"].push_back(std::move(row));

  out["ingest"] = counter_rates(now, base, "cxs_ingest_records_total", {"outcome"}, dt, "rows", "rows_per_s");
  out["sessions"] = whole(total(now, "cxs_sessions"));
  out["mails"] = {{"queue", whole(total(now, "cxs_mail_queue"))},
                  {"states", counter_rates(now, base, "cxs_mails_total", {"state"}, dt, "total", "per_s")}};
  out["storage"] = gauges(now, "cxs_storage_bytes", "cf", "bytes");
  out["connections"] = gauges(now, "cxs_http_connections", "listener", "open");
  auto failures = counter_rates(now, base, "cxs_failures_total", {"code"}, dt, "total", "per_s");
  json recent = json::array();
  for (auto& f : failures)
    if (f["total"].get<uint64_t>() > 0) recent.push_back(std::move(f));
  out["failures"] = std::move(recent);

  // The ten accounts that did most in the window.
  std::map<std::string, account_counts> before;
  for (const auto& a : base.activity) before[a.account] = a;
  std::vector<std::pair<account_counts, account_counts>> busy;  // (delta, total)
  for (const auto& a : now.activity) {
    const auto& b = before[a.account];
    account_counts d{a.account, a.requests - std::min(a.requests, b.requests), a.rows - std::min(a.rows, b.rows)};
    if (d.requests > 0 || d.rows > 0) busy.emplace_back(d, a);
  }
  std::sort(busy.begin(), busy.end(), [](const auto& x, const auto& y) {
    return std::tie(x.first.requests, x.first.rows, y.first.account) >
           std::tie(y.first.requests, y.first.rows, x.first.account);
  });
  out["busiest"] = json::array();
  for (std::size_t i = 0; i < busy.size() && i < 10; ++i)
    out["busiest"].push_back({{"id", busy[i].first.account},
                              {"requests_per_s", std::round(busy[i].first.requests / dt * 100) / 100},
                              {"rows_per_s", std::round(busy[i].first.rows / dt * 100) / 100},
                              {"requests", busy[i].second.requests},
                              {"rows", busy[i].second.rows}});
  return out;
}

snapshot stats_history::baseline_for(const snapshot& now) {
  std::lock_guard lock(mutex_);
  snapshot base;
  base.at_s = start_s_;  // the process start: every counter zero
  for (auto it = kept_.rbegin(); it != kept_.rend(); ++it)
    if (now.at_s - it->at_s >= window_s_) {
      base = *it;
      break;
    }
  if (base.at_s == start_s_ && !kept_.empty() && now.at_s - kept_.front().at_s >= 1) base = kept_.front();
  if (kept_.empty() || now.at_s - kept_.back().at_s >= 1) kept_.push_back(now);
  while (!kept_.empty() && now.at_s - kept_.front().at_s > 120) kept_.pop_front();
  return base;
}

}  // namespace cxs::metrics
