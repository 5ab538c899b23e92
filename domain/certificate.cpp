#include "domain/certificate.hpp"

#include <nlohmann/json.hpp>

namespace cxs::domain {

namespace {
constexpr int64_t day_s = 24 * 60 * 60;
}

std::string encode_certificate(const certificate_record& r) {
  nlohmann::json j{{"id", r.id},
                   {"serial", r.serial},
                   {"not_before", r.not_before},
                   {"not_after", r.not_after},
                   {"revoked", r.revoked ? nlohmann::json(*r.revoked) : nlohmann::json(nullptr)},
                   {"reminded_30", r.reminded_30},
                   {"reminded_7", r.reminded_7}};
  return j.dump();
}

std::optional<certificate_record> decode_certificate(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  const auto str = [&](const char* k) { return j.contains(k) && j[k].is_string(); };
  const auto num = [&](const char* k) { return j.contains(k) && j[k].is_number_integer(); };
  const auto flag = [&](const char* k) { return j.contains(k) && j[k].is_boolean(); };
  if (!str("id") || !str("serial") || !num("not_before") || !num("not_after") || !flag("reminded_30") ||
      !flag("reminded_7") || !j.contains("revoked") || !(j["revoked"].is_null() || j["revoked"].is_number_integer()))
    return std::nullopt;
  certificate_record r;
  r.id = j["id"].get<std::string>();
  r.serial = j["serial"].get<std::string>();
  r.not_before = j["not_before"].get<int64_t>();
  r.not_after = j["not_after"].get<int64_t>();
  if (!j["revoked"].is_null()) r.revoked = j["revoked"].get<int64_t>();
  r.reminded_30 = j["reminded_30"].get<bool>();
  r.reminded_7 = j["reminded_7"].get<bool>();
  if (r.id.empty() || r.serial.empty() || r.not_after <= r.not_before) return std::nullopt;
  return r;
}

certificate_verdict judge_certificate(const certificate_record& r, const std::string& login_id, int64_t now) {
  // Another ID's certificate says nothing about this one's: that comes first, whatever its state.
  if (r.id != login_id) return certificate_verdict::mismatch;
  if (r.revoked && *r.revoked <= now) return certificate_verdict::revoked;
  if (now < r.not_before || now >= r.not_after) return certificate_verdict::expired;
  return certificate_verdict::valid;
}

certificate_verdict judge_unregistered(const std::string& cert_id, int64_t not_after, const std::string& login_id,
                                       int64_t now) {
  if (cert_id == login_id && now >= not_after) return certificate_verdict::expired;
  return certificate_verdict::mismatch;
}

bool past_keeping(const certificate_record& r, int64_t now) { return now >= r.not_after + kept_after_end_s; }

std::string_view verdict_code(certificate_verdict v) {
  switch (v) {
    case certificate_verdict::mismatch: return "certificate_mismatch";
    case certificate_verdict::revoked: return "certificate_revoked";
    case certificate_verdict::expired: return "certificate_expired";
    case certificate_verdict::absent: return "certificate_required";
    case certificate_verdict::valid: break;
  }
  return {};
}

std::optional<error_code> verdict_error(certificate_verdict v) {
  switch (v) {
    case certificate_verdict::mismatch: return error_code::certificate_mismatch;
    case certificate_verdict::revoked: return error_code::certificate_revoked;
    case certificate_verdict::expired: return error_code::certificate_expired;
    case certificate_verdict::absent: return error_code::certificate_required;
    case certificate_verdict::valid: break;
  }
  return std::nullopt;
}

int due_reminder(const certificate_record& r, int64_t now) {
  if (r.revoked || now >= r.not_after) return 0;
  const int64_t left = r.not_after - now;
  if (left <= 7 * day_s && !r.reminded_7) return 7;
  if (left <= 30 * day_s && !r.reminded_30 && !r.reminded_7) return 30;
  return 0;
}

void mark_reminded(certificate_record& r, int days) {
  if (days == 7) r.reminded_7 = r.reminded_30 = true;  // the 30-day one would only confuse now
  if (days == 30) r.reminded_30 = true;
}

std::vector<certificate_record*> revoke_others(std::vector<certificate_record>& of_id, const std::string& kept,
                                               int64_t now) {
  std::vector<certificate_record*> changed;
  for (auto& r : of_id)
    if (r.serial != kept && !r.revoked) {
      r.revoked = now;
      changed.push_back(&r);
    }
  return changed;
}

method_follow_up follow_up_of_switch(std::string_view switched_to, std::string_view method_now) {
  const bool on_certificate = method_now == "certificate";
  if (switched_to == "certificate") return {on_certificate, false, false};
  return {false, true, !on_certificate};
}

}  // namespace cxs::domain
