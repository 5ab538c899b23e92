#include "http/server.hpp"

#include <algorithm>

#include "metrics/metrics.hpp"

#include <openssl/pem.h>
#include <spdlog/spdlog.h>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace cxs::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

// Mozilla "intermediate" (TLS 1.2 ciphers; TLS 1.3 suites are OpenSSL's defaults).
constexpr const char* intermediate_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

constexpr auto handshake_timeout = std::chrono::seconds(10);
constexpr auto body_read_timeout = std::chrono::seconds(300);  // a 256 MiB ingest over a slow link

struct shared_state {
  server_config cfg;
  std::atomic<int> in_flight{0};  // requests from header read to response written
  std::atomic<bool> stopping{false};
};

// Counts one request in flight for as long as it lives (SIGTERM waits for these), and in the
// listener's cxs_http_in_flight gauge.
class in_flight_guard {
 public:
  in_flight_guard(std::atomic<int>& n, metrics::gauge* g) : n_(n), g_(g) { ++n_, g_->add(1); }
  ~in_flight_guard() { --n_, g_->add(-1); }
  in_flight_guard(const in_flight_guard&) = delete;
  in_flight_guard& operator=(const in_flight_guard&) = delete;

 private:
  std::atomic<int>& n_;
  metrics::gauge* g_;
};

// The open connections of each client address on one listener (SPEC §18). The map holds only
// addresses with a connection open, so it is as small as the connections themselves.
class address_slots : public std::enable_shared_from_this<address_slots> {
 public:
  // Held by a session for its whole life; gives the slot back when the session goes.
  class slot {
   public:
    slot(std::shared_ptr<address_slots> owner, std::string address)
        : owner_(std::move(owner)), address_(std::move(address)) {}
    ~slot() { owner_->give_back(address_); }
    slot(const slot&) = delete;
    slot& operator=(const slot&) = delete;

   private:
    std::shared_ptr<address_slots> owner_;
    std::string address_;
  };

  address_slots(uint32_t limit, const std::string& listener)
      : limit_(limit),
        open_gauge_(metrics::global().get_gauge("cxs_http_connections", {{"listener", listener}})),
        refused_(metrics::global().get_counter("cxs_http_connections_refused_total", {{"listener", listener}})) {}

  // A slot for address, or null when the address holds the limit already.
  std::unique_ptr<slot> take(const std::string& address) {
    {
      std::lock_guard lock(mutex_);
      auto& n = open_[address];
      if (n >= limit_) {
        refused_.inc();
        return nullptr;
      }
      ++n;
    }
    open_gauge_.add(1);
    return std::make_unique<slot>(shared_from_this(), address);
  }

 private:
  void give_back(const std::string& address) {
    open_gauge_.add(-1);
    std::lock_guard lock(mutex_);
    if (auto it = open_.find(address); it != open_.end() && --it->second == 0) open_.erase(it);
  }

