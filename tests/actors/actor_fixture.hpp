#pragma once
// Actors under test on CAF's deterministic scheduler (the "testing" policy of CAF 0.17.6, as in
// its examples/testing): nothing runs until the test says so, timers fire only when the test
// advances the clock, and a request is answered within one sched.run() — no threads, no sleeps.
// Storage is a real RocksDB in a temp folder; the service clock reads an offset file the test
// writes, as --testing.clock does.

#include "actors/atoms.hpp"
#include "actors/mailer.hpp"
#include "actors/writer.hpp"
#include "config/clock.hpp"
#include "storage/store.hpp"

#include <gtest/gtest.h>
#include <caf/scheduler/test_coordinator.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string_view>

namespace cxs::testing {

class actor_fixture : public ::testing::Test {
 protected:
  actor_fixture() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("cxs-actor-test-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    std::string error;
    db = storage::store::open((dir_ / "db").string(), error);
    if (!db) throw std::runtime_error(error);
    set_clock_offset(0);
    clock = config::clock((dir_ / "clock").string());
    cfg_.set("scheduler.policy", caf::atom("testing"));
    cfg_.set("logger.file-verbosity", caf::atom("quiet"));
    cfg_.set("logger.console-verbosity", caf::atom("quiet"));
    sys = std::make_unique<caf::actor_system>(cfg_);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    writer = actors::spawn_writer(*sys, db.get(), /*own_thread=*/false);
  }

  ~actor_fixture() override {
    for (auto& a : to_stop) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
    sched->run();
    sys->await_actors_before_shutdown(false);
    sys.reset();
    db.reset();
    std::filesystem::remove_all(dir_);
  }

  // The service clock runs this many seconds ahead of the real one.
  void set_clock_offset(int64_t seconds) { std::ofstream((dir_ / "clock").string()) << seconds; }

  // Sends (xs...) to target from a short-lived actor, runs every actor until nothing is left to
  // do, and gives the answer or the failure. Empty when no answer came (a test failure).
  template <class T, class Handle, class... Ts>
  std::optional<domain::expected<T>> ask(const Handle& target, Ts... xs) {
    auto out = std::make_shared<std::optional<domain::expected<T>>>();
    sys->spawn([=](caf::event_based_actor* self) {
      self->request(target, caf::infinite, xs...)
          .then([=](T& value) { out->emplace(std::move(value)); },
                [=](caf::error& e) { out->emplace(actors::to_failure(self->system(), e)); });
    });
    sched->run();
    return *out;
  }

  // A free account's request for the directory's create_atom, as an admin or sign-up sends it.
  static actors::new_account account_request(std::string opid, std::string auth_method = "otp",
                                             std::string password_hash = "$argon2id$stand-in") {
    actors::new_account na;
    na.request.opid = std::move(opid);
    na.request.plan = "free";
    na.request.auth_method = std::move(auth_method);
    na.request.email = "owner@example.jp";
    na.request.person = "山田";
    na.request.registered = {2026, 10, 1};
    na.password_hash = std::move(password_hash);
    return na;
  }

  // A writer in front of the real one: it answers false, after writing nothing, for the writes
  // whose numbers fail_writes named (from 1, counted since that call), and hands every other write
  // to the real writer, in order (as the real writer answers: in the order it was given them).
  actors::writer_actor spawn_faulty_writer() {
    auto real = writer;
    auto faults = faults_;
    auto store = db.get();
    auto w = sys->spawn([=](actors::writer_actor::pointer self) -> actors::writer_actor::behavior_type {
      return {
          [=](actors::write_atom, actors::batch_ptr& batch) -> caf::result<bool> {
            const bool fail = faults->fail.count(++faults->seen) > 0;
            auto rp = self->make_response_promise<bool>();
            auto sent = fail ? std::make_shared<storage::write_batch>(store->batch()) : batch;
            self->request(real, caf::infinite, actors::write_atom::value, sent).then([=](bool ok) mutable {
              rp.deliver(ok && !fail);
            });
            return rp;
          },
          [=](actors::sync_atom) -> caf::result<bool> { return self->delegate(real, actors::sync_atom::value); },
          [=](actors::flush_atom) { self->send(real, actors::flush_atom::value); },
      };
    });
    to_stop.push_back(caf::actor_cast<caf::actor>(w));
    return w;
  }
  // How many `meta` records are stored under prefix (what an actor's journal left in storage).
  std::size_t stored_under(std::string_view prefix) {
    std::size_t n = 0;
    EXPECT_TRUE(db->scan_prefix(storage::cf::meta, prefix, [&](auto, auto) {
                    ++n;
                    return true;
                  }).ok());
    return n;
  }

  void fail_writes(std::set<int> numbers) {
    faults_->seen = 0;
    faults_->fail = std::move(numbers);
  }

  // A mailer that keeps what it is given: the sign-up and auth actors' mails, to read codes from.
  actors::mailer_actor spawn_mail_sink() {
    auto box = mails;
    auto sink = sys->spawn([box]() -> actors::mailer_actor::behavior_type {
      return {
          [box](actors::mail_atom, actors::outgoing_mail& m) {
            box->push_back(std::move(m));
            return true;
          },
          [](actors::tick_atom) {},
      };
    });
    to_stop.push_back(caf::actor_cast<caf::actor>(sink));
    return sink;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::store> db;
  config::clock clock;
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  actors::writer_actor writer;
  std::vector<caf::actor> to_stop;
  std::shared_ptr<std::vector<actors::outgoing_mail>> mails = std::make_shared<std::vector<actors::outgoing_mail>>();

 private:
  struct write_faults {
    int seen = 0;
    std::set<int> fail;
  };
  std::shared_ptr<write_faults> faults_ = std::make_shared<write_faults>();
};

}  // namespace cxs::testing
