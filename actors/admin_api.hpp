#pragma once
// The operators' side of the actors (SPEC §9, §11, §14 "Operator API"), as typed calls with no
// CAF type in sight: http/ compiles without CAF headers. Each call answers exactly once through
// its callback, on an actor thread, with a result or a domain::failure (a timeout or a failed
// actor becomes timeout/unavailable/internal, never a hang).

#include "actors/results.hpp"
#include "domain/account_search.hpp"
#include "domain/analysis_query.hpp"
#include "domain/certificate.hpp"
#include "domain/errors.hpp"
#include "domain/registry.hpp"
#include "domain/time.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cxs::actors {

template <class T>
using then_fn = std::function<void(domain::expected<T>)>;

class admin_api {
 public:
  virtual ~admin_api() = default;

  // Today in JST on the service clock (the test clock when one is set).
  virtual domain::civil_date today() const = 0;

  virtual void registry_show(then_fn<registry_ptr> then) = 0;
  // Validated entries; replace: the whole registry, else an upsert of these OPIDs.
  // Errors: invalid_registry (AN conflicts), storage, unavailable. Answers the number of OPIDs.
  virtual void registry_apply(std::vector<domain::opid_entry> entries, bool replace, then_fn<std::size_t> then) = 0;

  // Errors: invalid_fields (registry rules, opid_taken), storage.
  virtual void account_create(domain::account_request request, then_fn<account_summary> then) = 0;
  virtual void account_show(std::string id, then_fn<account_summary> then) = 0;
  // An online backup into dir (absolute, not existing): the database as a RocksDB checkpoint
  // (consistent while ingest goes on) and the caller-hash key, which the data needs. Restore:
  // start the server with --data-dir=dir. Errors: invalid_fields (dir), storage.
  virtual void backup(std::string dir, then_fn<backup_made> then) = 0;
  // The /ops account list (SPEC §17): a page of the accounts the search names, in OPID order.
  virtual void account_list(domain::account_search search, then_fn<account_page> then) = 0;
  // Support (SPEC §19), for a main or child ID (not_found when unknown): lift its lockout (true:
  // it was locked); end its session and pending one-time password (true: a session was live);
  // set its auth method, already checked by domain::check_auth_method, with the notice mail
  // (errors: not_found, storage); cancel the OPID's pending sign-up application (errors:
  // not_found, already_confirmed, storage).
  virtual void account_unlock(std::string id, then_fn<bool> then) = 0;
  virtual void account_end_sessions(std::string id, then_fn<bool> then) = 0;
  virtual void account_auth_method(std::string id, std::string method, then_fn<account_summary> then) = 0;
  virtual void signup_cancel(std::string opid, then_fn<domain::nothing> then) = 0;
  // Client certificates (SPEC §16) of a main or child ID (not_found when unknown), newest first;
  // revoke one by serial (not_found when it is not the ID's; errors: storage); the CRL as PEM.
  virtual void certificates_list(std::string id, then_fn<std::vector<domain::certificate_record>> then) = 0;
  virtual void certificate_revoke(std::string id, std::string serial, then_fn<domain::nothing> then) = 0;
  virtual void crl(then_fn<std::string> then) = 0;
  // New download credentials mailed to a certificate account (support: the mail was lost).
  // Errors: not_found, invalid_fields (auth_method not_certificate), storage, mail.
  virtual void download_credentials_send(std::string id, then_fn<bool> then) = 0;
  // The expiry reminders due now (the service also looks hourly): how many went out.
  virtual void certificates_remind(then_fn<std::size_t> then) = 0;
  // Errors: not_found, invalid_fields, storage.
  virtual void plan_change(std::string id, domain::plan_request request, then_fn<account_summary> then) = 0;
  virtual void account_crash(std::string id, then_fn<domain::nothing> then) = 0;  // testing only
  virtual void analytics(std::string id, domain::analysis_request query, then_fn<domain::analysis_document> then) = 0;
  // Errors: cdr_header (CSV), unavailable. A partly stored request answers with incomplete set.
  virtual void ingest(std::shared_ptr<std::string> body, cdr_format format, then_fn<ingest_summary> then) = 0;
  virtual void retention_run(then_fn<domain::nothing> then) = 0;

  // Ready: storage open and a registry with at least one OPID (without one no CDR has an owner).
  virtual bool ready() const = 0;
  virtual std::string storage_metrics() const = 0;  // cxs_storage_* in Prometheus text
};

}  // namespace cxs::actors
