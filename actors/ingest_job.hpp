#pragma once
// One ingest request (SPEC §8): parse and check every line, hash callers, route records to their
// accounts and answer with the counts once every account's records are durable.

#include "actors/admin_api.hpp"
#include "actors/directory.hpp"

namespace cxs::actors {

struct ingest_env {
  directory_actor directory;
  writer_actor writer;  // one WAL sync per request, after every account wrote its batch
  const config::clock* clock = nullptr;
  std::string caller_key;  // HMAC key: callers are stored only as keyed hashes
};

// Runs detached: parsing a large body must not hold a scheduler thread.
void spawn_ingest_job(caf::actor_system& sys, const ingest_env& env, std::shared_ptr<std::string> body,
                      cdr_format format, then_fn<ingest_summary> then);

}  // namespace cxs::actors
