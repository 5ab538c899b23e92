#include "actors/signup.hpp"

#include "domain/download_credentials.hpp"
#include "domain/secret.hpp"
#include "metrics/metrics.hpp"
#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

#include <unordered_map>
#include <unordered_set>

namespace cxs::actors {

namespace {

enum class app_state { provisional, confirming, confirmed };

struct application {
  domain::signup_form form;
  std::string password_hash;
  int64_t created = 0, expires = 0;  // unix seconds (service clock)
  app_state state = app_state::provisional;
  std::string account_id;  // set once confirmed
};

nlohmann::json to_json(const application& a) {
  return {{"form", domain::signup_to_storage_json(a.form)},
          {"password_hash", a.password_hash},
          {"created", a.created},
          {"expires", a.expires},
          {"state", a.state == app_state::provisional ? "provisional" : "confirmed"},
          {"account_id", a.account_id}};
}

std::optional<application> from_json(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    auto form = domain::signup_from_storage_json(j.at("form"));
    if (!form) return std::nullopt;
    application a;
    a.form = std::move(*form);
    a.password_hash = j.at("password_hash");
    a.created = j.at("created");
    a.expires = j.at("expires");
    a.state = j.at("state") == "provisional" ? app_state::provisional : app_state::confirmed;
    a.account_id = j.value("account_id", "");
    return a;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::string plan_label(const std::string& plan) { return plan == "standard" ? "スタンダードプラン" : "フリープラン"; }

}  // namespace

struct stored_applications {
  std::unordered_map<std::string, application> apps;  // by token digest
};

std::shared_ptr<const stored_applications> load_applications(const storage::store& db, std::string& error) {
  auto out = std::make_shared<stored_applications>();
  auto s = db.scan_prefix(storage::cf::meta, storage::meta_application_prefix,
                          [&](std::string_view key, std::string_view value) {
                            auto digest = std::string(key.substr(storage::meta_application_prefix.size()));
                            if (auto a = from_json(value))
                              out->apps.emplace(digest, std::move(*a));
                            else
                              spdlog::error("signup: an application in storage cannot be read; skipped");
                            return true;
                          });
  if (!s.ok()) {
    error = "cxs-server: cannot read the sign-up applications: " + s.error;
    return nullptr;
  }
  return out;
}

namespace {

struct signup_state {
  signup_config cfg;
  std::unordered_map<std::string, application> apps;             // by token digest
  std::unordered_map<std::string, std::string> pending_by_opid;  // opid -> digest of its open application
  // OPIDs whose application an operator's cancellation is taking out of storage: still held, so
  // no new application claims one before the write answers (a failed write puts the old back).
  std::unordered_set<std::string> cancelling;
  metrics::actor_probe probe{"signup"};
  static inline const char* name = "signup";

  int64_t now() const { return cfg.clock->now(); }

  // An application holds its OPID while it waits for confirmation and its link is valid.
  bool opid_pending(const std::string& opid) const {
    if (cancelling.count(opid)) return true;
    auto it = pending_by_opid.find(opid);
    if (it == pending_by_opid.end()) return false;
    auto a = apps.find(it->second);
    return a != apps.end() && a->second.state != app_state::confirmed && a->second.expires > now();
  }

