#include "actors/certificates.hpp"

#include "actors/kept_records.hpp"
#include "domain/bounded_tries.hpp"
#include "domain/download_credentials.hpp"
#include "domain/mail_texts.hpp"
#include "metrics/metrics.hpp"
#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <unordered_map>

namespace cxs::actors {

namespace {

std::string key_of(const domain::certificate_record& r) {
  return std::string(storage::meta_certificate_prefix) + r.id + "/" + r.serial;
}

std::string download_key(const std::string& id) { return std::string(storage::meta_download_prefix) + id; }
std::string download_lock_key(const std::string& account) {
  return std::string(storage::meta_download_lock_prefix) + account;
}

// What the register holds at start: certificates by ID and download credentials.
struct register_contents {
  std::map<std::string, std::vector<domain::certificate_record>> by_id;
  std::unordered_map<std::string, domain::download_credentials> downloads;  // by download account
  std::vector<kept_lock> download_locks;                                    // still running
};

// A bound on the download accounts whose wrong passwords are remembered, whatever names clients
// send (SPEC §18: memory a client cannot grow).
constexpr std::size_t max_download_failures = 10000;

struct certificates_state {
  certificates_config cfg;
  std::map<std::string, std::vector<domain::certificate_record>> by_id;
  std::unordered_map<std::string, domain::download_credentials> downloads;     // by download account
  std::unordered_map<std::string, domain::download_failures> download_failed;  // by download account
  metrics::actor_probe probe{"certificates"};
  static inline const char* name = "certificates";

  int64_t now() const { return cfg.clock->now(); }

  // Keeps a new certificate of the ID and revokes its earlier ones, in one synced write.
  std::optional<domain::failure> keep(domain::certificate_record record) {
    auto of_id = by_id[record.id];  // a copy: changed only once stored
    of_id.push_back(record);
    auto revoked = domain::revoke_others(of_id, record.serial, now());
    auto batch = cfg.db->batch();
    for (auto* r : revoked) batch.put(storage::cf::meta, key_of(*r), domain::encode_certificate(*r));
    batch.put(storage::cf::meta, key_of(record), domain::encode_certificate(record));
    if (auto s = cfg.db->write(batch, true); !s.ok()) {
      spdlog::error("certificates: a new certificate of {} could not be stored: {}", record.id, s.error);
      return domain::fail(domain::error_code::storage, "the certificate could not be stored");
    }
    by_id[record.id] = std::move(of_id);
    spdlog::info("certificates: {} issued to {} ({} earlier revoked)", record.serial, record.id, revoked.size());
    return std::nullopt;
  }

  // New download credentials of id, replacing its earlier ones; nullopt when they cannot be stored.
  std::optional<download_grant> grant(const std::string& id) {
    auto pair = domain::make_download_credentials(id, now());
    while (downloads.count(pair.record.account)) pair = domain::make_download_credentials(id, now());
    auto batch = cfg.db->batch();
    batch.put(storage::cf::meta, download_key(id), domain::encode_download_credentials(pair.record));
    if (auto* old = download_of(id)) batch.erase(storage::cf::meta, download_lock_key(old->account));
    if (auto s = cfg.db->write(batch, true); !s.ok()) {
      spdlog::error("certificates: download credentials of {} could not be stored: {}", id, s.error);
      return std::nullopt;
    }
    if (auto* old = download_of(id)) {
      download_failed.erase(old->account);
      downloads.erase(old->account);
    }
    auto account = pair.record.account;
    downloads.emplace(account, std::move(pair.record));
    spdlog::info("certificates: new download credentials for {}", id);
    return download_grant{id, std::move(account), std::move(pair.password)};
  }

