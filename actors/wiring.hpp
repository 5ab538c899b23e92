#pragma once
// The handles the facades speak to, filled in by the composition root (runtime.cpp), and the one
// way a facade call reaches an actor: a request from a short-lived actor, with a timeout, whose
// answer or failure goes to the caller's callback. Only actors/*.cpp include this (CAF).

#include "actors/admin_api.hpp"
#include "actors/answer_cache.hpp"
#include "actors/auth.hpp"
#include "actors/certificates.hpp"
#include "actors/customer_api.hpp"
#include "actors/hash_gate.hpp"
#include "actors/registry_actor.hpp"
#include "actors/signup.hpp"
#include "config/public_url.hpp"
#include "metrics/activity.hpp"
#include "metrics/metrics.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <memory>

namespace cxs::actors {

struct wiring {
  caf::actor_system* system = nullptr;
  storage::store* db = nullptr;
  const config::clock* clock = nullptr;
  std::chrono::milliseconds timeout{30000};
  writer_actor writer;
  directory_actor directory;
  registry_actor registry;
  mailer_actor mailer;
  signup_actor signup;
  auth_actor auth;
  certificate_actor certificates;
  std::string ca_pem;  // the CA certificate, served as it is
  sessions::session_table* sessions = nullptr;
  const config::public_url* public_url = nullptr;  // links in mails
  std::string caller_key;                          // HMAC key: callers are stored only as keyed hashes
  std::string timing_hash;                         // verified for unknown IDs, so they cost what known ones cost
  std::shared_ptr<hash_gate> hashes;               // bounds the Argon2id jobs in flight
  const std::atomic<bool>* started = nullptr;
  const std::atomic<std::size_t>* registry_opids = nullptr;
  answer_cache* answers = nullptr;  // analyses answered again without an actor (answer_cache.hpp)
};

// The answer when the hash gate is full (503 busy with Retry-After on the wire).
inline domain::failure hashing_busy() {
  return domain::fail(domain::error_code::busy, "password hashing is at its bound");
}

// Sends (xs...) to target, whose answer is a T, and hands it (or the failure) to then.
template <class T, class Handle, class... Ts>
void ask(caf::actor_system& sys, const Handle& target, std::chrono::milliseconds timeout, then_fn<T> then, Ts... xs) {
  sys.spawn([=](caf::event_based_actor* self) {
    self->request(target, timeout, xs...)
        .then([=](T& value) { then(std::move(value)); }, [=](caf::error& e) { then(to_failure(self->system(), e)); });
  });
}

// SPEC §16, what a switch of auth method brings: to certificate, download credentials by mail;
// to otp, the ID's certificates revoked. Then `done` runs (the caller answers), so a revocation
// holds before the customer hears of the switch. The switch stands either way; a failure is logged
// for support (who can send new credentials, POST /admin/accounts/{id}/download-credentials).
template <class Done>
void follow_method_switch(const wiring& w, const domain::account& before, const domain::account& after, Done done) {
  if (before.auth_method == after.auth_method) return done();
  ask<bool>(
      *w.system, w.certificates, w.timeout,
      [id = after.id, done](domain::expected<bool> followed) mutable {
        if (!followed || !*followed)
          spdlog::error("auth method of {} switched, but its certificates did not follow", id);
        done();
      },
      cert_method_atom::value, after.id, after.auth_method);
}

// Looks account `id` up (the directory starts it from storage if it was passivated) and sends it
// (xs...), whose answer is a T. An account that stops between lookup and request (passivated or
// failed) answers request_receiver_down: it is looked up once more, which starts it again.
template <class T, class... Ts>
void ask_account(const wiring& w, std::string id, then_fn<T> then, Ts... xs) {
  auto timeout = w.timeout;
  auto directory = w.directory;
  w.system->spawn([=](caf::event_based_actor* self) {
    auto attempt = std::make_shared<std::function<void(int)>>();
    *attempt = [=](int tries_left) {
      self->request(directory, timeout, lookup_atom::value, id)
          .then(
              [=](account_actor& a) {
                self->request(a, timeout, xs...)
                    .then([=](T& value) { then(std::move(value)); },
                          [=](caf::error& e) {
                            if (e == caf::sec::request_receiver_down && tries_left > 0)
                              return (*attempt)(tries_left - 1);
                            then(to_failure(self->system(), e));
                          });
              },
              [=](caf::error& e) { then(to_failure(self->system(), e)); });
    };
    (*attempt)(1);
    // The function refers to itself through the shared pointer; drop that cycle when the actor ends.
    self->attach_functor([attempt] { *attempt = nullptr; });
  });
}

// An analysis of account `id`: a kept answer of the account's current generation at once, else
// the account actor's (which keeps it for the next time).
inline void ask_analysis(const wiring& w, std::string id, domain::analysis_request query,
                         then_fn<domain::analysis_document> then) {
  if (w.answers && w.answers->enabled()) {
    static auto& hits = metrics::global().get_counter("cxs_answer_cache_total", {{"result", "hit"}});
    static auto& misses = metrics::global().get_counter("cxs_answer_cache_total", {{"result", "miss"}});
    if (auto doc = w.answers->find(id, answer_key(query, w.clock->now()))) {
      hits.inc();
      metrics::activity().add(id, 1, 0);  // the busiest accounts count every question, kept or not
      return then(*doc);
    }
    misses.inc();
  }
  ask_account<domain::analysis_document>(w, std::move(id), std::move(then), analyze_atom::value, std::move(query));
}

std::unique_ptr<admin_api> make_admin_facade(const wiring& w);
// Plan changes and analyses are the admin facade's calls, asked on the customer's own account.
std::unique_ptr<customer_api> make_customer_facade(const wiring& w, admin_api& admin);

}  // namespace cxs::actors
