#pragma once
// Keeps the OPID registry: validates replacements and upserts, persists them, and hands each new
// version to the directory before answering.

#include "actors/directory.hpp"

#include <atomic>

namespace cxs::actors {

// Replace or upsert validated entries; answers the number of OPIDs after the change.
// Errors: invalid_registry (AN conflicts), storage, unavailable (the directory did not take it).
using registry_actor =
    caf::typed_actor<caf::replies_to<replace_atom, std::vector<domain::opid_entry>>::with<std::size_t>,
                     caf::replies_to<upsert_atom, std::vector<domain::opid_entry>>::with<std::size_t>,
                     caf::replies_to<show_atom>::with<registry_ptr>>;

// Detached: persisting syncs the WAL, which must not block a scheduler thread.
// `opids` follows the number of OPIDs in the registry (for /readyz).
registry_actor spawn_registry(caf::actor_system& sys, storage::store* db, directory_actor directory,
                              registry_ptr initial, std::atomic<std::size_t>* opids);

// Loads the registry for start-up: the stored one, replaced by the --registry file when that file
// is new or changed since it was last loaded (so API changes survive a restart with the same file).
// Empty error: ok.
registry_ptr load_registry_at_start(storage::store& db, const std::string& file, std::string& error);

}  // namespace cxs::actors
