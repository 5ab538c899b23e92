#pragma once
// Many HTTPS requests in flight on one thread (libcurl's multi interface): cxs-load starts each
// operation at its planned time whatever else is running, so requests are handed over and
// answered by callback; connections are kept alive and bounded per host, and a request that
// finds them all busy waits in libcurl's queue (that wait is part of its measured latency).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cxs::load {

struct http_request {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
};

struct http_response {
  long status = 0;        // 0 when the request failed below HTTP
  std::string transport;  // libcurl's message when status is 0
  std::string body;
  std::string set_cookie;  // the first Set-Cookie's name=value
};

struct client_settings {
  std::string cacert;  // verify against this PEM; empty: no verification (loopback test servers)
  unsigned connections_per_host = 32;
  std::chrono::milliseconds timeout{30000};
};

class http_client {
 public:
  using callback = std::function<void(http_response&&)>;

  explicit http_client(const client_settings& settings);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  void send(http_request request, callback done);
  // Waits at most `max_wait` for network activity, then runs the callbacks of finished requests
  // (which may send more).
  void run_once(std::chrono::milliseconds max_wait);
  std::size_t in_flight() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace cxs::load
