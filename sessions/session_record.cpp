#include "sessions/session_record.hpp"

#include <nlohmann/json.hpp>

namespace cxs::sessions {

std::string encode_session(const stored_session& s) {
  // A mark keeps nothing of the session: neither its ID nor its CSRF token is needed any more, and
  // a build from before marks, which needs "id", skips such a record instead of taking it live.
  if (s.replaced_until) return nlohmann::json{{"digest", s.digest}, {"replaced_until", s.replaced_until}}.dump();
  return nlohmann::json{{"digest", s.digest},        {"id", s.info.id},       {"csrf", s.info.csrf},
                        {"account", s.info.account}, {"child", s.info.child}, {"created", s.created},
                        {"last_seen", s.last_seen}}
      .dump();
}

std::optional<stored_session> decode_session(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    stored_session s;
    s.digest = j.at("digest").get<std::string>();
    if (j.contains("replaced_until")) {
      s.replaced_until = j.at("replaced_until").get<int64_t>();
      if (s.digest.empty() || s.replaced_until <= 0) return std::nullopt;
      return s;
    }
    s.info.id = j.at("id").get<std::string>();
    s.info.csrf = j.at("csrf").get<std::string>();
    s.info.account = j.at("account").get<std::string>();
    s.info.child = j.at("child").get<bool>();
    s.created = j.at("created").get<int64_t>();
    s.last_seen = j.at("last_seen").get<int64_t>();
    if (s.digest.empty() || s.info.id.empty() || s.info.account.empty()) return std::nullopt;
    return s;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace cxs::sessions
