// admin_api over the actors: each call one request (or a short detached job where Argon2id or
// parsing must stay off the scheduler threads).

#include "actors/ingest_job.hpp"
#include "actors/wiring.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

namespace cxs::actors {

namespace {

// The backup of POST /admin/backup: dir/db (a checkpoint), dir/caller-hash.key and dir/ca/ (the
// client certificates' CA: without it no certificate issued so far could log in after a restore),
// readable by the service's user only.
domain::expected<backup_made> make_backup(storage::store& db, const std::string& dir) {
  namespace fs = std::filesystem;
  const auto refuse = [](const char* code, std::string message) {
    return domain::field_failure({{"dir", code, std::move(message)}});
  };
  if (dir.empty()) return refuse("required", "dir is required: an absolute path that does not exist yet");
  if (!fs::path(dir).is_absolute()) return refuse("invalid", "dir must be an absolute path");
  std::error_code ec;
  if (fs::exists(dir, ec)) return refuse("exists", "dir already exists: a backup goes into a new folder");
  const auto started = std::chrono::steady_clock::now();
  if (!fs::create_directories(dir, ec) || ec) return refuse("invalid", "dir cannot be created: " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  if (auto s = db.checkpoint(dir + "/db"); !s.ok()) {
    spdlog::error("backup into {} failed: {}", dir, s.error);
    return domain::fail(domain::error_code::storage, "the checkpoint failed: " + s.error);
  }
  const auto data = fs::path(db.path()).parent_path();
  fs::copy_file(data / "caller-hash.key", fs::path(dir) / "caller-hash.key", ec);
  if (ec) return domain::fail(domain::error_code::storage, "the caller-hash key could not be copied: " + ec.message());
  fs::create_directories(fs::path(dir) / "ca", ec);
  fs::permissions(fs::path(dir) / "ca", fs::perms::owner_all, ec);
  for (const char* name : {"ca.key", "ca.crt"}) {
    fs::copy_file(data / "ca" / name, fs::path(dir) / "ca" / name, ec);
    if (ec)
      return domain::fail(domain::error_code::storage,
                          std::string("the CA's ") + name + " could not be copied: " + ec.message());
  }
  backup_made made{dir, 0, 0};
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec))
    if (entry.is_regular_file(ec)) made.bytes += entry.file_size(ec);
  made.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("backup made in {}: {} bytes in {:.2f} s", dir, made.bytes, made.seconds);
  return made;
}

// Looks ID `id` up (a main or a child ID; not_found when the directory does not know it), then
// hands the auth actor what send(self, auth, timeout, summary) asks and its T answer to then.
template <class T, class Send>
void for_known_id(const wiring& w, std::string id, then_fn<T> then, Send send) {
  auto timeout = w.timeout;
  auto directory = w.directory;
  auto auth = w.auth;
  w.system->spawn([=](caf::event_based_actor* self) {
    self->request(directory, timeout, show_atom::value, id)
        .then(
            [=](account_summary& found) {
              send(self, auth, timeout, found)
                  .then([=](T& value) { then(std::move(value)); },
                        [=](caf::error& e) { then(to_failure(self->system(), e)); });
            },
            [=](caf::error& e) { then(to_failure(self->system(), e)); });
  });
}

class admin_facade final : public admin_api {
 public:
  explicit admin_facade(const wiring& w) : w_(w) {}

  domain::civil_date today() const override { return domain::jst_today(w_.clock->now()); }

  void registry_show(then_fn<registry_ptr> then) override {
    ask<registry_ptr>(*w_.system, w_.registry, w_.timeout, std::move(then), show_atom::value);
  }

  void registry_apply(std::vector<domain::opid_entry> entries, bool replace, then_fn<std::size_t> then) override {
    if (replace)
      ask<std::size_t>(*w_.system, w_.registry, w_.timeout, std::move(then), replace_atom::value, std::move(entries));
    else
      ask<std::size_t>(*w_.system, w_.registry, w_.timeout, std::move(then), upsert_atom::value, std::move(entries));
  }

