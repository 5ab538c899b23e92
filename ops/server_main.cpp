// cxs-server: reads flags, prepares TLS and the operator token, starts the actors and the two
// HTTPS listeners, prints the ready line, and on SIGTERM finishes in-flight requests and flushes.

#include "actors/runtime.hpp"
#include "config/options.hpp"
#include "config/secrets.hpp"
#include "domain/custom_upload.hpp"
#include "http/admin_routes.hpp"
#include "http/customer_routes.hpp"
#include "http/server.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <malloc.h>
#include <sys/stat.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

using namespace cxs;

int main(int argc, char** argv) {
  // glibc gives every thread that allocates its own arena (up to 8 per core); with CAF workers,
  // I/O threads and detached actors that fragments the heap after large ingest requests
  // (docs/performance.md: peak RSS 995 → 759 MiB). One arena per core costs no measurable speed.
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
  auto parsed = config::parse_options(argc, argv);
  if (auto* failure = std::get_if<config::parse_failure>(&parsed)) {
    (failure->exit_code == 0 ? std::cout : std::cerr) << failure->message << std::endl;
    return failure->exit_code;
  }
  auto opts = std::get<config::options>(parsed);
  if (auto problem = config::validate(opts); !problem.empty()) {
    std::cerr << problem << std::endl;
    return 2;
  }
  // Logs go to standard error; standard output carries only the ready line.
  auto logger = spdlog::stderr_color_mt("cxs");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(opts.log_level));

  // Everything the service writes (database, outbox, keys, TLS files) is its own user's alone:
  // folders 0700, files 0600 (SPEC §18), whatever umask it was started with.
  umask(077);
  std::error_code ec;
  std::filesystem::create_directories(opts.data_dir, ec);
  if (!ec) std::filesystem::permissions(opts.data_dir, std::filesystem::perms::owner_all, ec);
  if (ec) {
    std::cerr << "cxs-server: --data-dir: cannot create " << opts.data_dir << " with mode 0700: " << ec.message()
              << std::endl;
    return 2;
  }
  if (opts.admin_token_file.empty()) opts.admin_token_file = opts.data_dir + "/admin.token";
  std::string error;
  bool created_token = !std::filesystem::exists(opts.admin_token_file);
  auto token = config::load_or_create_token(opts.admin_token_file, error);
  if (!error.empty()) {
    std::cerr << "cxs-server: --admin.token-file: " << error << std::endl;
    return 2;
  }
  if (created_token) spdlog::info("operator token created in {}", opts.admin_token_file);  // the path, never the token

  std::string cert = opts.tls_cert, key = opts.tls_key;
  if (cert.empty()) {
    cert = opts.data_dir + "/tls/server.crt";
    key = opts.data_dir + "/tls/server.key";
    if (!config::ensure_self_signed_cert(cert, key, error)) {
      std::cerr << "cxs-server: TLS: " << error << std::endl;
      return 2;
    }
  }

  auto actors = actors::runtime::start(opts, error);
  if (!actors) {
    std::cerr << error << std::endl;
    return 1;
  }

  const double started_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  http::admin_context admin{&actors->admin(), token, !opts.testing_clock.empty(),
                            std::make_shared<metrics::stats_history>(started_s)};
  std::vector<http::listener_config> listeners;
  auto web_root = opts.web_root;
  if (web_root.empty()) {
    // build/bin/cxs-server serves build/web, where `./ops/cxs build` puts the pages.
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) web_root = (exe.parent_path().parent_path() / "web").string();
  }
  auto site = http::static_site::load(web_root, error);
  if (!site) {
    std::cerr << "cxs-server: --web.root: " << error << std::endl;
    return 2;
  }
  if (site->empty())
    spdlog::warn("no browser pages in {} (build them with ./ops/cxs build); /api/ works", web_root);
  else
    spdlog::info("browser pages: {} files from {}", site->size(), web_root);
  admin.site = site;  // the /ops page is built with the customer pages
  http::customer_context customer(&actors->customer(), site, opts.rate_address_per_minute, opts.rate_id_per_minute);
  listeners.push_back({"customer",
                       opts.http_host,
                       opts.http_port,
                       [&customer](const http::request& r, http::respond_fn respond) {
                         http::handle_customer(customer, r, std::move(respond));
                       },
                       http::customer_route_label,
                       http::add_security_headers,
                       {},
                       /*whole_request_deadline=*/true,
                       {{"POST", "/api/custom/upload", domain::custom_upload_max_bytes}},
                       /*client_ca_pem=*/actors->customer().ca_pem()});
  listeners.push_back(
      {"admin",
       opts.admin_host,
       opts.admin_port,
       [&admin](const http::request& r, http::respond_fn respond) { http::handle_admin(admin, r, std::move(respond)); },
       http::admin_route_label,
       http::add_admin_security_headers,
       [&admin](const http::request& head) { return http::admin_head_check(admin, head); },
       /*whole_request_deadline=*/false,
       {{"POST", "/admin/ingest", opts.ingest_max_body}},
       /*client_ca_pem=*/{}});
  http::server_config scfg{
      cert, key, opts.http_max_body, opts.http_idle_timeout_s, opts.io_threads, opts.max_connections_per_address};
  auto server = http::server::start(scfg, std::move(listeners), error);
  if (!server) {
    std::cerr << error << std::endl;
    return 1;
  }
  if (opts.public_url.empty()) {
    // Links in mails point at the customer listener; a wildcard address is not one a browser can open.
    auto url = server->url(0);
    if (auto at = url.find("://0.0.0.0:"); at != std::string::npos) url.replace(at + 3, 7, "localhost");
    actors->set_public_url(url);
  }
  std::cout << "cxs ready customer=" << server->url(0) << " admin=" << server->url(1) << std::endl;
  server->run_until_signal();
  server.reset();
  actors->shutdown();
  spdlog::info("stopped");
  return 0;
}
