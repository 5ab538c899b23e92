#pragma once
// Every flag of the server in one place, with its default and why (DESIGN.md: "our config struct
// is the one place that lists every flag"). Flags and a config file (TOML/INI, --config) are read
// with CLI11; docs/operations.md lists the same table.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace cxs::config {

struct options {
  // Where RocksDB, TLS files, the admin token, the caller-hash key and the outbox live.
  std::string data_dir = "data";
  // Customer listener: browsers reach it from anywhere by default.
  std::string http_host = "0.0.0.0";
  uint16_t http_port = 8443;  // 0 = any free port; the ready line prints the real one
  // Admin listener: loopback only by default, since it carries operator power.
  std::string admin_host = "127.0.0.1";
  uint16_t admin_port = 9443;
  std::string admin_token_file;  // default DATA/admin.token, created 0600 when absent
  std::string tls_cert;          // both empty: a self-signed ECDSA P-256 cert in DATA/tls/
  std::string tls_key;
  std::string registry;                  // OPID registry file (JSON or CSV) loaded at start
  std::string mail_outbox;               // default DATA/outbox
  std::string mail_smtp;                 // smtp://host:port or smtps://host:port; empty = write to the outbox
  std::string mail_starttls = "always";  // always | try | never (STARTTLS on smtp://; SPEC §18)
  std::string mail_ca_file;              // CA bundle for the SMTP server's certificate; empty = the system's
  std::string mail_smtp_user;
  std::string mail_smtp_password_file;  // the SMTP password, read at start (never on the command line)
  std::string mail_from = "CX Support <no-reply@cxsupport.example>";
  std::string mail_templates;                 // a folder with the mail texts; empty = the built-in texts
  uint32_t mail_retry_base_ms = 1000;         // first retry after this, doubling each time
  uint32_t mail_retry_max_s = 600;            // the back-off never grows beyond this
  uint32_t rate_address_per_minute = 30;      // login, OTP, sign-up, reissue: per client address
  uint32_t rate_id_per_minute = 10;           // login and reissue: per CX Support ID
  std::string public_url;                     // default the customer listener's URL
  std::string testing_clock;                  // test clock offset file; refused with a non-loopback listener
  std::string web_root;                       // the built browser pages; default <binary's folder>/../web
  uint64_t ingest_max_body = 256ull << 20;    // 256 MiB: a day of a large carrier batch; 413 beyond
  uint64_t http_max_body = 1ull << 20;        // every other request body
  uint32_t http_idle_timeout_s = 30;          // idle keep-alive connections are closed after this
  uint32_t request_timeout_ms = 30000;        // an actor that does not answer in time gives 503
  uint32_t passivate_after_s = 300;           // an account actor idle this long is stopped
  uint32_t answer_cache_mib = 32;             // answers kept for repeated questions (0: none)
  uint32_t io_threads = 2;                    // Beast I/O threads (the machine has 2 cores)
  uint32_t max_connections_per_address = 64;  // open connections per client address and listener (SPEC §18)
  uint32_t hash_parallel = 2;                 // Argon2id hashes at once (19 MiB and a core each)
  uint32_t hash_queue = 32;                   // more that may wait; beyond that 503 busy
  std::string log_level = "info";
};

// Parses argv. On error: the message is one line naming the flag; on --help: the usage text with
// exit_code 0.
struct parse_failure {
  std::string message;
  int exit_code;
};
std::variant<options, parse_failure> parse_options(int argc, char** argv);

// Cross-flag rules checked after parsing (e.g. test clock only on loopback). Empty when fine.
std::string validate(const options& o);

bool is_loopback_host(const std::string& host);

}  // namespace cxs::config
