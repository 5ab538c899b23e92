#pragma once
// What the simulated accounts are and do, as pure functions of indexes, dates and a seeded
// generator: their OPIDs, ANs, DNs and addresses, the registry entries that hold them, the
// sign-up form, the CDR batches of the ingest operation and a customer's mix of analysis
// questions. Nothing here talks to the server.

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace cxs::load {

struct simulated_account {
  std::string opid;
  std::string email;
  std::vector<std::string> ans;
  std::vector<std::string> dns;
  bool standard = false;
};

// Account i (0-based): OPID <prefix>A000001…, ANs 0800-9xx-xxxx (two each), two DNs, an address at
// mail_domain; accounts are standard in the given share, spread evenly (index·share crosses a whole).
simulated_account account_at(const std::string& prefix, const std::string& mail_domain, unsigned index,
                             double standard_share);

// Sign-up n of a run: OPID <prefix>S<tag><5 digits>, one free AN of 0800-8xx-xxxx (not in `taken`,
// which it joins), one DN. `tag` is 4 characters of [0-9A-Z] that tell runs apart.
simulated_account signup_at(const std::string& prefix, const std::string& mail_domain, const std::string& tag,
                            unsigned n, std::set<std::string>& taken);

// A run tag: 4 base-36 characters from the seconds since the epoch (cycles every ~19 days).
std::string run_tag(int64_t unix_seconds);

// {"opids":[…]} for PATCH /admin/registry.
std::string registry_patch(const std::vector<simulated_account>& accounts);

// The body of POST /admin/accounts (registered `registered`, a JST date).
std::string account_body(const simulated_account& a, const std::string& password, const std::string& registered);

// The body of POST /api/signup for a free account.
std::string signup_body(const simulated_account& a, const std::string& password);

// "YYYY-MM-DD" of the JST day `days` after the one holding unix_seconds.
std::string jst_date(int64_t unix_seconds, int days = 0);

// A CSV body for POST /admin/ingest: `rows` calls to random ANs of `accounts` in the 7 days before
// now (never before the accounts' registration 92 days back), call IDs <tag>-<first_seq + k>,
// ~70 % completed with 5–900 s of talk, ~10 % withheld callers.
std::string cdr_batch(const std::vector<simulated_account>& accounts, const std::string& tag, uint64_t first_seq,
                      unsigned rows, int64_t now_unix, std::mt19937_64& rng);

// The four questions the dashboard page asks at once (GET paths on the customer listener).
std::vector<std::string> dashboard_paths(int64_t now_unix);

// One analysis a customer might ask: a name (the detailed ones only on standard), a period of a
// day to three months, and sometimes AN, weekday, hours and DN filters.
std::string analysis_path(const simulated_account& a, int64_t now_unix, std::mt19937_64& rng);

}  // namespace cxs::load
