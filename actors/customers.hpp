#pragma once
// The customer half of the service (SPEC §3, §4): the mailer, sign-up and auth actors, the
// session table, and the short jobs that run Argon2id off the scheduler threads. service.cpp
// owns one and forwards the customer calls of service.hpp to it.

#include "actors/auth.hpp"
#include "actors/service.hpp"
#include "actors/signup.hpp"

namespace cxs::actors {

class customers {
 public:
  struct deps {
    caf::actor_system* system = nullptr;
    storage::store* db = nullptr;
    writer_actor writer;
    directory_actor directory;
    const config::clock* clock = nullptr;
    std::chrono::milliseconds timeout{30000};
  };
  // Loads the mail texts and spawns the actors; null with error on failure.
  static std::unique_ptr<customers> start(const config::options& opts, deps d, std::string& error);

  void set_public_url(std::string url) { url_.set(std::move(url)); }
  std::optional<session_info> session(std::string_view token) { return sessions_.touch(token, clock_->now()); }

  void signup_apply(std::string body, domain::lang l, done_fn done);
  void signup_show(std::string token, domain::lang l, done_fn done);
  void signup_confirm(std::string token, domain::lang l, done_fn done);
  void login(std::string body, domain::lang l, done_fn done);
  void login_otp(std::string body, domain::lang l, done_fn done);
  void logout(std::string token, done_fn done);
  void me_show(std::string id, std::string csrf, done_fn done);
  void me_update(std::string id, std::string body, domain::lang l, std::string csrf, done_fn done);
  void reissue_request(std::string body, domain::lang l, done_fn done);
  void reissue(std::string body, domain::lang l, done_fn done);
  void plan_show(std::string id, done_fn done);

  void stop();

 private:
  caf::actor_system* sys_ = nullptr;
  deps deps_;
  const config::clock* clock_ = nullptr;
  config::public_url url_;
  session_table sessions_;
  std::string timing_hash_;  // verified for unknown IDs, so they cost what known ones cost
  mailer_actor mailer_;
  signup_actor signup_;
  auth_actor auth_;
};

}  // namespace cxs::actors
