#include "storage/store.hpp"
#include "storage/keys.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace fs = std::filesystem;
using namespace cxs::storage;

namespace {
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("cxs-store-test-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~temp_dir() { fs::remove_all(path); }
};

std::unique_ptr<store> open_store(const fs::path& p) {
  std::string error;
  auto s = store::open(p.string(), error);
  EXPECT_TRUE(s) << error;
  return s;
}

std::vector<std::string> keys_in(const store& s, cf c) {
  std::vector<std::string> out;
  auto read = s.scan(c, "", "", [&](std::string_view k, std::string_view) {
    out.emplace_back(k);
    return true;
  });
  EXPECT_TRUE(read.ok()) << read.error;
  return out;
}

// A point read that must not fail (a missing key is nullopt, not a failure).
std::optional<std::string> read_ok(const store& s, cf c, std::string_view key) {
  status read;
  auto v = s.get(c, key, read);
  EXPECT_TRUE(read.ok()) << read.error;
  return v;
}
}  // namespace

TEST(Keys, BigEndianOrderIsNumericOrder) {
  EXPECT_LT(traffic_key(1, 24311, 500, 0), traffic_key(1, 24312, 10, 0));
  EXPECT_LT(traffic_key(1, 24312, 10, 65535), traffic_key(1, 24312, 11, 0));
  EXPECT_LT(traffic_key(255, 30000, 0, 0), traffic_key(256, 0, 0, 0));
  auto parts = parse_traffic_key(traffic_key(70000, 24321, 4000000000u, 513));
  EXPECT_EQ(parts.account, 70000u);
  EXPECT_EQ(parts.month, 24321);
  EXPECT_EQ(parts.hour, 4000000000u);
  EXPECT_EQ(parts.an_index, 513);
}

TEST(Keys, MonthRangeHoldsExactlyThoseMonths) {
  auto r = month_range(7, 100, 102);
  EXPECT_LE(r.begin, traffic_key(7, 100, 0, 0));
  EXPECT_LT(traffic_key(7, 101, 0xffffffffu, 0xffff), r.end);
  EXPECT_LE(r.end, traffic_key(7, 102, 0, 0));
  EXPECT_LT(traffic_key(7, 99, 0xffffffffu, 0xffff), r.begin);
  EXPECT_LT(cdr_key(7, 101, 31, ~0ull), r.end);
}

TEST(Keys, SeenKeysAreDistinctPerAn) {
  EXPECT_NE(seen_key("0120111111", "a"), seen_key("0120111112", "a"));
  EXPECT_NE(seen_key("0120111111", "1a"), seen_key("01201111111", "a"));
  EXPECT_EQ(seen_key("0120111111", "x").size(), 12u);
}

TEST(Store, WritesReadsAndScansInKeyOrder) {
  temp_dir dir;
  auto s = open_store(dir.path);
  auto b = s->batch();
  b.put(cf::traffic, traffic_key(1, 5, 3, 0), "c");
  b.put(cf::traffic, traffic_key(1, 5, 1, 0), "a");
  b.put(cf::traffic, traffic_key(1, 5, 2, 0), "b");
  b.put(cf::meta, "x", "meta-value");
  ASSERT_TRUE(s->write(b, true).ok());
  std::string order;
  ASSERT_TRUE(s->scan_prefix(cf::traffic, account_prefix(1), [&](std::string_view, std::string_view v) {
                 order += v;
                 return true;
               }).ok());
  EXPECT_EQ(order, "abc");
  EXPECT_EQ(read_ok(*s, cf::meta, "x"), "meta-value");
  EXPECT_FALSE(read_ok(*s, cf::traffic, "x"));  // column families are separate
  auto present = traffic_key(1, 5, 2, 0);
  status read;
  auto many = s->multi_get(cf::traffic, {present, "missing"}, read);
  EXPECT_TRUE(read.ok()) << read.error;
  ASSERT_EQ(many.size(), 2u);
  EXPECT_EQ(many[0], "b");
  EXPECT_FALSE(many[1]);
}

TEST(Store, ReservingRoomKeepsEveryOperationOfTheBatch) {
  temp_dir dir;
  auto s = open_store(dir.path);
  auto b = s->batch();
  b.reserve(1 << 20);  // before the first operation: room taken
  b.put(cf::traffic, traffic_key(1, 5, 1, 0), std::string(3000, 'a'));
  b.reserve(1 << 22);  // after one: ignored, the put stays
  b.put(cf::traffic, traffic_key(1, 5, 2, 0), "b");
  EXPECT_EQ(b.count(), 2u);
  ASSERT_TRUE(s->write(b, true).ok());
  EXPECT_EQ(read_ok(*s, cf::traffic, traffic_key(1, 5, 1, 0)), std::string(3000, 'a'));
  EXPECT_EQ(read_ok(*s, cf::traffic, traffic_key(1, 5, 2, 0)), "b");
}

TEST(Store, DeleteRangeDropsWholeMonthsOfOneAccountOnly) {
  temp_dir dir;
  auto s = open_store(dir.path);
  auto b = s->batch();
  for (uint16_t month = 10; month < 15; ++month)
    for (uint32_t account = 1; account <= 2; ++account)
      b.put(cf::traffic, traffic_key(account, month, month * 1000u, 0), "v");
  ASSERT_TRUE(s->write(b, true).ok());
  auto range = month_range(1, 0, 13);  // account 1, every month before 13
  auto del = s->batch();
  del.erase_range(cf::traffic, range.begin, range.end);
  ASSERT_TRUE(s->write(del, true).ok());
  auto keys = keys_in(*s, cf::traffic);
  ASSERT_EQ(keys.size(), 7u);  // account 1: months 13, 14; account 2: all five
  for (auto& k : keys) {
    auto p = parse_traffic_key(k);
    if (p.account == 1) {
      EXPECT_GE(p.month, 13);
    }
  }
}

TEST(Store, SurvivesReopen) {
  temp_dir dir;
  {
    auto s = open_store(dir.path);
    ASSERT_TRUE(s->put(cf::seen, seen_key("0120111111", "c1"), "m", true).ok());
    auto b = s->batch();
    b.put(cf::cdr, cdr_key(3, 1, 2, 3), "block");
    ASSERT_TRUE(s->write(b, false).ok());
    ASSERT_TRUE(s->sync_wal().ok());
  }
  auto s = open_store(dir.path);
  EXPECT_EQ(read_ok(*s, cf::seen, seen_key("0120111111", "c1")), "m");
  EXPECT_EQ(read_ok(*s, cf::cdr, cdr_key(3, 1, 2, 3)), "block");
  EXPECT_GT(s->bytes(cf::seen) + s->bytes(cf::cdr), 0u);
}

TEST(Store, OpenFailureIsReportedNotThrown) {
  std::string error;
  auto s = store::open("/proc/definitely/not/writable", error);
  EXPECT_FALSE(s);
  EXPECT_NE(error.find("cannot open RocksDB"), std::string::npos);
}
