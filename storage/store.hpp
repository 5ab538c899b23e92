#pragma once
// The one RocksDB of a node. Nothing outside storage/ includes RocksDB: this is its small surface.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxs::storage {

// Column families by data class (DESIGN.md "Storage").
// `seen` is the former per-record de-duplication index, read once by the migration to `ids`
// (actors/id_migration.hpp) and empty after it.
enum class cf : uint8_t { meta, traffic, cdr, seen, custom, dn_traffic, ids, groups, minutes, dn_minutes };
inline constexpr int cf_count = 10;
std::string_view cf_name(cf c);

// A set of writes applied atomically by store::write.
class write_batch {
 public:
  write_batch();  // an empty batch; only a store's batch() can take operations
  ~write_batch();
  write_batch(write_batch&&) noexcept;
  write_batch& operator=(write_batch&&) noexcept;

  void put(cf c, std::string_view key, std::string_view value);
  void erase(cf c, std::string_view key);
  void erase_range(cf c, std::string_view begin, std::string_view end);
  std::size_t count() const;
  bool empty() const { return count() == 0; }
  // Room for about `bytes` of keys and values, taken before the first operation (later, ignored):
  // a large batch then grows without copying itself over and over.
  void reserve(std::size_t bytes);

 private:
  friend class store;
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Outcome of a storage call: empty message = ok. Every RocksDB status is checked and carried here,
// and every caller must look at it (a dropped status is a compile warning).
struct [[nodiscard]] status {
  std::string error;
  bool ok() const { return error.empty(); }
};

class store {
 public:
  // Opens (creating if absent) the database at path with every column family.
  static std::unique_ptr<store> open(const std::string& path, std::string& error);
  ~store();

  write_batch batch() const;

  // Reads report a failure (I/O error, corruption) through `error`, which every caller passes: a
  // missing key is not a failure, and a failed read must never be mistaken for a missing key.
  std::optional<std::string> get(cf c, std::string_view key, status& error) const;
  // One answer per key, in order; nullopt for a missing key.
  std::vector<std::optional<std::string>> multi_get(cf c, const std::vector<std::string_view>& keys,
                                                    status& error) const;
  // Calls f(key, value) for every key in [begin, end) in key order; stops when f returns false.
  status scan(cf c, std::string_view begin, std::string_view end,
              const std::function<bool(std::string_view, std::string_view)>& f) const;
  status scan_prefix(cf c, std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& f) const;

  // sync = true: the write is in the synced WAL when this returns (durable across kill -9).
  status write(write_batch& batch, bool sync);
  // Makes every earlier unsynced write durable: group commit is many write(b, false) then one sync_wal().
  status sync_wal();
  status put(cf c, std::string_view key, std::string_view value, bool sync);
  status flush();

  // Compacts one column family now (operators and tests; RocksDB also compacts on its own).
  status compact(cf c);
  // An online backup: a consistent copy of the database in dir (which must not exist), made of
  // hard links to the immutable files where dir is on the same file system, while writes go on.
  status checkpoint(const std::string& dir);

  // Live figures for /metrics.
  uint64_t bytes(cf c) const;           // SST files + memtables
  uint64_t delayed_write_rate() const;  // bytes/s, 0 when writes are not being slowed
  bool writes_stopped() const;
  // Write stalls begun since start, per column family: writes slowed down, writes stopped.
  struct stall_counts {
    uint64_t delayed = 0, stopped = 0;
  };
  stall_counts write_stalls() const;
  uint64_t memtable_bytes() const;            // every column family's memtables
  uint64_t pending_compaction_bytes() const;  // RocksDB's estimate, every column family
  // The file system holding the database: bytes free to this process, and its size.
  struct disk_space {
    uint64_t free = 0, size = 0;
  };
  disk_space space() const;
  std::string path() const { return path_; }

 private:
  store() = default;
  struct impl;
  std::unique_ptr<impl> impl_;
  std::string path_;
};

}  // namespace cxs::storage
