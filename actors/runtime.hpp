#pragma once
// The composition root of the actor side: opens storage, loads the registry, spawns every actor
// and hands out the two narrow facades. CAF-free, so cxs-server's main compiles without CAF.

#include "actors/admin_api.hpp"
#include "actors/customer_api.hpp"
#include "config/options.hpp"

#include <memory>
#include <string>

namespace cxs::actors {

class runtime {
 public:
  // Null with error on failure.
  static std::unique_ptr<runtime> start(const config::options& opts, std::string& error);
  virtual ~runtime() = default;

  virtual admin_api& admin() = 0;
  virtual customer_api& customer() = 0;
  // The address links in mails point at (the bound customer listener unless --public-url).
  virtual void set_public_url(std::string url) = 0;
  // Stops the actors after in-flight work and flushes storage.
  virtual void shutdown() = 0;
};

}  // namespace cxs::actors
