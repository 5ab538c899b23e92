#pragma once
// The sign-up actor (SPEC §3): keeps the applications, hands out their single-use links, and
// turns a confirmed application into an account through the directory, with the mails (1/3),
// (2/3) and (3/3) — the last with the download credentials of a certificate account. Applications are stored in `meta`
// under the SHA-256 of their token; a week after their link's 24 hours ended (confirmed or not) only that
// outcome is kept, so the link answers alike for good.

#include "actors/certificates.hpp"
#include "actors/directory.hpp"
#include "actors/mailer.hpp"
#include "config/public_url.hpp"
#include "domain/signup.hpp"

namespace cxs::actors {

// A sign-up request after the body's own rules were checked: either a form with its password
// hashed, or the body's field errors (the registry rules are added to them here, so the answer
// lists every error at once).
struct signup_request {
  domain::signup_form form;  // password cleared
  std::string password_hash;
  std::vector<domain::field_error> errors;
};
using signup_request_ptr = std::shared_ptr<const signup_request>;

using apply_atom = caf::atom_constant<caf::atom("apply")>;
using confirm_atom = caf::atom_constant<caf::atom("confirm")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;

using signup_actor = caf::typed_actor<
    // Errors: invalid_fields (every one at once), storage, mail, unavailable.
    caf::replies_to<apply_atom, signup_request_ptr>::with<domain::nothing>,
    // Errors: not_found, link_expired, already_confirmed (a confirmed application forgotten a week
    // on: its summary is no longer kept; before that the view says it is confirmed), storage.
    caf::replies_to<show_atom, std::string>::with<signup_view>,
    // Answers the new account's ID. Errors: not_found, link_expired, already_confirmed, opid_taken,
    // storage.
    caf::replies_to<confirm_atom, std::string>::with<std::string>,
    // Support (SPEC §19): cancels the OPID's pending application — its link answers not_found and
    // the OPID is free at once. Errors: not_found (none pending), already_confirmed (its
    // confirmation is under way), storage.
    caf::replies_to<cancel_atom, std::string>::with<domain::nothing>, caf::reacts_to<tick_atom>>;

// The applications in storage, read before the sign-up actor starts (a failed read stops the
// start: without them a pending OPID would look free).
struct stored_applications;
std::shared_ptr<const stored_applications> load_applications(const storage::store& db, std::string& error);

struct signup_config {
  storage::store* db = nullptr;
  writer_actor writer;
  directory_actor directory;
  mailer_actor mailer;
  certificate_actor certificates;  // download credentials of a certificate account (SPEC §16)
  const config::clock* clock = nullptr;
  const config::public_url* url = nullptr;
  std::shared_ptr<const stored_applications> stored;  // from load_applications
  int64_t link_valid_s = 24 * 3600;
};

signup_actor spawn_signup(caf::actor_system& sys, signup_config cfg);

}  // namespace cxs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::signup_request_ptr)
