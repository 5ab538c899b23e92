#pragma once
// What the actors answer the front door: domain results, free of CAF and of HTTP. http/render
// turns each into its wire form; a failure travels beside them as a domain::failure.

#include "domain/account.hpp"
#include "domain/cdr.hpp"
#include "domain/certificate.hpp"
#include "domain/child_users.hpp"
#include "domain/signup.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cxs::actors {

using registry_ptr = std::shared_ptr<const domain::registry>;
using account_ptr = std::shared_ptr<const domain::account>;

// An account as its owner and the operators see it: the stored record (password hash included:
// renderers must use domain::to_public_json) and the OPID's ANs in the registry now.
struct account_summary {
  account_ptr account;
  std::vector<std::string> current_ans;
  // A child ID's own record (SPEC §15); null for a main ID. Then account is the child's login
  // view (domain::login_view) and current_ans the account's ANs, before the child's limit.
  std::shared_ptr<const domain::child_user> child;
  // The OPID's ANs and DNs now, filled by the directory's show (GET /api/me lists the DNs).
  domain::opid_numbers numbers = {};
  // Set by the directory's update only: the record this change was made on and the one it stored
  // (a child ID: its login views), as memory held them. `account` may have moved on since (a
  // change taken on top); the notices, a login's end and the certificates follow these two.
  account_ptr replaced = nullptr, stored = nullptr;
};

// A child ID as a main ID's change (directory userset) left it, and the address it had just
// before that change: a new address's notice goes to both (SPEC §18), and only the directory
// knows which address the change replaced when two changes are in flight.
struct child_patch_answer {
  domain::child_user child;
  std::string email_before;
};

// An account an operator looked up (SPEC §17, the /ops page): its record and numbers, its live
// sessions (the main ID's and its child IDs'), its child IDs and the time of its last stored CDR
// since the process started (0: none).
struct account_found {
  account_summary summary;
  std::size_t sessions = 0;
  std::size_t children = 0;
  int64_t last_ingest = 0;  // unix seconds
};

// A page of the operators' account list (SPEC §17): the accounts on it in OPID order, how many
// match in all, and the OPID to continue after (empty on the last page).
struct account_page {
  std::vector<account_found> accounts;
  std::size_t total = 0;
  std::string next;
};

// An online backup (POST /admin/backup): where it went and how many bytes its files hold.
struct backup_made {
  std::string dir;
  uint64_t bytes = 0;
  double seconds = 0;
};

// The outcome of one ingest request (SPEC §8). incomplete: some accounts' records could not be
// stored; the counts say what was kept.
struct ingest_summary {
  uint64_t accepted = 0, duplicates = 0, too_old = 0, unowned = 0;
  std::vector<domain::line_error> errors;
  bool incomplete = false;
};

enum class cdr_format { csv, ndjson };

// A sign-up application as its confirmation page shows it.
struct signup_view {
  bool confirmed = false;
  int64_t expires = 0;       // unix seconds
  domain::signup_form form;  // password empty
};

// A session began (SPEC §4): the cookie value and the CSRF token of the ID.
struct session_started {
  std::string id;
  std::string token;
  std::string csrf;
};

// The password step passed. An otp account: the one-time password is mailed and `ticket` names
// the attempt. A certificate account whose TLS client presented its valid certificate (SPEC §16):
// the session began at once, and `ticket` is empty.
struct login_step {
  std::string ticket;
  std::optional<session_started> session;
};

// A certificate made here (SPEC §16): the PKCS#12 file and its one-time password (never kept).
struct issued_pkcs12 {
  domain::certificate_record record;
  std::string der;
  std::string password;
};

// A certificate signed from the customer's request: PEM.
struct issued_pem {
  domain::certificate_record record;
  std::string pem;
};

// Download credentials just made (SPEC §16): the password is in the clear only here, on its way
// into a mail.
struct download_grant {
  std::string id;
  std::string account;
  std::string password;
};

// What the download site shows of its ID: the ID and its certificates, newest first.
struct download_view {
  std::string id;
  std::vector<domain::certificate_record> certificates;
};

}  // namespace cxs::actors
