#pragma once
// The actor side as the front door sees it: plain calls that answer through a callback, with no
// CAF types in sight, so http/ compiles without CAF headers. Each call sends one request to the
// actor that owns the answer; a timeout or a failed actor becomes a 503/500 reply, never a hang.

#include "actors/reply.hpp"
#include "actors/session_table.hpp"
#include "config/clock.hpp"
#include "config/options.hpp"
#include "domain/messages.hpp"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cxs::actors {

using done_fn = std::function<void(reply)>;
using query_list = std::vector<std::pair<std::string, std::string>>;

class service {
 public:
  // Opens storage, loads the registry and spawns the actors. Null with error on failure.
  static std::unique_ptr<service> start(const config::options& opts, std::string& error);
  virtual ~service() = default;

  virtual void registry_show(done_fn done) = 0;
  virtual void registry_replace(std::string body, bool replace, done_fn done) = 0;
  virtual void account_create(std::string body, done_fn done) = 0;
  virtual void account_show(std::string id, done_fn done) = 0;
  virtual void account_plan(std::string id, std::string body, done_fn done) = 0;
  virtual void account_crash(std::string id, done_fn done) = 0;  // testing only
  virtual void analytics(std::string id, std::string name, query_list query, done_fn done) = 0;
  virtual void ingest(std::shared_ptr<std::string> body, std::string content_type, done_fn done) = 0;
  virtual void retention_run(done_fn done) = 0;

  // The customer side (SPEC §3, §4, §11). Messages follow l (Japanese unless the client asks
  // for English).
  virtual void set_public_url(std::string url) = 0;  // the default: the bound customer listener
  virtual void signup_apply(std::string body, domain::lang l, done_fn done) = 0;
  virtual void signup_show(std::string token, domain::lang l, done_fn done) = 0;
  virtual void signup_confirm(std::string token, domain::lang l, done_fn done) = 0;
  virtual void login(std::string body, domain::lang l, done_fn done) = 0;
  virtual void login_otp(std::string body, domain::lang l, done_fn done) = 0;
  virtual void logout(std::string session_token, done_fn done) = 0;
  // The live session of a cookie value (its idle time restarts); answered at once, no actor hop.
  virtual std::optional<session_info> session(std::string_view token) = 0;
  virtual void me_show(std::string id, std::string csrf, done_fn done) = 0;
  virtual void me_update(std::string id, std::string body, domain::lang l, std::string csrf, done_fn done) = 0;
  virtual void reissue_request(std::string body, domain::lang l, done_fn done) = 0;
  virtual void reissue(std::string body, domain::lang l, done_fn done) = 0;
  virtual void plan_show(std::string id, done_fn done) = 0;

  virtual bool ready() const = 0;
  virtual std::string storage_metrics() const = 0;  // cxs_storage_* in Prometheus text
  // Stops the actors after in-flight work and flushes storage.
  virtual void shutdown() = 0;
};

}  // namespace cxs::actors
