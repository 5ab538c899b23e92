#include "actors/customers.hpp"

#include "actors/ask.hpp"

#include "domain/numbers.hpp"
#include "domain/secret.hpp"
#include "domain/settings.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cxs::actors {

namespace {


reply localized(int status, const std::string& code, domain::lang l) {
  return error_reply(status, code, domain::error_message(code, l));
}

// The body as a JSON object, or the 400 answer.
std::optional<nlohmann::json> json_body(const std::string& body, domain::lang l, const done_fn& done) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    done(localized(400, "json", l));
    return std::nullopt;
  }
  return j;
}

bool read_secret_file(const std::string& path, std::string& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::getline(in, out);
  return true;
}

// /api/me: the account's public record with the session's CSRF token.
reply with_csrf(reply r, const std::string& csrf) {
  if (r.status != 200) return r;
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) return r;
  j["csrf_token"] = csrf;
  return json_reply(200, j);
}

}  // namespace

std::unique_ptr<customers> customers::start(const config::options& opts, deps d, std::string& error) {
  auto c = std::make_unique<customers>();
  c->sys_ = d.system;
  c->deps_ = d;
  c->clock_ = d.clock;
  c->url_.set(opts.public_url);
  mailer_config mc;
  mc.db = d.db;
  mc.clock = d.clock;
  mc.from = opts.mail_from;
  mc.retry_base_ms = opts.mail_retry_base_ms;
  mc.retry_max_s = opts.mail_retry_max_s;
  if (!opts.mail_templates.empty() && !domain::mail_texts::load_dir(opts.mail_templates, mc.texts, error)) return nullptr;
  if (opts.mail_smtp.empty()) {
    auto outbox = opts.mail_outbox.empty() ? opts.data_dir + "/outbox" : opts.mail_outbox;
    mc.transport = make_outbox_transport(outbox);
    spdlog::info("mail: writing to the outbox folder {}", outbox);
  } else {
    smtp_settings s{opts.mail_smtp, opts.mail_starttls, opts.mail_smtp_user, {}};
    if (!opts.mail_smtp_password_file.empty() && !read_secret_file(opts.mail_smtp_password_file, s.password)) {
      error = "cxs-server: cannot read --mail.smtp-password-file " + opts.mail_smtp_password_file;
      return nullptr;
    }
    mc.transport = make_smtp_transport(std::move(s));
    spdlog::info("mail: delivering through SMTP {}", opts.mail_smtp);
  }
  c->timing_hash_ = domain::hash_password("TimingOnly0" + domain::new_account_id());
  c->mailer_ = spawn_mailer(*d.system, std::move(mc));
  c->signup_ = spawn_signup(*d.system, {d.db, d.writer, d.directory, c->mailer_, d.clock, &c->url_});
  auth_config ac;
  ac.directory = d.directory;
  ac.mailer = c->mailer_;
  ac.sessions = &c->sessions_;
  ac.clock = d.clock;
  ac.url = &c->url_;
  c->auth_ = spawn_auth(*d.system, ac);
  return c;
}

