#pragma once
// The auth actor's journal in storage (actors/auth_journal.hpp): `meta` records lock/<ID> and
// reissue/<link digest>, written synced through RocksDB directly on the auth actor's thread
// (locks and reissue links are rare; each costs a few milliseconds).

#include "actors/auth_journal.hpp"
#include "storage/store.hpp"

#include <optional>
#include <string_view>

namespace cxs::actors {

class auth_store final : public auth_journal {
 public:
  explicit auth_store(storage::store& db) : db_(db) {}
  void lock_saved(const kept_lock& lock) override;
  void locks_lifted(const std::vector<std::string>& ids) override;
  void link_saved(const kept_link& link) override;
  void links_erased(const std::vector<std::string>& digests) override;

 private:
  void write(storage::write_batch& batch, const char* what);
  storage::store& db_;
};

// What is still running at `now`; what has run out (and records that cannot be read) is erased.
// False with error when storage cannot be read.
bool load_auth_state(storage::store& db, int64_t now, kept_auth_state& kept, std::string& error);

// The reissue link as stored (exposed for the tests; the lock: actors/kept_records.hpp).
std::string encode_link(const kept_link& link);
std::optional<kept_link> decode_link(std::string_view digest, std::string_view text);

}  // namespace cxs::actors
