// Key layouts of storage/keys: the exact bytes (other versions of the service read them back),
// and the property every range scan and DeleteRange relies on — bytewise key order equals the
// numeric order of (account, month, hour | day, an_index | sequence). store_test.cpp has a few
// spot checks (Keys.*); these go over whole value ranges and the meta keys.

#include "storage/keys.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <tuple>
#include <vector>

namespace cxs::storage {
namespace {

std::string bytes(std::initializer_list<unsigned> list) {
  std::string s;
  for (auto b : list) s.push_back(static_cast<char>(b));
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Values near every byte boundary, where a little-endian or sign mistake would show.
template <class T>
std::vector<T> edge_values() {
  std::vector<T> v{0, 1, 0x7f, 0x80, 0xff, 0x100};
  if constexpr (sizeof(T) >= 2) v.insert(v.end(), {T(0x7fff), T(0x8000), T(0xffff)});
  if constexpr (sizeof(T) >= 4) v.insert(v.end(), {T(0x10000), T(0x7fffffff), T(0x80000000u), T(0xffffffffu)});
  if constexpr (sizeof(T) >= 8) v.insert(v.end(), {T(0x100000000ull), T(0x8000000000000000ull)});
  if (v.back() != std::numeric_limits<T>::max()) v.push_back(std::numeric_limits<T>::max());
  return v;
}

TEST(KeysCodec, BigEndianBytes) {
  std::string s;
  append_u16(s, 0x0102);
  append_u32(s, 0x03040506);
  append_u64(s, 0x0708090a0b0c0d0eull);
  EXPECT_EQ(s, bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
  // Read back at offsets, high bytes included (a signed char would sign-extend them).
  EXPECT_EQ(read_u16(s, 0), 0x0102);
  EXPECT_EQ(read_u32(s, 2), 0x03040506u);
  EXPECT_EQ(read_u64(s, 6), 0x0708090a0b0c0d0eull);
  std::string high;
  append_u64(high, 0xfedcba9876543210ull);
  EXPECT_EQ(high, bytes({0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10}));
  EXPECT_EQ(read_u64(high, 0), 0xfedcba9876543210ull);
  EXPECT_EQ(read_u16(high, 0), 0xfedc);
  EXPECT_EQ(read_u32(high, 4), 0x76543210u);
}

TEST(KeysCodec, RoundTripsAndOrderAtByteBoundaries) {
  auto u16 = edge_values<uint16_t>();
  for (std::size_t i = 0; i < u16.size(); ++i) {
    std::string a;
    append_u16(a, u16[i]);
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(read_u16(a, 0), u16[i]);
    if (i > 0) {
      std::string prev;
      append_u16(prev, u16[i - 1]);
      EXPECT_LT(prev, a) << u16[i - 1] << " vs " << u16[i];
    }
  }
  auto u32 = edge_values<uint32_t>();
  for (std::size_t i = 0; i < u32.size(); ++i) {
    std::string a;
    append_u32(a, u32[i]);
    ASSERT_EQ(a.size(), 4u);
    EXPECT_EQ(read_u32(a, 0), u32[i]);
    if (i > 0) {
      std::string prev;
      append_u32(prev, u32[i - 1]);
      EXPECT_LT(prev, a) << u32[i - 1] << " vs " << u32[i];
    }
  }
  auto u64 = edge_values<uint64_t>();
  for (std::size_t i = 0; i < u64.size(); ++i) {
    std::string a;
    append_u64(a, u64[i]);
    ASSERT_EQ(a.size(), 8u);
    EXPECT_EQ(read_u64(a, 0), u64[i]);
    if (i > 0) {
      std::string prev;
      append_u64(prev, u64[i - 1]);
      EXPECT_LT(prev, a) << u64[i - 1] << " vs " << u64[i];
    }
  }
}

TEST(KeysLayout, TrafficKeyIsTwelveBytesInFieldOrder) {
  EXPECT_EQ(traffic_key(0x01020304, 0x0506, 0x0708090a, 0x0b0c), bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  EXPECT_EQ(traffic_key(0, 0, 0, 0), std::string(12, '\0'));
}

TEST(KeysLayout, CdrKeyIsFifteenBytesInFieldOrder) {
  EXPECT_EQ(cdr_key(0x01020304, 0x0506, 0x07, 0x08090a0b0c0d0e0full),
            bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}));
  EXPECT_EQ(cdr_key(0xffffffffu, 0xffff, 0xff, ~0ull), std::string(15, '\xff'));
}

TEST(KeysLayout, ParseTrafficKeyInvertsTrafficKey) {
  for (auto account : edge_values<uint32_t>())
    for (auto month : edge_values<uint16_t>())
      for (auto hour : {0u, 0x80u, 0x8000u, 0x80000000u, 0xffffffffu})
        for (uint16_t an : {uint16_t(0), uint16_t(0x80), uint16_t(0xffff)}) {
          auto p = parse_traffic_key(traffic_key(account, month, hour, an));
          ASSERT_EQ(std::tie(p.account, p.month, p.hour, p.an_index), std::tie(account, month, hour, an))
              << account << " " << month << " " << hour << " " << an;
        }
}

TEST(KeysLayout, DnTrafficKeyIsTheTrafficKeyThenTheDn) {
  EXPECT_EQ(dn_traffic_key(7, 24310, 490000, 3, "0312345678"), traffic_key(7, 24310, 490000, 3) + "0312345678");
  const std::string key = dn_traffic_key(0xffffffffu, 0xffff, 0x80000000u, 0xfffe, "09012345678");
  auto p = parse_dn_traffic_key(key);  // its dn points into key
  EXPECT_EQ(std::tie(p.cell.account, p.cell.month, p.cell.hour, p.cell.an_index),
            std::make_tuple(0xffffffffu, uint16_t{0xffff}, 0x80000000u, uint16_t{0xfffe}));
  EXPECT_EQ(p.dn, "09012345678");
  // A key without a DN (never written) parses as nothing rather than reading past its end.
  const std::string cell_only = traffic_key(7, 1, 2, 3);
  auto short_key = parse_dn_traffic_key(cell_only);
  EXPECT_EQ(short_key.cell.account, 0u);
  EXPECT_TRUE(short_key.dn.empty());
}

// Random tuples in a fixed-seed sample, with small ranges so that equal leading fields are
// common and the later fields decide the order.
TEST(KeysOrder, TrafficKeysSortLikeTheirTuples) {
  std::mt19937 rng(20261121);
  auto pick = [&](std::initializer_list<uint64_t> choices) { return *(choices.begin() + rng() % choices.size()); };
  using tuple = std::tuple<uint32_t, uint16_t, uint32_t, uint16_t>;
  std::vector<tuple> tuples;
  for (int i = 0; i < 2000; ++i)
    tuples.emplace_back(static_cast<uint32_t>(pick({0, 1, 255, 256, 65536, 0xffffffffu})),
                        static_cast<uint16_t>(pick({0, 24311, 24312, 255, 256, 0xffff})),
                        static_cast<uint32_t>(pick({0, 1, 255, 256, 490000, 0x80000000u, 0xffffffffu})),
                        static_cast<uint16_t>(pick({0, 1, 127, 128, 255, 256, 0xffff})));
  auto by_key = tuples;
  std::sort(tuples.begin(), tuples.end());
  std::sort(by_key.begin(), by_key.end(),
            [](const tuple& a, const tuple& b) { return std::apply(traffic_key, a) < std::apply(traffic_key, b); });
  EXPECT_EQ(by_key, tuples);
}

TEST(KeysOrder, CdrKeysSortLikeTheirTuples) {
  std::mt19937 rng(8);
  auto pick = [&](std::initializer_list<uint64_t> choices) { return *(choices.begin() + rng() % choices.size()); };
  using tuple = std::tuple<uint32_t, uint16_t, uint8_t, uint64_t>;
  std::vector<tuple> tuples;
  for (int i = 0; i < 2000; ++i)
    tuples.emplace_back(static_cast<uint32_t>(pick({0, 1, 255, 256, 0xffffffffu})),
                        static_cast<uint16_t>(pick({0, 24311, 24312, 0xffff})),
                        static_cast<uint8_t>(pick({1, 2, 9, 10, 31, 127, 128, 255})),
                        pick({0, 1, 255, 256, 1ull << 32, 1ull << 63, ~0ull}));
  auto by_key = tuples;
  std::sort(tuples.begin(), tuples.end());
  std::sort(by_key.begin(), by_key.end(),
            [](const tuple& a, const tuple& b) { return std::apply(cdr_key, a) < std::apply(cdr_key, b); });
  EXPECT_EQ(by_key, tuples);
}

TEST(KeysRange, MonthRangeCoversExactlyTheMonthsAsked) {
  // Every traffic and cdr key of accounts 6..8, months 98..104, at the lowest and highest inner
  // fields: inside [begin, end) exactly when account 7 and month in [100, 103).
  const uint32_t account = 7;
  auto r = month_range(account, 100, 103);
  for (uint32_t a : {6u, 7u, 8u})
    for (uint16_t m = 98; m <= 104; ++m) {
      bool wanted = a == account && m >= 100 && m < 103;
      for (auto& key : {traffic_key(a, m, 0, 0), traffic_key(a, m, 0xffffffffu, 0xffff), cdr_key(a, m, 0, 0),
                        cdr_key(a, m, 0xff, ~0ull), dn_traffic_key(a, m, 0xffffffffu, 0xffff, "09999999999")}) {
        bool inside = r.begin <= key && key < r.end;
        EXPECT_EQ(inside, wanted) << "account " << a << " month " << m;
      }
    }
}

TEST(KeysRange, MonthRangeEdges) {
  // An empty range deletes nothing.
  auto empty = month_range(3, 50, 50);
  EXPECT_EQ(empty.begin, empty.end);
  // The whole account but month 0xffff, at the top of the account space.
  auto top = month_range(0xffffffffu, 0, 0xffff);
  EXPECT_LE(top.begin, traffic_key(0xffffffffu, 0, 0, 0));
  EXPECT_LT(traffic_key(0xffffffffu, 0xfffe, 0xffffffffu, 0xffff), top.end);
  EXPECT_GE(traffic_key(0xffffffffu, 0xffff, 0, 0), top.end);
  EXPECT_GT(top.begin, traffic_key(0xfffffffeu, 0xffff, 0xffffffffu, 0xffff));
  // begin is the 6-byte prefix of the first month's keys.
  EXPECT_TRUE(starts_with(traffic_key(3, 50, 9, 9), month_range(3, 50, 51).begin));
  EXPECT_EQ(month_range(3, 50, 51).begin.size(), 6u);
}

TEST(KeysRange, AccountPrefixIsThePrefixOfItsKeysOnly) {
  for (auto account : edge_values<uint32_t>()) {
    auto prefix = account_prefix(account);
    ASSERT_EQ(prefix.size(), 4u);
    EXPECT_TRUE(starts_with(traffic_key(account, 0xffff, 0xffffffffu, 0xffff), prefix));
    EXPECT_TRUE(starts_with(cdr_key(account, 0, 0, 0), prefix));
    EXPECT_TRUE(starts_with(month_range(account, 1, 2).begin, prefix));
    if (account != std::numeric_limits<uint32_t>::max()) {
      EXPECT_FALSE(starts_with(traffic_key(account + 1, 0, 0, 0), prefix));
      EXPECT_FALSE(starts_with(cdr_key(account + 1, 0, 0, 0), prefix));
    }
  }
}

TEST(KeysSeen, AnIsNulPaddedToElevenBytes) {
  EXPECT_EQ(seen_key("0120111111", "c-1"), std::string("0120111111\0c-1", 14));
  // An 11-digit 0800 number fills the field exactly.
  EXPECT_EQ(seen_key("08001234567", "c-1"), "08001234567c-1");
  // All call_ids of one AN share its 11-byte prefix (one AN is one key range).
  auto a = seen_key("0120111111", "a");
  auto b = seen_key("0120111111", "zzzzzzzzzzzzzzzzzzzzzz");
  EXPECT_EQ(a.substr(0, 11), b.substr(0, 11));
  EXPECT_FALSE(starts_with(seen_key("01201111110", "a"), a.substr(0, 11)));
}

TEST(KeysSeen, ParseSeenKeyInvertsSeenKey) {
  const std::string padded = seen_key("0120111111", "c-1");
  EXPECT_EQ(parse_seen_key(padded).an, "0120111111");
  EXPECT_EQ(parse_seen_key(padded).call_id, "c-1");
  const std::string full = seen_key("08001234567", "x");
  EXPECT_EQ(parse_seen_key(full).an, "08001234567");
  EXPECT_EQ(parse_seen_key(full).call_id, "x");
  EXPECT_TRUE(parse_seen_key(std::string(11, '1')).call_id.empty());  // no call ID: nothing
}

TEST(KeysLayout, IdsKeyIsFourteenBytesInFieldOrder) {
  EXPECT_EQ(ids_key(0x01020304, 0x0506, 0x0708090a0b0c0d0eull), bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
  const std::string key = ids_key(7, 24310, 123456789);
  EXPECT_EQ(parse_ids_key(key).month, 24310);
  EXPECT_EQ(parse_ids_key(key).sequence, 123456789u);
  EXPECT_EQ(parse_ids_key("short").sequence, 0u);
  // One month of one account is one range, as for traffic and cdr.
  const auto r = month_range(7, 24310, 24311);
  EXPECT_TRUE(r.begin <= key && key < r.end);
  EXPECT_FALSE(ids_key(7, 24311, 0) < r.end);
}

TEST(KeysMeta, AccountKeysUseTheirPrefix) {
  EXPECT_EQ(meta_account_key("ACC0000001"), "account/ACC0000001");
  EXPECT_TRUE(starts_with(meta_account_key("X"), meta_account_prefix));
  EXPECT_EQ(meta_last_ingest_key("ACC0000001"), "last_ingest/ACC0000001");
  // The singleton keys are not inside any scanned prefix.
  for (auto key : {meta_registry_key, meta_next_account_no_key, meta_mail_seq_key}) {
    EXPECT_FALSE(starts_with(key, meta_account_prefix)) << key;
    EXPECT_FALSE(starts_with(key, meta_mail_queue_prefix)) << key;
    EXPECT_FALSE(starts_with(key, meta_mail_failed_prefix)) << key;
    EXPECT_FALSE(starts_with(key, meta_application_prefix)) << key;
  }
}

TEST(KeysMeta, MailKeysAreZeroPaddedAndSortInSendingOrder) {
  EXPECT_EQ(meta_mail_key(meta_mail_queue_prefix, 0), "mail/q/0000000000000000");
  EXPECT_EQ(meta_mail_key(meta_mail_queue_prefix, 42), "mail/q/0000000000000042");
  EXPECT_EQ(meta_mail_key(meta_mail_failed_prefix, 7), "mail/failed/0000000000000007");
  // Numeric order is key order up to the largest 16-digit number (plain decimals would put 10
  // before 9).
  const uint64_t seqs[] = {0, 1, 9, 10, 99, 100, 1000000, 123456789012345ull, 9999999999999999ull};
  for (std::size_t i = 1; i < std::size(seqs); ++i)
    EXPECT_LT(meta_mail_key(meta_mail_queue_prefix, seqs[i - 1]), meta_mail_key(meta_mail_queue_prefix, seqs[i]))
        << seqs[i - 1] << " vs " << seqs[i];
  EXPECT_EQ(meta_mail_key(meta_mail_queue_prefix, 9999999999999999ull).size(), meta_mail_queue_prefix.size() + 16);
  // The queue and the failed list are separate scans.
  EXPECT_FALSE(starts_with(meta_mail_key(meta_mail_failed_prefix, 1), meta_mail_queue_prefix));
  EXPECT_FALSE(starts_with(meta_mail_key(meta_mail_queue_prefix, 1), meta_mail_failed_prefix));
}

TEST(KeysLayout, GroupKeysLieInTheirAccountsRange) {
  const auto k = group_key(7, 1, "0123456789abcdef");
  EXPECT_EQ(k, bytes({0, 0, 0, 7, 1}) + "0123456789abcdef");
  const auto parts = parse_group_key(k);
  EXPECT_EQ(parts.kind, 1);
  EXPECT_EQ(parts.id, "0123456789abcdef");
  const auto whole = account_range(7);
  for (const auto& key : {group_key(7, 0, "0"), group_key(7, 1, "ffffffffffffffff"), k}) {
    EXPECT_LE(whole.begin, key);
    EXPECT_LT(key, whole.end);
  }
  EXPECT_FALSE(group_key(8, 0, "0") < whole.end);
  EXPECT_FALSE(whole.begin <= group_key(6, 1, "ffffffffffffffff"));
  EXPECT_TRUE(parse_group_key(account_prefix(7)).id.empty());
}

}  // namespace
}  // namespace cxs::storage
