#include "storage/store.hpp"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/listener.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <rocksdb/compaction_filter.h>
#include <rocksdb/convenience.h>
#include <rocksdb/utilities/checkpoint.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <filesystem>

namespace cxs::storage {

std::string_view cf_name(cf c) {
  switch (c) {
    case cf::meta: return "meta";
    case cf::traffic: return "traffic";
    case cf::cdr: return "cdr";
    case cf::seen: return "seen";
    case cf::custom: return "custom";
    case cf::dn_traffic: return "dn_traffic";
    case cf::ids: return "ids";
    case cf::groups: return "groups";
    case cf::minutes: return "minutes";
    case cf::dn_minutes: return "dn_minutes";
  }
  return "?";
}

namespace {
rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

// RocksDB's own messages go to the service's log (warnings and worse), not to a LOG file in the
// data folder: on a full disk RocksDB 7.8 writes its next log line to a LOG file whose last
// write failed, and that trips an assertion in Debian's build (the process aborts). One log,
// and nothing RocksDB says can take the service down.
class rocksdb_to_spdlog final : public rocksdb::Logger {
 public:
  rocksdb_to_spdlog() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char line[1024];
    // RocksDB's own format string (its Logger interface): the one format that is not a literal.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    std::vsnprintf(line, sizeof line, format, ap);
#pragma GCC diagnostic pop
    // RocksDB's errors also come back to our code as a status, which logs them where they matter;
    // its own lines are context (at a first start it even reports the missing folder it creates).
    if (level >= rocksdb::InfoLogLevel::FATAL_LEVEL)
      spdlog::error("rocksdb: {}", line);
    else
      spdlog::warn("rocksdb: {}", line);
  }
};
using handle_table = std::array<rocksdb::ColumnFamilyHandle*, cf_count>;
}  // namespace

struct write_batch::impl {
  const handle_table* handles = nullptr;
  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* h(cf c) const { return (*handles)[static_cast<int>(c)]; }
};

write_batch::write_batch() : impl_(std::make_unique<impl>()) {}
write_batch::~write_batch() = default;
write_batch::write_batch(write_batch&&) noexcept = default;
write_batch& write_batch::operator=(write_batch&&) noexcept = default;

void write_batch::put(cf c, std::string_view key, std::string_view value) {
  impl_->batch.Put(impl_->h(c), slice(key), slice(value));
}
void write_batch::erase(cf c, std::string_view key) { impl_->batch.Delete(impl_->h(c), slice(key)); }
void write_batch::erase_range(cf c, std::string_view begin, std::string_view end) {
  impl_->batch.DeleteRange(impl_->h(c), slice(begin), slice(end));
}
void write_batch::reserve(std::size_t bytes) {
  if (impl_->batch.Count() == 0) impl_->batch = rocksdb::WriteBatch(bytes);
}
std::size_t write_batch::count() const { return impl_ ? impl_->batch.Count() : 0; }

// Counts RocksDB's write stalls as they begin: the gauges of /metrics show a stall only while it
// lasts, so one between two scrapes would go unseen without a counter.
class stall_counter final : public rocksdb::EventListener {
 public:
  void OnStallConditionsChanged(const rocksdb::WriteStallInfo& info) override {
    if (info.condition.cur == info.condition.prev) return;
    if (info.condition.cur == rocksdb::WriteStallCondition::kDelayed) delayed.fetch_add(1, std::memory_order_relaxed);
    if (info.condition.cur == rocksdb::WriteStallCondition::kStopped) stopped.fetch_add(1, std::memory_order_relaxed);
  }
  std::atomic<uint64_t> delayed{0}, stopped{0};
};

struct store::impl {
  std::shared_ptr<stall_counter> stalls = std::make_shared<stall_counter>();
  std::unique_ptr<rocksdb::DB> db;
  handle_table handles{};
  rocksdb::ColumnFamilyHandle* default_handle = nullptr;
  rocksdb::ColumnFamilyHandle* h(cf c) const { return handles[static_cast<int>(c)]; }
  ~impl() {
    if (!db) return;
    for (auto* handle : handles)
      if (handle) db->DestroyColumnFamilyHandle(handle);
    if (default_handle) db->DestroyColumnFamilyHandle(default_handle);
    db->Close();
  }
};