void customers::stop() {
  caf::anon_send_exit(signup_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(auth_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(mailer_, caf::exit_reason::user_shutdown);
  // The actor system waits for every actor to be gone, and a handle kept here would keep one.
  signup_ = nullptr;
  auth_ = nullptr;
  mailer_ = nullptr;
  deps_.writer = nullptr;
  deps_.directory = nullptr;
}

void customers::signup_apply(std::string body, domain::lang l, done_fn done) {
  auto signup = signup_;
  auto timeout = deps_.timeout;
  // Argon2id costs tens of milliseconds: hash on a thread of its own, never a scheduler thread.
  sys_->spawn<caf::detached>([=](caf::event_based_actor* self) {
    auto json = json_body(body, l, done);
    if (!json) return;
    auto req = std::make_shared<signup_request>();
    req->lang = l;
    auto parsed = domain::parse_signup(*json, l);
    if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed)) {
      req->errors = std::move(*errors);
      // The registry rules still run on the fields whose own format passed: all errors at once.
      auto text = [&](const char* key) {
        auto it = json->find(key);
        return it != json->end() && it->is_string() ? domain::strip_hyphens(it->get<std::string>()) : std::string();
      };
      auto ok = [&](const char* key) {
        return std::none_of(req->errors.begin(), req->errors.end(), [&](auto& e) { return e.field == key; });
      };
      auto& f = req->form;
      if (ok("opid")) f.opid = text("opid");
      if (ok("an")) f.an = text("an");
      if (ok("dn")) f.dn = text("dn");
      if (ok("plan")) f.plan = text("plan");
      if (ok("billing_an") && f.plan == "standard") f.billing_an = text("billing_an");
    } else {
      req->form = std::get<domain::signup_form>(parsed);
      req->password_hash = domain::hash_password(req->form.password);
      req->form.password.clear();
    }
    self->request(signup, timeout, apply_atom::value, signup_request_ptr(req))
        .then([=](reply& r) { done(std::move(r)); }, [=](caf::error& e) { done(failure_reply(self->system(), e)); });
  });
}

void customers::signup_show(std::string token, domain::lang l, done_fn done) {
  ask_reply(*sys_, signup_, deps_.timeout, std::move(done), show_atom::value, std::move(token), l);
}

void customers::signup_confirm(std::string token, domain::lang l, done_fn done) {
  ask_reply(*sys_, signup_, deps_.timeout, std::move(done), confirm_atom::value, std::move(token), l);
}

void customers::login(std::string body, domain::lang l, done_fn done) {
  auto directory = deps_.directory;
  auto auth = auth_;
  auto timeout = deps_.timeout;
  auto timing_hash = timing_hash_;
  sys_->spawn<caf::detached>([=](caf::event_based_actor* self) {
    auto json = json_body(body, l, done);
    if (!json) return;
    auto parsed = domain::parse_pair(*json, "id", "password", l);
    if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed)) {
      done(json_reply(422, domain::field_errors_json(*errors)));
      return;
    }
    auto [id, password] = std::get<std::pair<std::string, std::string>>(parsed);
    self->request(directory, timeout, creds_atom::value, id)
        .then(
            [=](account_ptr& account) {
              // Unknown IDs verify against a stand-in hash: the answer takes as long either way.
              bool ok = domain::verify_password(password, account ? account->password_hash : timing_hash) && account;
              self->request(auth, timeout, login_atom::value, id, account, ok, l)
                  .then([=](reply& r) { done(std::move(r)); }, [=](caf::error& e) { done(failure_reply(self->system(), e)); });
            },
            [=](caf::error& e) { done(failure_reply(self->system(), e)); });
  });
}

void customers::login_otp(std::string body, domain::lang l, done_fn done) {
  auto json = json_body(body, l, done);
  if (!json) return;
  auto parsed = domain::parse_pair(*json, "ticket", "code", l);
  if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed)) {
    done(json_reply(422, domain::field_errors_json(*errors)));
    return;
  }
  auto [ticket, code] = std::get<std::pair<std::string, std::string>>(parsed);
  ask_reply(*sys_, auth_, deps_.timeout, std::move(done), otp_atom::value, ticket, code, l);
}

void customers::logout(std::string token, done_fn done) {
  ask_reply(*sys_, auth_, deps_.timeout, std::move(done), logout_atom::value, std::move(token));
}

void customers::me_show(std::string id, std::string csrf, done_fn done) {
  auto directory = deps_.directory;
  auto timeout = deps_.timeout;
  sys_->spawn([=](caf::event_based_actor* self) {
    self->request(directory, timeout, show_atom::value, id)
        .then([=](reply& r) { done(with_csrf(std::move(r), csrf)); },
              [=](caf::error& e) { done(failure_reply(self->system(), e)); });
  });
}

