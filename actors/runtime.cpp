// The composition root of the actor side: the one place that opens storage, loads the registry
// and the mail settings, spawns every actor, wires their handles into the facades, and stops
// them in order.

#include "actors/runtime.hpp"

#include "actors/auth_store.hpp"
#include "actors/id_migration.hpp"
#include "actors/minute_figures.hpp"
#include "actors/session_store.hpp"
#include "actors/wiring.hpp"
#include "config/public_url.hpp"
#include "config/secrets.hpp"

#include <spdlog/spdlog.h>

#include <malloc.h>
#include <filesystem>
#include <fstream>
#include <thread>

namespace cxs::actors {

namespace {

bool read_secret_file(const std::string& path, std::string& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::getline(in, out);
  return true;
}

// The mailer's settings from the options: texts, and the outbox folder or an SMTP server.
bool mailer_settings(const config::options& opts, mailer_config& mc, std::string& error) {
  mc.from = opts.mail_from;
  mc.retry_base_ms = opts.mail_retry_base_ms;
  mc.retry_max_s = opts.mail_retry_max_s;
  if (!opts.mail_templates.empty() && !domain::mail_texts::load_dir(opts.mail_templates, mc.texts, error)) return false;
  if (opts.mail_smtp.empty()) {
    auto outbox = opts.mail_outbox.empty() ? opts.data_dir + "/outbox" : opts.mail_outbox;
    mc.transport = make_outbox_transport(outbox);
    spdlog::info("mail: writing to the outbox folder {}", outbox);
    return true;
  }
  smtp_settings s{opts.mail_smtp, opts.mail_starttls, opts.mail_smtp_user, {}, opts.mail_ca_file};
  if (!opts.mail_smtp_password_file.empty() && !read_secret_file(opts.mail_smtp_password_file, s.password)) {
    error = "cxs-server: cannot read --mail.smtp-password-file " + opts.mail_smtp_password_file;
    return false;
  }
  mc.transport = make_smtp_transport(std::move(s));
  spdlog::info("mail: delivering through SMTP {} (STARTTLS {})", opts.mail_smtp, opts.mail_starttls);
  return true;
}

class runtime_impl final : public runtime {
 public:
  bool open(const config::options& opts, std::string& error) {
    clock_ = config::clock(opts.testing_clock);
    std::error_code ec;
    std::filesystem::create_directories(opts.data_dir, ec);
    db_ = storage::store::open(opts.data_dir + "/db", error);
    if (!db_) return false;
    auto caller_key = config::load_or_create_key(opts.data_dir + "/caller-hash.key", 32, error);
    if (!error.empty()) return false;
    auto initial = load_registry_at_start(*db_, opts.registry, error);
    if (!initial) return false;
    auto accounts = load_accounts(*db_, error);
    if (!accounts) return false;
    if (!migrate_seen_to_ids(*db_, *accounts, error)) return false;
    const auto minutes_since = minutes_kept_since(*db_, *accounts, clock_.now(), error);
    if (!minutes_since) return false;
    auto children = load_children(*db_, error);
    if (!children) return false;
    // Sessions from before the restart (SPEC §19), then every change to them is written through.
    if (!load_sessions(*db_, sessions_, clock_.now(), error)) return false;
    session_store_ = std::make_unique<session_store>(*db_);
    sessions_.set_journal(session_store_.get());
    mailer_config mc;
    mc.stored = load_mail_queue(*db_, error);
    if (!mc.stored) return false;
    auto applications = load_applications(*db_, error);
    if (!applications) return false;
    mc.db = db_.get();
    mc.clock = &clock_;
    if (!mailer_settings(opts, mc, error)) return false;
    url_.set(opts.public_url);

    // One scheduler worker per core: more only adds context switches (CAF's default is at least 4).
    cfg_.set("scheduler.max-threads", std::max(2u, std::thread::hardware_concurrency()));
    // An idle worker spins briefly, then sleeps on its condition variable, which a message from
    // an I/O thread wakes at once. CAF's default polls 500 times 50 µs apart first: wake-ups
    // that took half the server's samples in a profile of one keep-alive client, and the next
    // request waited for the poll (docs/performance.md).
    cfg_.set("work-stealing.moderate-poll-attempts", size_t{0});
    cfg_.add_error_category(caf::atom("cxs"), [](uint8_t code, caf::atom_value, const caf::message&) {
      return "cxs:" + std::string(domain::error_name(static_cast<domain::error_code>(code)));
    });
    system_ = std::make_unique<caf::actor_system>(cfg_);
    wiring w;
    w.system = system_.get();
    w.db = db_.get();
    w.clock = &clock_;
    w.timeout = std::chrono::milliseconds(opts.request_timeout_ms);
    w.writer = spawn_writer(*system_, db_.get());
    answers_ = std::make_unique<answer_cache>(std::size_t{opts.answer_cache_mib} << 20);
    w.answers = answers_.get();
    account_env env{db_.get(), w.writer, &clock_, answers_.get(), *minutes_since};
    w.directory =
        spawn_directory(*system_, {env, opts.passivate_after_s, accounts, std::move(*children), &sessions_}, initial);
    registry_opids_ = initial->size();
    w.registry = spawn_registry(*system_, db_.get(), w.directory, initial, &registry_opids_);
    w.mailer = spawn_mailer(*system_, std::move(mc));
    auth_config ac;
    ac.directory = w.directory;
    ac.mailer = w.mailer;
    ac.sessions = &sessions_;
    ac.clock = &clock_;
    ac.url = &url_;
    // Lockouts and reissue links from before the restart (SPEC §4), then written through.
    if (!load_auth_state(*db_, clock_.now(), ac.kept, error)) return false;
    auth_store_ = std::make_unique<auth_store>(*db_);
    ac.journal = auth_store_.get();
    w.auth = spawn_auth(*system_, ac);
    // The client certificates' CA (SPEC §16): made at the first start, kept in the data folder.
    auto ca = pki::authority::open(opts.data_dir + "/ca", clock_.now(), error);
    if (!ca) {
      error = "cxs-server: the certificate authority: " + error;
      return false;
    }
    w.ca_pem = ca->ca_pem();
    auto certificates =
        spawn_certificates(*system_, {std::move(*ca), db_.get(), &clock_, w.mailer, &url_, w.directory}, error);
    if (!certificates) return false;
    w.certificates = *certificates;
    w.signup = spawn_signup(*system_,
                            {db_.get(), w.writer, w.directory, w.mailer, w.certificates, &clock_, &url_, applications});
    w.sessions = &sessions_;
    w.public_url = &url_;
    w.caller_key = std::move(caller_key);
    auto timing_hash = domain::hash_password("TimingOnly0" + domain::new_account_id());
    if (!timing_hash) {
      error = "cxs-server: cannot compute an Argon2id hash at start: " + timing_hash.error().detail;
      return false;
    }
    w.timing_hash = std::move(*timing_hash);
    w.hashes = hash_gate::make(opts.hash_parallel, opts.hash_queue);
    w.started = &started_;
    w.registry_opids = &registry_opids_;
    // The order they stop in: the customer actors, the registry, the directory (its accounts are
    // linked to it), and the writer last.
    auto handle = [](const auto& a) { return caf::actor_cast<caf::actor>(a); };
    actors_ = {handle(w.signup),   handle(w.auth),      handle(w.certificates), handle(w.mailer),
               handle(w.registry), handle(w.directory), handle(w.writer)};
    admin_ = make_admin_facade(w);
    customer_ = make_customer_facade(w, *admin_);
    // Start-up parses the registry and every account record; give the transient heap back.
    malloc_trim(0);
    started_ = true;
    return true;
  }

