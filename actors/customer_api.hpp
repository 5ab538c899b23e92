#pragma once
// The customers' side of the actors (SPEC §3, §4, §11), as typed calls with no CAF type in
// sight. Bodies arrive parsed into domain types; passwords arrive plain and are hashed off the
// scheduler threads here. Each call answers exactly once through its callback.

#include "actors/admin_api.hpp"
#include "domain/child_users.hpp"
#include "domain/custom_upload.hpp"
#include "domain/groups.hpp"
#include "domain/settings.hpp"
#include "domain/signup.hpp"
#include "sessions/session_table.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cxs::actors {

class customer_api {
 public:
  virtual ~customer_api() = default;

  // Errors: invalid_fields (the draft's own and the registry's, all at once), storage, mail.
  virtual void signup_apply(domain::signup_draft draft, then_fn<domain::nothing> then) = 0;
  // Errors: not_found, link_expired.
  virtual void signup_show(std::string token, then_fn<signup_view> then) = 0;
  // Answers the new account's ID. Errors: not_found, link_expired, already_confirmed, opid_taken.
  virtual void signup_confirm(std::string token, then_fn<std::string> then) = 0;

  // take_over (SPEC §19): go on to the second factor even while the ID has a live session, which
  // ends when it passes. client_certificate: the DER certificate the TLS client presented (empty:
  // none), the second factor of a certificate account (SPEC §16), whose session then begins at
  // once. Errors: locked, invalid_credentials, certificate_required, certificate_mismatch,
  // certificate_revoked, certificate_expired, session_active (unless take_over), mail.
  virtual void login(std::string id, std::string password, bool take_over, std::string client_certificate,
                     then_fn<login_step> then) = 0;
  // Errors: ticket_expired, invalid_code, session_active.
  virtual void login_otp(std::string ticket, std::string code, then_fn<session_started> then) = 0;
  virtual void logout(std::string session_token, then_fn<domain::nothing> then) = 0;
  // The live session of a cookie value (its idle time restarts); answered at once, no actor hop.
  virtual std::optional<sessions::session_info> session(std::string_view token) = 0;
  // Whether a cookie value names a session that another login took over (SPEC §19), for the 401.
  virtual bool session_replaced(std::string_view token) = 0;
  // The CA certificate (PEM) of the client certificates (SPEC §16: GET /certsrv/ca.pem, no auth).
  virtual const std::string& ca_pem() const = 0;

  // The certificate download site (SPEC §16), each call behind the download credentials (HTTP
  // Basic). Errors of all: download_credentials (unknown account or wrong password), download_locked.
  virtual void download_status(std::string account, std::string password, then_fn<download_view> then) = 0;
  // A key pair and certificate in a PKCS#12; the ID's earlier certificates are revoked.
  // Errors also: storage, internal.
  virtual void download_issue(std::string account, std::string password, then_fn<issued_pkcs12> then) = 0;
  // The customer's PEM PKCS#10 signed. Errors also: invalid_fields (field csr: csr_invalid,
  // csr_subject, csr_key), storage.
  virtual void download_csr(std::string account, std::string password, std::string pem, then_fn<issued_pem> then) = 0;

  // A child ID's summary carries its record, its ANs cut to those of its an_groups.
  virtual void me_show(std::string id, then_fn<account_summary> then) = 0;
  // The ID's client certificates (SPEC §16), newest first (none for an otp account or a child).
  virtual void certificates_of(std::string id, then_fn<std::vector<domain::certificate_record>> then) = 0;
  // Errors: invalid_fields (current_password wrong), not_found, storage.
  virtual void me_update(std::string id, domain::settings_change change, then_fn<account_summary> then) = 0;
  // Mails a reissue link when ID and address match; says nothing either way (SPEC §4).
  virtual void reissue_request(std::string id, std::string email) = 0;
  // Errors: invalid_fields (weak password), reset_link_expired.
  virtual void reissue(std::string token, std::string password, then_fn<domain::nothing> then) = 0;

  virtual void plan_show(std::string id, then_fn<account_summary> then) = 0;
  virtual void plan_change(std::string id, domain::plan_request request, then_fn<account_summary> then) = 0;
  // The session's account; a child ID's analysis is limited to its an_groups (SPEC §15).
  virtual void analytics(const sessions::session_info& who, domain::analysis_request query,
                         then_fn<domain::analysis_document> then) = 0;
  // Nothing for a standard account, plan_required for a free one: the check every standard-plan
  // route makes after the session check, before it looks at the body (SPEC §15).
  virtual void require_standard(std::string id, then_fn<domain::nothing> then) = 0;

  // Groups of the account (SPEC §15). Errors: plan_required, not_found (no such group here),
  // invalid_fields (the form breaks a rule), storage.
  // A child ID limited to AN groups sees them cut to its ANs (SPEC §15, domain::limited_groups).
  virtual void groups_list(const sessions::session_info& who, domain::group_kind kind,
                           then_fn<std::vector<domain::number_group>> then) = 0;
  virtual void group_save(std::string id, domain::group_change change, then_fn<domain::number_group> then) = 0;
  virtual void group_delete(std::string id, domain::group_kind kind, std::string group_id,
                            then_fn<domain::nothing> then) = 0;

  // Custom data sets of the account (SPEC §15), with the same errors as groups.
  virtual void customs_list(std::string id, then_fn<std::vector<domain::custom_summary>> then) = 0;
  virtual void custom_show(std::string id, std::string set_id, then_fn<domain::custom_set> then) = 0;
  virtual void custom_save(std::string id, domain::custom_change change, then_fn<domain::custom_set> then) = 0;
  virtual void custom_delete(std::string id, std::string set_id, then_fn<domain::nothing> then) = 0;
  virtual void custom_upload(std::string id, domain::custom_upload upload,
                             then_fn<domain::custom_upload_result> then) = 0;

  // Child IDs of a main ID (SPEC §15). Errors: not_found, plan_required, invalid_fields
  // (an_groups unknown_group, at most 50), busy (hashing), storage. A new child is mailed.
  virtual void users_list(std::string main_id, then_fn<std::vector<domain::child_user>> then) = 0;
  virtual void user_create(std::string main_id, domain::child_request request, domain::lang l,
                           then_fn<domain::child_user> then) = 0;
  virtual void user_patch(std::string main_id, std::string id, domain::child_patch patch, domain::lang l,
                          then_fn<domain::child_user> then) = 0;
  virtual void user_delete(std::string main_id, std::string id, then_fn<domain::nothing> then) = 0;
};

}  // namespace cxs::actors
