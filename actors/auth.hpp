#pragma once
// The auth actor (SPEC §4): the password step's outcome (lockout after five wrong passwords in a
// row, for known and unknown IDs alike), the mailed one-time password and its ticket, sessions,
// logout, password reissue, and the settings changes that need the current password. Argon2id runs before a request
// reaches it (on a detached job), so this actor only keeps state and answers in microseconds.

#include "actors/auth_journal.hpp"
#include "actors/directory.hpp"
#include "actors/mailer.hpp"
#include "config/public_url.hpp"
#include "sessions/session_table.hpp"

namespace cxs::actors {

using login_atom = caf::atom_constant<caf::atom("login")>;
using otp_atom = caf::atom_constant<caf::atom("otp")>;
using logout_atom = caf::atom_constant<caf::atom("logout")>;
using reissue_atom = caf::atom_constant<caf::atom("reissue")>;
using reset_atom = caf::atom_constant<caf::atom("reset")>;
using settings_atom = caf::atom_constant<caf::atom("settings")>;
using reset_check_atom = caf::atom_constant<caf::atom("rcheck")>;
using unlock_atom = caf::atom_constant<caf::atom("unlock")>;
using end_sessions_atom = caf::atom_constant<caf::atom("sessend")>;
using method_atom = caf::atom_constant<caf::atom("method")>;

using auth_actor = caf::typed_actor<
    // The password was checked against this account (null: unknown ID); password_ok says how it went;
    // take_over: the login may end the ID's live session when its second factor passes (SPEC §19);
    // the verdict on the TLS client's certificate, judged by the certificates actor for a
    // certificate account (absent otherwise): valid begins the session at once (SPEC §16).
    // Errors: locked, invalid_credentials, certificate_required / _mismatch / _revoked / _expired,
    // session_active (unless take_over), mail.
    caf::replies_to<login_atom, std::string, account_ptr, bool, bool, domain::certificate_verdict>::with<login_step>,
    // ticket, code → the new session; a take-over ends the live one, marks it replaced and mails
    // the notice. Errors: ticket_expired, invalid_code, session_active (not a take-over).
    caf::replies_to<otp_atom, std::string, std::string>::with<session_started>,
    caf::replies_to<logout_atom, std::string>::with<domain::nothing>,
    // A reissue request whose ID and email matched this account: mail the link.
    caf::reacts_to<reissue_atom, account_ptr>,
    // Whether a reissue link is live, asked before its new password is hashed; uses nothing up.
    // Errors: reset_link_expired.
    caf::replies_to<reset_check_atom, std::string>::with<domain::nothing>,
    // token, new password hash. Errors: reset_link_expired (unknown, used or expired), storage.
    // Voids the ID's other reissue links and sends the notice mail (SPEC §18).
    caf::replies_to<reset_atom, std::string, std::string>::with<domain::nothing>,
    // A settings change that needed the current password (SPEC §18): the account as stored, the
    // change, and whether current_password matched (a wrong one counts toward the lockout).
    // Stores the change, voids the ID's reissue links when the password changed, and sends the
    // notice mails. Errors: locked, invalid_fields (current_password), not_found, storage.
    caf::replies_to<settings_atom, account_ptr, domain::account_changes, bool>::with<account_summary>,
    // Support (SPEC §19), for an ID the caller found: lift its lockout and forget its wrong
    // answers (true: it was locked); end its session and its pending one-time password (true: a
    // session was live); set its auth method as an operator asked, with the notice mail (the
    // method already checked by domain::check_auth_method). Errors of the last: not_found, storage.
    caf::replies_to<unlock_atom, std::string>::with<bool>, caf::replies_to<end_sessions_atom, std::string>::with<bool>,
    caf::replies_to<method_atom, account_ptr, std::string>::with<account_summary>, caf::reacts_to<tick_atom>>;

struct auth_config {
  directory_actor directory;
  mailer_actor mailer;
  sessions::session_table* sessions = nullptr;
  const config::clock* clock = nullptr;
  const config::public_url* url = nullptr;
  int lock_after = 5;               // wrong passwords, or wrong one-time passwords, in a row
  std::size_t max_failed = 100000;  // IDs whose wrong answers are remembered (a memory bound)
  int64_t lock_for_s = 30 * 60;
  int64_t otp_valid_s = 10 * 60;
  int otp_tries = 5;
  int64_t reissue_valid_s = 3600;
  // Lockouts and reissue links outlive a restart through the journal (null: they live as long as
  // the actor, as some tests want); `kept` is what the start found still running.
  auth_journal* journal = nullptr;
  kept_auth_state kept;
};

auth_actor spawn_auth(caf::actor_system& sys, auth_config cfg);

}  // namespace cxs::actors
