// customer_api over the actors. Argon2id (a login's verify, a new password's hash) runs on a
// detached job, never a scheduler thread; the auth and sign-up actors only keep state.

#include "actors/child_ids.hpp"
#include "actors/wiring.hpp"
#include "domain/secret.hpp"

#include <spdlog/spdlog.h>

namespace cxs::actors {

namespace {

domain::failure one_field(std::string field, std::string code) {
  // The message is the front door's to write, in the reader's language.
  return domain::field_failure({{std::move(field), std::move(code), {}}});
}

// Calls next(self, id) once the download credentials name an ID (SPEC §16); a refusal answers then.
template <class T, class Next>
void for_download_account(const wiring& w, std::string account, std::string password, then_fn<T> then, Next next) {
  auto certificates = w.certificates;
  auto timeout = w.timeout;
  w.system->spawn([=](caf::event_based_actor* self) {
    self->request(certificates, timeout, cert_enter_atom::value, account, password)
        .then([=](std::string& id) { next(self, id); }, [=](caf::error& e) { then(to_failure(self->system(), e)); });
  });
}

class customer_facade final : public customer_api {
 public:
  customer_facade(const wiring& w, admin_api& admin) : w_(w), admin_(admin) {}

  void signup_apply(domain::signup_draft draft, then_fn<domain::nothing> then) override {
    auto signup = w_.signup;
    auto timeout = w_.timeout;
    // Only a form without errors is hashed, so only it needs a place at the hash gate.
    std::shared_ptr<hash_gate::ticket> ticket;
    if (draft.errors.empty() && !(ticket = w_.hashes->admit())) return then(hashing_busy());
    w_.system->spawn<caf::detached>([=](caf::event_based_actor* self) {
      auto req = std::make_shared<signup_request>();
      req->form = draft.form;
      req->errors = draft.errors;
      if (req->errors.empty()) {
        auto hash = ticket->run([&] { return domain::hash_password(req->form.password); });
        if (!hash) return then(hash.error());
        req->password_hash = std::move(*hash);
      }
      req->form.password.clear();
      self->request(signup, timeout, apply_atom::value, signup_request_ptr(req))
          .then([=](domain::nothing& n) { then(n); }, [=](caf::error& e) { then(to_failure(self->system(), e)); });
    });
  }

  void signup_show(std::string token, then_fn<signup_view> then) override {
    ask<signup_view>(*w_.system, w_.signup, w_.timeout, std::move(then), show_atom::value, std::move(token));
  }

  void signup_confirm(std::string token, then_fn<std::string> then) override {
    ask<std::string>(*w_.system, w_.signup, w_.timeout, std::move(then), confirm_atom::value, std::move(token));
  }

  void login(std::string id, std::string password, bool take_over, std::string client_certificate,
             then_fn<login_step> then) override {
    auto directory = w_.directory;
    auto auth = w_.auth;
    auto certificates = w_.certificates;
    auto timeout = w_.timeout;
    auto timing_hash = w_.timing_hash;
    auto ticket = w_.hashes->admit();
    if (!ticket) return then(hashing_busy());
    w_.system->spawn<caf::detached>([=](caf::event_based_actor* self) {
      self->request(directory, timeout, creds_atom::value, id)
          .then(
              [=](account_ptr& account) {
                // Unknown IDs verify against a stand-in hash: the answer takes as long either way.
                auto verified = ticket->run(
                    [&] { return domain::verify_password(password, account ? account->password_hash : timing_hash); });
                if (!verified.ok()) return then(verified.error());  // busy: not a wrong password
                bool ok = *verified && account;
                auto step = [=](domain::certificate_verdict certificate) {
                  self->request(auth, timeout, login_atom::value, id, account, ok, take_over, certificate)
                      .then([=](login_step& t) { then(std::move(t)); },
                            [=](caf::error& e) { then(to_failure(self->system(), e)); });
                };
                // The certificate is judged only once the password passed (SPEC §4: ID and
                // password first), so its verdict tells a guesser nothing.
                if (!ok || account->auth_method != "certificate") return step(domain::certificate_verdict::absent);
                self->request(certificates, timeout, cert_judge_atom::value, id, client_certificate)
                    .then(step, [=](caf::error& e) { then(to_failure(self->system(), e)); });
              },
              [=](caf::error& e) { then(to_failure(self->system(), e)); });
    });
  }

