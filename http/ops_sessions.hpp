#pragma once
// The operators' sessions of the /ops page (SPEC §17): the admin token is entered once and traded
// for a session cookie of the admin listener (`__Host-cxs_ops`: Secure, HttpOnly,
// SameSite=Strict), never kept in web storage. Like the customers' sessions they end after
// 30 minutes idle or 12 hours, and only the cookie's SHA-256 digest is kept. Several operators may
// be logged in at once. Thread-safe: the admin listener's I/O threads use it directly.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cxs::http {

inline constexpr std::string_view ops_cookie_name = "__Host-cxs_ops";

class ops_sessions {
 public:
  explicit ops_sessions(int64_t idle_s = 30 * 60, int64_t lifetime_s = 12 * 60 * 60)
      : idle_s_(idle_s), lifetime_s_(lifetime_s) {}
  // A new session: the cookie value.
  std::string open(int64_t now);
  // True while the cookie names a live session; its idle time restarts.
  bool touch(std::string_view cookie, int64_t now);
  void close(std::string_view cookie);

 private:
  struct entry {
    int64_t created = 0, last_seen = 0;
  };
  int64_t idle_s_, lifetime_s_;
  std::mutex mutex_;
  std::unordered_map<std::string, entry> by_digest_;
};

// The Set-Cookie value for a session cookie (empty: the cookie cleared).
std::string ops_cookie(const std::string& value);

}  // namespace cxs::http
