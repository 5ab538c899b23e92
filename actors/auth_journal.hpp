#pragma once
// What the auth actor keeps across a restart (SPEC §4, §18): an ID's lockout, so that a restart
// hands no fresh tries to whoever was guessing and does not bring back one an operator lifted, and
// the password reissue links mailed and not yet used, so that a restart does not void a mail the
// owner has yet to open. One-time passwords and their tickets stay in memory only: they live ten
// minutes, and a restart merely asks the owner to log in again. Wrong answers short of a lock are
// not kept either (a restart forgets at most four).

#include "actors/kept_records.hpp"  // kept_lock: an ID as typed at login (unknown IDs lock too)

#include <cstdint>
#include <string>
#include <vector>

namespace cxs::actors {

struct kept_link {
  std::string digest;  // SHA-256 of the mailed token: the token itself is kept nowhere
  std::string id;
  int64_t expires = 0;
};

// What a start found still running.
struct kept_auth_state {
  std::vector<kept_lock> locks;
  std::vector<kept_link> links;
};

// Written through by the auth actor, in the order things happen; each call is durable when it
// returns (a failure is logged: the state then lasts until the next restart only).
class auth_journal {
 public:
  virtual ~auth_journal() = default;
  virtual void lock_saved(const kept_lock& lock) = 0;
  virtual void locks_lifted(const std::vector<std::string>& ids) = 0;
  virtual void link_saved(const kept_link& link) = 0;
  virtual void links_erased(const std::vector<std::string>& digests) = 0;
};

}  // namespace cxs::actors
