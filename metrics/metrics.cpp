#include "metrics/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace cxs::metrics {

void histogram::observe(double seconds) {
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (seconds <= bounds[i]) buckets[i].fetch_add(1, std::memory_order_relaxed);
  count.fetch_add(1, std::memory_order_relaxed);
  sum_ns.fetch_add(static_cast<uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

namespace {
std::string render_labels(const labels& l) {
  if (l.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (i) out += ",";
    out += l[i].first + "=\"" + escape_label(l[i].second) + "\"";
  }
  return out + "}";
}
// Adds one label to an already rendered label set.
std::string with_label(const std::string& rendered, const std::string& extra) {
  if (rendered.empty()) return "{" + extra + "}";
  return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}
std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
}  // namespace

registry::family& registry::fam(const std::string& name, const char* type) {
  auto& f = families_[name];
  if (f.type.empty()) f.type = type;
  return f;
}

counter& registry::get_counter(const std::string& family, const labels& l) {
  std::lock_guard guard(mutex_);
  auto& slot = fam(family, "counter").counters[render_labels(l)];
  if (!slot) slot = std::make_unique<counter>();
  return *slot;
}

gauge& registry::get_gauge(const std::string& family, const labels& l) {
  std::lock_guard guard(mutex_);
  auto& slot = fam(family, "gauge").gauges[render_labels(l)];
  if (!slot) slot = std::make_unique<gauge>();
  return *slot;
}

histogram& registry::get_histogram(const std::string& family, const labels& l, const std::array<double, 14>& bounds) {
  std::lock_guard guard(mutex_);
  auto& slot = fam(family, "histogram").histograms[render_labels(l)];
  if (!slot) slot = std::make_unique<histogram>(bounds);
  return *slot;
}

void registry::describe(const std::string& family, const std::string& type, const std::string& help) {
  std::lock_guard guard(mutex_);
  auto& f = families_[family];
  f.type = type;
  f.help = help;
}

std::string registry::render() const {
  std::lock_guard guard(mutex_);
  std::ostringstream out;
  for (auto& [name, f] : families_) {
    if (!f.help.empty()) out << "# HELP " << name << ' ' << f.help << '\n';
    out << "# TYPE " << name << ' ' << f.type << '\n';
    for (auto& [l, c] : f.counters) out << name << l << ' ' << c->value.load() << '\n';
    for (auto& [l, g] : f.gauges) out << name << l << ' ' << g->value.load() << '\n';
    for (auto& [l, h] : f.histograms) {
      for (std::size_t i = 0; i < h->bounds.size(); ++i)
        out << name << "_bucket" << with_label(l, "le=\"" + number(h->bounds[i]) + "\"") << ' ' << h->buckets[i].load()
            << '\n';
      out << name << "_bucket" << with_label(l, "le=\"+Inf\"") << ' ' << h->count.load() << '\n';
      out << name << "_sum" << l << ' ' << number(static_cast<double>(h->sum_ns.load()) / 1e9) << '\n';
      out << name << "_count" << l << ' ' << h->count.load() << '\n';
    }
  }
  return out.str();
}

namespace {
// Every family the service exposes, with its help text, so /metrics is complete from the start.
void describe_families(registry& r) {
  r.describe("cxs_actors", "gauge", "Live actors per kind");
  r.describe("cxs_actor_messages_total", "counter", "Messages handled per actor kind");
  r.describe("cxs_actor_mailbox_depth", "gauge", "Messages waiting in mailboxes per actor kind (last seen)");
  r.describe("cxs_actor_restarts_total", "counter", "Actors that failed and are restarted on their next message");
  r.describe("cxs_actor_handling_seconds", "histogram", "Time an actor spends handling one message, per kind");
  r.describe("cxs_accounts", "gauge", "Accounts by state: live (actor running) or passivated");
  r.describe("cxs_http_requests_total", "counter", "HTTP requests per listener, route and status");
  r.describe("cxs_http_request_duration_seconds", "histogram", "HTTP request latency per listener and route");
  r.describe("cxs_http_connections", "gauge", "Open HTTPS connections per listener");
  r.describe("cxs_http_in_flight", "gauge",
             "Requests being handled per listener (from the head read to the answer sent)");
  r.describe("cxs_tls_handshakes_total", "counter", "TLS handshakes per listener and outcome (ok, failed)");
  r.describe("cxs_account_activations_total", "counter", "Account actors started (from storage) by the directory");
  r.describe("cxs_account_passivations_total", "counter", "Idle account actors stopped by the directory");
  r.describe("cxs_http_connections_refused_total", "counter",
             "Connections closed at accept because their address held the per-address limit, per listener");
  r.describe("cxs_ingest_records_total", "counter", "CDR lines per ingest outcome");
  r.describe("cxs_storage_syncs_total", "counter",
             "Successful WAL syncs (each one group-commits every batch before it)");
  r.describe("cxs_storage_batches_total", "counter", "Write batches and sync requests given to the storage writer");
  r.describe("cxs_sessions", "gauge", "Live customer sessions");
  r.describe("cxs_password_hashes_total", "counter",
             "Argon2id jobs run (a hash, a verify, or a verify and a hash); refusals count as "
             "cxs_failures_total{code=\"busy\"}");
  r.describe("cxs_logins_total", "counter", "Customer login steps per outcome");
  r.describe("cxs_answer_cache_total", "counter",
             "Analyses answered from kept answers (hit) or by the account actor (miss)");
  r.describe("cxs_mails_total", "counter",
             "Mails per state: queued (accepted), sent, retried (a failed attempt), failed (given up)");
  r.describe("cxs_mail_queue", "gauge", "Mails waiting for delivery");
  r.describe("cxs_failures_total", "counter",
             "Requests answered with a failure, per error code (storage, mail, unavailable, timeout and internal "
             "are the degraded modes)");
  for (auto kind :
       {"directory", "account", "registry", "writer", "ingest", "mailer", "signup", "auth", "certificates"}) {
    r.get_gauge("cxs_actors", {{"kind", kind}});
    r.get_counter("cxs_actor_messages_total", {{"kind", kind}});
    r.get_gauge("cxs_actor_mailbox_depth", {{"kind", kind}});
    r.get_counter("cxs_actor_restarts_total", {{"kind", kind}});
  }
  for (auto outcome : {"accepted", "duplicates", "unowned", "too_old", "rejected"})
    r.get_counter("cxs_ingest_records_total", {{"outcome", outcome}});
  for (auto state : {"live", "passivated"}) r.get_gauge("cxs_accounts", {{"state", state}});
  r.get_counter("cxs_account_activations_total");
  r.get_counter("cxs_account_passivations_total");
  for (auto listener : {"customer", "admin"}) {
    r.get_gauge("cxs_http_in_flight", {{"listener", listener}});
    for (auto outcome : {"ok", "failed"})
      r.get_counter("cxs_tls_handshakes_total", {{"listener", listener}, {"outcome", outcome}});
  }
  for (auto code : {"storage", "mail", "unavailable", "timeout", "busy", "internal"})
    r.get_counter("cxs_failures_total", {{"code", code}});
  for (auto listener : {"customer", "admin"}) {
    r.get_gauge("cxs_http_connections", {{"listener", listener}});
    r.get_counter("cxs_http_connections_refused_total", {{"listener", listener}});
  }
  r.get_gauge("cxs_sessions");
  r.get_counter("cxs_password_hashes_total");
  r.get_gauge("cxs_mail_queue");
  for (auto state : {"queued", "sent", "retried", "failed"}) r.get_counter("cxs_mails_total", {{"state", state}});
  for (auto outcome :
       {"otp_sent", "success", "invalid_credentials", "locked", "session_active", "taken_over", "invalid_code",
        "ticket_expired", "certificate_required", "certificate_mismatch", "certificate_revoked", "certificate_expired"})
    r.get_counter("cxs_logins_total", {{"outcome", outcome}});
  for (const char* result : {"hit", "miss"}) r.get_counter("cxs_answer_cache_total", {{"result", result}});
}
}  // namespace

registry& global() {
  static registry r;
  static bool described = (describe_families(r), true);
  (void)described;
  return r;
}

actor_probe::actor_probe(const std::string& kind)
    : live_(&global().get_gauge("cxs_actors", {{"kind", kind}})),
      messages_(&global().get_counter("cxs_actor_messages_total", {{"kind", kind}})),
      depth_(&global().get_gauge("cxs_actor_mailbox_depth", {{"kind", kind}})),
      handling_(&global().get_histogram("cxs_actor_handling_seconds", {{"kind", kind}}, handling_buckets)) {
  global().get_counter("cxs_actor_restarts_total", {{"kind", kind}});
  live_->add(1);
}

actor_probe::~actor_probe() {
  live_->add(-1);
  depth_->add(-last_depth_);
}

actor_probe::timing actor_probe::on_message(std::size_t mailbox_size) {
  messages_->inc();
  auto depth = static_cast<int64_t>(mailbox_size);
  depth_->add(depth - last_depth_);
  last_depth_ = depth;
  return timing(handling_);
}

void actor_probe::restarted(const std::string& kind) {
  global().get_counter("cxs_actor_restarts_total", {{"kind", kind}}).inc();
}

}  // namespace cxs::metrics
