#pragma once
// The live customer sessions (SPEC §4, §18, §19): one per ID, ended by logout, after 30 minutes
// without a request or 12 hours after login, whichever comes first. Every /api request checks
// its session here, so the table is read straight from the front door's threads under a mutex —
// a lookup costs well under a microsecond, where a round trip through the auth actor would cost
// more than the 5 % a query may spend on it. Only the auth actor creates sessions; the auth actor
// and the directory end them. Tokens are kept as SHA-256 digests.
//
// With a journal (session_journal.hpp) the sessions survive a restart: a new session and an
// ended one are written through it before the call returns (under a second lock, so the journal
// sees the changes in the order they were made); the last uses are written by flush_last_uses().

#include "sessions/session_journal.hpp"
#include "sessions/session_record.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cxs::sessions {

struct new_session {
  std::string token;  // the cookie value
  std::string csrf;
};

class session_table {
 public:
  explicit session_table(int64_t idle_limit_s = 30 * 60, int64_t lifetime_s = 12 * 60 * 60)
      : idle_limit_s_(idle_limit_s), lifetime_s_(lifetime_s) {}

  // Set once at start, before any session is created; may stay null (tests, tools).
  void set_journal(session_journal* journal) { journal_ = journal; }
  // A session kept from before a restart, or the mark of one taken over; false (and not taken)
  // when it has ended (run out) meanwhile, or an older record than the one of its ID already
  // restored. *replaced: the digest of an older record of the ID this one replaced (empty if none).
  bool restore(const stored_session& s, int64_t now, std::string* replaced = nullptr);

  // The session of a cookie value, and its idle time restarts; nullopt when unknown, idle too long
  // or older than its lifetime (activity never extends that).
  std::optional<session_info> touch(std::string_view token, int64_t now);
  // True while the ID has a session that has not ended.
  bool live_for(const std::string& id, int64_t now);
  // account: the main ID a child ID acts for (empty: id is a main ID). Replaces the ID's session.
  new_session create(const std::string& id, int64_t now, const std::string& account = {}, bool child = false);
  void end(std::string_view token);
  // Ends the ID's session; false when it had none.
  bool end_all_for(const std::string& id);
  // A login that took over (SPEC §19): ends the ID's live session and remembers it as replaced
  // until it would have ended by itself, so its next request can say why. False when none was live.
  bool take_over(const std::string& id, int64_t now);
  // True when the cookie value names a session another login took over (and it has not run out).
  bool replaced(std::string_view token, int64_t now);
  // Drops ended sessions; returns how many are live.
  std::size_t sweep(int64_t now);
  // Writes the last uses changed since the previous call, and retries erasures that failed.
  void flush_last_uses();

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
  // Under journal_mutex_: the erasure written, or kept to be retried by flush_last_uses().
  void journal_erase(std::vector<std::string> digests);

  int64_t idle_limit_s_;
  int64_t lifetime_s_;
  session_journal* journal_ = nullptr;
  std::mutex journal_mutex_;  // taken before mutex_ by every change that is journalled
  std::mutex mutex_;
  std::unordered_map<std::string, entry> by_digest_;
  std::unordered_map<std::string, std::string> digest_by_id_;
  std::unordered_set<std::string> used_;    // digests whose last use changed since the last flush
  std::vector<std::string> erase_pending_;  // erasures the journal could not write yet
  std::vector<std::string> expired_;  // found ended by touch(), erased from storage by the next flush (under mutex_)
  // Digests of sessions taken over -> when they would have ended by themselves; journalled as
  // marks (stored_session::replaced_until) so they survive a restart, erased by the sweep after
  // that time. Bounded by logins that passed their second factor.
  std::unordered_map<std::string, int64_t> replaced_;
};

}  // namespace cxs::sessions
