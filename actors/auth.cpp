#include "actors/auth.hpp"

#include "domain/bounded_tries.hpp"
#include "domain/secret.hpp"
#include "metrics/metrics.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace cxs::actors {

namespace {

// Wrong answers of one ID in a row (SPEC §4, §18): passwords, and one-time codes across tickets.
// A right password ends the row of wrong passwords only: otherwise whoever holds the password
// could guess codes for ever, five per fresh ticket. A completed login ends both rows.
struct failures {
  int passwords = 0;
  int codes = 0;
  int64_t locked_until = 0;
  int64_t last = 0;
};

struct ticket {
  std::string id;
  std::string code_digest;  // SHA-256 of the mailed code: the code itself is kept nowhere
  int64_t expires = 0;
  int tries_left = 0;
  std::string main_id;     // a child ID's account (SPEC §15); empty for a main ID
  bool take_over = false;  // SPEC §19: may end the ID's live session
  std::string email;       // where the take-over notice goes
  std::string person;
  std::string password_hash;  // as the password step read it: a change since voids the code
  bool code_passed = false;   // used: the session starts once the directory has answered
};

struct reissue {
  std::string id;
  int64_t expires = 0;
  bool in_use = false;  // its new password is being stored: refused meanwhile, given back if that fails
};

struct auth_state {
  auth_config cfg;
  std::unordered_map<std::string, failures> failed;        // by ID as typed (unknown IDs too)
  std::unordered_map<std::string, ticket> tickets;         // by ticket digest
  std::unordered_map<std::string, std::string> ticket_of;  // ID -> its current ticket digest
  std::unordered_map<std::string, reissue> reissues;       // by link token digest
  metrics::actor_probe probe{"auth"};
  static inline const char* name = "auth";

  int64_t now() const { return cfg.clock->now(); }

  void count(const char* outcome) { metrics::global().get_counter("cxs_logins_total", {{"outcome", outcome}}).inc(); }

  bool locked(const std::string& id) {
    auto it = failed.find(id);
    return it != failed.end() && it->second.locked_until > now();
  }

  // Counts a wrong password (or code) of id; the fifth in a row locks it.
  void wrong_answer(const std::string& id, bool code) {
    if (!failed.count(id) && failed.size() >= cfg.max_failed) make_room();
    auto& f = failed[id];
    if (f.locked_until && f.locked_until <= now()) {  // the lock ran out: count afresh
      f = {};
      lifted({id});
    }
    f.last = now();
    int& row = code ? f.codes : f.passwords;
    if (++row >= cfg.lock_after) {
      f.locked_until = now() + cfg.lock_for_s;
      if (cfg.journal) cfg.journal->lock_saved({id, f.locked_until});
      spdlog::info("auth: an ID is locked for {} s after {} wrong {} in a row", cfg.lock_for_s, row,
                   code ? "one-time passwords" : "passwords");
    }
  }

  // Forgets what has run out.
  void sweep_failed() {
    auto t = now();
    std::vector<std::string> ran_out;
    std::erase_if(failed, [&](auto& kv) {
      bool gone = kv.second.locked_until <= t && t - kv.second.last > cfg.lock_for_s;
      if (gone && kv.second.locked_until) ran_out.push_back(kv.first);
      return gone;
    });
    lifted(ran_out);
  }

  // Forgets the wrong answers of id, and its lock if it has one (SPEC §4: a completed login, a
  // reissue, an operator's unlock).
  void forget(const std::string& id) {
    auto it = failed.find(id);
    if (it == failed.end()) return;
    if (it->second.locked_until) lifted({id});
    failed.erase(it);
  }

  // Stored locks that no longer hold (lifted or run out) go from storage too.
  void lifted(const std::vector<std::string>& ids) {
    if (cfg.journal && !ids.empty()) cfg.journal->locks_lifted(ids);
  }

  // The table is bounded whatever IDs clients send (SPEC §18): at max_failed, after a sweep, the
  // tenth that guards least goes (domain/bounded_tries.hpp).
  void make_room() {
    sweep_failed();
    if (failed.size() < cfg.max_failed) return;
    auto t = now();
    std::vector<domain::tried_name> table;
    table.reserve(failed.size());
    for (auto& [id, f] : failed) table.push_back({id, f.locked_until > t, f.last});
    std::vector<std::string> evicted_locks;
    for (const auto& id : domain::names_to_drop(std::move(table))) {
      auto it = failed.find(id);
      if (it->second.locked_until) evicted_locks.push_back(it->first);
      failed.erase(it);
    }
    lifted(evicted_locks);  // one write, however many
  }

