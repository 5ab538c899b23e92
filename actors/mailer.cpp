#include "actors/mailer.hpp"

#include "domain/mail_message.hpp"
#include "domain/secret.hpp"
#include "domain/time.hpp"
#include "metrics/metrics.hpp"
#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace cxs::actors {

namespace {

using steady = std::chrono::steady_clock;

// One stored mail: what the queue keeps between attempts (and across restarts).
struct queued_mail {
  std::string to;
  std::string message;    // the whole RFC 5322 text
  std::string name;       // outbox file name without .eml
  int64_t queued_at = 0;  // unix seconds (service clock)
  uint32_t attempts = 0;
  steady::time_point next_attempt{};
  // This run only (not stored): when the mailer took it, and when it was last handed to the
  // courier (never: the epoch).
  steady::time_point added{};
  steady::time_point last_tried{};
};

nlohmann::json to_json(const queued_mail& m) {
  return {{"to", m.to}, {"message", m.message}, {"name", m.name}, {"queued_at", m.queued_at}, {"attempts", m.attempts}};
}

std::optional<queued_mail> from_json(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    queued_mail m;
    m.to = j.at("to");
    m.message = j.at("message");
    m.name = j.at("name");
    m.queued_at = j.at("queued_at");
    m.attempts = j.value("attempts", 0u);
    return m;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

struct stored_mail_queue {
  std::map<uint64_t, queued_mail> queue;
  uint64_t seq = 0;
};

std::shared_ptr<const stored_mail_queue> load_mail_queue(const storage::store& db, std::string& error) {
  auto out = std::make_shared<stored_mail_queue>();
  storage::status read;
  if (auto v = db.get(storage::cf::meta, storage::meta_mail_seq_key, read))
    out->seq = std::strtoull(v->c_str(), nullptr, 10);
  if (read.ok())
    read = db.scan_prefix(
        storage::cf::meta, storage::meta_mail_queue_prefix, [&](std::string_view key, std::string_view value) {
          auto n = std::strtoull(std::string(key.substr(storage::meta_mail_queue_prefix.size())).c_str(), nullptr, 10);
          if (auto m = from_json(value))
            out->queue.emplace(n, std::move(*m));
          else
            spdlog::error("mailer: a queued mail in storage cannot be read; left in place");
          out->seq = std::max<uint64_t>(out->seq, n);
          return true;
        });
  if (!read.ok()) {
    error = "cxs-server: cannot read the mail queue: " + read.error;
    return nullptr;
  }
  return out;
}

namespace {

// "20261120T120000": the sending time in JST, for file names that sort in sending order.
std::string compact_jst(int64_t unix_seconds) {
  auto t = domain::to_jst(unix_seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d", t.date.year, t.date.month, t.date.day, t.hour, t.minute,
                t.second);
  return buf;
}

// The courier: delivers one mail at a time on a thread of its own, so a slow or hanging SMTP
// server never keeps the mailer from accepting new mail.
using deliver_atom = caf::atom_constant<caf::atom("deliver")>;
using courier_actor = caf::typed_actor<
    caf::replies_to<deliver_atom, std::string, std::string, std::string, std::string>::with<delivery_result>>;

courier_actor::behavior_type courier(courier_actor::pointer, const std::shared_ptr<mail_transport>& transport) {
  return {
      [=](deliver_atom, const std::string& from, const std::string& to, const std::string& message,
          const std::string& name) { return transport->deliver(from, to, message, name); },
  };
}

struct mailer_state {
  mailer_config cfg;
  std::map<uint64_t, queued_mail> queue;  // by sequence number: delivered in order
  uint64_t seq = 0;
  std::string envelope_from;
  std::string message_id_domain;
  steady::time_point tick_due = steady::time_point::max();
  courier_actor courier;
  uint64_t in_flight = 0;  // the sequence number the courier is delivering, 0 = none
  metrics::actor_probe probe{"mailer"};
  metrics::counter* queued = &metrics::global().get_counter("cxs_mails_total", {{"state", "queued"}});
  metrics::counter* sent = &metrics::global().get_counter("cxs_mails_total", {{"state", "sent"}});
  metrics::counter* retried = &metrics::global().get_counter("cxs_mails_total", {{"state", "retried"}});
  metrics::counter* failed = &metrics::global().get_counter("cxs_mails_total", {{"state", "failed"}});
  metrics::gauge* depth = &metrics::global().get_gauge("cxs_mail_queue");
  static inline const char* name = "mailer";

  void load() {
    queue = cfg.stored->queue;
    seq = cfg.stored->seq;
    depth->set(static_cast<int64_t>(queue.size()));
    if (!queue.empty()) spdlog::info("mailer: {} mails waiting from before the restart", queue.size());
  }

  std::chrono::milliseconds backoff(uint32_t attempts) const {
    // base, 2·base, 4·base, … capped at retry_max_s.
    double ms = static_cast<double>(cfg.retry_base_ms) * std::pow(2.0, std::min<uint32_t>(attempts - 1, 40));
    return std::chrono::milliseconds(static_cast<int64_t>(std::min(ms, cfg.retry_max_s * 1000.0)));
  }
};

using self_ptr = mailer_actor::stateful_pointer<mailer_state>;

void schedule_tick(self_ptr self, steady::time_point when) {
  auto& st = self->state;
  if (when >= st.tick_due) return;  // an earlier tick is on its way and will schedule the next
  st.tick_due = when;
  auto delay = std::max(steady::duration::zero(), when - steady::now());
  self->delayed_send(self, std::chrono::duration_cast<std::chrono::milliseconds>(delay), tick_atom::value);
}

// Moves a mail out of the queue: delivered (deleted) or given up (kept under mail/failed/).
void settle(self_ptr self, uint64_t seq, const queued_mail& m, bool delivered) {
  auto& st = self->state;
  auto batch = st.cfg.db->batch();
  batch.erase(storage::cf::meta, storage::meta_mail_key(storage::meta_mail_queue_prefix, seq));
  if (!delivered)
    batch.put(storage::cf::meta, storage::meta_mail_key(storage::meta_mail_failed_prefix, seq), to_json(m).dump());
  // A crash before this lands sends the mail once more: at least once, never lost.
  if (auto s = st.cfg.db->write(batch, !delivered); !s.ok())
    spdlog::error("mailer: cannot update the queue: {}", s.error);
}

void deliver_due(self_ptr self);

void delivered(self_ptr self, uint64_t seq, const delivery_result& r) {
  auto& st = self->state;
  st.in_flight = 0;
  auto it = st.queue.find(seq);
  if (it == st.queue.end()) return deliver_due(self);
  auto& m = it->second;
  if (r.ok) {
    st.sent->inc();
    settle(self, seq, m, true);
    st.queue.erase(it);
    return deliver_due(self);
  }
  ++m.attempts;
  bool too_old = st.cfg.clock->now() - m.queued_at > st.cfg.give_up_after_s;
  if (r.permanent || too_old) {
    // Never silent: counted, logged and kept in storage for an operator to look at.
    spdlog::error("mailer: mail {} given up after {} attempts: {}", m.name, m.attempts, r.error);
    st.failed->inc();
    settle(self, seq, m, false);
    st.queue.erase(it);
    return deliver_due(self);
  }
  st.retried->inc();
  auto wait = st.backoff(m.attempts);
  m.next_attempt = steady::now() + wait;
  spdlog::warn("mailer: delivery of {} failed (attempt {}), retrying in {} ms: {}", m.name, m.attempts, wait.count(),
               r.error);
  auto key = storage::meta_mail_key(storage::meta_mail_queue_prefix, seq);
  if (auto s = st.cfg.db->put(storage::cf::meta, key, to_json(m).dump(), false); !s.ok())
    spdlog::error("mailer: cannot record the attempt: {}", s.error);
  deliver_due(self);
}

// Hands the oldest due mail to the courier (one at a time, in order) or waits for the next due one.
// One address's mails arrive in the order they were queued (the newest login code last, (2/3)
// before (3/3)): a mail waits behind an earlier one to its address that waits for its retry. So
// that a new mail is not held for a whole back-off (up to --mail.retry-max-s), the earlier one is
// tried again at once when a mail to its address came after its last try.
void deliver_due(self_ptr self) {
  auto& st = self->state;
  st.depth->set(static_cast<int64_t>(st.queue.size()));
  if (st.in_flight) return;
  const auto now = steady::now();
  const steady::time_point never{};
  auto next = steady::time_point::max();
  std::unordered_map<std::string_view, steady::time_point> newest_untried;  // by address
  for (auto& [seq, m] : st.queue)
    if (m.last_tried == never) newest_untried[m.to] = std::max(newest_untried[m.to], m.added);
  std::unordered_set<std::string_view> waiting;  // addresses with an earlier mail not yet due
  for (auto& [seq, m] : st.queue) {
    if (waiting.count(m.to)) continue;
    const auto untried = newest_untried.find(m.to);
    const bool newer_waits = m.last_tried != never && untried != newest_untried.end() && untried->second > m.last_tried;
    if (m.next_attempt > now && !newer_waits) {
      next = std::min(next, m.next_attempt);
      waiting.insert(m.to);
      continue;
    }
    m.last_tried = now;
    st.in_flight = seq;
    auto n = seq;
    self->request(st.courier, caf::infinite, deliver_atom::value, st.envelope_from, m.to, m.message, m.name)
        .then([=](delivery_result& r) { delivered(self, n, r); },
              [=](caf::error& e) {
                delivered(self, n, {false, false, self->system().render(e)});
              });
    return;
  }
  if (next != steady::time_point::max()) schedule_tick(self, next);
}

mailer_actor::behavior_type mailer(self_ptr self, mailer_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.envelope_from = bare_address(st.cfg.from);
  auto at = st.envelope_from.rfind('@');
  st.message_id_domain = at == std::string::npos ? "cxsupport.example" : st.envelope_from.substr(at + 1);
  st.courier = self->spawn<caf::detached + caf::linked>(courier, st.cfg.transport);
  st.load();
  if (!st.queue.empty()) schedule_tick(self, steady::now());
  return {
      [=](mail_atom, const outgoing_mail& mail) -> bool {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto text = st.cfg.texts.render(mail.text, mail.vars);
        domain::mail_message msg;
        msg.from = st.cfg.from;
        msg.to = mail.to;
        msg.subject = text.subject;
        msg.body = text.body;
        msg.date_unix = st.cfg.clock->now();
        msg.message_id = domain::new_token() + "@" + st.message_id_domain;
        queued_mail m;
        m.to = mail.to;
        m.message = domain::render_message(msg);
        m.queued_at = msg.date_unix;
        auto seq = st.seq + 1;
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, "%08llu", static_cast<unsigned long long>(seq % 100000000));
        m.name = compact_jst(msg.date_unix) + "-" + suffix;
        m.next_attempt = steady::now();
        m.added = m.next_attempt;
        auto batch = st.cfg.db->batch();
        batch.put(storage::cf::meta, storage::meta_mail_key(storage::meta_mail_queue_prefix, seq), to_json(m).dump());
        batch.put(storage::cf::meta, storage::meta_mail_seq_key, std::to_string(seq));
        // Synced: the caller is told "accepted" only when a crash can no longer lose the mail.
        if (auto s = st.cfg.db->write(batch, true); !s.ok()) {
          spdlog::error("mailer: cannot queue a mail: {}", s.error);
          return false;
        }
        st.seq = seq;
        st.queue.emplace(seq, std::move(m));
        st.queued->inc();
        st.depth->set(static_cast<int64_t>(st.queue.size()));
        schedule_tick(self, steady::now());
        return true;
      },
      [=](tick_atom) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.tick_due = steady::time_point::max();
        deliver_due(self);
      },
  };
}

}  // namespace

mailer_actor spawn_mailer(caf::actor_system& sys, mailer_config cfg) {
  return sys.spawn<caf::detached>(mailer, std::move(cfg));
}

}  // namespace cxs::actors