  void login_otp(std::string ticket, std::string code, then_fn<session_started> then) override {
    ask<session_started>(*w_.system, w_.auth, w_.timeout, std::move(then), otp_atom::value, std::move(ticket),
                         std::move(code));
  }

  void logout(std::string token, then_fn<domain::nothing> then) override {
    ask<domain::nothing>(*w_.system, w_.auth, w_.timeout, std::move(then), logout_atom::value, std::move(token));
  }

  std::optional<sessions::session_info> session(std::string_view token) override {
    return w_.sessions->touch(token, w_.clock->now());
  }

  bool session_replaced(std::string_view token) override { return w_.sessions->replaced(token, w_.clock->now()); }

  const std::string& ca_pem() const override { return w_.ca_pem; }

  void download_status(std::string account, std::string password, then_fn<download_view> then) override {
    auto certificates = w_.certificates;
    auto timeout = w_.timeout;
    for_download_account(w_, std::move(account), std::move(password), then, [=](auto* self, const std::string& id) {
      self->request(certificates, timeout, cert_list_atom::value, id)
          .then(
              [=](certificate_list& list) {
                then(download_view{id, std::move(list)});
              },
              [=](caf::error& e) { then(to_failure(self->system(), e)); });
    });
  }

  void download_issue(std::string account, std::string password, then_fn<issued_pkcs12> then) override {
    auto certificates = w_.certificates;
    auto timeout = w_.timeout;
    for_download_account(w_, std::move(account), std::move(password), then, [=](auto* self, const std::string& id) {
      self->request(certificates, timeout, cert_issue_atom::value, id)
          .then([=](issued_pkcs12& made) { then(std::move(made)); },
                [=](caf::error& e) { then(to_failure(self->system(), e)); });
    });
  }

  void download_csr(std::string account, std::string password, std::string pem, then_fn<issued_pem> then) override {
    auto certificates = w_.certificates;
    auto timeout = w_.timeout;
    for_download_account(w_, std::move(account), std::move(password), then, [=](auto* self, const std::string& id) {
      self->request(certificates, timeout, cert_csr_atom::value, id, pem)
          .then([=](issued_pem& made) { then(std::move(made)); },
                [=](caf::error& e) { then(to_failure(self->system(), e)); });
    });
  }

  void me_show(std::string id, then_fn<account_summary> then) override {
    ask<account_summary>(
        *w_.system, w_.directory, w_.timeout,
        [w = w_, then](domain::expected<account_summary> summary) {
          if (!summary) return then(summary.error());
          limit_summary(w, std::move(summary.value()), then);
        },
        show_atom::value, std::move(id));
  }

  void certificates_of(std::string id, then_fn<certificate_list> then) override {
    ask<certificate_list>(*w_.system, w_.certificates, w_.timeout, std::move(then), cert_list_atom::value,
                          std::move(id));
  }