  // The live reissue link of a token, or end(); an expired one is forgotten on the way, and one
  // whose new password is being stored is not live (single use).
  std::unordered_map<std::string, reissue>::iterator live_reissue(const std::string& token) {
    auto it = domain::looks_like_token(token) ? reissues.find(domain::token_digest(token)) : reissues.end();
    if (it != reissues.end() && it->second.expires <= now()) {
      links_gone({it->first});
      reissues.erase(it);
      return reissues.end();
    }
    return it != reissues.end() && it->second.in_use ? reissues.end() : it;
  }

  // A password reissued or changed: no other link may set it again (SPEC §18).
  void void_reissues_of(const std::string& id) {
    std::vector<std::string> voided;
    std::erase_if(reissues, [&](auto& kv) {
      if (kv.second.id != id) return false;
      voided.push_back(kv.first);
      return true;
    });
    links_gone(voided);
  }

  // Storage holds the usable links only: used, voided, run out or being used, they go.
  void links_gone(const std::vector<std::string>& digests) {
    if (cfg.journal && !digests.empty()) cfg.journal->links_erased(digests);
  }
  void link_usable(const std::string& digest, const reissue& link) {
    if (cfg.journal) cfg.journal->link_saved({digest, link.id, link.expires});
  }

  // While a new password of id is being stored, storage holds none of its links and not its lock:
  // a crash before the answer must not bring back what the new password voids (SPEC §18). If it
  // was not stored, journal_again writes back what memory still holds.
  void take_out_of_storage(const std::string& id) {
    std::vector<std::string> digests;
    for (const auto& [digest, link] : reissues)
      if (link.id == id) digests.push_back(digest);
    links_gone(digests);
    if (auto f = failed.find(id); f != failed.end() && f->second.locked_until) lifted({id});
  }
  void journal_again(const std::string& id) {
    if (!cfg.journal) return;
    for (const auto& [digest, link] : reissues)
      if (link.id == id && !link.in_use) link_usable(digest, link);
    if (auto f = failed.find(id); f != failed.end() && f->second.locked_until > now())
      cfg.journal->lock_saved({id, f->second.locked_until});
  }

  // What the start found still running (SPEC §4: a restart neither lifts a lock nor voids a link).
  void restore(const kept_auth_state& kept) {
    for (const auto& lock : kept.locks) failed[lock.id] = {0, 0, lock.until, lock.until - cfg.lock_for_s};
    for (const auto& link : kept.links) reissues[link.digest] = {link.id, link.expires};
  }

  void drop_ticket_of(const std::string& id) {
    if (auto t = ticket_of.find(id); t != ticket_of.end()) {
      tickets.erase(t->second);
      ticket_of.erase(t);
    }
  }

