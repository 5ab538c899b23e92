#pragma once
// What can go wrong in a request, as values: the actors answer a domain result or a `failure`,
// and http/ alone turns a failure into a status, a code and a message in the reader's language
// (http/error_table). Nothing here knows HTTP: the codes name what happened, not how it is sent.

#include "domain/registry.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cxs::domain {

// One form field that breaks a rule (SPEC §13): the field's key, a stable code, a message.
struct field_error {
  std::string field;
  std::string code;
  std::string message;
  std::size_t line = 0;  // an uploaded file's line (1 = its header); 0 for a form field
};

enum class error_code : uint8_t {
  json = 1,              // the body is not a JSON object
  invalid_fields,        // form fields break their rules: failure::fields lists every one
  invalid_registry,      // registry entries break their rules: failure::registry_errors
  invalid_parameter,     // a query parameter: failure::field names it, failure::detail says why
  cdr_header,            // a CSV ingest whose header cannot be used: failure::field is the reason
  not_found,             // unknown account, analysis, AN of another account, link
  plan_required,         // a standard-plan feature asked for by a free account
  forbidden_role,        // a child ID asked for what only the main ID may do (SPEC §15)
  not_implemented,       // a feature that is announced but not served yet
  invalid_credentials,   // wrong ID or password
  locked,                // five wrong passwords in a row: locked for 30 minutes
  certificate_required,  // the ID logs in with a client certificate and the TLS client presented none
  session_active,        // the ID already has a live session
  ticket_expired,        // the one-time password ticket ran out or was tried too often
  invalid_code,          // a wrong one-time password
  link_expired,          // a sign-up link past its 24 hours
  reset_link_expired,    // a reissue link unknown, used or past its hour
  already_confirmed,     // a sign-up link pressed twice
  opid_taken,            // the OPID has a contract or a pending application
  download_credentials,  // the certificate download site's account or password is wrong (SPEC §16)
  download_locked,       // five wrong download passwords in a row: that download account waits 30 minutes
  certificate_mismatch,  // the presented certificate is another ID's, or not the service CA's (SPEC §16)
  certificate_revoked,   // the presented certificate of the ID is revoked
  certificate_expired,   // the presented certificate of the ID is out of its validity
  storage,               // a write (or read) to RocksDB failed
  mail,                  // a mail could not be queued
  unavailable,           // an actor did not answer (restarting, stopping)
  timeout,               // an actor did not answer in time
  busy,                  // password hashing is at its bound, or out of memory: try again shortly
  internal,              // a broken invariant: logged with its detail, never shown
};

// The stable name of a code as clients see it in {"error":{"code":…}} (SPEC §14).
std::string_view error_name(error_code c);

struct failure {
  error_code code = error_code::internal;
  std::string detail;               // English, for operators and logs; never a secret or a raw caller number
  std::string field;                // invalid_parameter: the parameter; cdr_header: the reason
  std::vector<field_error> fields;  // invalid_fields
  std::vector<registry_error> registry_errors;  // invalid_registry
};

inline failure fail(error_code c, std::string detail = {}) { return failure{c, std::move(detail), {}, {}, {}}; }
// A query parameter that cannot be used: the parameter and why (English, shown as the message).
inline failure parameter_failure(std::string parameter, std::string detail) {
  return failure{error_code::invalid_parameter, std::move(detail), std::move(parameter), {}, {}};
}
inline failure field_failure(std::vector<field_error> fields) {
  failure f{error_code::invalid_fields, {}, {}, std::move(fields), {}};
  return f;
}

// Success carrying nothing.
struct nothing {};

// A result or the failure that stopped it (std::expected arrives with C++23).
template <class T>
class expected {
 public:
  expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  expected(failure f) : v_(std::in_place_index<1>, std::move(f)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const failure& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, failure> v_;
};

}  // namespace cxs::domain