  ~runtime_impl() override { shutdown(); }

  admin_api& admin() override { return *admin_; }
  customer_api& customer() override { return *customer_; }
  void set_public_url(std::string url) override { url_.set(std::move(url)); }

  void shutdown() override {
    if (!system_) return;
    started_ = false;
    // The facades hold handles; the actor system waits for every actor, and a kept handle would keep one.
    customer_.reset();
    admin_.reset();
    for (auto& a : actors_) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    actors_.clear();
    system_.reset();  // waits for every actor to finish
    sessions_.flush_last_uses();
    sessions_.set_journal(nullptr);
    if (auto s = db_->flush(); !s.ok()) spdlog::error("flush at shutdown failed: {}", s.error);
    db_.reset();
  }

 private:
  config::clock clock_;
  config::public_url url_;
  sessions::session_table sessions_;
  std::unique_ptr<answer_cache> answers_;
  std::unique_ptr<storage::store> db_;
  std::unique_ptr<session_store> session_store_;  // the sessions' journal; gone before db_
  std::unique_ptr<auth_store> auth_store_;        // the auth actor's journal; gone before db_
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> system_;
  std::vector<caf::actor> actors_;
  std::unique_ptr<admin_api> admin_;
  std::unique_ptr<customer_api> customer_;
  std::atomic<bool> started_{false};
  std::atomic<std::size_t> registry_opids_{0};
};

}  // namespace

std::unique_ptr<runtime> runtime::start(const config::options& opts, std::string& error) {
  auto r = std::make_unique<runtime_impl>();
  if (!r->open(opts, error)) return nullptr;
  return r;
}

}  // namespace cxs::actors