std::unique_ptr<store> store::open(const std::string& path, std::string& error) {
  // The folder is made here (0700 under the service's umask) rather than by RocksDB, which
  // reports the missing folder as an error on every first start.
  std::error_code ignored;
  std::filesystem::create_directories(path, ignored);
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(2);
  options.info_log = std::make_shared<rocksdb_to_spdlog>();
  // Memtables of all column families share one budget, so a burst of ingest cannot push the
  // process past its memory target (100,000 accounts in 1 GiB, docs/performance.md). 128 MiB
  // still holds seconds of peak ingest; flushes run in the background.
  options.db_write_buffer_size = 128ull << 20;
  options.write_buffer_size = 16ull << 20;  // small memtables: fewer skip-list levels per insert
  options.max_write_buffer_number = 4;
  // Bloom filters keep point reads (meta records) off SST files that do not hold the key.
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions cf_options(options);
  // LZ4 where this RocksDB has it: cheaper than the default Snappy for the same ratio on counts.
  for (auto c : rocksdb::GetSupportedCompressions())
    if (c == rocksdb::kLZ4Compression) cf_options.compression = c;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  std::unique_ptr<store> result(new store());
  result->impl_ = std::make_unique<impl>();
  options.listeners.push_back(result->impl_->stalls);

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (int i = 0; i < cf_count; ++i) {
    auto c = static_cast<cf>(i);
    descriptors.emplace_back(std::string(cf_name(c)), cf_options);
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(rocksdb::DBOptions(options), path, descriptors, &handles, &raw);
  if (!s.ok()) {
    error = "cannot open RocksDB at " + path + ": " + s.ToString();
    return nullptr;
  }
  result->impl_->db.reset(raw);
  result->impl_->default_handle = handles[0];
  for (int i = 0; i < cf_count; ++i) result->impl_->handles[i] = handles[i + 1];
  result->path_ = path;
  return result;
}

store::~store() = default;

write_batch store::batch() const {
  write_batch b;
  b.impl_->handles = &impl_->handles;
  return b;
}

std::optional<std::string> store::get(cf c, std::string_view key, status& error) const {
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions(), impl_->h(c), slice(key), &value);
  if (s.ok()) return value;
  if (!s.IsNotFound()) error.error = s.ToString();
  return std::nullopt;
}

std::vector<std::optional<std::string>> store::multi_get(cf c, const std::vector<std::string_view>& keys,
                                                         status& error) const {
  std::vector<std::optional<std::string>> out(keys.size());
  if (keys.empty()) return out;
  std::vector<rocksdb::Slice> slices;
  slices.reserve(keys.size());
  for (auto& k : keys) slices.emplace_back(k.data(), k.size());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  impl_->db->MultiGet(rocksdb::ReadOptions(), impl_->h(c), keys.size(), slices.data(), values.data(), statuses.data());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].ok())
      out[i] = values[i].ToString();
    else if (!statuses[i].IsNotFound())
      error.error = statuses[i].ToString();
  }
  return out;
}

status store::scan(cf c, std::string_view begin, std::string_view end,
                   const std::function<bool(std::string_view, std::string_view)>& f) const {
  rocksdb::ReadOptions ro;
  rocksdb::Slice upper = slice(end);
  if (!end.empty()) ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->h(c)));
  for (it->Seek(slice(begin)); it->Valid(); it->Next()) {
    auto k = it->key();
    auto v = it->value();
    if (!f({k.data(), k.size()}, {v.data(), v.size()})) break;
  }
  auto s = it->status();
  return s.ok() ? status{} : status{s.ToString()};
}

status store::scan_prefix(cf c, std::string_view prefix,
                          const std::function<bool(std::string_view, std::string_view)>& f) const {
  // The smallest key after every key with this prefix: increment the last byte that is not 0xff.
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return scan(c, prefix, end, f);
}

