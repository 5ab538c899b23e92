#include "actors/ingest_job.hpp"

#include "domain/caller_hash.hpp"
#include "metrics/metrics.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <string_view>
#include <unordered_map>

namespace cxs::actors {

namespace {

constexpr auto account_timeout = std::chrono::minutes(5);

struct an_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view an) const { return std::hash<std::string_view>{}(an); }
};

struct job_result {
  metrics::actor_probe probe{"ingest"};  // an ingest job counts as a live actor until it answers
  ingest_summary summary;
  std::size_t outstanding = 0;
  then_fn<ingest_summary> then;

  void finish() {
    auto& s = summary;
    spdlog::debug("ingest: {} accepted, {} duplicates, {} unowned, {} too old, {} rejected", s.accepted, s.duplicates,
                  s.unowned, s.too_old, s.errors.size());
    auto& m = metrics::global();
    for (auto [outcome, n] : {std::pair{"accepted", s.accepted},
                              {"duplicates", s.duplicates},
                              {"unowned", s.unowned},
                              {"too_old", s.too_old},
                              {"rejected", static_cast<uint64_t>(s.errors.size())}})
      m.get_counter("cxs_ingest_records_total", {{"outcome", outcome}}).inc(n);
    then(std::move(summary));
  }
};

void ingest_job(caf::event_based_actor* self, const ingest_env& env, std::shared_ptr<std::string> body,
                cdr_format format, then_fn<ingest_summary> then) {
  auto result = std::make_shared<job_result>();
  auto timed = result->probe.on_message(0);  // parsing and routing: the job's own work
  auto now = env.clock->now();
  auto parsed = std::make_shared<domain::parsed_batch>();
  if (format == cdr_format::csv) {
    auto r = domain::parse_csv(*body, now);
    if (auto* e = std::get_if<domain::batch_error>(&r)) {
      auto f = domain::fail(domain::error_code::cdr_header, e->message);
      f.field = e->code;
      then(std::move(f));
      return;
    }
    *parsed = std::move(std::get<domain::parsed_batch>(r));
  } else {
    *parsed = domain::parse_ndjson(*body, now);
  }
  body.reset();
  result->summary.errors = std::move(parsed->errors);
  result->then = std::move(then);

  // The records of each AN, by position. A hash map found by string_view: a request names few
  // ANs, and each record looks its own up.
  std::unordered_map<std::string, std::vector<std::size_t>, an_hash, std::equal_to<>> by_an;
  for (std::size_t i = 0; i < parsed->records.size(); ++i) {
    auto& r = parsed->records[i];
    r.caller = domain::hash_caller(env.caller_key, r.caller);
    auto it = by_an.find(std::string_view(r.an));
    if (it == by_an.end()) it = by_an.emplace(r.an, std::vector<std::size_t>{}).first;
    it->second.push_back(i);
  }
  if (by_an.empty()) {
    result->finish();
    return;
  }
  std::vector<std::string> ans;
  ans.reserve(by_an.size());
  for (auto& [an, _] : by_an) ans.push_back(an);
  self->request(env.directory, std::chrono::seconds(30), route_atom::value, ans)
      .then(
          [=](const std::vector<account_actor>& handles) {
            std::map<caf::actor_addr, std::pair<account_actor, records_ptr>> groups;
            std::map<caf::actor_addr, std::size_t> sizes;
            std::size_t i = 0;
            for (auto& [an, indexes] : by_an) {
              auto& handle = handles[i++];
              if (!handle) {
                result->summary.unowned += indexes.size();
                continue;
              }
              auto& g = groups[handle.address()];
              if (!g.second) g = {handle, std::make_shared<account_records>()};
              sizes[handle.address()] += indexes.size();
            }
            if (groups.size() == 1 && result->summary.unowned == 0) {
              // One account takes the whole request (the usual feed of a large account): hand
              // it the parsed records as they are, in their order, without moving each one.
              groups.begin()->second.second->records = std::move(parsed->records);
            } else {
              for (auto& [address, g] : groups) g.second->records.reserve(sizes[address]);
              i = 0;
              for (auto& [an, indexes] : by_an) {
                auto& handle = handles[i++];
                if (!handle) continue;
                auto& records = groups[handle.address()].second->records;
                for (auto idx : indexes) records.push_back(std::move(parsed->records[idx]));
              }
            }
            result->outstanding = groups.size();
            if (groups.empty()) {
              result->finish();
              return;
            }
            // Every account has written its batch (unsynced) when it answers; one WAL sync then
            // makes all of them durable, and covers batches of other requests whose records we
            // counted as duplicates, before the answer goes out.
            // A failed sync confirms none of this request's new records: none is counted as
            // accepted (those that reached the database are duplicates when the request comes
            // again). Duplicates are counted as found; the 503 asks for the request again anyway.
            auto sync_failed = [=] {
              result->summary.incomplete = true;
              result->summary.accepted = 0;
              result->finish();
            };
            auto finish_durably = [=] {
              if (result->summary.accepted == 0 && result->summary.duplicates == 0) return result->finish();
              self->request(env.writer, caf::infinite, sync_atom::value)
                  .then(
                      [=](bool ok) {
                        if (!ok) return sync_failed();
                        result->finish();
                      },
                      [=](caf::error&) { sync_failed(); });
            };
            for (auto& [_, g] : groups) {
              auto sent = g.second->records.size();
              self->request(g.first, account_timeout, ingest_atom::value, g.second)
                  .then(
                      [=](const ingest_counts& c) {
                        result->summary.accepted += c.accepted;
                        result->summary.duplicates += c.duplicates;
                        result->summary.too_old += c.too_old;
                        if (--result->outstanding == 0) finish_durably();
                      },
                      [=](caf::error& e) {
                        spdlog::error("ingest: {} records for one account not stored: {}", sent,
                                      self->system().render(e));
                        result->summary.incomplete = true;
                        if (--result->outstanding == 0) finish_durably();
                      });
            }
          },
          [=](caf::error& e) {
            result->then(domain::fail(domain::error_code::unavailable,
                                      "the account directory did not answer: " + self->system().render(e)));
          });
}

}  // namespace

void spawn_ingest_job(caf::actor_system& sys, const ingest_env& env, std::shared_ptr<std::string> body,
                      cdr_format format, then_fn<ingest_summary> then) {
  sys.spawn<caf::detached>(ingest_job, env, std::move(body), format, std::move(then));
}

}  // namespace cxs::actors
