#include "actors/service.hpp"

#include "actors/ask.hpp"
#include "actors/customers.hpp"
#include "actors/ingest_job.hpp"
#include "actors/registry_actor.hpp"
#include "config/secrets.hpp"
#include "ops/metrics.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <malloc.h>
#include <thread>

namespace cxs::actors {

namespace {


class service_impl final : public service {
 public:
  bool open(const config::options& opts, std::string& error) {
    opts_ = opts;
    clock_ = config::clock(opts.testing_clock);
    std::error_code ec;
    std::filesystem::create_directories(opts.data_dir, ec);
    db_ = storage::store::open(opts.data_dir + "/db", error);
    if (!db_) return false;
    caller_key_ = config::load_or_create_key(opts.data_dir + "/caller-hash.key", 32, error);
    if (!error.empty()) return false;
    auto initial = load_registry_at_start(*db_, opts.registry, error);
    if (!initial) return false;
    // One scheduler worker per core: more only adds context switches (CAF's default is at least 4).
    cfg_.set("scheduler.max-threads", std::max(2u, std::thread::hardware_concurrency()));
    system_ = std::make_unique<caf::actor_system>(cfg_);
    writer_ = spawn_writer(*system_, db_.get());
    account_env env{db_.get(), writer_, &clock_};
    directory_ = spawn_directory(*system_, {env, opts.passivate_after_s}, initial);
    registry_opids_ = initial->size();
    registry_ = spawn_registry(*system_, db_.get(), directory_, initial, &registry_opids_);
    timeout_ = std::chrono::milliseconds(opts.request_timeout_ms);
    customers_ = customers::start(opts, {system_.get(), db_.get(), writer_, directory_, &clock_, timeout_}, error);
    if (!customers_) return false;
    // Start-up parses the registry and every account record; give the transient heap back.
    malloc_trim(0);
    ready_ = true;
    return true;
  }

  ~service_impl() override { shutdown(); }

  // One request from a short-lived actor; the answer (or failure) goes to done.
  template <class Handle, class OnValue, class... Ts>
  void ask(const Handle& target, done_fn done, OnValue on_value, Ts... xs) {
    auto timeout = timeout_;
    system_->spawn([=](caf::event_based_actor* self) {
      self->request(target, timeout, xs...)
          .then(on_value, [=](caf::error& e) { done(failure_reply(self->system(), e)); });
    });
  }

  static auto forward(done_fn done) {
    return [done](reply& r) { done(std::move(r)); };
  }

  void registry_show(done_fn done) override { ask(registry_, done, forward(done), show_atom::value); }

  void registry_replace(std::string body, bool replace, done_fn done) override {
    if (replace) ask(registry_, done, forward(done), replace_atom::value, std::move(body));
    else ask(registry_, done, forward(done), upsert_atom::value, std::move(body));
  }

  void account_create(std::string body, done_fn done) override {
    auto today = domain::jst_today(clock_.now());
    auto directory = directory_;
    auto timeout = timeout_;
    // Argon2id costs tens of milliseconds: hash on a thread of its own, never a scheduler thread.
    system_->spawn<caf::detached>([=](caf::event_based_actor* self) {
      auto json = nlohmann::json::parse(body, nullptr, false);
      if (json.is_discarded()) {
        done(error_reply(400, "json", "the body is not valid JSON"));
        return;
      }
      auto parsed = domain::parse_account_request(json, today);
      if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed)) {
        done(json_reply(422, domain::field_errors_json(*errors)));
        return;
      }
      auto& request = std::get<domain::account_request>(parsed);
      new_account na{request, domain::hash_password(request.password)};
      na.request.password.clear();
      self->request(directory, timeout, create_atom::value, na)
          .then([=](reply& r) { done(std::move(r)); },
                [=](caf::error& e) { done(failure_reply(self->system(), e)); });
    });
  }

  void account_show(std::string id, done_fn done) override {
    ask(directory_, done, forward(done), show_atom::value, std::move(id));
  }

  void account_plan(std::string id, std::string body, done_fn done) override {
    ask(directory_, done, forward(done), plan_atom::value, std::move(id), std::move(body));
  }

  void account_crash(std::string id, done_fn done) override {
    ask(directory_, done,
        [done](account_actor& a) {
          caf::anon_send(a, crash_atom::value);
          done(json_reply(200, {{"status", "crashed"}}));
        },
        lookup_atom::value, std::move(id));
  }

  void analytics(std::string id, std::string name, query_list query, done_fn done) override {
    auto timeout = timeout_;
    auto directory = directory_;
    system_->spawn([=](caf::event_based_actor* self) {
      // An account that stops (passivated or failed) between lookup and request answers
      // request_receiver_down: look it up once more, which starts it again from storage.
      auto attempt = std::make_shared<std::function<void(int)>>();
      *attempt = [=](int tries_left) {
        self->request(directory, timeout, lookup_atom::value, id)
            .then(
                [=](account_actor& a) {
                  self->request(a, timeout, analyze_atom::value, name, domain::query_params(query))
                      .then([=](reply& r) { done(std::move(r)); },
                            [=](caf::error& e) {
                              if (e == caf::sec::request_receiver_down && tries_left > 0) return (*attempt)(tries_left - 1);
                              done(failure_reply(self->system(), e));
                            });
                },
                [=](caf::error& e) { done(failure_reply(self->system(), e)); });
      };
      (*attempt)(1);
      // The function refers to itself through the shared pointer; drop that cycle when the actor ends.
      self->attach_functor([attempt] { *attempt = nullptr; });
    });
  }