  // Drops the ticket of that digest only, not a newer login's that replaced it meanwhile.
  void drop_ticket(const std::string& id, const std::string& digest) {
    if (auto t = ticket_of.find(id); t != ticket_of.end() && t->second == digest) drop_ticket_of(id);
  }
};

using self_ptr = auth_actor::stateful_pointer<auth_state>;

// Tells the owner what changed (SPEC §18), at the address the account has now and, when the
// email changed, at the old one too. Queued durably by the mailer; a failure is logged, the
// change itself stands.
void send_notices(self_ptr self, const domain::account& before, const std::string& email_now,
                  const std::vector<domain::changed_item>& items) {
  if (items.empty()) return;
  for (auto& address : domain::notice_addresses(before.email, email_now)) {
    outgoing_mail mail{address, std::string(domain::mail_account_changed),
                       domain::change_notice_vars(before.person, before.id, items, self->state.now())};
    self->request(self->state.cfg.mailer, std::chrono::seconds(30), mail_atom::value, std::move(mail))
        .then(
            [](bool queued) {
              if (!queued) spdlog::error("auth: a change notice could not be queued");
            },
            [](caf::error&) { spdlog::error("auth: the mailer did not take a change notice"); });
  }
}

domain::expected<session_started> start_session(self_ptr self, const ticket& t);  // below

caf::result<login_step> login(self_ptr self, const std::string& id, const account_ptr& account, bool password_ok,
                              bool take_over, domain::certificate_verdict certificate) {
  auto& st = self->state;
  // The lock answers first and alike for every ID, so it reveals nothing about which IDs exist.
  if (st.locked(id)) {
    st.count("locked");
    return to_error(domain::error_code::locked, "the ID is locked");
  }
  if (!account || !password_ok) {
    st.wrong_answer(id, false);
    st.count("invalid_credentials");
    return to_error(domain::error_code::invalid_credentials, "wrong ID or password");
  }
  if (auto f = st.failed.find(id); f != st.failed.end()) f->second.passwords = 0;
  if (account->auth_method == "certificate") {
    // SPEC §16: the certificate the TLS client presented is the second factor; it passed or not
    // already, so the session begins here or the login ends with what to do.
    if (auto refused = domain::verdict_error(certificate)) {
      st.count(std::string(domain::verdict_code(certificate)).c_str());
      return to_error(*refused, "the client certificate does not let this ID in");
    }
    auto started = start_session(
        self,
        ticket{id, {}, 0, 0, account->main_id, take_over, account->email, account->person, account->password_hash});
    if (!started) return to_error(std::move(started.error()));
    return login_step{{}, std::move(started.value())};
  }
  if (!take_over && st.cfg.sessions->live_for(id, st.now())) {
    st.count("session_active");
    return to_error(domain::error_code::session_active, "the ID has a live session");
  }
  // A new login replaces the code of the one before.
  st.drop_ticket_of(id);
  auto token = domain::new_token();
  auto digest = domain::token_digest(token);
  auto code = domain::new_otp();
  ticket t{id,
           domain::token_digest(code),
           st.now() + st.cfg.otp_valid_s,
           st.cfg.otp_tries,
           account->main_id,
           take_over,
           account->email,
           account->person,
           account->password_hash};
  st.tickets[digest] = t;
  st.ticket_of[id] = digest;
  auto promise = self->make_response_promise<login_step>();
  outgoing_mail mail{account->email,
                     std::string(domain::mail_login_otp),
                     {{"person", account->person},
                      {"id", id},
                      {"code", code},
                      {"expires", domain::format_jst_readable(t.expires, domain::lang::ja)}}};
  self->request(st.cfg.mailer, std::chrono::seconds(30), mail_atom::value, std::move(mail))
      .then(
          [=](bool queued) mutable {
            if (!queued) {
              self->state.drop_ticket(id, digest);
              promise.deliver(to_error(domain::error_code::mail, "the one-time password could not be queued"));
              return;
            }
            self->state.count("otp_sent");
            promise.deliver(login_step{token, std::nullopt});
          },
          [=](caf::error&) mutable {
            self->state.drop_ticket(id, digest);
            promise.deliver(to_error(domain::error_code::mail, "the mailer did not answer"));
          });
  return promise;
}

// The other session of a take-over has ended (SPEC §19): the owner hears of it, as of a change.
void send_take_over_notice(self_ptr self, const ticket& t) {
  outgoing_mail mail{
      t.email,
      std::string(domain::mail_session_replaced),
      {{"person", t.person}, {"id", t.id}, {"when", domain::format_jst_readable(self->state.now(), domain::lang::ja)}}};
  self->request(self->state.cfg.mailer, std::chrono::seconds(30), mail_atom::value, std::move(mail))
      .then(
          [](bool queued) {
            if (!queued) spdlog::error("auth: a take-over notice could not be queued");
          },
          [](caf::error&) { spdlog::error("auth: the mailer did not take a take-over notice"); });
}

// The second factor passed: the ID's session, unless it has one already and this login does not
// take it over.
domain::expected<session_started> start_session(self_ptr self, const ticket& t) {
  auto& st = self->state;
  if (t.take_over) {
    if (st.cfg.sessions->take_over(t.id, st.now())) {
      st.count("taken_over");
      spdlog::info("auth: a login took over the session of {}", t.id);
      send_take_over_notice(self, t);
    }
  } else if (st.cfg.sessions->live_for(t.id, st.now())) {
    st.count("session_active");
    return domain::fail(domain::error_code::session_active, "the ID has a live session");
  }
  auto s = st.cfg.sessions->create(t.id, st.now(), t.main_id, !t.main_id.empty());
  st.count("success");
  spdlog::info("auth: session started for {}", t.id);
  return session_started{t.id, s.token, s.csrf};
}

caf::result<session_started> otp(self_ptr self, const std::string& token, const std::string& code) {
  auto& st = self->state;
  auto it = domain::looks_like_token(token) ? st.tickets.find(domain::token_digest(token)) : st.tickets.end();
  if (it != st.tickets.end() && it->second.code_passed) {
    st.count("ticket_expired");
    return to_error(domain::error_code::ticket_expired, "the ticket is used");
  }
  if (it == st.tickets.end() || it->second.expires <= st.now() || it->second.tries_left <= 0) {
    if (it != st.tickets.end()) {
      st.ticket_of.erase(it->second.id);
      st.tickets.erase(it);
    }
    st.count("ticket_expired");
    return to_error(domain::error_code::ticket_expired, "the ticket is unknown, expired or used up");
  }
  auto& t = it->second;
  if (st.locked(t.id)) {
    st.count("locked");
    return to_error(domain::error_code::locked, "the ID is locked");
  }
  if (!domain::secrets_equal(domain::token_digest(code), t.code_digest)) {
    --t.tries_left;
    st.wrong_answer(t.id, true);
    st.count("invalid_code");
    return to_error(domain::error_code::invalid_code, "wrong one-time password");
  }
  t.code_passed = true;  // single use
  const auto passed = t;
  const auto id = passed.id;
  const auto main_id = passed.main_id;
  const auto digest = it->first;
  st.forget(id);  // a completed login ends both rows
  // The ticket stays until the directory answers, so an operator's end of the ID's sessions, a
  // switch of method or a newer login meanwhile still drops it; then it goes.
  auto still_standing = [self, id, digest] {
    auto& st = self->state;
    auto t = st.tickets.find(digest);
    if (t == st.tickets.end()) return false;
    st.tickets.erase(t);
    if (auto o = st.ticket_of.find(id); o != st.ticket_of.end() && o->second == digest) st.ticket_of.erase(o);
    return true;
  };
  // The ID may have changed since its password step, whose record the login carried: a child ID
  // disabled or deleted, or a switch of auth method or a new password taken while the password
  // was being checked (a switch drops the codes that exist when it is stored, not one made from
  // a record read before it). Ask again.
  auto promise = self->make_response_promise<session_started>();
  self->request(st.cfg.directory, std::chrono::seconds(30), creds_atom::value, id)
      .then(
          [=](account_ptr& still) mutable {
            if (!still_standing()) {
              self->state.count("ticket_expired");
              promise.deliver(to_error(domain::error_code::ticket_expired, "the login was ended meanwhile"));
              return;
            }
            if (!still || still->main_id != main_id) {
              self->state.count("invalid_credentials");
              promise.deliver(to_error(domain::error_code::invalid_credentials, "the child ID is gone or disabled"));
              return;
            }
            if (still->auth_method != "otp" || !domain::secrets_equal(still->password_hash, passed.password_hash)) {
              self->state.count("ticket_expired");
              promise.deliver(to_error(domain::error_code::ticket_expired,
                                       "the auth method or the password changed: log in again"));
              return;
            }
            auto started = start_session(self, passed);
            if (!started)
              promise.deliver(to_error(started.error()));
            else
              promise.deliver(std::move(started.value()));
          },
          [=](caf::error& e) mutable {
            still_standing();
            promise.deliver(e);
          });
  return promise;
}

caf::result<domain::nothing> reset(self_ptr self, const std::string& token, const std::string& password_hash) {
  auto& st = self->state;
  auto it = st.live_reissue(token);
  if (it == st.reissues.end())
    return to_error(domain::error_code::reset_link_expired, "the reissue link is unknown, used or expired");
  auto id = it->second.id;
  // Single use: no second request may take it while this one's password is stored. It goes when
  // the password is in effect (with the ID's other links), and comes back when it is not.
  it->second.in_use = true;
  const auto digest = it->first;
  st.take_out_of_storage(id);
  auto promise = self->make_response_promise<domain::nothing>();
  // SPEC §4: a reissue also unlocks the ID; it ends the ID's session too.
  auto reissued = [=](const account_ptr& stored) mutable {
    auto& st = self->state;
    st.forget(id);
    st.cfg.sessions->end_all_for(id);
    st.drop_ticket_of(id);
    st.void_reissues_of(id);
    send_notices(self, *stored, stored->email, {domain::changed_item::password_reissued});
    spdlog::info("auth: password reissued for {}", id);
    promise.deliver(domain::nothing{});
  };
  // The password is not in effect: the link is taken back into use, unless a change since voided
  // the ID's links or it ran out, and storage holds again what memory does.
  auto give_back = [=] {
    auto& links = self->state.reissues;
    if (auto link = links.find(digest); link != links.end() && link->second.id == id) link->second.in_use = false;
    self->state.journal_again(id);
  };
  // Whether the password is in effect is not known (it may yet be stored): every link of the ID
  // is void, this one too, as after a reissue; the lock stays.
  auto in_doubt = [=] {
    self->state.void_reissues_of(id);
    self->state.journal_again(id);
  };
  domain::account_changes change;
  change.password_hash = password_hash;
  auto directory = st.cfg.directory;
  self->request(directory, std::chrono::seconds(30), update_atom::value, id, change)
      .then([=](account_summary& after) mutable { reissued(after.stored); },
            [=](caf::error& e) mutable {
              auto failure = to_failure(self->system(), e);
              // After a timeout the password may yet be stored.
              if (failure.code != domain::error_code::storage) {
                in_doubt();
                promise.deliver(to_error(std::move(failure)));
                return;
              }
              // `storage` names this write, not the record: a change of the ID taken on top of it
              // (a contact field, an operator's switch) carries the new password too and may be
              // stored. The directory's record says whether the password is in effect.
              self->request(directory, std::chrono::seconds(30), creds_atom::value, id)
                  .then(
                      [=](account_ptr& now) mutable {
                        if (now && domain::secrets_equal(now->password_hash, password_hash)) return reissued(now);
                        give_back();
                        promise.deliver(to_error(failure));
                      },
                      [=](caf::error&) mutable {
                        in_doubt();
                        promise.deliver(to_error(failure));
                      });
            });
  return promise;
}

caf::result<account_summary> change_settings(self_ptr self, const account_ptr& before,
                                             const domain::account_changes& change, bool password_ok) {
  auto& st = self->state;
  const auto& id = before->id;
  // As at login: the lock answers first, and a wrong password counts toward it.
  if (st.locked(id)) return to_error(domain::error_code::locked, "the ID is locked");
  if (!password_ok) {
    st.wrong_answer(id, false);
    return to_error(domain::field_failure({{"current_password", "wrong_password", {}}}));
  }
  if (auto f = st.failed.find(id); f != st.failed.end()) f->second.passwords = 0;
  if (change.password_hash) st.take_out_of_storage(id);
  auto promise = self->make_response_promise<account_summary>();
  self->request(st.cfg.directory, std::chrono::seconds(30), update_atom::value, id, change)
      .then(
          [=](account_summary& after) mutable {
            auto& st = self->state;
            if (change.password_hash) st.void_reissues_of(id);
            // What this change altered, judged on the record it was made on, not on the one read
            // before it (another tab's change may have come between).
            const auto& was = *after.replaced;
            // A login half-way through (its code mailed) must not finish by the old method.
            if (after.stored->auth_method != was.auth_method) st.drop_ticket_of(id);
            send_notices(self, was, after.stored->email, domain::changed_items(was, change));
            promise.deliver(std::move(after));
          },
          [=](caf::error& e) mutable {
            if (change.password_hash) self->state.journal_again(id);
            promise.deliver(to_error(to_failure(self->system(), e)));
          });
  return promise;
}

// An operator's change of the auth method (SPEC §19, support): stored through the directory, then
// the notice mail as for the customer's own change.
caf::result<account_summary> set_auth_method(self_ptr self, const account_ptr& before, const std::string& method) {
  domain::account_changes change;
  change.auth_method = method;
  auto promise = self->make_response_promise<account_summary>();
  self->request(self->state.cfg.directory, std::chrono::seconds(30), update_atom::value, before->id, change)
      .then(
          [=](account_summary& after) mutable {
            const auto& was = *after.replaced;
            if (after.stored->auth_method != was.auth_method) self->state.drop_ticket_of(before->id);
            send_notices(self, was, after.stored->email, domain::changed_items(was, change));
            promise.deliver(std::move(after));
          },
          [=](caf::error& e) mutable { promise.deliver(to_error(to_failure(self->system(), e))); });
  return promise;
}

auth_actor::behavior_type auth(self_ptr self, auth_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.restore(self->state.cfg.kept);
  self->state.cfg.kept = {};
  self->send(self, tick_atom::value);
  return {
      [=](login_atom, const std::string& id, const account_ptr& account, bool ok, bool take_over,
          domain::certificate_verdict certificate) -> caf::result<login_step> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return login(self, id, account, ok, take_over, certificate);
      },
      [=](otp_atom, const std::string& token, const std::string& code) -> caf::result<session_started> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return otp(self, token, code);
      },
      [=](logout_atom, const std::string& token) {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        self->state.cfg.sessions->end(token);
        return domain::nothing{};
      },
      [=](reissue_atom, const account_ptr& account) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto token = domain::new_token();
        auto expires = st.now() + st.cfg.reissue_valid_s;
        auto digest = domain::token_digest(token);
        st.reissues[digest] = {account->id, expires};
        st.link_usable(digest, st.reissues[digest]);
        outgoing_mail mail{account->email,
                           std::string(domain::mail_password_reset),
                           {{"person", account->person},
                            {"id", account->id},
                            {"reset_url", st.cfg.url->get() + "/password/reset/" + token},
                            {"expires", domain::format_jst_readable(expires, domain::lang::ja)}}};
        self->request(st.cfg.mailer, std::chrono::seconds(30), mail_atom::value, std::move(mail))
            .then(
                [](bool queued) {
                  if (!queued) spdlog::error("auth: a reissue mail could not be queued");
                },
                [](caf::error&) { spdlog::error("auth: the mailer did not take a reissue mail"); });
      },
      [=](reset_check_atom, const std::string& token) -> caf::result<domain::nothing> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (st.live_reissue(token) == st.reissues.end())
          return to_error(domain::error_code::reset_link_expired, "the reissue link is unknown, used or expired");
        return domain::nothing{};
      },
      [=](reset_atom, const std::string& token, const std::string& hash) -> caf::result<domain::nothing> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return reset(self, token, hash);
      },
      [=](settings_atom, const account_ptr& before, const domain::account_changes& change,
          bool password_ok) -> caf::result<account_summary> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return change_settings(self, before, change, password_ok);
      },
      [=](unlock_atom, const std::string& id) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        const bool was_locked = st.locked(id);
        st.forget(id);
        if (was_locked) spdlog::info("auth: an operator lifted the lockout of {}", id);
        return was_locked;
      },
      [=](end_sessions_atom, const std::string& id) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.drop_ticket_of(id);
        return st.cfg.sessions->end_all_for(id);
      },
      [=](method_atom, const account_ptr& before, const std::string& method) -> caf::result<account_summary> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return set_auth_method(self, before, method);
      },
      [=](tick_atom) {
        // Forget what has run out, so the maps stay as small as the live state.
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto now = st.now();
        st.sweep_failed();
        std::erase_if(st.tickets, [&](auto& kv) {
          bool gone = kv.second.expires <= now;
          if (auto t = st.ticket_of.find(kv.second.id); gone && t != st.ticket_of.end() && t->second == kv.first)
            st.ticket_of.erase(t);
          return gone;
        });
        std::vector<std::string> expired;
        std::erase_if(st.reissues, [&](auto& kv) {
          bool gone = kv.second.expires <= now;
          if (gone) expired.push_back(kv.first);
          return gone;
        });
        st.links_gone(expired);
        st.cfg.sessions->sweep(now);
        st.cfg.sessions->flush_last_uses();
        self->delayed_send(self, std::chrono::seconds(30), tick_atom::value);
      },
  };
}

}  // namespace

auth_actor spawn_auth(caf::actor_system& sys, auth_config cfg) { return sys.spawn(auth, std::move(cfg)); }

}  // namespace cxs::actors