void customers::me_update(std::string id, std::string body, domain::lang l, std::string csrf, done_fn done) {
  auto directory = deps_.directory;
  auto timeout = deps_.timeout;
  sys_->spawn<caf::detached>([=](caf::event_based_actor* self) {
    auto json = json_body(body, l, done);
    if (!json) return;
    auto parsed = domain::parse_settings_change(*json, l);
    if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed)) {
      done(json_reply(422, domain::field_errors_json(*errors)));
      return;
    }
    auto change = std::get<domain::settings_change>(parsed);
    self->request(directory, timeout, creds_atom::value, id)
        .then(
            [=](account_ptr& account) {
              if (!account) return done(localized(404, "not_found", l));
              account_update update;
              update.email = change.email;
              update.person = change.person;
              update.department = change.department;
              update.auth_method = change.auth_method;
              if (change.password) {
                if (!domain::verify_password(change.current_password, account->password_hash)) {
                  std::vector<domain::field_error> e{
                      {"current_password", "wrong_password", domain::field_message("current_password", "wrong_password", l)}};
                  return done(json_reply(422, domain::field_errors_json(e)));
                }
                update.password_hash = domain::hash_password(*change.password);
              }
              self->request(directory, timeout, update_atom::value, id, update)
                  .then([=](reply& r) { done(with_csrf(std::move(r), csrf)); },
                        [=](caf::error& e) { done(failure_reply(self->system(), e)); });
            },
            [=](caf::error& e) { done(failure_reply(self->system(), e)); });
  });
}

void customers::reissue_request(std::string body, domain::lang l, done_fn done) {
  auto json = json_body(body, l, done);
  if (!json) return;
  // Always 202, at once: neither the answer nor its timing tells whether ID and address match.
  done(json_reply(202, {{"status", "accepted"}}));
  auto parsed = domain::parse_pair(*json, "id", "email", l);
  if (std::holds_alternative<std::vector<domain::field_error>>(parsed)) return;
  auto [id, email] = std::get<std::pair<std::string, std::string>>(parsed);
  auto directory = deps_.directory;
  auto auth = auth_;
  auto timeout = deps_.timeout;
  sys_->spawn([=](caf::event_based_actor* self) {
    self->request(directory, timeout, creds_atom::value, id)
        .then([=](account_ptr& account) {
          if (account && domain::same_email(account->email, email)) self->send(auth, reissue_atom::value, account);
        });
  });
}

void customers::reissue(std::string body, domain::lang l, done_fn done) {
  auto auth = auth_;
  auto timeout = deps_.timeout;
  sys_->spawn<caf::detached>([=](caf::event_based_actor* self) {
    auto json = json_body(body, l, done);
    if (!json) return;
    auto token_it = json->find("token");
    auto password_it = json->find("password");
    std::string token = token_it != json->end() && token_it->is_string() ? token_it->get<std::string>() : "";
    std::string password = password_it != json->end() && password_it->is_string() ? password_it->get<std::string>() : "";
    if (!domain::is_valid_password(password)) {
      auto code = password.empty() ? "required" : "weak_password";
      std::vector<domain::field_error> e{{"password", code, domain::field_message("password", code, l)}};
      return done(json_reply(422, domain::field_errors_json(e)));
    }
    if (!domain::looks_like_token(token))
      return done(error_reply(410, "expired", domain::error_message("reset_expired", l)));
    self->request(auth, timeout, reset_atom::value, token, domain::hash_password(password), l)
        .then([=](reply& r) { done(std::move(r)); }, [=](caf::error& e) { done(failure_reply(self->system(), e)); });
  });
}

void customers::plan_show(std::string id, done_fn done) {
  auto directory = deps_.directory;
  auto timeout = deps_.timeout;
  sys_->spawn([=](caf::event_based_actor* self) {
    self->request(directory, timeout, creds_atom::value, id)
        .then(
            [=](account_ptr& account) {
              if (!account) return done(error_reply(404, "not_found", "no such account"));
              nlohmann::json j{{"plan", account->plan}};
              if (account->plan == "standard") {
                j["billing_an"] = account->billing_an;
                j["billing_phone"] = account->billing_phone;
              }
              done(json_reply(200, j));
            },
            [=](caf::error& e) { done(failure_reply(self->system(), e)); });
  });
}

}  // namespace cxs::actors