  // SPEC §16, what a switch to otp takes back: the ID's certificates revoked and (unless the
  // account is back on certificate) its download credentials voided, in one synced write. False
  // when it could not be stored (nothing changed then).
  bool withdraw(const std::string& id, const domain::method_follow_up& follow) {
    auto batch = cfg.db->batch();
    auto found = by_id.find(id);
    auto of_id = found == by_id.end() ? std::vector<domain::certificate_record>{} : found->second;
    if (follow.revoke_certificates)
      for (auto& r : of_id)
        if (!r.revoked) {
          r.revoked = now();
          batch.put(storage::cf::meta, key_of(r), domain::encode_certificate(r));
        }
    const auto* credentials = follow.void_credentials ? download_of(id) : nullptr;
    if (credentials) {
      batch.erase(storage::cf::meta, download_key(id));
      batch.erase(storage::cf::meta, download_lock_key(credentials->account));
    }
    if (batch.empty()) return true;
    if (auto s = cfg.db->write(batch, true); !s.ok()) {
      spdlog::error("certificates: the certificates of {} could not be withdrawn: {}", id, s.error);
      return false;
    }
    if (found != by_id.end()) found->second = std::move(of_id);
    const bool voided = credentials != nullptr;
    if (credentials) {
      download_failed.erase(credentials->account);
      downloads.erase(credentials->account);
    }
    // A stale follow-up (the account is back on certificate by now) only revokes: say what was done.
    spdlog::info("certificates: the certificates {} had before its switch to one-time passwords are revoked{}", id,
                 voided ? ", its unused download credentials voided" : "");
    return true;
  }

  // Drops the certificates past keeping (domain::past_keeping: 90 days after their end) from
  // storage, then from memory and so from the CRL, and the download lockouts that ran out from
  // storage; how many certificates went.
  std::size_t prune() {
    const auto t = now();
    std::vector<kept_lock> running;
    std::string error;
    std::size_t gone = 0;
    if (!read_kept_locks(*cfg.db, storage::meta_download_lock_prefix, t, running, error, gone))
      spdlog::error("certificates: run-out download lockouts stay in storage (tried again in an hour): {}", error);
    auto batch = cfg.db->batch();
    std::size_t n = 0;
    for (auto& [id, list] : by_id)
      for (auto& r : list)
        if (domain::past_keeping(r, t)) {
          batch.erase(storage::cf::meta, key_of(r));
          ++n;
        }
    if (n == 0) return 0;
    if (auto s = cfg.db->write(batch, true); !s.ok()) {
      spdlog::error("certificates: ended certificates could not be dropped (tried again in an hour): {}", s.error);
      return 0;
    }
    for (auto it = by_id.begin(); it != by_id.end();) {
      std::erase_if(it->second, [&](const domain::certificate_record& r) { return domain::past_keeping(r, t); });
      it = it->second.empty() ? by_id.erase(it) : std::next(it);
    }
    spdlog::info("certificates: {} certificates dropped from the register {} days after their end", n,
                 domain::kept_after_end_s / 86400);
    return n;
  }

  // The download account of id now, or null.
  const domain::download_credentials* download_of(const std::string& id) const {
    for (auto& [account, c] : downloads)
      if (c.id == id) return &c;
    return nullptr;
  }

  // The table of wrong passwords is bounded (domain/bounded_tries.hpp): when full, what ran out
  // goes, then the tenth that guards least; a lock dropped so goes from storage too, as the
  // login's does, so that a restart brings back no lock memory no longer holds.
  void make_room(int64_t t) {
    std::erase_if(download_failed, [&](auto& kv) {
      return !domain::download_locked(kv.second, t) && t - kv.second.last > domain::download_lock_for_s;
    });
    if (download_failed.size() < max_download_failures) return;
    std::vector<domain::tried_name> table;
    table.reserve(download_failed.size());
    for (auto& [name, f] : download_failed) table.push_back({name, domain::download_locked(f, t), f.last});
    auto batch = cfg.db->batch();
    for (const auto& name : domain::names_to_drop(std::move(table))) {
      if (domain::download_locked(download_failed.at(name), t)) batch.erase(storage::cf::meta, download_lock_key(name));
      download_failed.erase(name);
    }
    if (auto s = batch.empty() ? storage::status{} : cfg.db->write(batch, false); !s.ok())
      spdlog::warn("certificates: dropped download lockouts stay in storage until they run out: {}", s.error);
  }