status store::write(write_batch& batch, bool sync) {
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  auto s = impl_->db->Write(wo, &batch.impl_->batch);
  return s.ok() ? status{} : status{s.ToString()};
}

status store::sync_wal() {
  // A synced write of a WAL-only record, not DB::SyncWAL(): in RocksDB 7.8 a failed SyncWAL()
  // (a full disk) leaves the WAL writer broken without stopping the DB, and the next write
  // appends to it and trips an assertion (fixed upstream in 9.x, rocksdb#12448). A failed
  // synced write instead sets RocksDB's background error: writes are refused without touching
  // the WAL until RocksDB's own recovery succeeds once space returns (test_full_disk.py). The fsync covers every
  // earlier unsynced write: RocksDB syncs all live WAL files for it.
  rocksdb::WriteBatch marker;
  marker.PutLogData("sync");
  rocksdb::WriteOptions wo;
  wo.sync = true;
  auto s = impl_->db->Write(wo, &marker);
  return s.ok() ? status{} : status{s.ToString()};
}

status store::put(cf c, std::string_view key, std::string_view value, bool sync) {
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  auto s = impl_->db->Put(wo, impl_->h(c), slice(key), slice(value));
  return s.ok() ? status{} : status{s.ToString()};
}

status store::flush() {
  rocksdb::FlushOptions fo;
  std::vector<rocksdb::ColumnFamilyHandle*> all(impl_->handles.begin(), impl_->handles.end());
  auto s = impl_->db->Flush(fo, all);
  if (!s.ok()) return {s.ToString()};
  return sync_wal();
}

status store::compact(cf c) {
  rocksdb::CompactRangeOptions o;
  o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  auto s = impl_->db->CompactRange(o, impl_->h(c), nullptr, nullptr);
  return s.ok() ? status{} : status{s.ToString()};
}

status store::checkpoint(const std::string& dir) {
  rocksdb::Checkpoint* raw = nullptr;
  auto s = rocksdb::Checkpoint::Create(impl_->db.get(), &raw);
  if (!s.ok()) return {s.ToString()};
  std::unique_ptr<rocksdb::Checkpoint> cp(raw);
  // 0: memtables are flushed first, so the copy needs no WAL replay to hold every write so far.
  s = cp->CreateCheckpoint(dir, 0);
  return s.ok() ? status{} : status{s.ToString()};
}

uint64_t store::bytes(cf c) const {
  uint64_t sst = 0, mem = 0;
  impl_->db->GetIntProperty(impl_->h(c), "rocksdb.total-sst-files-size", &sst);
  impl_->db->GetIntProperty(impl_->h(c), "rocksdb.cur-size-all-mem-tables", &mem);
  return sst + mem;
}

uint64_t store::delayed_write_rate() const {
  uint64_t v = 0;
  impl_->db->GetIntProperty("rocksdb.actual-delayed-write-rate", &v);
  return v;
}

uint64_t store::memtable_bytes() const {
  uint64_t v = 0;
  impl_->db->GetAggregatedIntProperty("rocksdb.cur-size-all-mem-tables", &v);
  return v;
}

uint64_t store::pending_compaction_bytes() const {
  uint64_t v = 0;
  impl_->db->GetAggregatedIntProperty("rocksdb.estimate-pending-compaction-bytes", &v);
  return v;
}

store::disk_space store::space() const {
  std::error_code ec;
  auto s = std::filesystem::space(path_, ec);
  if (ec) return {};
  return {s.available, s.capacity};
}

store::stall_counts store::write_stalls() const {
  return {impl_->stalls->delayed.load(std::memory_order_relaxed),
          impl_->stalls->stopped.load(std::memory_order_relaxed)};
}

bool store::writes_stopped() const {
  uint64_t v = 0;
  impl_->db->GetIntProperty("rocksdb.is-write-stopped", &v);
  return v != 0;
}

}  // namespace cxs::storage
