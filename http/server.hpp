#pragma once
// The HTTPS front door (Boost.Beast, after its advanced_server_flex example): two TLS listeners,
// sessions with timeouts and body limits, one handler per listener from request to reply, and a
// graceful stop on SIGTERM. The only translation unit that includes Beast.

#include "http/reply.hpp"
#include "http/request.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cxs::http {

using handler_fn = std::function<void(const request&, std::function<void(reply)>)>;
using label_fn = std::function<std::string(const request&)>;

struct listener_config {
  std::string name;  // "customer" or "admin": the metrics label
  std::string host;
  uint16_t port = 0;
  handler_fn handler;
  label_fn route_label;
  // Applied to every answer of the listener, those of the front door itself (413, …) included.
  std::function<void(reply&)> decorate;
  // Looks at a request's head (no body yet): an answer here is sent at once and the connection
  // closed without reading the body (the admin token, SPEC §18).
  std::function<std::optional<reply>(const request&)> check_head;
  // A request, head and body, must arrive whole within the idle timeout of its first byte, however
  // slowly it trickles (SPEC §18, the customer listener). Off: the body may take 5 minutes (ingest).
  bool whole_request_deadline = false;
  // Requests whose body may be larger than server_config::max_body (the ingest, an upload); the
  // limit is checked against Content-Length before the body is read, and as a chunked one arrives.
  struct large_body {
    std::string method, path;
    uint64_t limit = 0;
  };
  std::vector<large_body> large_bodies;
  // SPEC §16: a CA certificate (PEM) whose clients this listener asks for a certificate in the TLS
  // handshake, never requiring one; request::client_certificate carries what a client presented
  // (any chain: the login judges it). Empty: no certificate is asked for.
  std::string client_ca_pem;
};

struct server_config {
  std::string cert_file, key_file;
  uint64_t max_body = 1 << 20;  // every request but a listener's large_bodies
  uint32_t idle_timeout_s = 30;
  uint32_t io_threads = 2;
  // Open connections one client address may hold on each listener (SPEC §18); more are closed
  // at accept, before the TLS handshake costs anything.
  uint32_t max_connections_per_address = 64;
};

class server {
 public:
  // Binds both listeners (ports 0 pick free ones). Null with error on failure.
  static std::unique_ptr<server> start(const server_config& cfg, std::vector<listener_config> listeners,
                                       std::string& error);
  virtual ~server() = default;
  // "https://HOST:PORT" of listener i, with the port actually bound.
  virtual std::string url(std::size_t i) const = 0;
  // Blocks until SIGTERM or SIGINT; then stops accepting and waits for in-flight requests.
  virtual void run_until_signal() = 0;
  // The front door's request counts and latency histograms are in metrics::global().
};

}  // namespace cxs::http
