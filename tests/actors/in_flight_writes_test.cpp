// Writes in flight (actors/in_flight_writes.hpp): memory is set back only when the last write of
// a record has answered and one of them failed, and then to what the writes that succeeded left.

#include "actors/in_flight_writes.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace cxs::actors {
namespace {

using writes = in_flight_writes<std::string>;

TEST(InFlightWrites, WritesThatAllSucceedLeaveMemoryAlone) {
  writes w;
  w.sending("a", "v0");
  w.sending("a", "v1");
  EXPECT_FALSE(w.answered("a", true, "v1"));
  EXPECT_FALSE(w.answered("a", true, "v2"));
  EXPECT_EQ(w.records_in_flight(), 0u);
}

TEST(InFlightWrites, AFailedLastWriteResetsToTheOneBeforeIt) {
  writes w;
  w.sending("a", "v0");
  w.sending("a", "v1");
  EXPECT_FALSE(w.answered("a", true, "v1"));
  auto r = w.answered("a", false, "v2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->record, "v1");
}

TEST(InFlightWrites, AFailedFirstWriteWaitsForTheLastAndTakesWhatItStored) {
  writes w;
  w.sending("a", "v0");
  w.sending("a", "v1");
  EXPECT_FALSE(w.answered("a", false, "v1")) << "a later write is still in flight";
  auto r = w.answered("a", true, "v2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->record, "v2");
}

TEST(InFlightWrites, EveryWriteFailedResetsToWhatStorageHeldBefore) {
  writes w;
  w.sending("a", "v0");
  w.sending("a", "v1");
  EXPECT_FALSE(w.answered("a", false, "v1"));
  auto r = w.answered("a", false, "v2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->record, "v0");
}

// A change whose write failed learns what storage holds once the record's last write has answered.
TEST(InFlightWrites, AWaiterHearsWhatStorageHoldsOnceTheLastWriteAnswered) {
  writes w;
  std::vector<std::optional<std::string>> heard;
  auto listen = [&](const std::optional<std::string>& stored) { heard.push_back(stored); };
  w.sending("new", std::nullopt);
  w.sending("new", "created");
  w.when_settled("new", listen);
  w.answered("new", false, "created");
  EXPECT_TRUE(heard.empty()) << "a later write is still in flight";
  w.answered("new", true, "created, grown");
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0], "created, grown");

  w.sending("gone", std::nullopt);
  w.sending("gone", "created");
  w.when_settled("gone", listen);
  w.answered("gone", false, "created");
  w.answered("gone", false, "created, grown");
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[1], std::nullopt) << "no write stored it";

  w.when_settled("idle", listen);
  ASSERT_EQ(heard.size(), 3u) << "nothing in flight: at once, with nothing";
  EXPECT_EQ(heard[2], std::nullopt);
  EXPECT_EQ(w.records_in_flight(), 0u);
}

TEST(InFlightWrites, TheLastSuccessCountsWhateverFailedAroundIt) {
  writes w;
  w.sending("a", "v0");
  w.sending("a", "v1");
  w.sending("a", "v2");
  EXPECT_FALSE(w.answered("a", false, "v1"));
  EXPECT_FALSE(w.answered("a", true, "v2"));
  auto r = w.answered("a", false, "v3");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->record, "v2");
}

TEST(InFlightWrites, ANewRecordWhoseWriteFailedIsNotThere) {
  writes w;
  w.sending("a", std::nullopt);
  auto r = w.answered("a", false, "v1");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->record);
}

TEST(InFlightWrites, AFailedDeletionBringsTheRecordBack) {
  writes w;
  w.sending("a", "v0");
  auto r = w.answered("a", false, std::nullopt);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->record, "v0");
}

TEST(InFlightWrites, RecordsAreKeptApart) {
  writes w;
  w.sending("a", "a0");
  w.sending("b", "b0");
  auto a = w.answered("a", false, "a1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->record, "a0");
  EXPECT_EQ(w.records_in_flight(), 1u);
  EXPECT_FALSE(w.answered("b", true, "b1"));
  EXPECT_FALSE(w.answered("c", false, "c1")) << "an answer to no write sent is ignored";
}

}  // namespace
}  // namespace cxs::actors
