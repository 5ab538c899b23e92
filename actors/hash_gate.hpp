#pragma once
// Bounds the Argon2id work in flight (issue 11). Every hash or verify takes 19 MiB and a core for
// tens of milliseconds, on a detached thread of its own. Unbounded, a burst of logins would start a
// thread and claim 19 MiB per request until the process runs out of memory. The gate lets at most
// `parallel` run at once and at most `queue` more wait their turn; a request beyond that is refused
// at once (503 busy with Retry-After) before any thread starts.

#include "metrics/metrics.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>

namespace cxs::actors {

class hash_gate : public std::enable_shared_from_this<hash_gate> {
 public:
  // A place in the line, held for the whole job (shared, so a copyable job can carry it).
  class ticket {
   public:
    explicit ticket(std::shared_ptr<hash_gate> gate) : gate_(std::move(gate)) {}
    ~ticket() { gate_->leave(); }
    ticket(const ticket&) = delete;
    ticket& operator=(const ticket&) = delete;

    // Runs f (the hashing) in one of the parallel slots, waiting for one if all are taken.
    template <class F>
    auto run(F&& f) {
      static auto& computed = metrics::global().get_counter("cxs_password_hashes_total");
      gate_->acquire();
      computed.inc();
      struct release {
        hash_gate* g;
        ~release() { g->release(); }
      } guard{gate_.get()};
      return f();
    }

   private:
    std::shared_ptr<hash_gate> gate_;
  };

  static std::shared_ptr<hash_gate> make(unsigned parallel, unsigned queue) {
    return std::shared_ptr<hash_gate>(new hash_gate(parallel, queue));
  }

  // A ticket, or null when `parallel + queue` jobs hold one already.
  std::shared_ptr<ticket> admit() {
    {
      std::lock_guard lock(mutex_);
      if (admitted_ >= parallel_ + queue_) return nullptr;
      ++admitted_;
    }
    return std::make_shared<ticket>(shared_from_this());
  }

 private:
  hash_gate(unsigned parallel, unsigned queue) : parallel_(parallel ? parallel : 1), queue_(queue) {}

  void leave() {
    std::lock_guard lock(mutex_);
    --admitted_;
  }
  void acquire() {
    std::unique_lock lock(mutex_);
    turn_.wait(lock, [&] { return running_ < parallel_; });
    ++running_;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      --running_;
    }
    turn_.notify_one();
  }

  const unsigned parallel_, queue_;
  std::mutex mutex_;
  std::condition_variable turn_;
  unsigned admitted_ = 0, running_ = 0;
};

}  // namespace cxs::actors
