#include "sessions/session_table.hpp"

#include "domain/secret.hpp"
#include "metrics/metrics.hpp"

namespace cxs::sessions {

void session_table::publish() {
  static auto& gauge = metrics::global().get_gauge("cxs_sessions");
  gauge.set(static_cast<int64_t>(by_digest_.size()));
}

std::optional<session_info> session_table::touch(std::string_view token, int64_t now) {
  if (!domain::looks_like_token(token)) return std::nullopt;
  auto digest = domain::token_digest(token);
  std::lock_guard lock(mutex_);
  auto it = by_digest_.find(digest);
  if (it == by_digest_.end()) return std::nullopt;
  if (expired(it->second, now)) {
    digest_by_id_.erase(it->second.info.id);
    by_digest_.erase(it);
    publish();
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second.info;
}

bool session_table::live_for(const std::string& id, int64_t now) {
  std::lock_guard lock(mutex_);
  auto d = digest_by_id_.find(id);
  if (d == digest_by_id_.end()) return false;
  auto it = by_digest_.find(d->second);
  return it != by_digest_.end() && !expired(it->second, now);
}

new_session session_table::create(const std::string& id, int64_t now, const std::string& account, bool child) {
  new_session s{domain::new_token(), domain::new_token()};
  auto digest = domain::token_digest(s.token);
  std::lock_guard lock(mutex_);
  if (auto old = digest_by_id_.find(id); old != digest_by_id_.end()) by_digest_.erase(old->second);
  by_digest_[digest] = entry{{id, s.csrf, account.empty() ? id : account, child}, now, now};
  digest_by_id_[id] = digest;
  publish();
  return s;
}

void session_table::end(std::string_view token) {
  auto digest = domain::token_digest(token);
  std::lock_guard lock(mutex_);
  auto it = by_digest_.find(digest);
  if (it == by_digest_.end()) return;
  digest_by_id_.erase(it->second.info.id);
  by_digest_.erase(it);
  publish();
}

bool session_table::end_all_for(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto d = digest_by_id_.find(id);
  if (d == digest_by_id_.end()) return false;
  by_digest_.erase(d->second);
  digest_by_id_.erase(d);
  publish();
  return true;
}

std::size_t session_table::sweep(int64_t now) {
  std::lock_guard lock(mutex_);
  for (auto it = by_digest_.begin(); it != by_digest_.end();) {
    if (expired(it->second, now)) {
      digest_by_id_.erase(it->second.info.id);
      it = by_digest_.erase(it);
    } else {
      ++it;
    }
  }
  publish();
  return by_digest_.size();
}

}  // namespace cxs::sessions
