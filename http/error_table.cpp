#include "http/error_table.hpp"

#include "domain/secret.hpp"
#include "domain/signup.hpp"
#include "metrics/metrics.hpp"

#include <spdlog/spdlog.h>

namespace cxs::http {

namespace {
using domain::error_code;

nlohmann::json error_body(std::string_view code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

nlohmann::json registry_errors_json(const std::vector<domain::registry_error>& errors) {
  auto list = nlohmann::json::array();
  for (auto& e : errors)
    list.push_back({{"field", e.field}, {"opid", e.opid}, {"code", e.code}, {"message", e.message}});
  return {{"errors", list}};
}

// The parts both listeners share: bodies that carry more than a code and a message.
std::optional<reply> structured(const domain::failure& f, const error_row& row) {
  switch (f.code) {
    case error_code::invalid_registry: return json_reply(row.status, registry_errors_json(f.registry_errors));
    case error_code::invalid_parameter:
      return json_reply(row.status, {{"error", {{"code", row.code}, {"field", f.field}, {"message", f.detail}}}});
    case error_code::cdr_header:
      return json_reply(row.status, {{"error", {{"code", row.code}, {"reason", f.field}, {"message", f.detail}}}});
    default: return std::nullopt;
  }
}

// Every failure answered is counted by its code (a fixed set of labels). A server-side failure
// (5xx) is logged with its detail under a new request ID; the answer carries the ID and the
// catalogue message, never the detail (a RocksDB status, an actor's error text), on either
// listener: whoever reads the answer quotes the ID, the operator finds the line.
std::string count_and_log(const domain::failure& f) {
  auto& row = error_row_of(f.code);
  metrics::global().get_counter("cxs_failures_total", {{"code", std::string(row.code)}}).inc();
  if (row.status < 500) return {};
  auto id = domain::new_request_id();
  if (f.code == error_code::internal)
    spdlog::error("request {}: internal error: {}", id, f.detail);
  else
    spdlog::warn("request {}: {}: {}", id, row.code, f.detail);
  return id;
}

// A 5xx answer: the code, the catalogue message, the request ID; Retry-After where trying again
// soon helps (busy: the hash queue drains in well under a second).
reply server_failure(const error_row& row, const std::string& request_id, domain::lang l) {
  auto r = json_reply(
      row.status,
      {{"error",
        {{"code", row.code}, {"message", domain::error_message(row.message_key, l)}, {"request_id", request_id}}}});
  if (row.code == "busy") r.headers.emplace_back("Retry-After", "1");
  return r;
}
}  // namespace

const error_row& error_row_of(error_code c) {
  static const error_row rows[] = {
      {500, "internal", "internal"},  // 0 is no code
      {400, "json", "json"},
      {422, "invalid_fields", "invalid_fields"},
      {422, "invalid_registry", "invalid_registry"},
      {400, "invalid_parameter", "invalid_parameter"},
      {400, "header", "header"},
      {404, "not_found", "not_found"},
      {403, "plan_required", "plan_required"},
      {403, "forbidden_role", "forbidden_role"},
      {501, "not_implemented", "not_implemented"},
      {401, "invalid_credentials", "invalid_credentials"},
      {423, "locked", "locked"},
      {401, "certificate_required", "certificate_required"},
      {409, "session_active", "session_active"},
      {401, "ticket_expired", "ticket_expired"},
      {401, "invalid_code", "invalid_code"},
      {410, "expired", "expired"},
      {410, "expired", "reset_expired"},
      {409, "already_confirmed", "already_confirmed"},
      {409, "opid_taken", "opid_taken"},
      {401, "download_credentials", "download_credentials"},
      {423, "download_locked", "download_locked"},
      {401, "certificate_mismatch", "certificate_mismatch"},
      {401, "certificate_revoked", "certificate_revoked"},
      {401, "certificate_expired", "certificate_expired"},
      {503, "storage", "storage"},
      {503, "mail", "mail"},
      {503, "unavailable", "unavailable"},
      {503, "timeout", "timeout"},
      {503, "busy", "busy"},
      {500, "internal", "internal"},
  };
  static_assert(sizeof rows / sizeof rows[0] == static_cast<std::size_t>(error_code::internal) + 1,
                "one row per error code");
  auto i = static_cast<std::size_t>(c);
  return i < sizeof rows / sizeof rows[0] ? rows[i] : rows[0];
}

reply customer_failure(const domain::failure& f, domain::lang l) {
  auto request_id = count_and_log(f);
  auto& row = error_row_of(f.code);
  if (!request_id.empty()) return server_failure(row, request_id, l);
  if (f.code == error_code::invalid_fields) {
    auto fields = f.fields;
    // Messages of the catalogue's own (field, code) are written here in the reader's language
    // (an actor that found the error may not know it). Others — groups and custom data keep
    // theirs under "group.…" / "custom.…" and may name the value refused — come written by the
    // domain in the language of the request, and stay.
    for (auto& e : fields)
      if (e.message.empty() || domain::has_field_message(e.field, e.code))
        e.message = domain::field_message(e.field, e.code, l);
    return json_reply(row.status, domain::field_errors_json(fields));
  }
  if (auto r = structured(f, row)) return *r;
  return json_reply(row.status, error_body(row.code, domain::error_message(row.message_key, l)));
}

reply admin_failure(const domain::failure& f) {
  auto request_id = count_and_log(f);
  auto& row = error_row_of(f.code);
  if (!request_id.empty()) return server_failure(row, request_id, domain::lang::en);
  if (f.code == error_code::invalid_fields) return json_reply(row.status, domain::field_errors_json(f.fields));
  if (auto r = structured(f, row)) return *r;
  auto message = f.detail.empty() ? domain::error_message(row.message_key, domain::lang::en) : f.detail;
  return json_reply(row.status, error_body(row.code, message));
}

reply customer_error(int status, std::string_view code, domain::lang l) {
  return json_reply(status, error_body(code, domain::error_message(code, l)));
}

}  // namespace cxs::http