  void load() {
    apps = cfg.stored->apps;
    for (auto& [digest, a] : apps)
      if (a.state == app_state::provisional) pending_by_opid[a.form.opid] = digest;
  }
};

using self_ptr = signup_actor::stateful_pointer<signup_state>;

template <class F>
void store_then(self_ptr self, const std::string& digest, const application& a, F then) {
  auto batch = std::make_shared<storage::write_batch>(self->state.cfg.db->batch());
  batch->put(storage::cf::meta, std::string(storage::meta_application_prefix) + digest, to_json(a).dump());
  self->request(self->state.cfg.writer, caf::infinite, write_atom::value, batch)
      .then([=](bool ok) mutable { then(ok); }, [=](caf::error&) mutable { then(false); });
}

// Queues a mail; then(ok) once the mailer stored it.
template <class F>
void mail_then(self_ptr self, std::string to, std::string_view text, domain::mail_vars vars, F then) {
  outgoing_mail m{std::move(to), std::string(text), std::move(vars)};
  self->request(self->state.cfg.mailer, std::chrono::seconds(30), mail_atom::value, std::move(m))
      .then([=](bool ok) mutable { then(ok); }, [=](caf::error&) mutable { then(false); });
}

caf::result<domain::nothing> take_application(self_ptr self, const signup_request_ptr& req) {
  auto promise = self->make_response_promise<domain::nothing>();
  auto opid = req->form.opid;
  self->request(self->state.cfg.directory, std::chrono::seconds(30), opid_atom::value, opid)
      .then(
          [=](opid_status& status) mutable {
            auto& st = self->state;
            auto errors = req->errors;
            if (!opid.empty() && status.registry) {
              auto taken = [&](const std::string& o) { return status.has_contract || st.opid_pending(o); };
              // Messages are the front door's to localize; the codes are what count here.
              auto more = domain::check_signup_against_registry(req->form, *status.registry, taken, domain::lang::ja);
              for (auto& e : more) {
                // A field whose own format was already refused, or left empty, has its error.
                bool known = std::any_of(errors.begin(), errors.end(), [&](auto& x) { return x.field == e.field; });
                if (!known) errors.push_back(std::move(e));
              }
            }
            if (!errors.empty()) {
              domain::sort_in_form_order(errors);
              promise.deliver(to_error(domain::field_failure(std::move(errors))));
              return;
            }
            application a;
            a.form = req->form;
            a.password_hash = req->password_hash;
            a.created = st.now();
            a.expires = a.created + st.cfg.link_valid_s;
            auto token = domain::new_token();
            auto digest = domain::token_digest(token);
            // Claimed at once, so a second application for the OPID is refused before the write lands.
            st.apps[digest] = a;
            st.pending_by_opid[opid] = digest;
            auto undo = [=] {
              self->state.apps.erase(digest);
              if (self->state.pending_by_opid[opid] == digest) self->state.pending_by_opid.erase(opid);
            };
            store_then(self, digest, a, [=](bool ok) mutable {
              if (!ok) {
                undo();
                promise.deliver(to_error(domain::error_code::storage, "the application could not be stored"));
                return;
              }
              domain::mail_vars vars{{"person", a.form.person},
                                     {"contractor_name", a.form.contractor_name},
                                     {"opid", a.form.opid},
                                     {"confirm_url", self->state.cfg.url->get() + "/signup/confirm/" + token},
                                     {"expires", domain::format_jst_readable(a.expires, domain::lang::ja)}};
              mail_then(self, a.form.email, domain::mail_signup_provisional, vars, [=](bool ok) mutable {
                if (!ok) {
                  // Without its mail the application cannot be confirmed: give the OPID back.
                  undo();
                  auto batch = self->state.cfg.db->batch();
                  batch.erase(storage::cf::meta, std::string(storage::meta_application_prefix) + digest);
                  if (auto s = self->state.cfg.db->write(batch, false); !s.ok())
                    spdlog::error("signup: an application without its mail could not be removed: {}", s.error);
                  promise.deliver(to_error(domain::error_code::mail, "the mail could not be queued"));
                  return;
                }
                spdlog::info("signup: provisional application for OPID {}", opid);
                promise.deliver(domain::nothing{});
              });
            });
          },
          [=](caf::error& e) mutable {
            promise.deliver(
                to_error(domain::error_code::unavailable, "the registry did not answer: " + self->system().render(e)));
          });
  return promise;
}

// Why a token with no application in memory answers as it does: the outcome kept when its
// application was forgotten (link_expired, already_confirmed), else not_found.
caf::error forgotten_link(const signup_state& st, const std::string& token) {
  if (domain::looks_like_token(token)) {
    storage::status status;
    auto key = std::string(storage::meta_link_outcome_prefix) + domain::token_digest(token);
    auto outcome = st.cfg.db->get(storage::cf::meta, key, status);
    if (!status.ok()) {
      spdlog::error("signup: the outcome of a forgotten link could not be read: {}", status.error);
      return to_error(domain::error_code::storage, "the link could not be looked up");
    }
    if (outcome == "expired") return to_error(domain::error_code::link_expired, "the link has expired");
    if (outcome == "confirmed")
      return to_error(domain::error_code::already_confirmed, "the application is already confirmed");
  }
  return to_error(domain::error_code::not_found, "no application for this link");
}

// The application behind a token, or why there is none (not_found, link_expired, and for a
// forgotten confirmed one already_confirmed).
application* find(self_ptr self, const std::string& token, caf::error& error) {
  auto& st = self->state;
  auto it = domain::looks_like_token(token) ? st.apps.find(domain::token_digest(token)) : st.apps.end();
  if (it == st.apps.end()) {
    error = forgotten_link(st, token);
    return nullptr;
  }
  if (it->second.state == app_state::provisional && it->second.expires <= st.now()) {
    error = to_error(domain::error_code::link_expired, "the link has expired");
    return nullptr;
  }
  return &it->second;
}

caf::result<domain::nothing> cancel(self_ptr self, const std::string& opid) {
  auto& st = self->state;
  if (st.cancelling.count(opid))
    return to_error(domain::error_code::not_found, "the pending application of " + opid + " is being cancelled");
  auto pending = st.pending_by_opid.find(opid);
  auto app = pending == st.pending_by_opid.end() ? st.apps.end() : st.apps.find(pending->second);
  if (app != st.apps.end() && app->second.state == app_state::confirming)
    return to_error(domain::error_code::already_confirmed, "the application's confirmation is under way");
  if (!st.opid_pending(opid)) return to_error(domain::error_code::not_found, "no pending application for " + opid);
  const auto digest = pending->second;
  // Gone at once, so a confirmation arriving before the write lands finds no application; the
  // OPID stays held until the write answers, and the application is put back if it fails.
  const auto saved = st.apps.at(digest);
  st.apps.erase(digest);
  st.pending_by_opid.erase(pending);
  st.cancelling.insert(opid);
  auto batch = std::make_shared<storage::write_batch>(st.cfg.db->batch());
  batch->erase(storage::cf::meta, std::string(storage::meta_application_prefix) + digest);
  auto promise = self->make_response_promise<domain::nothing>();
  auto done = [=](bool ok) mutable {
    auto& st = self->state;
    st.cancelling.erase(opid);
    if (!ok) {
      st.apps.emplace(digest, saved);
      st.pending_by_opid[opid] = digest;
      promise.deliver(to_error(domain::error_code::storage, "the cancellation could not be stored"));
      return;
    }
    spdlog::info("signup: an operator cancelled the pending application of OPID {}", opid);
    promise.deliver(domain::nothing{});
  };
  self->request(st.cfg.writer, caf::infinite, write_atom::value, batch)
      .then([=](bool ok) mutable { done(ok); }, [=](caf::error&) mutable { done(false); });
  return promise;
}

caf::result<std::string> confirm(self_ptr self, const std::string& token) {
  caf::error error;
  auto* app = find(self, token, error);
  if (!app) return error;
  if (app->state != app_state::provisional)
    return to_error(domain::error_code::already_confirmed, "the application is already confirmed");
  app->state = app_state::confirming;  // a second press while this runs is refused above
  auto digest = domain::token_digest(token);
  auto& st = self->state;
  new_account na{domain::request_from_application(app->form, domain::jst_today(st.now())), app->password_hash};
  auto promise = self->make_response_promise<std::string>();
  auto back_to_provisional = [=] {
    if (auto it = self->state.apps.find(digest); it != self->state.apps.end())
      it->second.state = app_state::provisional;
  };
  self->request(st.cfg.directory, std::chrono::seconds(30), create_atom::value, na)
      .then(
          [=](account_summary& created) mutable {
            auto id = created.account->id;
            auto it = self->state.apps.find(digest);
            if (it == self->state.apps.end()) {
              promise.deliver(id);
              return;
            }
            auto& a = it->second;
            a.state = app_state::confirmed;
            a.account_id = id;
            a.password_hash.clear();  // the account holds it now
            auto copy = a;
            store_then(self, digest, copy, [](bool ok) {
              if (!ok) spdlog::error("signup: the confirmed state of an application could not be stored");
            });
            auto url = self->state.cfg.url->get();
            domain::mail_vars vars{{"person", copy.form.person},
                                   {"contractor_name", copy.form.contractor_name},
                                   {"opid", copy.form.opid},
                                   {"id", id},
                                   {"plan_label", plan_label(copy.form.plan)},
                                   {"login_url", url + "/login"},
                                   {"certificate_info", ""}};
            // (2/3) then (3/3), queued in that order: the mailer keeps one address's order, a
            // retry included.
            // The account exists whatever happens to these mails; a lost one is logged for support.
            auto send = [=](domain::mail_vars vars) mutable {
              mail_then(self, copy.form.email, domain::mail_signup_accepted, vars, [id](bool ok) {
                if (!ok) spdlog::error("signup: mail (2/3) for account {} could not be queued", id);
              });
              mail_then(self, copy.form.email, domain::mail_signup_ready, vars, [=](bool ok) mutable {
                if (!ok) spdlog::error("signup: mail (3/3) for account {} could not be queued", id);
                spdlog::info("signup: account {} issued for OPID {}", id, copy.form.opid);
                promise.deliver(id);
              });
            };
            if (copy.form.auth_method != "certificate") return send(vars);
            // SPEC §16: mail (3/3) of a certificate account carries its download credentials.
            self->request(self->state.cfg.certificates, std::chrono::seconds(30), cert_grant_atom::value, id)
                .then(
                    [=](download_grant& g) mutable {
                      vars["certificate_info"] = "\n" + domain::download_mail_block(url, g.account, g.password);
                      send(vars);
                    },
                    [=](caf::error&) mutable {
                      spdlog::error("signup: no download credentials for account {}: support can send new ones", id);
                      vars["certificate_info"] =
                          "\n電子証明書のダウンロード方法は、準備が整い次第あらためてご案内いたします。\n";
                      send(vars);
                    });
          },
          [=](caf::error& e) mutable {
            back_to_provisional();
            auto f = to_failure(self->system(), e);
            // The OPID was taken meanwhile (by an operator): the link cannot be confirmed.
            bool taken = f.code == domain::error_code::invalid_fields &&
                         std::any_of(f.fields.begin(), f.fields.end(), [](auto& x) { return x.code == "opid_taken"; });
            promise.deliver(taken ? to_error(domain::error_code::opid_taken, "the OPID already has a contract")
                                  : to_error(std::move(f)));
          });
  return promise;
}

signup_actor::behavior_type signup(self_ptr self, signup_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.load();
  self->send(self, tick_atom::value);
  return {
      [=](apply_atom, signup_request_ptr& req) -> caf::result<domain::nothing> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return take_application(self, req);
      },
      [=](show_atom, const std::string& token) -> caf::result<signup_view> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        caf::error error;
        auto* app = find(self, token, error);
        if (!app) return error;
        return signup_view{app->state != app_state::provisional, app->expires, app->form};
      },
      [=](confirm_atom, const std::string& token) -> caf::result<std::string> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return confirm(self, token);
      },
      [=](cancel_atom, const std::string& opid) -> caf::result<domain::nothing> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return cancel(self, opid);
      },
      [=](tick_atom) {
        // Forget applications a week after their link's 24 hours ended (confirmed or not): the
        // contact data goes, and the link keeps its answer (410 or 409) from the outcome left in
        // their place. Out of memory only once that is stored: until then the link answers alike.
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto cutoff = st.now() - 7 * 86400;
        auto batch = st.cfg.db->batch();
        std::vector<std::string> forgotten;
        for (auto& [digest, a] : st.apps)
          if (a.state != app_state::confirming && a.expires < cutoff) {
            batch.erase(storage::cf::meta, std::string(storage::meta_application_prefix) + digest);
            batch.put(storage::cf::meta, std::string(storage::meta_link_outcome_prefix) + digest,
                      a.state == app_state::confirmed ? "confirmed" : "expired");
            forgotten.push_back(digest);
          }
        if (auto s = batch.empty() ? storage::status{} : st.cfg.db->write(batch, false); !s.ok()) {
          spdlog::error("signup: old applications could not be forgotten (tried again in 10 minutes): {}", s.error);
          forgotten.clear();
        }
        for (const auto& digest : forgotten) {
          auto it = st.apps.find(digest);
          if (auto p = st.pending_by_opid.find(it->second.form.opid);
              p != st.pending_by_opid.end() && p->second == digest)
            st.pending_by_opid.erase(p);
          st.apps.erase(it);
        }
        self->delayed_send(self, std::chrono::minutes(10), tick_atom::value);
      },
  };
}

}  // namespace

signup_actor spawn_signup(caf::actor_system& sys, signup_config cfg) { return sys.spawn(signup, std::move(cfg)); }

}  // namespace cxs::actors
