#include "domain/errors.hpp"

namespace cxs::domain {

std::string_view error_name(error_code c) {
  switch (c) {
    case error_code::json: return "json";
    case error_code::invalid_fields: return "invalid_fields";
    case error_code::invalid_registry: return "invalid_registry";
    case error_code::invalid_parameter: return "invalid_parameter";
    case error_code::cdr_header: return "header";
    case error_code::not_found: return "not_found";
    case error_code::plan_required: return "plan_required";
    case error_code::forbidden_role: return "forbidden_role";
    case error_code::not_implemented: return "not_implemented";
    case error_code::invalid_credentials: return "invalid_credentials";
    case error_code::locked: return "locked";
    case error_code::certificate_required: return "certificate_required";
    case error_code::session_active: return "session_active";
    case error_code::ticket_expired: return "ticket_expired";
    case error_code::invalid_code: return "invalid_code";
    case error_code::link_expired:  // both links answer "expired"; their messages differ
    case error_code::reset_link_expired: return "expired";
    case error_code::already_confirmed: return "already_confirmed";
    case error_code::opid_taken: return "opid_taken";
    case error_code::download_credentials: return "download_credentials";
    case error_code::download_locked: return "download_locked";
    case error_code::certificate_mismatch: return "certificate_mismatch";
    case error_code::certificate_revoked: return "certificate_revoked";
    case error_code::certificate_expired: return "certificate_expired";
    case error_code::storage: return "storage";
    case error_code::mail: return "mail";
    case error_code::unavailable: return "unavailable";
    case error_code::timeout: return "timeout";
    case error_code::busy: return "busy";
    case error_code::internal: return "internal";
  }
  return "internal";
}

}  // namespace cxs::domain