  // Counts a wrong download password of a well-shaped account name, known or not (the answer
  // reveals nothing about which exist). True when this one locked the account.
  bool count_wrong(const std::string& account) {
    auto t = now();
    if (!download_failed.count(account) && download_failed.size() >= max_download_failures) make_room(t);
    auto& f = download_failed[account];
    domain::count_wrong_download(f, t);
    if (!domain::download_locked(f, t)) return false;
    // Stored before the answer (SPEC §18): a restart, kill -9 included, hands out no fresh tries.
    auto batch = cfg.db->batch();
    batch.put(storage::cf::meta, download_lock_key(account), encode_lock({account, f.locked_until}));
    if (auto s = cfg.db->write(batch, true); !s.ok())
      spdlog::error("certificates: a download lockout could not be stored (it holds until a restart only): {}",
                    s.error);
    spdlog::info("certificates: a download account is locked for {} s after {} wrong passwords in a row",
                 domain::download_lock_for_s, f.in_a_row);
    return true;
  }
};

using self_ptr = certificate_actor::stateful_pointer<certificates_state>;

domain::certificate_record record_of(const pki::issued_certificate& c) {
  return {c.id, c.serial_hex, c.not_before, c.not_after, std::nullopt, false, false};
}

caf::error internal(const pki::refusal& r) {
  spdlog::error("certificates: {}", r.detail);
  return to_error(domain::error_code::internal, r.detail);
}

// New download credentials for the ID, mailed to it (the download mail); `promise` hears true
// once the mail is queued, else a `mail` error: the credentials stand (the earlier ones are void),
// so support sends new ones.
void mail_grant(self_ptr self, const std::string& id, const std::string& email, const std::string& person,
                caf::typed_response_promise<bool> promise) {
  auto& st = self->state;
  auto g = st.grant(id);
  if (!g) {
    promise.deliver(to_error(domain::error_code::storage, "the download credentials could not be stored"));
    return;
  }
  outgoing_mail mail{email,
                     std::string(domain::mail_certificate_download),
                     {{"person", person},
                      {"id", id},
                      {"download_info", domain::download_mail_block(st.cfg.url->get(), g->account, g->password)}}};
  self->request(st.cfg.mailer, std::chrono::seconds(30), mail_atom::value, std::move(mail))
      .then(
          [=](bool queued) mutable {
            if (queued) {
              promise.deliver(true);
              return;
            }
            spdlog::error("certificates: the download credentials of {} could not be mailed", id);
            promise.deliver(to_error(domain::error_code::mail, "the mail could not be queued"));
          },
          [=](caf::error&) mutable {
            spdlog::error("certificates: the mailer did not take the download credentials of {}", id);
            promise.deliver(to_error(domain::error_code::mail, "the mail could not be queued"));
          });
}

// The follow-up of a switch of `id` to `method`, judged against the method the directory has for
// the account by now (domain::follow_up_of_switch: the switch stored last wins).
void follow_switch(self_ptr self, const std::string& id, const std::string& method,
                   caf::typed_response_promise<bool> promise) {
  self->request(self->state.cfg.directory, std::chrono::seconds(30), creds_atom::value, id)
      .then(
          [=](account_ptr& account) mutable {
            auto follow = domain::follow_up_of_switch(method, account ? account->auth_method : "");
            if ((follow.revoke_certificates || follow.void_credentials) && !self->state.withdraw(id, follow))
              promise.deliver(to_error(domain::error_code::storage, "the revocation could not be stored"));
            else if (follow.mail_credentials)
              mail_grant(self, id, account->email, account->person, promise);
            else
              promise.deliver(true);
          },
          [=](caf::error& e) mutable {
            spdlog::error("certificates: the directory did not answer for the switch of {}", id);
            promise.deliver(std::move(e));
          });
}

// Marks every reminder due now as sent (stored first: a restart never sends one twice), then mails
// each to the ID's address as the directory knows it. Answers how many were due.
std::size_t remind(self_ptr self) {
  auto& st = self->state;
  const auto now = st.now();
  std::vector<std::pair<domain::certificate_record, int>> due;
  auto batch = st.cfg.db->batch();
  for (auto& [id, list] : st.by_id)
    for (auto& r : list)
      if (int days = domain::due_reminder(r, now)) {
        auto marked = r;
        domain::mark_reminded(marked, days);
        batch.put(storage::cf::meta, key_of(marked), domain::encode_certificate(marked));
        due.emplace_back(std::move(marked), days);
      }
  if (due.empty()) return 0;
  if (auto s = st.cfg.db->write(batch, true); !s.ok()) {
    spdlog::error("certificates: reminders could not be marked (tried again in an hour): {}", s.error);
    return 0;
  }
  for (auto& [marked, days] : due) {
    for (auto& r : st.by_id[marked.id])
      if (r.serial == marked.serial) r = marked;
    const auto url = st.cfg.url->get() + "/certsrv/";
    self->request(st.cfg.directory, std::chrono::seconds(30), creds_atom::value, marked.id)
        .then(
            [=, r = marked, days = days](account_ptr& account) {
              if (!account) return;  // the account is gone: nobody to remind
              // Whole days left, rounded up: "30" on the day the 30-day reminder falls due.
              const int64_t days_left = (r.not_after - now + 86399) / 86400;
              outgoing_mail mail{account->email,
                                 std::string(domain::mail_certificate_expiring),
                                 {{"person", account->person},
                                  {"id", r.id},
                                  {"serial", r.serial},
                                  {"not_after", domain::format_jst_readable(r.not_after, domain::lang::ja)},
                                  {"days", std::to_string(days_left)},
                                  {"download_url", url}}};
              self->request(self->state.cfg.mailer, std::chrono::seconds(30), mail_atom::value, std::move(mail))
                  .then([](bool) {},
                        [id = r.id](caf::error&) {
                          spdlog::error("certificates: the mailer did not take a reminder of {}", id);
                        });
              spdlog::info("certificates: the {}-day reminder of {} went to {}", days, r.serial, r.id);
            },
            [id = marked.id](caf::error&) {
              spdlog::error("certificates: the directory did not answer for a reminder of {}", id);
            });
  }
  return due.size();
}

certificate_actor::behavior_type certificates(self_ptr self, certificates_config cfg, register_contents contents) {
  self->state.cfg = std::move(cfg);
  self->state.by_id = std::move(contents.by_id);
  self->state.downloads = std::move(contents.downloads);
  for (auto& lock : contents.download_locks) self->state.download_failed[lock.id] = domain::locked_download(lock.until);
  if (self->state.cfg.remind_hourly) self->send(self, tick_atom::value);
  return {
      [=](cert_issue_atom, const std::string& id) -> caf::result<issued_pkcs12> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto made = st.cfg.ca.issue_pkcs12(id, st.now());
        if (auto* r = std::get_if<pki::refusal>(&made)) return internal(*r);
        auto& bundle = std::get<pki::pkcs12_bundle>(made);
        auto record = record_of(bundle.certificate);
        if (auto f = st.keep(record)) return to_error(std::move(*f));
        return issued_pkcs12{std::move(record), std::move(bundle.der), std::move(bundle.password)};
      },
      [=](cert_csr_atom, const std::string& id, const std::string& pem) -> caf::result<issued_pem> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto made = st.cfg.ca.sign_csr(pem, id, st.now());
        if (auto* r = std::get_if<pki::refusal>(&made)) {
          if (r->code == "internal") return internal(*r);
          return to_error(domain::field_failure({{"csr", r->code, {}}}));
        }
        auto& issued = std::get<pki::issued_certificate>(made);
        auto record = record_of(issued);
        if (auto f = st.keep(record)) return to_error(std::move(*f));
        return issued_pem{std::move(record), std::move(issued.pem)};
      },
      [=](cert_list_atom, const std::string& id) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        certificate_list out;
        if (auto it = st.by_id.find(id); it != st.by_id.end()) out = it->second;
        // Newest first; of two made in the same second the later kept (the register keeps order).
        std::reverse(out.begin(), out.end());
        std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.not_before > b.not_before; });
        return out;
      },
      [=](cert_revoke_atom, const std::string& id, const std::string& serial) -> caf::result<domain::nothing> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto it = st.by_id.find(id);
        auto* found = it == st.by_id.end() ? nullptr : [&]() -> domain::certificate_record* {
          for (auto& r : it->second)
            if (r.serial == serial) return &r;
          return nullptr;
        }();
        if (!found) return to_error(domain::error_code::not_found, "no such certificate of this ID");
        if (found->revoked) return domain::nothing{};
        auto changed = *found;
        changed.revoked = st.now();
        auto batch = st.cfg.db->batch();
        batch.put(storage::cf::meta, key_of(changed), domain::encode_certificate(changed));
        if (auto s = st.cfg.db->write(batch, true); !s.ok())
          return to_error(domain::error_code::storage, "the revocation could not be stored");
        *found = std::move(changed);
        spdlog::info("certificates: {} of {} revoked", serial, id);
        return domain::nothing{};
      },
      [=](cert_crl_atom) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        std::vector<pki::revoked_serial> revoked;
        for (auto& [id, list] : st.by_id)
          for (auto& r : list)
            if (r.revoked) revoked.push_back({r.serial, *r.revoked});
        return st.cfg.ca.crl_pem(revoked, st.now());
      },
      [=](cert_grant_atom, const std::string& id) -> caf::result<download_grant> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        auto g = self->state.grant(id);
        if (!g) return to_error(domain::error_code::storage, "the download credentials could not be stored");
        return std::move(*g);
      },
      [=](cert_send_atom, const std::string& id, const std::string& email,
          const std::string& person) -> caf::result<bool> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        auto promise = self->make_response_promise<bool>();
        mail_grant(self, id, email, person, promise);
        return promise;
      },
      [=](cert_method_atom, const std::string& id, const std::string& method) -> caf::result<bool> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        auto promise = self->make_response_promise<bool>();
        follow_switch(self, id, method, promise);
        return promise;
      },
      [=](cert_remind_atom) {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        self->state.prune();
        return remind(self);
      },
      [=](tick_atom) {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        self->state.prune();
        remind(self);
        self->delayed_send(self, std::chrono::hours(1), tick_atom::value);
      },
      [=](cert_judge_atom, const std::string& login_id, const std::string& der) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (der.empty()) return domain::certificate_verdict::absent;
        auto presented = st.cfg.ca.recognise(der);
        if (!presented) return domain::certificate_verdict::mismatch;  // not ours
        if (auto it = st.by_id.find(presented->id); it != st.by_id.end())
          for (auto& r : it->second)
            if (r.serial == presented->serial_hex) return domain::judge_certificate(r, login_id, st.now());
        // Signed by our root, yet not in the register: dropped after its end, or newer than a restore.
        return domain::judge_unregistered(presented->id, presented->not_after, login_id, st.now());
      },
      [=](cert_enter_atom, const std::string& account, const std::string& password) -> caf::result<std::string> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        // A name of another shape names no download account: answered at once, never kept.
        if (!domain::looks_like_download_account(account))
          return to_error(domain::error_code::download_credentials, "not a download account");
        // The lock answers first, for known and unknown accounts alike.
        if (auto f = st.download_failed.find(account);
            f != st.download_failed.end() && domain::download_locked(f->second, st.now()))
          return to_error(domain::error_code::download_locked, "the download account is locked");
        auto it = st.downloads.find(account);
        if (it == st.downloads.end() || !domain::download_password_matches(it->second, password)) {
          if (st.count_wrong(account))
            return to_error(domain::error_code::download_locked, "the download account is locked");
          return to_error(domain::error_code::download_credentials, "wrong download account or password");
        }
        st.download_failed.erase(account);  // a right password ends the row
        return it->second.id;
      },
  };
}

}  // namespace

