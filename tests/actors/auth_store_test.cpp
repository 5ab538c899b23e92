// The auth actor's journal in a real RocksDB (actors/auth_store.hpp): what a start reads back,
// and what it erases — run-out locks and links, and records it cannot read.

#include "actors/auth_store.hpp"
#include "actor_fixture.hpp"
#include "storage/keys.hpp"

namespace cxs::actors {
namespace {

constexpr int64_t t0 = 1'800'000'000;

class AuthStoreTest : public testing::actor_fixture {
 protected:
  kept_auth_state load(int64_t now) {
    kept_auth_state kept;
    std::string error;
    EXPECT_TRUE(load_auth_state(*db, now, kept, error)) << error;
    return kept;
  }
  void put_raw(std::string key, std::string value) {
    auto batch = db->batch();
    batch.put(storage::cf::meta, key, value);
    ASSERT_TRUE(db->write(batch, true).ok());
  }
  auth_store journal{*db};
};

TEST_F(AuthStoreTest, AStartReadsBackWhatStillHoldsAndErasesTheRest) {
  journal.lock_saved({"AbCdEf1234", t0 + 600});
  journal.lock_saved({"Nobody0000", t0 - 1});
  journal.link_saved({std::string(64, 'a'), "AbCdEf1234", t0 + 3000});
  journal.link_saved({std::string(64, 'b'), "AbCdEf1234", t0});
  auto kept = load(t0);
  ASSERT_EQ(kept.locks.size(), 1u);
  EXPECT_EQ(kept.locks[0].id, "AbCdEf1234");
  EXPECT_EQ(kept.locks[0].until, t0 + 600);
  ASSERT_EQ(kept.links.size(), 1u);
  EXPECT_EQ(kept.links[0].digest, std::string(64, 'a'));
  EXPECT_EQ(kept.links[0].id, "AbCdEf1234");
  EXPECT_EQ(kept.links[0].expires, t0 + 3000);
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 1u) << "the run-out lock was erased";
  EXPECT_EQ(stored_under(storage::meta_reissue_prefix), 1u) << "the run-out link was erased";
}

TEST_F(AuthStoreTest, LiftedLocksAndErasedLinksAreGone) {
  journal.lock_saved({"AbCdEf1234", t0 + 600});
  journal.lock_saved({"BbCdEf1234", t0 + 600});
  journal.link_saved({std::string(64, 'a'), "AbCdEf1234", t0 + 3000});
  journal.locks_lifted({"AbCdEf1234"});
  journal.links_erased({std::string(64, 'a')});
  auto kept = load(t0);
  ASSERT_EQ(kept.locks.size(), 1u);
  EXPECT_EQ(kept.locks[0].id, "BbCdEf1234");
  EXPECT_TRUE(kept.links.empty());
}

TEST_F(AuthStoreTest, RecordsThatCannotBeReadAreErasedNotTaken) {
  put_raw("lock/AbCdEf1234", "not json");
  put_raw("lock/BbCdEf1234", R"({"until":"soon"})");
  put_raw("lock/CbCdEf1234", R"({"until":0})");
  put_raw("reissue/" + std::string(64, 'a'), R"({"expires":1900000000})");
  put_raw("reissue/" + std::string(64, 'b'), R"({"id":"","expires":1900000000})");
  put_raw("reissue/" + std::string(64, 'c'), R"([1,2])");
  auto kept = load(t0);
  EXPECT_TRUE(kept.locks.empty());
  EXPECT_TRUE(kept.links.empty());
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 0u);
  EXPECT_EQ(stored_under(storage::meta_reissue_prefix), 0u);
}

TEST(AuthRecords, KeepNoTokenAndRoundTrip) {
  auto link = encode_link({std::string(64, 'a'), "AbCdEf1234", t0});
  EXPECT_EQ(link.find(std::string(64, 'a')), std::string::npos) << "the digest is the key, not repeated";
  auto back = decode_link(std::string(64, 'a'), link);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, "AbCdEf1234");
  EXPECT_EQ(back->expires, t0);
  auto lock = decode_lock("AbCdEf1234", encode_lock({"AbCdEf1234", t0}));
  ASSERT_TRUE(lock);
  EXPECT_EQ(lock->until, t0);
}

}  // namespace
}  // namespace cxs::actors
