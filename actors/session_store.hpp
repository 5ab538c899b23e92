#pragma once
// The session table's journal in storage (SPEC §19: sessions survive a restart): one `meta`
// record per session under session/<digest>, written through RocksDB directly — a login or a
// logout waits for its synced write (a few milliseconds, on the auth actor's or the directory's
// thread), the last uses are written unsynced every 30 s by the auth actor's tick.

#include "sessions/session_table.hpp"
#include "storage/store.hpp"

#include <string>

namespace cxs::actors {

class session_store final : public sessions::session_journal {
 public:
  explicit session_store(storage::store& db) : db_(db) {}
  bool saved(const sessions::stored_session& s) override;
  bool erased(const std::vector<std::string>& digests) override;
  void touched(const std::vector<sessions::stored_session>& sessions) override;

 private:
  storage::store& db_;
};

// Puts every stored session that has not ended by `now` back into the table and erases the
// others (and records that cannot be read). False with error when storage cannot be read.
bool load_sessions(storage::store& db, sessions::session_table& table, int64_t now, std::string& error);

}  // namespace cxs::actors
