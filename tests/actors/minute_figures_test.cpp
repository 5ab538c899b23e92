// The first day whose calls are kept by minute (actors/minute_figures): any day for a new
// database, the day after the first start for one that holds accounts already (its earlier calls
// were stored without minutes), stored once and read back at every later start.

#include "actors/minute_figures.hpp"
#include "actor_fixture.hpp"
#include "storage/keys.hpp"

namespace cxs::actors {
namespace {

class MinuteFiguresTest : public testing::actor_fixture {
 protected:
  std::optional<domain::civil_date> since(const account_table& accounts, int64_t now) {
    std::string error;
    auto day = minutes_kept_since(*db, accounts, now, error);
    EXPECT_EQ(day.has_value(), error.empty()) << error;
    return day;
  }
  static account_table one_account() {
    domain::account a;
    a.id = "Acct1xxxxx";
    a.number = 1;
    a.opid = "OP1";
    a.plan = "free";
    account_table t;
    t.put(a);
    return t;
  }
  std::optional<std::string> stored() {
    storage::status s;
    return db->get(storage::cf::meta, storage::meta_minutes_since_key, s);
  }
};

constexpr int64_t dec_5_2026_noon_jst = 1796439600;  // 2026-12-05T12:00:00+09:00

TEST_F(MinuteFiguresTest, NewDatabaseKeepsEveryDay) {
  EXPECT_EQ(since({}, dec_5_2026_noon_jst), (domain::civil_date{1970, 1, 1}));
  EXPECT_EQ(stored(), "1970-01-01");
  // Accounts created later do not move it.
  EXPECT_EQ(since(one_account(), dec_5_2026_noon_jst + 86400 * 30), (domain::civil_date{1970, 1, 1}));
}

TEST_F(MinuteFiguresTest, UpgradedDatabaseKeepsFromTomorrow) {
  EXPECT_EQ(since(one_account(), dec_5_2026_noon_jst), (domain::civil_date{2026, 12, 6}));
  EXPECT_EQ(stored(), "2026-12-06");
  EXPECT_EQ(since(one_account(), dec_5_2026_noon_jst + 86400 * 3), (domain::civil_date{2026, 12, 6}));
}

TEST_F(MinuteFiguresTest, UnreadableMarkStopsTheStart) {
  ASSERT_TRUE(db->put(storage::cf::meta, storage::meta_minutes_since_key, "yesterday", true).ok());
  std::string error;
  EXPECT_FALSE(minutes_kept_since(*db, {}, dec_5_2026_noon_jst, error));
  EXPECT_NE(error.find("minutes_since"), std::string::npos) << error;
}

}  // namespace
}  // namespace cxs::actors
