#include "sessions/session_table.hpp"

#include "domain/secret.hpp"
#include "metrics/metrics.hpp"

#include <algorithm>

namespace cxs::sessions {

void session_table::publish() {
  static auto& gauge = metrics::global().get_gauge("cxs_sessions");
  gauge.set(static_cast<int64_t>(by_digest_.size()));
}

void session_table::journal_erase(std::vector<std::string> digests) {
  if (!journal_ || digests.empty()) return;
  if (!journal_->erased(digests)) erase_pending_.insert(erase_pending_.end(), digests.begin(), digests.end());
}

bool session_table::restore(const stored_session& s, int64_t now, std::string* replaced) {
  if (s.replaced_until) {
    if (s.replaced_until <= now) return false;
    std::lock_guard lock(mutex_);
    replaced_[s.digest] = s.replaced_until;
    return true;
  }
  entry e{s.info, s.created, s.last_seen};
  if (expired(e, now)) return false;
  std::lock_guard lock(mutex_);
  if (auto old = digest_by_id_.find(s.info.id); old != digest_by_id_.end()) {
    // Two records for one ID (a crash between writing a new one and erasing the old): the newer counts.
    if (by_digest_.at(old->second).created >= s.created) return false;
    if (replaced) *replaced = old->second;
    by_digest_.erase(old->second);
  }
  by_digest_[s.digest] = std::move(e);
  digest_by_id_[s.info.id] = s.digest;
  publish();
  return true;
}

std::optional<session_info> session_table::touch(std::string_view token, int64_t now) {
  if (!domain::looks_like_token(token)) return std::nullopt;
  auto digest = domain::token_digest(token);
  std::lock_guard lock(mutex_);
  auto it = by_digest_.find(digest);
  if (it == by_digest_.end()) return std::nullopt;
  if (expired(it->second, now)) {
    // Ended for good at once; erased from storage by the next flush (no disk on a front door thread).
    digest_by_id_.erase(it->second.info.id);
    by_digest_.erase(it);
    used_.erase(digest);
    if (journal_) expired_.push_back(digest);
    publish();
    return std::nullopt;
  }
  if (it->second.last_seen != now) {
    it->second.last_seen = now;
    if (journal_) used_.insert(digest);
  }
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
  stored_session record{domain::token_digest(s.token), {id, s.csrf, account.empty() ? id : account, child}, now, now};
  std::lock_guard journal_lock(journal_mutex_);
  std::vector<std::string> replaced;
  {
    std::lock_guard lock(mutex_);
    if (auto old = digest_by_id_.find(id); old != digest_by_id_.end()) {
      replaced.push_back(old->second);
      by_digest_.erase(old->second);
      used_.erase(old->second);
    }
    by_digest_[record.digest] = entry{record.info, now, now};
    digest_by_id_[id] = record.digest;
    publish();
  }
  // Not written: the session lives until the next restart only (the journal logs why).
  if (journal_) journal_->saved(record);
  journal_erase(std::move(replaced));
  return s;
}

void session_table::end(std::string_view token) {
  auto digest = domain::token_digest(token);
  std::lock_guard journal_lock(journal_mutex_);
  {
    std::lock_guard lock(mutex_);
    auto it = by_digest_.find(digest);
    if (it == by_digest_.end()) return;
    digest_by_id_.erase(it->second.info.id);
    by_digest_.erase(it);
    used_.erase(digest);
    publish();
  }
  journal_erase({digest});
}

bool session_table::end_all_for(const std::string& id) {
  std::lock_guard journal_lock(journal_mutex_);
  std::string digest;
  {
    std::lock_guard lock(mutex_);
    auto d = digest_by_id_.find(id);
    if (d == digest_by_id_.end()) return false;
    digest = d->second;
    by_digest_.erase(digest);
    digest_by_id_.erase(d);
    used_.erase(digest);
    publish();
  }
  journal_erase({digest});
  return true;
}

bool session_table::take_over(const std::string& id, int64_t now) {
  std::lock_guard journal_lock(journal_mutex_);
  stored_session mark;
  bool live = false;
  {
    std::lock_guard lock(mutex_);
    auto d = digest_by_id_.find(id);
    if (d == digest_by_id_.end()) return false;
    auto it = by_digest_.find(d->second);
    mark.digest = d->second;
    mark.replaced_until = std::min(it->second.last_seen + idle_limit_s_, it->second.created + lifetime_s_);
    live = !expired(it->second, now);
    if (live) replaced_[mark.digest] = mark.replaced_until;
    by_digest_.erase(it);
    digest_by_id_.erase(d);
    used_.erase(mark.digest);
    publish();
  }
  // The session's record becomes its mark, so a restart keeps saying why it ended; a mark that
  // cannot be written still must not leave the session's record behind.
  if (!live || !journal_ || !journal_->saved(mark)) journal_erase({mark.digest});
  return live;
}

bool session_table::replaced(std::string_view token, int64_t now) {
  if (!domain::looks_like_token(token)) return false;
  auto digest = domain::token_digest(token);
  std::lock_guard lock(mutex_);
  auto it = replaced_.find(digest);
  return it != replaced_.end() && it->second > now;
}

std::size_t session_table::sweep(int64_t now) {
  std::lock_guard journal_lock(journal_mutex_);
  std::vector<std::string> gone;
  std::size_t live = 0;
  {
    std::lock_guard lock(mutex_);
    for (auto it = by_digest_.begin(); it != by_digest_.end();) {
      if (expired(it->second, now)) {
        gone.push_back(it->first);
        used_.erase(it->first);
        digest_by_id_.erase(it->second.info.id);
        it = by_digest_.erase(it);
      } else {
        ++it;
      }
    }
    std::erase_if(replaced_, [&](auto& kv) {
      if (kv.second > now) return false;
      if (journal_) gone.push_back(kv.first);
      return true;
    });
    publish();
    live = by_digest_.size();
  }
  journal_erase(std::move(gone));
  return live;
}

void session_table::flush_last_uses() {
  if (!journal_) return;
  std::lock_guard journal_lock(journal_mutex_);
  std::vector<stored_session> changed;
  std::vector<std::string> expired;
  {
    std::lock_guard lock(mutex_);
    expired.swap(expired_);
    for (const auto& digest : used_)
      if (auto it = by_digest_.find(digest); it != by_digest_.end())
        changed.push_back({digest, it->second.info, it->second.created, it->second.last_seen});
    used_.clear();
  }
  if (!changed.empty()) journal_->touched(changed);
  journal_erase(std::move(expired));
  if (!erase_pending_.empty()) {
    auto retry = std::move(erase_pending_);
    erase_pending_.clear();
    journal_erase(std::move(retry));
  }
}

}  // namespace cxs::sessions
