#pragma once
// Where the session table keeps its sessions across a restart (SPEC §19: sessions survive a
// restart, kept as digests with their last use). The table calls it outside its lookup lock,
// in the order the sessions changed; actors/session_store.hpp writes them to storage.

#include "sessions/session_record.hpp"

#include <string>
#include <vector>

namespace cxs::sessions {

class session_journal {
 public:
  virtual ~session_journal() = default;
  // Durable when they return true: a session a login answered survives a crash, and one a
  // logout ended does not come back.
  virtual bool saved(const stored_session& s) = 0;
  virtual bool erased(const std::vector<std::string>& digests) = 0;
  // Last uses, written without waiting for the disk: a crash loses at most one flush of them
  // (the sessions then end that much earlier).
  virtual void touched(const std::vector<stored_session>& sessions) = 0;
};

}  // namespace cxs::sessions
