#include "sessions/session_record.hpp"

#include <nlohmann/json.hpp>

namespace cxs::sessions {

std::string encode_session(const stored_session& s) {
  nlohmann::json j{{"digest", s.digest},        {"id", s.info.id},       {"csrf", s.info.csrf},
                   {"account", s.info.account}, {"child", s.info.child}, {"created", s.created},
                   {"last_seen", s.last_seen}};
  if (s.replaced_until) j["replaced_until"] = s.replaced_until;
  return j.dump();
}

std::optional<stored_session> decode_session(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    stored_session s;
    s.digest = j.at("digest").get<std::string>();
    s.info.id = j.at("id").get<std::string>();
    s.info.csrf = j.at("csrf").get<std::string>();
    s.info.account = j.at("account").get<std::string>();
    s.info.child = j.at("child").get<bool>();
    s.created = j.at("created").get<int64_t>();
    s.last_seen = j.at("last_seen").get<int64_t>();
    // Absent in records written before take-over marks were kept.
    if (j.contains("replaced_until")) s.replaced_until = j.at("replaced_until").get<int64_t>();
    if (s.digest.empty() || s.info.id.empty() || s.info.account.empty()) return std::nullopt;
    return s;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace cxs::sessions