  void me_update(std::string id, domain::settings_change change, then_fn<account_summary> then) override {
    auto wired = w_;
    auto directory = w_.directory;
    auto auth = w_.auth;
    auto timeout = w_.timeout;
    // A change that may need the current password, or carries one, takes a place at the hash gate.
    const bool typed = !change.current_password.empty();
    std::shared_ptr<hash_gate::ticket> ticket;
    if ((change.password || change.email || change.auth_method || typed) && !(ticket = w_.hashes->admit()))
      return then(hashing_busy());
    // Detached: Argon2id runs here, never on a scheduler thread.
    w_.system->spawn<caf::detached>([=](caf::event_based_actor* self) {
      self->request(directory, timeout, creds_atom::value, id)
          .then(
              [=](account_ptr& account) {
                if (!account) return then(domain::fail(domain::error_code::not_found, "no such account"));
                // A limited child's answer lists only its ANs and DNs, as GET /api/me does.
                auto answer = [=](account_summary& a) { limit_summary(wired, std::move(a), then); };
                auto refused = [=](caf::error& e) { then(to_failure(self->system(), e)); };
                // A child ID logs in with one-time passwords only: no download site of its own.
                if (!account->main_id.empty() && change.auth_method == "certificate")
                  return then(one_field("auth_method", "unavailable"));
                auto update = domain::changes_from_settings(change, std::nullopt);
                // Contact fields alone change at once; a new password, email or auth method needs
                // the current password, and the auth actor counts a wrong one (SPEC §18). A current
                // password sent with contact fields alone is checked all the same: a wrong one is
                // never taken, and a right one covers an address another tab changed meanwhile.
                update.own = domain::own_change_check{};  // no current password checked (yet)
                if (!change.password && !typed && domain::changed_items(*account, update).empty())
                  return self->request(directory, timeout, update_atom::value, id, update).then(answer, refused);
                if (!typed) return then(one_field("current_password", "required"));
                auto hashed = ticket->run([&]() -> domain::expected<bool> {
                  auto ok = domain::verify_password(change.current_password, account->password_hash);
                  if (ok.ok() && *ok) update.own->verified_hash = account->password_hash;
                  if (!ok.ok() || !*ok || !change.password) return ok;
                  auto hash = domain::hash_password(*change.password);
                  if (!hash) return hash.error();
                  update.password_hash = std::move(*hash);
                  return true;
                });
                if (!hashed.ok()) return then(hashed.error());
                // SPEC §16: a switch of auth method brings download credentials or revocation.
                auto followed = [=](account_summary& a) {
                  follow_method_switch(wired, *a.replaced, *a.stored, [answer, a]() mutable { answer(a); });
                };
                self->request(auth, timeout, settings_atom::value, account, update, *hashed).then(followed, refused);
              },
              [=](caf::error& e) { then(to_failure(self->system(), e)); });
    });
  }

  void reissue_request(std::string id, std::string email) override {
    auto directory = w_.directory;
    auto auth = w_.auth;
    auto timeout = w_.timeout;
    w_.system->spawn([=](caf::event_based_actor* self) {
      self->request(directory, timeout, creds_atom::value, id)
          .then(
              [=](account_ptr& account) {
                if (account && domain::same_email(account->email, email))
                  self->send(auth, reissue_atom::value, account);
              },
              [=](caf::error& e) {
                // The customer was answered 202 already (SPEC §4); support can see why no mail came.
                spdlog::error("reissue: the directory did not answer: {}", self->system().render(e));
              });
    });
  }

  void reissue(std::string token, std::string password, then_fn<domain::nothing> then) override {
    if (!domain::is_valid_password(password))
      return then(one_field("password", password.empty() ? "required" : "weak_password"));
    if (!domain::looks_like_token(token))
      return then(domain::fail(domain::error_code::reset_link_expired, "not a reissue link"));
    auto auth = w_.auth;
    auto timeout = w_.timeout;
    auto system = w_.system;
    auto hashes = w_.hashes;
    // The link is checked before the new password is hashed: a made-up token costs no Argon2id.
    ask<domain::nothing>(
        *system, auth, timeout,
        [=](domain::expected<domain::nothing> live) {
          if (!live) return then(live.error());
          auto ticket = hashes->admit();
          if (!ticket) return then(hashing_busy());
          system->spawn<caf::detached>([=](caf::event_based_actor* self) {
            auto hash = ticket->run([&] { return domain::hash_password(password); });
            if (!hash) return then(hash.error());
            self->request(auth, timeout, reset_atom::value, token, *hash)
                .then([=](domain::nothing& n) { then(n); },
                      [=](caf::error& e) { then(to_failure(self->system(), e)); });
          });
        },
        reset_check_atom::value, token);
  }

  void plan_show(std::string id, then_fn<account_summary> then) override { me_show(std::move(id), std::move(then)); }

  void plan_change(std::string id, domain::plan_request request, then_fn<account_summary> then) override {
    admin_.plan_change(std::move(id), std::move(request), std::move(then));
  }

