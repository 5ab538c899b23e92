#pragma once
// The directory knows every account (a small record each) and which AN belongs to which, spawns
// account actors on demand, monitors them (a failed one is restarted on its next message),
// passivates idle ones and runs retention at start, at each JST midnight and on request.

#include "actors/account.hpp"

namespace cxs::actors {

using directory_actor =
    caf::typed_actor<caf::replies_to<registry_atom, registry_ptr>::with<bool>,
                     // Errors: invalid_fields (registry rules, opid_taken), storage.
                     caf::replies_to<create_atom, new_account>::with<account_summary>,
                     // Error: not_found.
                     caf::replies_to<show_atom, std::string>::with<account_summary>,
                     // Errors: not_found, invalid_fields, storage.
                     caf::replies_to<plan_atom, std::string, domain::plan_request>::with<account_summary>,
                     // The live actor of an account, spawning it if needed; error not_found when unknown.
                     caf::replies_to<lookup_atom, std::string>::with<account_actor>,
                     // For each AN, the actor of the account that holds it (an invalid handle: unowned).
                     caf::replies_to<route_atom, std::vector<std::string>>::with<std::vector<account_actor>>,
                     caf::replies_to<retain_atom>::with<bool>,
                     // Sign-up: the registry and whether the OPID already has an account.
                     caf::replies_to<opid_atom, std::string>::with<opid_status>,
                     // The stored record of an account (password hash included) for the login and settings
                     // steps; null when the ID is unknown.
                     caf::replies_to<creds_atom, std::string>::with<account_ptr>,
                     // Basic settings (SPEC §4), or a reissued password. Errors: not_found, storage.
                     caf::replies_to<update_atom, std::string, domain::account_changes>::with<account_summary>,
                     caf::reacts_to<tick_atom>>;

struct directory_config {
  account_env env;
  uint32_t passivate_after_s = 300;
  std::vector<account_ptr> accounts;  // every stored account, from load_accounts
};

// Every account record in storage, read before the directory starts: without all of them the
// service would answer wrongly (OPIDs free, ANs unowned), so a failed read stops the start.
// Null with error on failure; a record that cannot be parsed is logged and skipped.
std::shared_ptr<std::vector<account_ptr>> load_accounts(const storage::store& db, std::string& error);

directory_actor spawn_directory(caf::actor_system& sys, const directory_config& cfg, registry_ptr initial);

}  // namespace cxs::actors
