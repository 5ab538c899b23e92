#pragma once
// One account (one parent OPID) as an actor: it owns the account's hourly rollups (per AN, and per AN
// and DN on the standard plan) in memory (and,
// on the standard plan, its detailed data once an analysis needs it), writes its records and
// rollup deltas, and answers its analyses. Spawned on
// demand by the directory and stopped when idle; everything it holds can be rebuilt from storage.

#include "actors/answer_cache.hpp"
#include "actors/atoms.hpp"
#include "actors/writer.hpp"
#include "config/clock.hpp"

namespace cxs::actors {

using account_actor = caf::typed_actor<
    caf::replies_to<ingest_atom, records_ptr>::with<ingest_counts>,
    caf::replies_to<analyze_atom, domain::analysis_request>::with<domain::analysis_document>,
    // Groups (standard plan): the list of a kind sorted by name, as a child
    // limited to the AN groups given sees it (none: every group whole); a create or
    // replace (invalid_fields, not_found, plan_required, storage); a delete
    // (not_found, storage). Written synced before the answer.
    caf::replies_to<groups_atom, domain::group_kind, std::vector<std::string>>::with<std::vector<domain::number_group>>,
    caf::replies_to<group_atom, domain::group_change>::with<domain::number_group>,
    caf::replies_to<ungroup_atom, domain::group_kind, std::string>::with<bool>,
    // Custom data sets (standard plan), the same way: the list by name, one set,
    // a create or replace, a delete.
    caf::replies_to<customs_atom>::with<std::vector<domain::custom_summary>>,
    caf::replies_to<custom_atom, std::string>::with<domain::custom_set>,
    caf::replies_to<customput_atom, domain::custom_change>::with<domain::custom_set>,
    caf::replies_to<customdel_atom, std::string>::with<bool>,
    // A CSV upload: the stored set and the errors of the lines left out
    // (partial), or invalid_fields naming each bad line.
    caf::replies_to<customup_atom, domain::custom_upload>::with<domain::custom_upload_result>,
    // The directory's newest record of the account and the OPID's current ANs and DNs.
    caf::replies_to<info_atom, account_ptr, domain::opid_numbers>::with<bool>,
    // Drop in-memory data older than the retention window (storage is cleaned by the directory).
    caf::replies_to<retain_atom>::with<bool>, caf::reacts_to<crash_atom>,
    // Asked by the directory when idle: true = quitting now; false = busy, stays.
    caf::replies_to<passiv_atom>::with<bool>>;

struct account_env {
  storage::store* db = nullptr;
  writer_actor writer;
  const config::clock* clock = nullptr;
  answer_cache* answers = nullptr;  // analyses kept for the same question asked again
  // The first JST day whose calls are kept by minute (actors/minute_figures.hpp).
  domain::civil_date minutes_since{};
};

account_actor spawn_account(caf::actor_system& sys, const account_env& env, account_ptr record,
                            domain::opid_numbers current);

}  // namespace cxs::actors
