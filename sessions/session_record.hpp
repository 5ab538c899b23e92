#pragma once
// A session as it is kept across restarts: the SHA-256 digest of its cookie value (the value
// itself is never stored), what it stands for, and when it began and was last used.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxs::sessions {

struct session_info {
  std::string id;       // the CX Support ID that logged in
  std::string csrf;     // the token state-changing requests send in X-CSRF-Token
  std::string account;  // the main ID of the account it acts for: id itself, or a child's main ID
  bool child = false;   // a child ID (SPEC §15): reads the account, changes none of it
};

struct stored_session {
  std::string digest;  // of the cookie value (domain::token_digest)
  session_info info;
  int64_t created = 0;
  int64_t last_seen = 0;
  // Not 0: no session but the mark of one another login took over (SPEC §19), kept so that its
  // cookie answers session_replaced until then (when it would have ended by itself), restarts
  // included. A mark is stored as its digest and this time only (info, created, last_seen empty).
  int64_t replaced_until = 0;
};

// One JSON object; decode answers nullopt for anything else (a damaged record is skipped).
std::string encode_session(const stored_session& s);
std::optional<stored_session> decode_session(std::string_view text);

}  // namespace cxs::sessions