  const uint32_t limit_;
  metrics::gauge& open_gauge_;
  metrics::counter& refused_;
  std::mutex mutex_;
  std::unordered_map<std::string, uint32_t> open_;
};

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket&& socket, ssl::context& ctx, std::shared_ptr<shared_state> shared,
          const listener_config* listener, std::unique_ptr<address_slots::slot> slot, X509* client_ca)
      : stream_(std::move(socket), ctx),
        shared_(std::move(shared)),
        listener_(listener),
        client_ca_(client_ca),
        slot_(std::move(slot)) {
    largest_body_ = shared_->cfg.max_body;
    for (auto& large : listener_->large_bodies) largest_body_ = std::max(largest_body_, large.limit);
    in_flight_gauge_ = &metrics::global().get_gauge("cxs_http_in_flight", {{"listener", listener_->name}});
  }

  void run() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&session::on_run, shared_from_this())); }

 private:
  void on_run() {
    if (client_ca_) {
      // SPEC §16: every client is asked for a certificate of our CA (its name goes in the
      // request, so browsers offer only ours) and none is required. Any chain passes here: the
      // login judges what was presented (pki::authority::recognise and the register).
      SSL* ssl = stream_.native_handle();
      SSL_set_verify(ssl, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
      SSL_add_client_CA(ssl, client_ca_);
      // Resumed sessions keep their client certificate; they resume only on this listener.
      static constexpr unsigned char context[] = "cxs-customer";
      SSL_set_session_id_context(ssl, context, sizeof context - 1);
    }
    beast::get_lowest_layer(stream_).expires_after(handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server,
                            beast::bind_front_handler(&session::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    metrics::global()
        .get_counter("cxs_tls_handshakes_total", {{"listener", listener_->name}, {"outcome", ec ? "failed" : "ok"}})
        .inc();
    if (ec) return fail(ec, "handshake");
    if (client_ca_)
      if (X509* peer = SSL_get0_peer_certificate(stream_.native_handle())) {
        unsigned char* der = nullptr;
        const int n = i2d_X509(peer, &der);
        if (n > 0) client_certificate_.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(n));
        OPENSSL_free(der);
      }
    read_header();
  }

  void read_header() {
    if (shared_->stopping) return close();
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    // Beast checks a Content-Length against the limit while parsing the header, so the header is
    // read with the largest limit of this listener and the route's own limit applied in on_header.
    parser_->body_limit(largest_body_);
    auto idle = std::chrono::seconds(shared_->cfg.idle_timeout_s);
    beast::get_lowest_layer(stream_).expires_after(idle);
    if (!listener_->whole_request_deadline || buffer_.size() > 0) return read_header_bytes();
    // Wait idle for the first byte of the next request; from it on, the whole request has the
    // idle timeout to arrive (SPEC §18): a client trickling a byte at a time cannot hold the
    // connection for longer.
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec == net::error::eof || ec == ssl::error::stream_truncated) return self->close();
      if (ec) return self->fail(ec, "read first byte");
      self->buffer_.commit(n);
      self->read_header_bytes();
    });
  }

  // The deadline of the customer listener runs from the first byte, already set: it is not reset
  // while the head and the body arrive.
  void read_header_bytes() {
    if (listener_->whole_request_deadline)
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(shared_->cfg.idle_timeout_s));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == ssl::error::stream_truncated)
      return close();
    if (ec == bhttp::error::body_limit) return too_large();
    if (ec) return fail(ec, "read header");
    active_.emplace(shared_->in_flight, in_flight_gauge_);
    auto& req = parser_->get();
    if (listener_->check_head) {
      auto head = to_request(req);
      if (auto answer = listener_->check_head(head)) {
        started_ = std::chrono::steady_clock::now();
        keep_alive_ = false;  // the body is never read: the connection cannot be reused
        label_ = listener_->route_label(head);
        method_ = head.method;
        return send(std::move(*answer));
      }
    }
    auto target = req.target();
    auto path = target.substr(0, target.find('?'));
    auto limit = shared_->cfg.max_body;
    for (auto& large : listener_->large_bodies)
      if (req.method_string() == large.method && path == large.path) limit = large.limit;
    if (parser_->content_length() && *parser_->content_length() > limit) return too_large();
    parser_->body_limit(limit);  // chunked bodies are checked as they arrive
    if (!listener_->whole_request_deadline) beast::get_lowest_layer(stream_).expires_after(body_read_timeout);
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      bhttp::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
        if (ec) return self->fail(ec, "write 100-continue");
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&session::on_body, shared_from_this()));
  }

  // Method, target and headers (names in lower case) and the client's address; no body.
  template <class Message>
  request to_request(const Message& msg) {
    request req;
    req.method = std::string(msg.method_string());
    auto target = std::string(msg.target());
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    for (auto& field : msg) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers[name] = std::string(field.value());
    }
    beast::error_code ignored;
    req.remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ignored).address().to_string();
    req.client_certificate = client_certificate_;
    return req;
  }

  // 413, then close: the rest of the body is not read.
  void too_large() {
    started_ = std::chrono::steady_clock::now();
    keep_alive_ = false;
    request empty;
    // The route's label, as for any answer: the path without its query string.
    auto target = std::string_view(parser_->get().target());
    empty.path = std::string(target.substr(0, target.find('?')));
    label_ = listener_->route_label(empty);
    send(error_reply(413, "too_large", "the request body is over the limit"));
  }

  void on_body(beast::error_code ec, std::size_t) {
    started_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::body_limit) return too_large();
    if (ec) return fail(ec, "read body");
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    auto req = to_request(msg);
    *req.body = std::move(msg.body());
    label_ = listener_->route_label(req);
    head_ = msg.method() == bhttp::verb::head;
    method_ = req.method;
    listener_->handler(req, [self = shared_from_this()](reply r) {
      // Actors answer on their own threads: hop back onto this connection's executor.
      net::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable { self->send(std::move(r)); });
    });
  }

  void send(reply r) {
    if (listener_->decorate) listener_->decorate(r);
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(r.status), 11);
    res->set(bhttp::field::server, "cxs");
    res->set(bhttp::field::content_type, r.content_type);
    bool own_cache_control =
        std::any_of(r.headers.begin(), r.headers.end(), [](auto& h) { return h.first == "Cache-Control"; });
    if (!own_cache_control) res->set(bhttp::field::cache_control, "no-store");
    if (!r.filename.empty()) res->set(bhttp::field::content_disposition, "attachment; filename=\"" + r.filename + "\"");
    if (!r.allow.empty()) res->set(bhttp::field::allow, r.allow);
    for (auto& [name, value] : r.headers) res->insert(name, value);
    res->keep_alive(keep_alive_ && !shared_->stopping);
    res->body() = std::move(r.body);
    res->prepare_payload();
    if (head_) res->body().clear();
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    auto& m = metrics::global();
    m.get_counter("cxs_http_requests_total",
                  {{"listener", listener_->name}, {"route", label_}, {"status", std::to_string(r.status)}})
        .inc();
    m.get_histogram("cxs_http_request_duration_seconds", {{"listener", listener_->name}, {"route", label_}})
        .observe(seconds);
    // One line per request, with the route label only: never the query string or the body.
    spdlog::debug("{} {} {} {} {:.3f} ms", listener_->name, method_, label_, r.status, seconds * 1000);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(shared_->cfg.idle_timeout_s));
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      self->active_.reset();
      if (ec) return self->fail(ec, "write");
      if (!res->keep_alive()) return self->close();
      self->read_header();
    });
  }

  void close() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }

  // The one funnel for connection errors: timeouts and resets are routine, logged at debug.
  void fail(beast::error_code ec, const char* what) {
    spdlog::debug("{} connection {}: {}", listener_->name, what, ec.message());
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<shared_state> shared_;
  const listener_config* listener_;
  X509* client_ca_ = nullptr;       // the listener's (it outlives every session), or null
  std::string client_certificate_;  // DER, as the client presented it in the handshake
  uint64_t largest_body_ = 0;       // of any request of the listener
  metrics::gauge* in_flight_gauge_ = nullptr;
  std::string label_;
  std::string method_;
  bool keep_alive_ = true;
  bool head_ = false;
  std::chrono::steady_clock::time_point started_;
  std::optional<in_flight_guard> active_;
  std::unique_ptr<address_slots::slot> slot_;
};

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(net::io_context& ioc, ssl::context& ctx, std::shared_ptr<shared_state> shared, listener_config cfg)
      : ioc_(ioc),
        ctx_(ctx),
        acceptor_(net::make_strand(ioc)),
        shared_(std::move(shared)),
        cfg_(std::move(cfg)),
        slots_(std::make_shared<address_slots>(shared_->cfg.max_connections_per_address, cfg_.name)) {
    if (!cfg_.client_ca_pem.empty()) {
      std::unique_ptr<BIO, decltype(&BIO_free)> bio(
          BIO_new_mem_buf(cfg_.client_ca_pem.data(), static_cast<int>(cfg_.client_ca_pem.size())), BIO_free);
      client_ca_.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
      if (!client_ca_)
        spdlog::error("{}: the client certificates' CA cannot be read: no client certificate is asked for", cfg_.name);
    }
  }

  bool bind(std::string& error) {
    beast::error_code ec;
    auto address = net::ip::make_address(cfg_.host, ec);
    if (ec) {
      error = "cxs-server: --" + std::string(cfg_.name == "admin" ? "admin" : "http") + ".host: '" + cfg_.host +
              "' is not an IP address";
      return false;
    }
    tcp::endpoint ep{address, cfg_.port};
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      error = "cxs-server: cannot listen on " + cfg_.host + ":" + std::to_string(cfg_.port) + " (" + cfg_.name +
              "): " + ec.message();
      return false;
    }
    port_ = acceptor_.local_endpoint().port();
    return true;
  }

  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

  void stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

  std::string url() const {
    auto host = cfg_.host == "0.0.0.0" ? std::string("0.0.0.0") : cfg_.host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "https://" + host + ":" + std::to_string(port_);
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      beast::error_code ignored;
      auto address = socket.remote_endpoint(ignored).address().to_string();
      if (auto slot = slots_->take(address)) {
        // An answer larger than one TLS record goes out in several writes: without NODELAY the
        // last one waits for the client's delayed ACK (40 ms on Linux) on a keep-alive connection.
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<session>(std::move(socket), ctx_, shared_, &cfg_, std::move(slot), client_ca_.get())->run();
      } else {
        // Over the limit: closed before the handshake, so a flood costs no TLS work.
        spdlog::debug("{}: an address holds {} connections already; one more closed", cfg_.name,
                      shared_->cfg.max_connections_per_address);
        socket.close(ignored);
      }
    }
    accept();
  }

  net::io_context& ioc_;
  ssl::context& ctx_;
  tcp::acceptor acceptor_;
  std::shared_ptr<shared_state> shared_;
  listener_config cfg_;
  std::unique_ptr<X509, decltype(&X509_free)> client_ca_{nullptr, X509_free};
  std::shared_ptr<address_slots> slots_;
  uint16_t port_ = 0;
};

