#include "actors/ingest_job.hpp"

#include "domain/caller_hash.hpp"
#include "ops/metrics.hpp"

#include <spdlog/spdlog.h>

#include <map>

namespace cxs::actors {

namespace {

constexpr std::size_t max_listed_errors = 10000;  // the counts stay exact beyond it
constexpr auto account_timeout = std::chrono::minutes(5);

struct job_result {
  metrics::actor_probe probe{"ingest"};  // an ingest job counts as a live actor until it answers
  ingest_counts counts;
  uint64_t unowned = 0;
  std::vector<domain::line_error> errors;
  std::size_t outstanding = 0;
  bool failed = false;
  done_fn done;

  void finish() {
    spdlog::debug("ingest: {} accepted, {} duplicates, {} unowned, {} too old, {} rejected", counts.accepted,
                  counts.duplicates, unowned, counts.too_old, errors.size());
    auto& m = metrics::global();
    for (auto [outcome, n] : {std::pair{"accepted", counts.accepted}, {"duplicates", counts.duplicates},
                              {"unowned", unowned}, {"too_old", counts.too_old},
                              {"rejected", static_cast<uint64_t>(errors.size())}})
      m.get_counter("cxs_ingest_records_total", {{"outcome", outcome}}).inc(n);
    auto list = nlohmann::json::array();
    for (std::size_t i = 0; i < errors.size() && i < max_listed_errors; ++i)
      list.push_back({{"line", errors[i].line}, {"field", errors[i].field}, {"code", errors[i].code},
                      {"message", errors[i].message}});
    nlohmann::json answer{{"accepted", counts.accepted}, {"duplicates", counts.duplicates}, {"unowned", unowned},
                          {"too_old", counts.too_old},   {"rejected", errors.size()},      {"errors", list}};
    if (errors.size() > max_listed_errors) answer["errors_truncated"] = true;
    if (failed) {
      // Some accounts' records are durable (counted above), the rest were not stored: say so.
      answer["error"] = {{"code", "storage"},
                         {"message", "some records could not be stored; the counts show what was kept, send the "
                                     "request again (duplicates are recognised)"}};
      done(json_reply(503, answer));
      return;
    }
    done(json_reply(200, answer));
  }
};

void ingest_job(caf::event_based_actor* self, ingest_env env, std::shared_ptr<std::string> body,
                std::string content_type, done_fn done) {
  auto result = std::make_shared<job_result>();
  auto timed = result->probe.on_message(0);  // parsing and routing: the job's own work
  auto now = env.clock->now();
  auto parsed = std::make_shared<domain::parsed_batch>();
  if (content_type == "text/csv") {
    auto r = domain::parse_csv(*body, now);
    if (auto* e = std::get_if<domain::batch_error>(&r)) {
      done(json_reply(400, {{"error", {{"code", "header"}, {"reason", e->code}, {"message", e->message}}}}));
      return;
    }
    *parsed = std::move(std::get<domain::parsed_batch>(r));
  } else {
    *parsed = domain::parse_ndjson(*body, now);
  }
  body.reset();
  result->errors = std::move(parsed->errors);
  result->done = std::move(done);

  std::map<std::string, std::vector<std::size_t>> by_an;
  for (std::size_t i = 0; i < parsed->records.size(); ++i) {
    auto& r = parsed->records[i];
    r.caller = domain::hash_caller(env.caller_key, r.caller);
    by_an[r.an].push_back(i);
  }
  if (by_an.empty()) {
    result->finish();
    return;
  }
  std::vector<std::string> ans;
  for (auto& [an, _] : by_an) ans.push_back(an);
  self->request(env.directory, std::chrono::seconds(30), route_atom::value, ans)
      .then(
          [=](const std::vector<account_actor>& handles) {
            std::map<caf::actor_addr, std::pair<account_actor, records_ptr>> groups;
            std::size_t i = 0;
            for (auto& [an, indexes] : by_an) {
              auto& handle = handles[i++];
              if (!handle) {
                result->unowned += indexes.size();
                continue;
              }
              auto& g = groups[handle.address()];
              if (!g.second) g = {handle, std::make_shared<account_records>()};
              for (auto idx : indexes) g.second->records.push_back(std::move(parsed->records[idx]));
            }
            result->outstanding = groups.size();
            if (groups.empty()) {
              result->finish();
              return;
            }
            // Every account has written its batch (unsynced) when it answers; one WAL sync then
            // makes all of them durable, and covers batches of other requests whose records we
            // counted as duplicates, before the answer goes out.
            auto finish_durably = [=] {
              if (result->counts.accepted == 0 && result->counts.duplicates == 0) return result->finish();
              self->request(env.writer, caf::infinite, sync_atom::value)
                  .then(
                      [=](bool ok) {
                        if (!ok) result->failed = true;
                        result->finish();
                      },
                      [=](caf::error&) {
                        result->failed = true;
                        result->finish();
                      });
            };
            for (auto& [_, g] : groups) {
              auto sent = g.second->records.size();
              self->request(g.first, account_timeout, ingest_atom::value, g.second)
                  .then(
                      [=](const ingest_counts& c) {
                        result->counts.accepted += c.accepted;
                        result->counts.duplicates += c.duplicates;
                        result->counts.too_old += c.too_old;
                        if (--result->outstanding == 0) finish_durably();
                      },
                      [=](caf::error& e) {
                        spdlog::error("ingest: {} records for one account not stored: {}", sent,
                                      self->system().render(e));
                        result->failed = true;
                        if (--result->outstanding == 0) finish_durably();
                      });
            }
          },
          [=](caf::error& e) {
            result->done(error_reply(503, "unavailable", "the account directory did not answer: " +
                                                             self->system().render(e)));
          });
}

}  // namespace

void spawn_ingest_job(caf::actor_system& sys, const ingest_env& env, std::shared_ptr<std::string> body,
                      std::string content_type, done_fn done) {
  sys.spawn<caf::detached>(ingest_job, env, std::move(body), std::move(content_type), std::move(done));
}

}  // namespace cxs::actors
