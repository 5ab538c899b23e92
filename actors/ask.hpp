#pragma once
// How the front door's calls reach an actor: one request from a short-lived actor, with a
// timeout; the reply, or the failure turned into an HTTP answer, goes to done. Never a hang.

#include "actors/atoms.hpp"

#include <chrono>
#include <functional>

namespace cxs::actors {

using done_fn = std::function<void(reply)>;

inline reply failure_reply(caf::actor_system& sys, const caf::error& e) {
  if (e == caf::sec::invalid_argument) return error_reply(404, "not_found", "no such account");
  if (e == caf::sec::request_timeout) return error_reply(503, "timeout", "the service did not answer in time");
  if (e == caf::sec::request_receiver_down)
    return error_reply(503, "unavailable", "the account was restarting; try again");
  return error_reply(500, "internal", "the request failed: " + sys.render(e));
}

// Sends (xs...) to target, whose answer is a reply, and hands that reply to done.
template <class Handle, class... Ts>
void ask_reply(caf::actor_system& sys, const Handle& target, std::chrono::milliseconds timeout, done_fn done,
               Ts... xs) {
  sys.spawn([=](caf::event_based_actor* self) {
    self->request(target, timeout, xs...)
        .then([=](reply& r) { done(std::move(r)); }, [=](caf::error& e) { done(failure_reply(self->system(), e)); });
  });
}

}  // namespace cxs::actors
