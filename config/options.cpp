#include "config/options.hpp"

#include <CLI/CLI.hpp>

namespace cxs::config {

namespace {
// CLI11 reads "[http] port = 0" (or "http.port = 0") as option "port" of a subcommand "http" and
// silently drops it, since our flags are plain dotted names. Join each key back into its dotted
// flag name and drop the section markers, so every key of the file maps to one flag.
class dotted_config : public CLI::ConfigTOML {
 public:
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    auto items = CLI::ConfigTOML::from_config(input);
    std::vector<CLI::ConfigItem> out;
    for (auto& item : items) {
      if (item.name == "++" || item.name == "--") continue;
      CLI::ConfigItem flat;
      flat.name = item.fullname();
      flat.inputs = std::move(item.inputs);
      out.push_back(std::move(flat));
    }
    return out;
  }
};
}  // namespace

std::variant<options, parse_failure> parse_options(int argc, char** argv) {
  options o;
  CLI::App app{"CX Support server"};
  app.set_config("--config", "", "config file (TOML or INI; keys as the long flags, e.g. [http] port=8443)");
  app.config_formatter(std::make_shared<dotted_config>());
  app.allow_config_extras(CLI::config_extras_mode::error);  // an unknown key is an error, not ignored
  app.add_option("--data-dir", o.data_dir, "data folder")->capture_default_str();
  app.add_option("--http.host", o.http_host, "customer listener address")->capture_default_str();
  app.add_option("--http.port", o.http_port, "customer listener port (0 = any free port)")->capture_default_str();
  app.add_option("--admin.host", o.admin_host, "admin listener address")->capture_default_str();
  app.add_option("--admin.port", o.admin_port, "admin listener port (0 = any free port)")->capture_default_str();
  app.add_option("--admin.token-file", o.admin_token_file, "operator token file (default DATA/admin.token)");
  app.add_option("--tls.cert", o.tls_cert, "TLS certificate chain (PEM)");
  app.add_option("--tls.key", o.tls_key, "TLS private key (PEM)");
  app.add_option("--registry", o.registry, "OPID registry file, JSON or CSV");
  app.add_option("--mail.outbox", o.mail_outbox, "outbox folder (default DATA/outbox)");
  app.add_option("--mail.smtp", o.mail_smtp, "deliver through this SMTP server (smtp://host:port, smtps://host:port)");
  app.add_option("--mail.starttls", o.mail_starttls,
                 "STARTTLS on smtp://: always (refuse a server without it), try or never")
      ->capture_default_str()
      ->check(CLI::IsMember({"try", "always", "never"}));
  app.add_option("--mail.ca-file", o.mail_ca_file,
                 "CA certificates (PEM) that verify the SMTP server (default: the system's)");
  app.add_option("--mail.smtp-user", o.mail_smtp_user, "SMTP AUTH user");
  app.add_option("--mail.smtp-password-file", o.mail_smtp_password_file, "file holding the SMTP AUTH password");
  app.add_option("--mail.from", o.mail_from, "From address of every mail")->capture_default_str();
  app.add_option("--mail.templates", o.mail_templates, "folder of mail texts (default: the built-in texts)");
  app.add_option("--mail.retry-base-ms", o.mail_retry_base_ms, "first delivery retry after this, ms (doubling)")
      ->capture_default_str()
      ->check(CLI::Range(10u, 3600000u));
  app.add_option("--mail.retry-max-s", o.mail_retry_max_s, "longest delivery back-off, seconds")
      ->capture_default_str()
      ->check(CLI::Range(1u, 86400u));
  app.add_option("--rate.address-per-minute", o.rate_address_per_minute,
                 "login, OTP, sign-up, reissue and download-site (/certsrv/) requests per client address and minute")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  app.add_option("--rate.id-per-minute", o.rate_id_per_minute, "login and reissue requests per ID and minute")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  app.add_option("--public-url", o.public_url, "URL customers use (default the customer listener)");
  app.add_option("--web.root", o.web_root, "folder of the built browser pages (default: <binary's folder>/../web)");
  app.add_option("--testing.clock", o.testing_clock, "test clock offset file (tests only)");
  app.add_option("--ingest.max-body", o.ingest_max_body, "ingest body limit in bytes")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{4} << 30));
  app.add_option("--http.max-body", o.http_max_body, "request body limit in bytes")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1024}, uint64_t{64} << 20));
  app.add_option("--http.idle-timeout", o.http_idle_timeout_s, "idle connection timeout, seconds")
      ->capture_default_str()
      ->check(CLI::Range(1u, 3600u));
  app.add_option("--http.request-timeout-ms", o.request_timeout_ms, "actor answer timeout, ms")
      ->capture_default_str()
      ->check(CLI::Range(100u, 600000u));
  app.add_option("--accounts.passivate-after", o.passivate_after_s, "idle seconds before an account actor stops")
      ->capture_default_str()
      ->check(CLI::Range(1u, 86400u));
  app.add_option("--accounts.answer-cache-mib", o.answer_cache_mib,
                 "MiB of analysis answers kept for the same question asked again (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0u, 65536u));
  app.add_option("--http.io-threads", o.io_threads, "HTTP I/O threads")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  app.add_option("--auth.hash-parallel", o.hash_parallel, "Argon2id password hashes computed at once")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  app.add_option("--auth.hash-queue", o.hash_queue, "password hashes that may wait for their turn (beyond: 503 busy)")
      ->capture_default_str()
      ->check(CLI::Range(0u, 10000u));
  app.add_option("--http.max-connections-per-address", o.max_connections_per_address,
                 "open connections one client address may hold on each listener (load tests raise it)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  app.add_option("--log.level", o.log_level, "trace, debug, info, warn, error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return parse_failure{app.help(), 0};
  } catch (const CLI::ParseError& e) {
    return parse_failure{std::string("cxs-server: ") + e.what(), 2};
  }
  return o;
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string validate(const options& o) {
  if (!o.testing_clock.empty()) {
    if (!is_loopback_host(o.http_host))
      return "cxs-server: --testing.clock is refused with a non-loopback --http.host (" + o.http_host + ")";
    if (!is_loopback_host(o.admin_host))
      return "cxs-server: --testing.clock is refused with a non-loopback --admin.host (" + o.admin_host + ")";
  }
  if ((o.tls_cert.empty()) != (o.tls_key.empty())) return "cxs-server: --tls.cert and --tls.key go together";
  return {};
}

}  // namespace cxs::config
