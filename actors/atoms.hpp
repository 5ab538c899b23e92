#pragma once
// Atoms and the message types that cross actor boundaries. Only actors/*.cpp include this
// (it pulls in CAF), which keeps CAF's compile cost to a few translation units.

#include "actors/results.hpp"
#include "domain/account.hpp"
#include "domain/account_record.hpp"
#include "domain/account_search.hpp"
#include "domain/analysis_query.hpp"
#include "domain/cdr.hpp"
#include "domain/certificate.hpp"
#include "domain/child_users.hpp"
#include "domain/custom_upload.hpp"
#include "domain/errors.hpp"
#include "domain/filters.hpp"
#include "domain/groups.hpp"
#include "domain/registry.hpp"
#include "domain/settings.hpp"
#include "storage/store.hpp"

#include <caf/all.hpp>

// Service errors travel as caf::error of category "cxs" whose context holds the domain::failure.
CAF_ERROR_CODE_ENUM(cxs::domain::error_code, "cxs")

#include <memory>
#include <optional>

namespace cxs::actors {

using write_atom = caf::atom_constant<caf::atom("write")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using sync_atom = caf::atom_constant<caf::atom("sync")>;
using ingest_atom = caf::atom_constant<caf::atom("ingest")>;
using analyze_atom = caf::atom_constant<caf::atom("analyze")>;
using retain_atom = caf::atom_constant<caf::atom("retain")>;
using crash_atom = caf::atom_constant<caf::atom("crash")>;
using plan_atom = caf::atom_constant<caf::atom("plan")>;
using create_atom = caf::atom_constant<caf::atom("create")>;
using lookup_atom = caf::atom_constant<caf::atom("lookup")>;
using route_atom = caf::atom_constant<caf::atom("route")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using passiv_atom = caf::atom_constant<caf::atom("passiv")>;
using registry_atom = caf::atom_constant<caf::atom("registry")>;
using replace_atom = caf::atom_constant<caf::atom("replace")>;
using upsert_atom = caf::atom_constant<caf::atom("upsert")>;
using show_atom = caf::atom_constant<caf::atom("show")>;
using info_atom = caf::atom_constant<caf::atom("info")>;
using opid_atom = caf::atom_constant<caf::atom("opid")>;
using creds_atom = caf::atom_constant<caf::atom("creds")>;
using update_atom = caf::atom_constant<caf::atom("update")>;
using groups_atom = caf::atom_constant<caf::atom("groups")>;
using group_atom = caf::atom_constant<caf::atom("group")>;
using ungroup_atom = caf::atom_constant<caf::atom("ungroup")>;
using customs_atom = caf::atom_constant<caf::atom("customs")>;
using custom_atom = caf::atom_constant<caf::atom("custom")>;
using customput_atom = caf::atom_constant<caf::atom("customput")>;
using customdel_atom = caf::atom_constant<caf::atom("customdel")>;
using customup_atom = caf::atom_constant<caf::atom("customup")>;
using users_atom = caf::atom_constant<caf::atom("users")>;
using usernew_atom = caf::atom_constant<caf::atom("usernew")>;
using userset_atom = caf::atom_constant<caf::atom("userset")>;
using userdel_atom = caf::atom_constant<caf::atom("userdel")>;
using limit_atom = caf::atom_constant<caf::atom("limit")>;
using find_atom = caf::atom_constant<caf::atom("find")>;

// A batch of storage writes; shared because CAF messages must be copyable.
using batch_ptr = std::shared_ptr<storage::write_batch>;

// The records of one ingest request that belong to one account.
struct account_records {
  std::vector<domain::cdr> records;
};
using records_ptr = std::shared_ptr<account_records>;

struct ingest_counts {
  uint64_t accepted = 0, duplicates = 0, too_old = 0;
};

// A validated account request whose password is already hashed.
struct new_account {
  domain::account_request request;
  std::string password_hash;
};

// A checked child ID request (SPEC §15) whose password is already hashed; language for the
// messages of the account's own rules (at most 50).
struct new_child {
  domain::child_request request;
  std::string password_hash;
  domain::lang language = domain::lang::ja;
};

// What sign-up needs to know of an OPID: the registry it is checked against and whether an
// account already holds it.
struct opid_status {
  registry_ptr registry;
  bool has_contract = false;
};

// A failure as the error of a typed request.
inline caf::error to_error(domain::failure f) {
  auto code = f.code;
  return caf::make_error(code, std::move(f));
}
inline caf::error to_error(domain::error_code code, std::string detail) {
  return to_error(domain::fail(code, std::move(detail)));
}

}  // namespace cxs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::failure)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::nothing)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::analysis_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::analysis_document)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::plan_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::opid_numbers)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::lang)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::account_summary)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::signup_view)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::login_step)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::certificate_verdict)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::session_started)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<cxs::domain::opid_entry>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::batch_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::records_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::ingest_counts)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::registry_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::account_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::new_account)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::opid_status)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::account_changes)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::query_params)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::group_kind)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::group_change)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::number_group)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<cxs::domain::number_group>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::custom_set)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::custom_change)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<cxs::domain::custom_summary>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::custom_upload)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::custom_upload_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::new_child)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::child_user)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::child_patch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::child_patch_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<cxs::domain::child_user>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::account_page)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::domain::account_search)

namespace cxs::actors {

// Any error a request ended with, as a failure: ours carry theirs; CAF's own become timeout,
// unavailable (the receiver went down) or internal (with CAF's text as the detail).
inline domain::failure to_failure(caf::actor_system& sys, const caf::error& e) {
  if (e.category() == caf::atom("cxs")) {
    if (e.context().match_elements<domain::failure>()) return e.context().get_as<domain::failure>(0);
    return domain::fail(static_cast<domain::error_code>(e.code()));
  }
  if (e == caf::sec::request_timeout)
    return domain::fail(domain::error_code::timeout, "the service did not answer in time");
  if (e == caf::sec::request_receiver_down)
    return domain::fail(domain::error_code::unavailable, "the account was restarting; try again");
  return domain::fail(domain::error_code::internal, "the request failed: " + sys.render(e));
}

}  // namespace cxs::actors
