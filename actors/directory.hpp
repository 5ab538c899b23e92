#pragma once
// The directory knows every account (a small record each) and which AN belongs to which, spawns
// account actors on demand, monitors them (a failed one is restarted on its next message),
// passivates idle ones and runs retention at start, at each JST midnight and on request.

#include "actors/account.hpp"
#include "actors/account_table.hpp"
#include "sessions/session_table.hpp"

namespace cxs::actors {

using directory_actor = caf::typed_actor<
    caf::replies_to<registry_atom, registry_ptr>::with<bool>,
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
    // show, creds and update take a child ID too: its login view (creds: null
    // when disabled) and its own contact fields and password.
    caf::replies_to<update_atom, std::string, domain::account_changes>::with<account_summary>,
    // Child IDs of a main ID (SPEC §15): the list; a new one; a change; a
    // deletion. Errors: not_found (no such main ID, or no child of it),
    // plan_required, invalid_fields (at most 50), storage. Disabling or deleting
    // one, or the account's move to free, ends its session.
    caf::replies_to<users_atom, std::string>::with<std::vector<domain::child_user>>,
    caf::replies_to<usernew_atom, std::string, new_child>::with<domain::child_user>,
    caf::replies_to<userset_atom, std::string, std::string, domain::child_patch>::with<child_patch_answer>,
    caf::replies_to<userdel_atom, std::string, std::string>::with<bool>,
    // A child ID's an_groups now (empty: every AN). Error: not_found (gone or
    // disabled).
    caf::replies_to<limit_atom, std::string>::with<std::vector<std::string>>,
    // The operators' account list (SPEC §17): a page of the accounts the search names
    // (domain/account_search.hpp), in OPID order.
    caf::replies_to<find_atom, domain::account_search>::with<account_page>, caf::reacts_to<tick_atom>>;

struct directory_config {
  account_env env;
  uint32_t passivate_after_s = 300;
  // Every stored account, from load_accounts (the directory moves the records out); may be null.
  std::shared_ptr<account_table> accounts;
  std::vector<domain::child_user> children;     // every stored child ID, from load_children
  sessions::session_table* sessions = nullptr;  // to end a removed child's session; may be null
};

// Every account record in storage, read before the directory starts: without all of them the
// service would answer wrongly (OPIDs free, ANs unowned), so a failed read stops the start.
// Null with error on failure; a record that cannot be parsed is logged and skipped.
std::shared_ptr<account_table> load_accounts(const storage::store& db, std::string& error);

// Every child ID record in storage, likewise (a record that cannot be parsed is logged and skipped).
std::shared_ptr<std::vector<domain::child_user>> load_children(const storage::store& db, std::string& error);

directory_actor spawn_directory(caf::actor_system& sys, const directory_config& cfg, registry_ptr initial);

}  // namespace cxs::actors
