#include "actors/id_migration.hpp"

#include "storage/id_block.hpp"
#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <unordered_map>

namespace cxs::actors {

bool migrate_seen_to_ids(storage::store& db, const account_table& accounts, std::string& error) {
  storage::status read;
  if (db.get(storage::cf::meta, storage::meta_ids_migrated_key, read)) return true;
  if (!read.ok()) {
    error = "cxs-server: cannot read the migration mark: " + read.error;
    return false;
  }
  struct owner {
    uint32_t number;
    uint16_t an_index;
  };
  std::unordered_map<std::string, std::vector<owner>> owners;  // AN -> every account that had it
  accounts.for_each([&](const domain::account& a) {
    for (std::size_t i = 0; i < a.an_order.size(); ++i)
      owners[a.an_order[i]].push_back({a.number, static_cast<uint16_t>(i)});
  });

  std::map<std::pair<uint32_t, uint16_t>, std::string> blocks;  // (account, month) -> packed IDs
  std::size_t pending_bytes = 0, moved = 0, orphaned = 0;
  uint64_t sequence = 1;  // the same keys on a rerun: the scan order is the key order
  storage::status write;
  const auto flush = [&](bool last) {
    auto batch = db.batch();
    for (auto& [where, block] : blocks)
      batch.put(storage::cf::ids, storage::ids_key(where.first, where.second, sequence++), block);
    if (last) {
      batch.erase_range(storage::cf::seen, std::string(), std::string(1, '\xff'));
      batch.put(storage::cf::meta, storage::meta_ids_migrated_key, "1");
    }
    blocks.clear();
    pending_bytes = 0;
    return db.write(batch, true);
  };
  auto s = db.scan_prefix(storage::cf::seen, "", [&](std::string_view key, std::string_view value) {
    const auto k = storage::parse_seen_key(key);
    auto it = owners.find(std::string(k.an));
    if (k.call_id.empty() || k.call_id.size() > 255 || value.size() != 2 || it == owners.end()) {
      ++orphaned;  // an AN no account ever had, or a damaged key: nothing to de-duplicate against
      return true;
    }
    const auto month =
        static_cast<uint16_t>(static_cast<unsigned char>(value[0]) << 8 | static_cast<unsigned char>(value[1]));
    for (const owner& o : it->second) {
      storage::append_id(blocks[{o.number, month}], o.an_index, k.call_id);
      pending_bytes += k.call_id.size() + 3;
    }
    ++moved;
    if (pending_bytes >= (64u << 20)) write = flush(false);
    return write.ok();
  });
  if (s.ok()) s = write;
  if (s.ok()) s = flush(true);
  if (!s.ok()) {
    error = "cxs-server: cannot move the call-ID index to per-account blocks: " + s.error;
    return false;
  }
  if (moved + orphaned > 0)
    spdlog::info("storage: {} call IDs moved to per-account blocks ({} without an account dropped)", moved, orphaned);
  return true;
}

}  // namespace cxs::actors
