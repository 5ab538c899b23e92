#pragma once
// cxs-load's command line (SPEC §17): the two listeners, the operator token, the outbox where the
// server writes its mails, the simulated accounts and the rates, with the rules that keep a run
// bounded and on loopback unless asked otherwise.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "load/schedule.hpp"

namespace cxs::load {

struct load_options {
  std::string admin_url;     // https://127.0.0.1:9443 (the server's default admin listener)
  std::string customer_url;  // https://127.0.0.1:8443 (its default customer listener)
  std::string token_file;
  std::string outbox;  // needed by login, dashboard, analysis and signup (one-time passwords, sign-up links)
  std::string cacert;  // verify the server against this PEM; without it loopback TLS is not verified
  unsigned accounts = 10;
  double duration_s = 10;
  std::vector<operation_rate> rates;
  bool json = false;
  bool allow_remote = false;
  unsigned connections = 32;  // per listener
  uint64_t seed = 1;
  arrival_process arrivals = arrival_process::uniform;
  double drain_s = 10;  // after the last start, how long running operations may finish
  double request_timeout_s = 30;
  double mail_timeout_s = 10;
  std::string password = "LoadTest2026";
  std::string prefix = "LOAD";  // OPIDs <prefix>A000001… (accounts) and <prefix>S… (sign-ups)
  std::string mail_domain = "load.example";
  unsigned ingest_rows = 100;    // rows per ingest operation
  unsigned seed_calls = 0;       // rows ingested during set-up, spread over the accounts
  double standard_share = 0.25;  // the share of accounts on the standard plan
  unsigned setup_concurrency = 8;

  bool uses(operation op) const;
  double rate_of(operation op) const;
};

struct parse_failure {
  std::string message;
  int exit_code;  // 0 for --help, 2 for a usage error
};

std::variant<load_options, parse_failure> parse_options(int argc, char** argv);

// "login:5" → {login, 5}; a message naming the flag otherwise.
std::variant<operation_rate, std::string> parse_rate(std::string_view text);

// The scheme is https and the host a loopback address (127.0.0.0/8, ::1, localhost).
bool is_loopback_https_url(std::string_view url);

// Rules across flags (outbox needed by login, dashboard, analysis and signup, loopback unless
// --allow-remote, …).
// Empty when fine.
std::string validate(const load_options& o);

}  // namespace cxs::load