  void analytics(const sessions::session_info& who, domain::analysis_request query,
                 then_fn<domain::analysis_document> then) override {
    if (who.child) return child_analysis(w_, who.id, who.account, std::move(query), std::move(then));
    admin_.analytics(who.account, std::move(query), std::move(then));
  }

  void require_standard(std::string id, then_fn<domain::nothing> then) override {
    me_show(std::move(id), [then](domain::expected<account_summary> a) {
      if (!a) return then(a.error());
      if (a->account->plan != "standard")
        return then(domain::fail(domain::error_code::plan_required, "this feature needs the standard plan"));
      then(domain::nothing{});
    });
  }

  void groups_list(const sessions::session_info& who, domain::group_kind kind,
                   then_fn<std::vector<domain::number_group>> then) override {
    if (who.child) return child_groups(w_, who.id, who.account, kind, std::move(then));
    ask_account<std::vector<domain::number_group>>(w_, who.account, std::move(then), groups_atom::value, kind,
                                                   std::vector<std::string>{});
  }

  void group_save(std::string id, domain::group_change change, then_fn<domain::number_group> then) override {
    ask_account<domain::number_group>(w_, std::move(id), std::move(then), group_atom::value, std::move(change));
  }

  void group_delete(std::string id, domain::group_kind kind, std::string group_id,
                    then_fn<domain::nothing> then) override {
    ask_account<bool>(
        w_, std::move(id),
        [then](domain::expected<bool> r) {
          if (!r) return then(r.error());
          then(domain::nothing{});
        },
        ungroup_atom::value, kind, std::move(group_id));
  }

  void customs_list(std::string id, then_fn<std::vector<domain::custom_summary>> then) override {
    ask_account<std::vector<domain::custom_summary>>(w_, std::move(id), std::move(then), customs_atom::value);
  }

  void custom_show(std::string id, std::string set_id, then_fn<domain::custom_set> then) override {
    ask_account<domain::custom_set>(w_, std::move(id), std::move(then), custom_atom::value, std::move(set_id));
  }

  void custom_save(std::string id, domain::custom_change change, then_fn<domain::custom_set> then) override {
    ask_account<domain::custom_set>(w_, std::move(id), std::move(then), customput_atom::value, std::move(change));
  }

  void custom_upload(std::string id, domain::custom_upload upload,
                     then_fn<domain::custom_upload_result> then) override {
    ask_account<domain::custom_upload_result>(w_, std::move(id), std::move(then), customup_atom::value,
                                              std::move(upload));
  }

  void custom_delete(std::string id, std::string set_id, then_fn<domain::nothing> then) override {
    ask_account<bool>(
        w_, std::move(id),
        [then](domain::expected<bool> r) {
          if (!r) return then(r.error());
          then(domain::nothing{});
        },
        customdel_atom::value, std::move(set_id));
  }

  void users_list(std::string main_id, then_fn<std::vector<domain::child_user>> then) override {
    ask<std::vector<domain::child_user>>(*w_.system, w_.directory, w_.timeout, std::move(then), users_atom::value,
                                         std::move(main_id));
  }

  void user_create(std::string main_id, domain::child_request request, domain::lang l,
                   then_fn<domain::child_user> then) override {
    create_child(w_, std::move(main_id), std::move(request), l, std::move(then));
  }

  void user_patch(std::string main_id, std::string id, domain::child_patch patch, domain::lang l,
                  then_fn<domain::child_user> then) override {
    patch_child(w_, std::move(main_id), std::move(id), std::move(patch), l, std::move(then));
  }

  void user_delete(std::string main_id, std::string id, then_fn<domain::nothing> then) override {
    ask<bool>(
        *w_.system, w_.directory, w_.timeout,
        [then](domain::expected<bool> r) {
          if (!r) return then(r.error());
          then(domain::nothing{});
        },
        userdel_atom::value, std::move(main_id), std::move(id));
  }

 private:
  wiring w_;
  admin_api& admin_;
};

}  // namespace

std::unique_ptr<customer_api> make_customer_facade(const wiring& w, admin_api& admin) {
  return std::make_unique<customer_facade>(w, admin);
}

}  // namespace cxs::actors
