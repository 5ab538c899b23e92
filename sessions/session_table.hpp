#pragma once
// The live customer sessions (SPEC §4, §18): one per ID, ended by logout, after 30 minutes
// without a request or 12 hours after login, whichever comes first. Every /api request checks its session here, so the
// table is read straight from the front door's threads under a mutex — a lookup costs well under a microsecond, where a
// round trip through the auth actor would cost more than the 5 % a query may spend on it. Only the auth actor creates
// and ends sessions. Tokens are kept as SHA-256 digests.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cxs::sessions {

struct session_info {
  std::string id;       // the CX Support ID that logged in
  std::string csrf;     // the token state-changing requests send in X-CSRF-Token
  std::string account;  // the main ID of the account it acts for: id itself, or a child's main ID
  bool child = false;   // a child ID (SPEC §15): reads the account, changes none of it
};

struct new_session {
  std::string token;  // the cookie value
  std::string csrf;
};

class session_table {
 public:
  explicit session_table(int64_t idle_limit_s = 30 * 60, int64_t lifetime_s = 12 * 60 * 60)
      : idle_limit_s_(idle_limit_s), lifetime_s_(lifetime_s) {}

  // The session of a cookie value, and its idle time restarts; nullopt when unknown, idle too long
  // or older than its lifetime (activity never extends that).
  std::optional<session_info> touch(std::string_view token, int64_t now);
  // True while the ID has a session that has not ended.
  bool live_for(const std::string& id, int64_t now);
  // account: the main ID a child ID acts for (empty: id is a main ID).
  new_session create(const std::string& id, int64_t now, const std::string& account = {}, bool child = false);
  void end(std::string_view token);
  // Ends the ID's session; false when it had none.
  bool end_all_for(const std::string& id);
  // Drops ended sessions; returns how many are live.
  std::size_t sweep(int64_t now);

 private:
  struct entry {
    session_info info;
    int64_t created = 0;
    int64_t last_seen = 0;
  };
  bool expired(const entry& e, int64_t now) const {
    return now - e.last_seen >= idle_limit_s_ || now - e.created >= lifetime_s_;
  }
  void publish();  // the cxs_sessions gauge

  int64_t idle_limit_s_;
  int64_t lifetime_s_;
  std::mutex mutex_;
  std::unordered_map<std::string, entry> by_digest_;
  std::unordered_map<std::string, std::string> digest_by_id_;
};

}  // namespace cxs::sessions
