// The move of a database's former `seen` index into per-account call-ID blocks: every ID of an
// AN some account has lands in that account's blocks under the record's month, the account actor
// then calls a repeat of it a duplicate, `seen` is emptied and the step is not run twice.

#include "actors/id_migration.hpp"
#include "actor_fixture.hpp"
#include "actors/account.hpp"
#include "storage/id_block.hpp"
#include "storage/keys.hpp"

namespace cxs::actors {
namespace {

class IdMigrationTest : public testing::actor_fixture {
 protected:
  static account_ptr account(uint32_t number, std::vector<std::string> ans) {
    auto a = std::make_shared<domain::account>();
    a->id = "Acct" + std::to_string(number) + "xxxxx";
    a->number = number;
    a->opid = "OP" + std::to_string(number);
    a->plan = "free";
    a->registered = {2026, 1, 1};
    a->an_order = std::move(ans);
    return a;
  }
  static account_table table_of(const std::vector<account_ptr>& records) {
    account_table t;
    for (const auto& a : records) t.put(*a);
    return t;
  }

  void put_seen(std::string_view an, std::string_view call_id, uint16_t month) {
    std::string value;
    storage::append_u16(value, month);
    ASSERT_TRUE(db->put(storage::cf::seen, storage::seen_key(an, call_id), value, true).ok());
  }

  // (account, month, an_index, call ID) of every stored ID, in key order.
  std::vector<std::tuple<uint32_t, uint16_t, uint16_t, std::string>> stored_ids() {
    std::vector<std::tuple<uint32_t, uint16_t, uint16_t, std::string>> out;
    auto s =
        db->scan(storage::cf::ids, std::string(), std::string(1, '\xff'), [&](std::string_view k, std::string_view v) {
          const uint32_t account = storage::read_u32(k, 0);
          const uint16_t month = storage::parse_ids_key(k).month;
          EXPECT_TRUE(storage::for_each_id(
              v, [&](uint16_t an, std::string_view id) { out.emplace_back(account, month, an, std::string(id)); }));
          return true;
        });
    EXPECT_TRUE(s.ok());
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_F(IdMigrationTest, MovesEverySeenKeyToItsAccountsBlocks) {
  put_seen("0120111111", "a-1", 24310);
  put_seen("0120111111", "a-2", 24311);
  put_seen("0120222222", "b-1", 24311);
  put_seen("0120999999", "orphan", 24311);  // an AN no account has
  const auto accounts = table_of({account(3, {"0120111111"}), account(4, {"0120333333", "0120222222"})});
  std::string error;
  ASSERT_TRUE(migrate_seen_to_ids(*db, accounts, error)) << error;

  using row = std::tuple<uint32_t, uint16_t, uint16_t, std::string>;
  EXPECT_EQ(stored_ids(), (std::vector<row>{{3, 24310, 0, "a-1"}, {3, 24311, 0, "a-2"}, {4, 24311, 1, "b-1"}}));
  bool any_seen = false;
  ASSERT_TRUE(db->scan(storage::cf::seen, std::string(), std::string(1, '\xff'), [&](auto, auto) {
                  any_seen = true;
                  return false;
                }).ok());
  EXPECT_FALSE(any_seen);
  storage::status read;
  EXPECT_TRUE(db->get(storage::cf::meta, storage::meta_ids_migrated_key, read));

  // Done once: a later seen key (there are none in practice) is left alone.
  put_seen("0120111111", "late", 24311);
  ASSERT_TRUE(migrate_seen_to_ids(*db, accounts, error));
  EXPECT_EQ(stored_ids().size(), 3u);
}

TEST_F(IdMigrationTest, AnIdFromBeforeTheMoveIsADuplicateAfterIt) {
  const auto now = domain::to_jst(clock.now());
  const auto month = static_cast<uint16_t>(domain::month_index(now.date));
  put_seen("0120111111", "old-1", month);
  auto record = account(5, {"0120111111"});
  std::string error;
  ASSERT_TRUE(migrate_seen_to_ids(*db, table_of({record}), error)) << error;

  auto a = spawn_account(*sys, {db.get(), writer, &clock}, record, domain::opid_numbers{{"0120111111"}, {}, {}});
  to_stop.push_back(caf::actor_cast<caf::actor>(a));
  auto batch = std::make_shared<account_records>();
  const int64_t start = clock.now() - 60;
  batch->records = {{"old-1", start, "0120111111", "", "", 13, 13, 10, domain::call_result::completed},
                    {"new-1", start, "0120111111", "", "", 13, 13, 10, domain::call_result::completed}};
  auto counts = ask<ingest_counts>(a, ingest_atom::value, records_ptr(batch));
  ASSERT_TRUE(counts && *counts);
  EXPECT_EQ((*counts)->accepted, 1u);
  EXPECT_EQ((*counts)->duplicates, 1u);
}

}  // namespace
}  // namespace cxs::actors