  void account_create(domain::account_request request, then_fn<account_summary> then) override {
    auto directory = w_.directory;
    auto certificates = w_.certificates;
    auto timeout = w_.timeout;
    auto ticket = w_.hashes->admit();
    if (!ticket) return then(hashing_busy());
    // Argon2id costs tens of milliseconds: hash on a thread of its own, never a scheduler thread.
    w_.system->spawn<caf::detached>([=](caf::event_based_actor* self) {
      auto hash = ticket->run([&] { return domain::hash_password(request.password); });
      if (!hash) return then(hash.error());
      new_account na{request, std::move(*hash)};
      na.request.password.clear();
      self->request(directory, timeout, create_atom::value, na)
          .then(
              [=](account_summary& a) {
                // SPEC §16: a certificate account gets its download credentials by mail; the
                // account stands whatever happens to that mail (logged for support).
                if (a.account->auth_method == "certificate")
                  self->request(certificates, timeout, cert_send_atom::value, a.account->id, a.account->email,
                                a.account->person)
                      .then([](bool) {},
                            [id = a.account->id](caf::error&) {
                              spdlog::error("accounts: no download credentials were mailed for {}", id);
                            });
                then(std::move(a));
              },
              [=](caf::error& e) { then(to_failure(self->system(), e)); });
    });
  }

  void account_show(std::string id, then_fn<account_summary> then) override {
    ask<account_summary>(*w_.system, w_.directory, w_.timeout, std::move(then), show_atom::value, std::move(id));
  }

  void backup(std::string dir, then_fn<backup_made> then) override {
    auto* db = w_.db;
    // Detached: the checkpoint flushes memtables and copies files, which may take seconds.
    w_.system->spawn<caf::detached>([=](caf::event_based_actor*) { then(make_backup(*db, dir)); });
  }

  void account_list(domain::account_search search, then_fn<account_page> then) override {
    ask<account_page>(*w_.system, w_.directory, w_.timeout, std::move(then), find_atom::value, std::move(search));
  }

  void account_unlock(std::string id, then_fn<bool> then) override {
    for_known_id<bool>(w_, id, std::move(then), [id](auto* self, auto& auth, auto timeout, auto&) {
      return self->request(auth, timeout, unlock_atom::value, id);
    });
  }

  void account_end_sessions(std::string id, then_fn<bool> then) override {
    for_known_id<bool>(w_, id, std::move(then), [id](auto* self, auto& auth, auto timeout, auto&) {
      return self->request(auth, timeout, end_sessions_atom::value, id);
    });
  }

  void account_auth_method(std::string id, std::string method, then_fn<account_summary> then) override {
    auto followed = [w = w_, then](domain::expected<account_summary> a) {
      if (!a) return then(std::move(a));
      auto& changed = a.value();
      follow_method_switch(w, *changed.replaced, *changed.stored, [then, a]() mutable { then(std::move(a)); });
    };
    for_known_id<account_summary>(w_, id, std::move(followed),
                                  [method](auto* self, auto& auth, auto timeout, auto& found) {
                                    return self->request(auth, timeout, method_atom::value, found.account, method);
                                  });
  }

  void certificates_list(std::string id, then_fn<certificate_list> then) override {
    auto certs = w_.certificates;
    for_known_id<certificate_list>(w_, id, std::move(then), [id, certs](auto* self, auto&, auto timeout, auto&) {
      return self->request(certs, timeout, cert_list_atom::value, id);
    });
  }

  void download_credentials_send(std::string id, then_fn<bool> then) override {
    auto directory = w_.directory;
    auto certs = w_.certificates;
    auto timeout = w_.timeout;
    w_.system->spawn([=](caf::event_based_actor* self) {
      self->request(directory, timeout, show_atom::value, id)
          .then(
              [=](account_summary& found) {
                const auto& a = *found.account;
                // A child ID or an otp account has no download site to go to.
                if (found.child || a.auth_method != "certificate")
                  return then(domain::field_failure(
                      {{"auth_method", "not_certificate", "the ID does not log in with a client certificate"}}));
                self->request(certs, timeout, cert_send_atom::value, a.id, a.email, a.person)
                    .then([=](bool queued) { then(queued); },
                          [=](caf::error& e) { then(to_failure(self->system(), e)); });
              },
              [=](caf::error& e) { then(to_failure(self->system(), e)); });
    });
  }

  void certificates_remind(then_fn<std::size_t> then) override {
    ask<std::size_t>(*w_.system, w_.certificates, w_.timeout, std::move(then), cert_remind_atom::value);
  }

  void certificate_revoke(std::string id, std::string serial, then_fn<domain::nothing> then) override {
    auto certs = w_.certificates;
    for_known_id<domain::nothing>(w_, id, std::move(then), [id, serial, certs](auto* self, auto&, auto timeout, auto&) {
      return self->request(certs, timeout, cert_revoke_atom::value, id, serial);
    });
  }

  void crl(then_fn<std::string> then) override {
    ask<std::string>(*w_.system, w_.certificates, w_.timeout, std::move(then), cert_crl_atom::value);
  }

