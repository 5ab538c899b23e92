#include "actors/signup.hpp"

#include "domain/secret.hpp"
#include "ops/metrics.hpp"
#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

#include <unordered_map>

namespace cxs::actors {

namespace {

enum class app_state { provisional, confirming, confirmed };

struct application {
  domain::signup_form form;
  std::string password_hash;
  int64_t created = 0, expires = 0;  // unix seconds (service clock)
  app_state state = app_state::provisional;
  std::string account_id;            // set once confirmed
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

// The §13 key order, so that the error list reads like the form.
int field_rank(const std::string& field) {
  static const char* order[] = {"contractor_name", "industry", "phone", "department", "person", "email",
                                "opid", "an", "dn", "plan", "billing_an", "billing_phone", "password",
                                "auth_method", "has_sales_code", "sales_code"};
  for (int i = 0; i < 16; ++i)
    if (field == order[i]) return i;
  return 16;
}

reply localized_error(int status, const std::string& code, domain::lang l) {
  return error_reply(status, code, domain::error_message(code, l));
}

std::string plan_label(const std::string& plan) { return plan == "standard" ? "スタンダードプラン" : "フリープラン"; }

struct signup_state {
  signup_config cfg;
  std::unordered_map<std::string, application> apps;  // by token digest
  std::unordered_map<std::string, std::string> pending_by_opid;  // opid -> digest of its open application
  metrics::actor_probe probe{"signup"};
  static inline const char* name = "signup";

  int64_t now() const { return cfg.clock->now(); }

  // An application holds its OPID while it waits for confirmation and its link is valid.
  bool opid_pending(const std::string& opid) const {
    auto it = pending_by_opid.find(opid);
    if (it == pending_by_opid.end()) return false;
    auto a = apps.find(it->second);
    return a != apps.end() && a->second.state != app_state::confirmed && a->second.expires > now();
  }

