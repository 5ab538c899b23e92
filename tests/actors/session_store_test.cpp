// Sessions survive a restart (SPEC §19): the table's journal in a real RocksDB. A new table
// loading the same storage finds the live sessions with their last use, and not the ones that a
// logout or an operator ended, that ran out meanwhile, or that a newer login replaced.

#include "actors/session_store.hpp"
#include "actor_fixture.hpp"
#include "storage/keys.hpp"

namespace cxs::actors {
namespace {

constexpr int64_t t0 = 1'800'000'000;
constexpr int64_t minute = 60;

class SessionStoreTest : public testing::actor_fixture {
 protected:
  // A table as the server has it: loaded from storage at start, then journalled.
  std::unique_ptr<sessions::session_table> started_at(int64_t now) {
    auto table = std::make_unique<sessions::session_table>();
    std::string error;
    EXPECT_TRUE(load_sessions(*db, *table, now, error)) << error;
    table->set_journal(&journal);
    return table;
  }
  std::size_t stored() { return stored_under(storage::meta_session_prefix); }
  session_store journal{*db};
};

TEST_F(SessionStoreTest, ALiveSessionComesBackWithItsIdAndCsrf) {
  auto before = started_at(t0);
  auto s = before->create("AbCdEf1234", t0);
  auto child = before->create("ChIlD12345", t0, "AbCdEf1234", true);
  auto after = started_at(t0 + minute);
  auto info = after->touch(s.token, t0 + minute);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->id, "AbCdEf1234");
  EXPECT_EQ(info->csrf, s.csrf);
  EXPECT_TRUE(after->live_for("AbCdEf1234", t0 + minute));
  auto c = after->touch(child.token, t0 + minute);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->child);
  EXPECT_EQ(c->account, "AbCdEf1234");
  EXPECT_FALSE(after->touch(std::string(43, 'A'), t0 + minute));
}

TEST_F(SessionStoreTest, EndedSessionsDoNotComeBack) {
  auto before = started_at(t0);
  auto logged_out = before->create("AbCdEf1234", t0);
  auto ended_by_operator = before->create("BbCdEf1234", t0);
  before->end(logged_out.token);
  EXPECT_TRUE(before->end_all_for("BbCdEf1234"));
  EXPECT_EQ(stored(), 0u) << "erased before the calls returned";
  auto after = started_at(t0 + minute);
  EXPECT_FALSE(after->touch(logged_out.token, t0 + minute));
  EXPECT_FALSE(after->touch(ended_by_operator.token, t0 + minute));
}

TEST_F(SessionStoreTest, TheLastUseIsKeptSoTheIdleLimitCountsFromIt) {
  auto before = started_at(t0);
  auto s = before->create("AbCdEf1234", t0);
  ASSERT_TRUE(before->touch(s.token, t0 + 25 * minute));
  before->flush_last_uses();
  // 25 + 29 minutes: still within 30 idle minutes of the last use, long after the login.
  auto after = started_at(t0 + 54 * minute);
  EXPECT_TRUE(after->touch(s.token, t0 + 54 * minute));
  // Without the flush the last use would have been the login: a table loaded then drops it.
  auto other = before->create("BbCdEf1234", t0);
  ASSERT_TRUE(before->touch(other.token, t0 + 25 * minute));
  auto unflushed = started_at(t0 + 54 * minute);
  EXPECT_FALSE(unflushed->touch(other.token, t0 + 54 * minute));
}

TEST_F(SessionStoreTest, SessionsThatRanOutMeanwhileAreErasedAtLoad) {
  auto before = started_at(t0);
  before->create("AbCdEf1234", t0);
  auto after = started_at(t0 + 31 * minute);
  EXPECT_FALSE(after->live_for("AbCdEf1234", t0 + 31 * minute));
  EXPECT_EQ(stored(), 0u);
}

TEST_F(SessionStoreTest, ANewLoginReplacesTheStoredSession) {
  auto before = started_at(t0);
  auto first = before->create("AbCdEf1234", t0);
  auto second = before->create("AbCdEf1234", t0 + minute);
  EXPECT_EQ(stored(), 1u);
  auto after = started_at(t0 + 2 * minute);
  EXPECT_FALSE(after->touch(first.token, t0 + 2 * minute));
  EXPECT_TRUE(after->touch(second.token, t0 + 2 * minute));
}

TEST_F(SessionStoreTest, ASessionTakenOverIsStillSaidReplacedAfterARestart) {
  // SPEC §19: the other session's next request answers session_replaced, a restart in between.
  auto before = started_at(t0);
  auto first = before->create("AbCdEf1234", t0);
  ASSERT_TRUE(before->touch(first.token, t0 + 10 * minute));
  ASSERT_TRUE(before->take_over("AbCdEf1234", t0 + 11 * minute));
  auto second = before->create("AbCdEf1234", t0 + 11 * minute);
  EXPECT_EQ(stored(), 2u) << "the new session and the old one's mark";
  auto after = started_at(t0 + 12 * minute);
  EXPECT_FALSE(after->touch(first.token, t0 + 12 * minute)) << "a mark is no session";
  EXPECT_TRUE(after->replaced(first.token, t0 + 12 * minute));
  EXPECT_FALSE(after->replaced(second.token, t0 + 12 * minute));
  EXPECT_TRUE(after->touch(second.token, t0 + 12 * minute));
  EXPECT_TRUE(after->live_for("AbCdEf1234", t0 + 12 * minute)) << "the mark does not hide the new session";
  // Until the old session would have ended by itself (30 minutes after its last use), then the
  // sweep erases the mark from storage.
  EXPECT_TRUE(after->replaced(first.token, t0 + 39 * minute));
  EXPECT_EQ(after->sweep(t0 + 40 * minute), 1u);
  EXPECT_FALSE(after->replaced(first.token, t0 + 40 * minute));
  after->flush_last_uses();
  EXPECT_EQ(stored(), 1u) << "the mark erased, the new session kept";
}

TEST_F(SessionStoreTest, AMarkThatRanOutMeanwhileIsErasedAtLoad) {
  auto before = started_at(t0);
  auto first = before->create("AbCdEf1234", t0);
  ASSERT_TRUE(before->take_over("AbCdEf1234", t0 + minute));
  auto after = started_at(t0 + 30 * minute);
  EXPECT_FALSE(after->replaced(first.token, t0 + 30 * minute));
  EXPECT_EQ(stored(), 0u);
}

TEST_F(SessionStoreTest, ADamagedRecordIsSkippedAndErased) {
  auto batch = db->batch();
  batch.put(storage::cf::meta, std::string(storage::meta_session_prefix) + "x", "{not json");
  ASSERT_TRUE(db->write(batch, true).ok());
  auto before = started_at(t0);
  auto s = before->create("AbCdEf1234", t0);
  EXPECT_EQ(stored(), 1u) << "the damaged record was erased at load";
  EXPECT_TRUE(started_at(t0)->touch(s.token, t0));
}

}  // namespace
}  // namespace cxs::actors
