#pragma once
// The URL customers reach the service at, for links in mails: --public-url, or else the customer
// listener's URL, which is only known once it is bound (port 0 picks one). Set once at start,
// read by the actors that write mails.

#include <mutex>
#include <string>

namespace cxs::config {

class public_url {
 public:
  void set(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    std::lock_guard lock(mutex_);
    url_ = std::move(url);
  }
  std::string get() const {
    std::lock_guard lock(mutex_);
    return url_;
  }

 private:
  mutable std::mutex mutex_;
  std::string url_;
};

}  // namespace cxs::config