std::optional<certificate_actor> spawn_certificates(caf::actor_system& sys, certificates_config cfg, std::string& error,
                                                    bool own_thread) {
  register_contents contents;
  std::size_t skipped = 0;
  auto s = cfg.db->scan_prefix(storage::cf::meta, storage::meta_certificate_prefix,
                               [&](std::string_view, std::string_view value) {
                                 if (auto r = domain::decode_certificate(value))
                                   contents.by_id[r->id].push_back(std::move(*r));
                                 else
                                   ++skipped;
                                 return true;
                               });
  if (s.ok())
    s = cfg.db->scan_prefix(storage::cf::meta, storage::meta_download_prefix,
                            [&](std::string_view, std::string_view value) {
                              if (auto c = domain::decode_download_credentials(value))
                                contents.downloads.emplace(c->account, std::move(*c));
                              else
                                ++skipped;
                              return true;
                            });
  if (!s.ok()) {
    error = "cxs-server: cannot read the certificates: " + s.error;
    return std::nullopt;
  }
  std::size_t ran_out = 0;
  if (!read_kept_locks(*cfg.db, storage::meta_download_lock_prefix, cfg.clock->now(), contents.download_locks, error,
                       ran_out)) {
    error = "cxs-server: cannot read the download lockouts: " + error;
    return std::nullopt;
  }
  if (!contents.download_locks.empty() || ran_out)
    spdlog::info("certificates: {} download lockouts kept from before the start, {} ran out meanwhile",
                 contents.download_locks.size(), ran_out);
  if (skipped) spdlog::warn("certificates: {} damaged records skipped", skipped);
  return own_thread ? sys.spawn<caf::detached>(certificates, std::move(cfg), std::move(contents))
                    : sys.spawn(certificates, std::move(cfg), std::move(contents));
}

}  // namespace cxs::actors