  void ingest(std::shared_ptr<std::string> body, std::string content_type, done_fn done) override {
    spawn_ingest_job(*system_, {directory_, writer_, &clock_, caller_key_}, std::move(body), std::move(content_type),
                     std::move(done));
  }

  void retention_run(done_fn done) override {
    ask(directory_, done, [done](bool ok) {
          done(ok ? json_reply(200, {{"status", "done"}}) : error_reply(503, "storage", "retention failed"));
        },
        retain_atom::value);
  }

  void set_public_url(std::string url) override { customers_->set_public_url(std::move(url)); }
  void signup_apply(std::string body, domain::lang l, done_fn done) override {
    customers_->signup_apply(std::move(body), l, std::move(done));
  }
  void signup_show(std::string token, domain::lang l, done_fn done) override {
    customers_->signup_show(std::move(token), l, std::move(done));
  }
  void signup_confirm(std::string token, domain::lang l, done_fn done) override {
    customers_->signup_confirm(std::move(token), l, std::move(done));
  }
  void login(std::string body, domain::lang l, done_fn done) override { customers_->login(std::move(body), l, std::move(done)); }
  void login_otp(std::string body, domain::lang l, done_fn done) override {
    customers_->login_otp(std::move(body), l, std::move(done));
  }
  void logout(std::string token, done_fn done) override { customers_->logout(std::move(token), std::move(done)); }
  std::optional<session_info> session(std::string_view token) override { return customers_->session(token); }
  void me_show(std::string id, std::string csrf, done_fn done) override {
    customers_->me_show(std::move(id), std::move(csrf), std::move(done));
  }
  void me_update(std::string id, std::string body, domain::lang l, std::string csrf, done_fn done) override {
    customers_->me_update(std::move(id), std::move(body), l, std::move(csrf), std::move(done));
  }
  void reissue_request(std::string body, domain::lang l, done_fn done) override {
    customers_->reissue_request(std::move(body), l, std::move(done));
  }
  void reissue(std::string body, domain::lang l, done_fn done) override {
    customers_->reissue(std::move(body), l, std::move(done));
  }
  void plan_show(std::string id, done_fn done) override { customers_->plan_show(std::move(id), std::move(done)); }

  // Ready: storage open and a registry with at least one OPID (without one no CDR has an owner).
  bool ready() const override { return ready_ && registry_opids_.load() > 0; }

  std::string storage_metrics() const override {
    std::string out = "# HELP cxs_storage_bytes RocksDB bytes (SST files and memtables) per column family\n"
                      "# TYPE cxs_storage_bytes gauge\n";
    for (int i = 0; i < storage::cf_count; ++i) {
      auto c = static_cast<storage::cf>(i);
      out += "cxs_storage_bytes{cf=\"" + std::string(storage::cf_name(c)) + "\"} " + std::to_string(db_->bytes(c)) + "\n";
    }
    out += "# HELP cxs_storage_delayed_write_rate_bytes RocksDB write stall: delayed write rate, 0 when not slowed\n"
           "# TYPE cxs_storage_delayed_write_rate_bytes gauge\n"
           "cxs_storage_delayed_write_rate_bytes " + std::to_string(db_->delayed_write_rate()) + "\n";
    out += "# HELP cxs_storage_writes_stopped 1 while RocksDB has stopped writes\n"
           "# TYPE cxs_storage_writes_stopped gauge\n"
           "cxs_storage_writes_stopped " + std::string(db_->writes_stopped() ? "1" : "0") + "\n";
    return out;
  }

  void shutdown() override {
    if (!system_) return;
    ready_ = false;
    if (customers_) customers_->stop();
    caf::anon_send_exit(registry_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(directory_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(writer_, caf::exit_reason::user_shutdown);
    registry_ = nullptr;
    directory_ = nullptr;
    writer_ = nullptr;
    system_.reset();  // waits for every actor to finish
    customers_.reset();
    if (auto s = db_->flush(); !s.ok()) spdlog::error("flush at shutdown failed: {}", s.error);
    db_.reset();
  }

 private:
  config::options opts_;
  config::clock clock_;
  std::unique_ptr<storage::store> db_;
  std::string caller_key_;
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> system_;
  std::unique_ptr<customers> customers_;
  writer_actor writer_;
  directory_actor directory_;
  registry_actor registry_;
  std::chrono::milliseconds timeout_{30000};
  std::atomic<bool> ready_{false};
  std::atomic<std::size_t> registry_opids_{0};
};

}  // namespace

std::unique_ptr<service> service::start(const config::options& opts, std::string& error) {
  auto s = std::make_unique<service_impl>();
  if (!s->open(opts, error)) return nullptr;
  return s;
}

}  // namespace cxs::actors