  void signup_cancel(std::string opid, then_fn<domain::nothing> then) override {
    ask<domain::nothing>(*w_.system, w_.signup, w_.timeout, std::move(then), cancel_atom::value, std::move(opid));
  }

  void plan_change(std::string id, domain::plan_request request, then_fn<account_summary> then) override {
    ask<account_summary>(*w_.system, w_.directory, w_.timeout, std::move(then), plan_atom::value, std::move(id),
                         std::move(request));
  }

  void account_crash(std::string id, then_fn<domain::nothing> then) override {
    ask<account_actor>(
        *w_.system, w_.directory, w_.timeout,
        [then](domain::expected<account_actor> a) {
          if (!a) return then(a.error());
          caf::anon_send(*a, crash_atom::value);
          then(domain::nothing{});
        },
        lookup_atom::value, std::move(id));
  }

  void analytics(std::string id, domain::analysis_request query, then_fn<domain::analysis_document> then) override {
    ask_analysis(w_, std::move(id), std::move(query), std::move(then));
  }

  void ingest(std::shared_ptr<std::string> body, cdr_format format, then_fn<ingest_summary> then) override {
    spawn_ingest_job(*w_.system, {w_.directory, w_.writer, w_.clock, w_.caller_key}, std::move(body), format,
                     std::move(then));
  }

  void retention_run(then_fn<domain::nothing> then) override {
    ask<bool>(
        *w_.system, w_.directory, w_.timeout,
        [then](domain::expected<bool> ok) {
          if (!ok) return then(ok.error());
          if (!*ok) return then(domain::fail(domain::error_code::storage, "retention failed"));
          then(domain::nothing{});
        },
        retain_atom::value);
  }

  bool ready() const override { return w_.started->load() && w_.registry_opids->load() > 0; }

  std::string storage_metrics() const override {
    auto* db = w_.db;
    std::string out =
        "# HELP cxs_storage_bytes RocksDB bytes (SST files and memtables) per column family\n"
        "# TYPE cxs_storage_bytes gauge\n";
    for (int i = 0; i < storage::cf_count; ++i) {
      auto c = static_cast<storage::cf>(i);
      out +=
          "cxs_storage_bytes{cf=\"" + std::string(storage::cf_name(c)) + "\"} " + std::to_string(db->bytes(c)) + "\n";
    }
    out +=
        "# HELP cxs_storage_delayed_write_rate_bytes RocksDB write stall: delayed write rate, 0 when not slowed\n"
        "# TYPE cxs_storage_delayed_write_rate_bytes gauge\n"
        "cxs_storage_delayed_write_rate_bytes " +
        std::to_string(db->delayed_write_rate()) + "\n";
    out +=
        "# HELP cxs_storage_writes_stopped 1 while RocksDB has stopped writes\n"
        "# TYPE cxs_storage_writes_stopped gauge\n"
        "cxs_storage_writes_stopped " +
        std::string(db->writes_stopped() ? "1" : "0") + "\n";
    const auto gauge = [&](const char* name, const char* help, uint64_t v) {
      out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " +
             std::to_string(v) + "\n";
    };
    const auto stalls = db->write_stalls();
    out +=
        "# HELP cxs_storage_write_stalls_total RocksDB write stalls begun (per column family): writes delayed or "
        "stopped\n"
        "# TYPE cxs_storage_write_stalls_total counter\n"
        "cxs_storage_write_stalls_total{condition=\"delayed\"} " +
        std::to_string(stalls.delayed) + "\ncxs_storage_write_stalls_total{condition=\"stopped\"} " +
        std::to_string(stalls.stopped) + "\n";
    if (w_.answers)
      gauge("cxs_answer_cache_bytes", "Bytes of analysis answers kept for the same question asked again",
            w_.answers->bytes());
    gauge("cxs_storage_memtable_bytes", "RocksDB memtables of every column family", db->memtable_bytes());
    gauge("cxs_storage_pending_compaction_bytes", "RocksDB's estimate of the bytes compaction still has to rewrite",
          db->pending_compaction_bytes());
    const auto disk = db->space();
    gauge("cxs_storage_disk_free_bytes", "Bytes free on the file system of the data folder", disk.free);
    gauge("cxs_storage_disk_size_bytes", "Size of the file system of the data folder", disk.size);
    return out;
  }

 private:
  wiring w_;
};

}  // namespace

std::unique_ptr<admin_api> make_admin_facade(const wiring& w) { return std::make_unique<admin_facade>(w); }

}  // namespace cxs::actors