  void load() {
    auto s = cfg.db->scan_prefix(storage::cf::meta, storage::meta_application_prefix,
                                 [&](std::string_view key, std::string_view value) {
                                   auto digest = std::string(key.substr(storage::meta_application_prefix.size()));
                                   if (auto a = from_json(value)) {
                                     if (a->state == app_state::provisional) pending_by_opid[a->form.opid] = digest;
                                     apps.emplace(digest, std::move(*a));
                                   } else {
                                     spdlog::error("signup: an application in storage cannot be read; skipped");
                                   }
                                   return true;
                                 });
    if (!s.ok()) spdlog::error("signup: cannot read the applications: {}", s.error);
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

caf::result<reply> apply(self_ptr self, signup_request_ptr req) {
  auto promise = self->make_response_promise<reply>();
  auto opid = req->form.opid;
  self->request(self->state.cfg.directory, std::chrono::seconds(30), opid_atom::value, opid)
      .then(
          [=](opid_status& status) mutable {
            auto& st = self->state;
            auto errors = req->errors;
            if (!opid.empty() && status.registry) {
              auto taken = [&](const std::string& o) { return status.has_contract || st.opid_pending(o); };
              auto more = domain::check_signup_against_registry(req->form, *status.registry, taken, req->lang);
              for (auto& e : more) {
                // A field whose own format was already refused, or left empty, has its error.
                bool known = std::any_of(errors.begin(), errors.end(), [&](auto& x) { return x.field == e.field; });
                if (!known) errors.push_back(std::move(e));
              }
            }
            if (!errors.empty()) {
              std::stable_sort(errors.begin(), errors.end(),
                               [](auto& a, auto& b) { return field_rank(a.field) < field_rank(b.field); });
              promise.deliver(json_reply(422, domain::field_errors_json(errors)));
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
                promise.deliver(localized_error(503, "storage", req->lang));
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
                  (void) self->state.cfg.db->write(batch, false);
                  promise.deliver(localized_error(503, "mail", req->lang));
                  return;
                }
                spdlog::info("signup: provisional application for OPID {}", opid);
                promise.deliver(json_reply(202, {{"status", "provisional"}}));
              });
            });
          },
          [=](caf::error& e) mutable {
            promise.deliver(error_reply(503, "unavailable", "the registry did not answer: " + self->system().render(e)));
          });
  return promise;
}

// The application behind a token, or the error answer for it.
application* find(self_ptr self, const std::string& token, domain::lang l, reply& error) {
  auto& st = self->state;
  if (!domain::looks_like_token(token)) {
    error = localized_error(404, "not_found", l);
    return nullptr;
  }
  auto it = st.apps.find(domain::token_digest(token));
  if (it == st.apps.end()) {
    error = localized_error(404, "not_found", l);
    return nullptr;
  }
  if (it->second.state == app_state::provisional && it->second.expires <= st.now()) {
    error = localized_error(410, "expired", l);
    return nullptr;
  }
  return &it->second;
}

caf::result<reply> confirm(self_ptr self, const std::string& token, domain::lang l) {
  reply error;
  auto* app = find(self, token, l, error);
  if (!app) return error;
  if (app->state != app_state::provisional) return localized_error(409, "already_confirmed", l);
  app->state = app_state::confirming;  // a second press while this runs is refused above
  auto digest = domain::token_digest(token);
  auto& st = self->state;
  new_account na;
  auto& f = app->form;
  na.request.opid = f.opid;
  na.request.plan = f.plan;
  na.request.auth_method = f.auth_method;
  na.request.email = f.email;
  na.request.person = f.person;
  na.request.department = f.department;
  na.request.registered = domain::jst_today(st.now());
  na.request.billing_an = f.billing_an;
  na.request.billing_phone = f.billing_phone;
  na.request.contractor_name = f.contractor_name;
  na.request.industry = f.industry;
  na.request.phone = f.phone;
  na.request.sales_code = f.sales_code;
  na.password_hash = app->password_hash;
  auto promise = self->make_response_promise<reply>();
  auto back_to_provisional = [=] {
    if (auto it = self->state.apps.find(digest); it != self->state.apps.end()) it->second.state = app_state::provisional;
  };
  self->request(st.cfg.directory, std::chrono::seconds(30), create_atom::value, na)
      .then(
          [=](reply& created) mutable {
            if (created.status != 201) {
              back_to_provisional();
              bool taken = created.status == 422 && created.body.find("opid_taken") != std::string::npos;
              promise.deliver(taken ? localized_error(409, "opid_taken", l) : created);
              return;
            }
            auto id = nlohmann::json::parse(created.body).at("id").get<std::string>();
            auto it = self->state.apps.find(digest);
            if (it == self->state.apps.end()) {
              promise.deliver(json_reply(201, {{"id", id}}));
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
                                   // The certificate download details arrive with the certificate issue.
                                   {"certificate_info", copy.form.auth_method == "certificate"
                                                            ? "\n電子証明書のダウンロード方法は、準備が整い次第あらためてご案内いたします。\n"
                                                            : ""}};
            // (2/3) then (3/3): the mailer keeps the order in which one sender queues.
            mail_then(self, copy.form.email, domain::mail_signup_accepted, vars, [](bool) {});
            mail_then(self, copy.form.email, domain::mail_signup_ready, vars, [=](bool) mutable {
              spdlog::info("signup: account {} issued for OPID {}", id, copy.form.opid);
              promise.deliver(json_reply(201, {{"id", id}}));
            });
          },
          [=](caf::error& e) mutable {
            back_to_provisional();
            promise.deliver(error_reply(503, "unavailable", "the directory did not answer: " + self->system().render(e)));
          });
  return promise;
}

signup_actor::behavior_type signup(self_ptr self, signup_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.load();
  self->send(self, tick_atom::value);
  return {
      [=](apply_atom, signup_request_ptr& req) -> caf::result<reply> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return apply(self, std::move(req));
      },
      [=](show_atom, const std::string& token, domain::lang l) -> reply {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        reply error;
        auto* app = find(self, token, l, error);
        if (!app) return error;
        return json_reply(200, {{"status", app->state == app_state::provisional ? "provisional" : "confirmed"},
                                {"expires", domain::format_jst_iso(app->expires)},
                                {"application", domain::signup_summary_json(app->form)}});
      },
      [=](confirm_atom, const std::string& token, domain::lang l) -> caf::result<reply> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return confirm(self, token, l);
      },
      [=](tick_atom) {
        // Forget applications a week after they expired or were confirmed: the OPID is free and
        // the link answers 404 from then on.
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto cutoff = st.now() - 7 * 86400;
        auto batch = st.cfg.db->batch();
        for (auto it = st.apps.begin(); it != st.apps.end();) {
          if (it->second.state != app_state::confirming && it->second.expires < cutoff) {
            batch.erase(storage::cf::meta, std::string(storage::meta_application_prefix) + it->first);
            if (auto p = st.pending_by_opid.find(it->second.form.opid); p != st.pending_by_opid.end() && p->second == it->first)
              st.pending_by_opid.erase(p);
            it = st.apps.erase(it);
          } else {
            ++it;
          }
        }
        if (!batch.empty()) (void) st.cfg.db->write(batch, false);
        self->delayed_send(self, std::chrono::minutes(10), tick_atom::value);
      },
  };
}

}  // namespace

signup_actor spawn_signup(caf::actor_system& sys, signup_config cfg) { return sys.spawn(signup, std::move(cfg)); }

}  // namespace cxs::actors
