#include "http/ops_sessions.hpp"

#include "domain/secret.hpp"

namespace cxs::http {

std::string ops_sessions::open(int64_t now) {
  auto token = domain::new_token();
  std::lock_guard lock(mutex_);
  // Expired sessions go as new ones come: the table never outgrows the operators' logins.
  std::erase_if(by_digest_, [&](auto& kv) {
    return now - kv.second.last_seen >= idle_s_ || now - kv.second.created >= lifetime_s_;
  });
  by_digest_[domain::token_digest(token)] = {now, now};
  return token;
}

bool ops_sessions::touch(std::string_view cookie, int64_t now) {
  if (!domain::looks_like_token(cookie)) return false;
  std::lock_guard lock(mutex_);
  auto it = by_digest_.find(domain::token_digest(cookie));
  if (it == by_digest_.end()) return false;
  if (now - it->second.last_seen >= idle_s_ || now - it->second.created >= lifetime_s_) {
    by_digest_.erase(it);
    return false;
  }
  it->second.last_seen = now;
  return true;
}

void ops_sessions::close(std::string_view cookie) {
  if (!domain::looks_like_token(cookie)) return;
  std::lock_guard lock(mutex_);
  by_digest_.erase(domain::token_digest(cookie));
}

std::string ops_cookie(const std::string& value) {
  auto base = std::string(ops_cookie_name) + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Strict";
  return value.empty() ? base + "; Max-Age=0" : base;
}

}  // namespace cxs::http