class server_impl final : public server {
 public:
  explicit server_impl(const server_config& cfg)
      : ioc_(static_cast<int>(cfg.io_threads)), work_(net::make_work_guard(ioc_)), ctx_(ssl::context::tls_server) {
    shared_ = std::make_shared<shared_state>();
    shared_->cfg = cfg;
  }

  bool open(std::vector<listener_config> listeners, std::string& error) {
    ctx_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ctx_.native_handle(), TLS1_2_VERSION);
    // Said explicitly, not left to the library's defaults: no renegotiation (TLS 1.2 client-
    // initiated renegotiation costs the server a handshake per request), no TLS compression (CRIME).
    // The server's cipher order decides for TLS 1.2, not the client's (testssl.sh asks for it).
    SSL_CTX_set_options(ctx_.native_handle(),
                        SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_cipher_list(ctx_.native_handle(), intermediate_ciphers);
    beast::error_code ec;
    ctx_.use_certificate_chain_file(shared_->cfg.cert_file, ec);
    if (!ec) ctx_.use_private_key_file(shared_->cfg.key_file, ssl::context::pem, ec);
    if (ec) {
      error = "cxs-server: TLS certificate or key cannot be used (" + shared_->cfg.cert_file + "): " + ec.message();
      return false;
    }
    for (auto& l : listeners) {
      auto ptr = std::make_shared<listener>(ioc_, ctx_, shared_, std::move(l));
      if (!ptr->bind(error)) return false;
      listeners_.push_back(ptr);
    }
    for (auto& l : listeners_) l->accept();
    for (uint32_t i = 0; i < shared_->cfg.io_threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
    return true;
  }

  std::string url(std::size_t i) const override { return listeners_.at(i)->url(); }

  void run_until_signal() override {
    net::io_context signal_ctx;
    net::signal_set signals(signal_ctx, SIGTERM, SIGINT);
    signals.async_wait([](beast::error_code, int sig) { spdlog::info("signal {}: stopping", sig); });
    signal_ctx.run();
    shared_->stopping = true;
    for (auto& l : listeners_) l->stop();
    // Finish what is in flight (bounded), then stop the I/O threads.
    for (int i = 0; i < 300 && shared_->in_flight.load() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the last responses leave
    ioc_.stop();
    for (auto& t : threads_) t.join();
  }

  ~server_impl() override {
    ioc_.stop();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  net::io_context ioc_;
  // Keeps the I/O threads running while a session waits for an actor's answer with no socket
  // operation pending (otherwise run() returns and the posted answer is never written).
  net::executor_work_guard<net::io_context::executor_type> work_;
  ssl::context ctx_;
  std::shared_ptr<shared_state> shared_;
  std::vector<std::shared_ptr<listener>> listeners_;
  std::vector<std::thread> threads_;
};

}  // namespace

std::unique_ptr<server> server::start(const server_config& cfg, std::vector<listener_config> listeners,
                                      std::string& error) {
  auto s = std::make_unique<server_impl>(cfg);
  if (!s->open(std::move(listeners), error)) return nullptr;
  return s;
}

}  // namespace cxs::http
