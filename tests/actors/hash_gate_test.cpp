// The hash gate (issue 11): at most `parallel` hashes at once, at most `queue` more waiting, and
// every place given back when a job ends.
#include "actors/hash_gate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace cxs::actors {
namespace {

TEST(HashGate, AdmitsParallelPlusQueueAndNoMore) {
  auto gate = hash_gate::make(2, 3);
  std::vector<std::shared_ptr<hash_gate::ticket>> held;
  for (int i = 0; i < 5; ++i) {
    auto t = gate->admit();
    ASSERT_TRUE(t) << "place " << i + 1;
    held.push_back(t);
  }
  EXPECT_FALSE(gate->admit()) << "the sixth";
  held.pop_back();
  EXPECT_TRUE(gate->admit()) << "a place given back is taken again";
}

TEST(HashGate, AtMostParallelRunAtOnce) {
  auto gate = hash_gate::make(2, 8);
  std::atomic<int> running{0}, most{0};
  std::vector<std::thread> jobs;
  for (int i = 0; i < 10; ++i) {
    auto t = gate->admit();
    ASSERT_TRUE(t);
    jobs.emplace_back([t, &running, &most] {
      t->run([&] {
        int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {}
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        --running;
        return 0;
      });
    });
  }
  for (auto& j : jobs) j.join();
  EXPECT_EQ(most.load(), 2);
}

TEST(HashGate, ATicketOutlivesTheGatesOtherOwners) {
  std::shared_ptr<hash_gate::ticket> t;
  {
    auto gate = hash_gate::make(1, 0);
    t = gate->admit();
    ASSERT_TRUE(t);
    EXPECT_FALSE(gate->admit());
  }
  EXPECT_EQ(t->run([] { return 7; }), 7) << "the ticket keeps the gate alive";
}

}  // namespace
}  // namespace cxs::actors
