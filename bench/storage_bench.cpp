// RocksDB's own synced, batched write rate on this machine: the ceiling for durable ingest.
// Measured in the same run as the HTTPS ingest benchmark (bench/run.sh) and written beside it.
//
//   cxs-bench-storage DIR [rows] [batch]
// prints one JSON line: rows/s for random and for sequential 24-byte keys with 64-byte values,
// batches of `batch` rows, one synced write per batch; and two ingest patterns of the account
// actor: the former one (a MultiGet on seen, then a seen key and a traffic key per row) and
// today's (call-ID fingerprints in memory, one id block per account and month, a traffic key per
// row as before).

#include "domain/call_id_set.hpp"
#include "storage/id_block.hpp"
#include "storage/keys.hpp"
#include "storage/store.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

using namespace cxs::storage;
using clock_type = std::chrono::steady_clock;

namespace {

double rate(uint64_t rows, clock_type::time_point t0) {
  return rows / std::chrono::duration<double>(clock_type::now() - t0).count();
}

std::string key24(uint64_t a, uint64_t b, uint64_t c) {
  std::string k;
  append_u64(k, a);
  append_u64(k, b);
  append_u64(k, c);
  return k;
}

double plain(store& db, uint64_t rows, uint64_t batch_rows, bool random, uint64_t salt) {
  std::mt19937_64 rng(salt);
  std::string value(64, 'v');
  auto t0 = clock_type::now();
  for (uint64_t done = 0; done < rows;) {
    auto b = db.batch();
    for (uint64_t i = 0; i < batch_rows && done < rows; ++i, ++done)
      b.put(cf::cdr, random ? key24(rng(), rng(), salt) : key24(salt, done, 0), value);
    if (auto s = db.write(b, true); !s.ok()) std::fprintf(stderr, "write: %s\n", s.error.c_str());
  }
  return rate(rows, t0);
}

double ingest_pattern(store& db, uint64_t rows, uint64_t batch_rows) {
  std::mt19937_64 rng(7);
  std::string counts(40, 'c');
  auto t0 = clock_type::now();
  for (uint64_t done = 0; done < rows;) {
    std::vector<std::string> keys;
    for (uint64_t i = 0; i < batch_rows && done + i < rows; ++i)
      keys.push_back(seen_key("0120" + std::to_string(100000 + rng() % 1000), "call-" + std::to_string(rng())));
    status read;
    auto found = db.multi_get(cf::seen, std::vector<std::string_view>(keys.begin(), keys.end()), read);
    if (!read.ok()) std::fprintf(stderr, "multi_get: %s\n", read.error.c_str());
    auto b = db.batch();
    for (std::size_t i = 0; i < keys.size(); ++i, ++done) {
      if (found[i]) continue;
      b.put(cf::seen, keys[i], "mm");
      b.put(cf::traffic,
            traffic_key(static_cast<uint32_t>(rng() % 1000), 24322, static_cast<uint32_t>(rng() % 500000), 0), counts);
    }
    if (auto s = db.write(b, true); !s.ok()) std::fprintf(stderr, "write: %s\n", s.error.c_str());
  }
  return rate(rows, t0);
}

// 1,000 accounts, each with its fingerprint set; a batch spreads its rows over them like an
// ingest request, so each batch writes one id block per account.
double ids_pattern(store& db, uint64_t rows, uint64_t batch_rows) {
  std::mt19937_64 rng(7);
  std::string counts(40, 'c');
  std::vector<cxs::domain::call_id_set> sets(1000);
  std::vector<uint16_t> months;
  uint64_t sequence = 1;
  auto t0 = clock_type::now();
  for (uint64_t done = 0; done < rows;) {
    std::vector<std::string> blocks(sets.size());
    auto b = db.batch();
    for (uint64_t i = 0; i < batch_rows && done < rows; ++i, ++done) {
      const auto account = static_cast<uint32_t>(rng() % sets.size());
      const std::string id = "call-" + std::to_string(rng());
      const uint64_t fp = cxs::domain::call_id_set::fingerprint(0, id);
      months.clear();
      if (sets[account].candidates(fp, months)) continue;
      sets[account].insert(fp, 24322);
      append_id(blocks[account], 0, id);
      b.put(cf::traffic, traffic_key(account, 24322, static_cast<uint32_t>(rng() % 500000), 0), counts);
    }
    for (uint32_t account = 0; account < blocks.size(); ++account)
      if (!blocks[account].empty()) b.put(cf::ids, ids_key(account, 24322, sequence++), blocks[account]);
    if (auto s = db.write(b, true); !s.ok()) std::fprintf(stderr, "write: %s\n", s.error.c_str());
  }
  return rate(rows, t0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: cxs-bench-storage DIR [rows] [batch]\n");
    return 2;
  }
  std::string dir = argv[1];
  uint64_t rows = argc > 2 ? std::stoull(argv[2]) : 1'000'000;
  uint64_t batch = argc > 3 ? std::stoull(argv[3]) : 10'000;
  std::filesystem::remove_all(dir);
  std::string error;
  auto db = store::open(dir, error);
  if (!db) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  auto random_rate = plain(*db, rows, batch, true, 1);
  auto sequential_rate = plain(*db, rows, batch, false, 2);
  auto pattern_rate = ingest_pattern(*db, rows, batch);
  auto ids_rate = ids_pattern(*db, rows, batch);
  std::printf(
      "{\"rows\":%llu,\"batch\":%llu,\"random_rows_per_s\":%.0f,\"sequential_rows_per_s\":%.0f,"
      "\"seen_pattern_rows_per_s\":%.0f,\"ids_pattern_rows_per_s\":%.0f}\n",
      static_cast<unsigned long long>(rows), static_cast<unsigned long long>(batch), random_rate, sequential_rate,
      pattern_rate, ids_rate);
  db.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
