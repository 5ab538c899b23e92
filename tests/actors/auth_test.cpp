// The auth actor: the password step's lockout (five wrong in a row, unknown IDs alike), the
// mailed one-time password used once, one session per ID, and (with a real directory) the
// settings changes that need the current password, reissue links and notice mails (SPEC §18).

#include "actors/auth.hpp"
#include "actor_fixture.hpp"
#include "actors/auth_store.hpp"
#include "storage/keys.hpp"

#include <algorithm>
#include <utility>

namespace cxs::actors {
namespace {

using domain::error_code;

class AuthTest : public testing::actor_fixture {
 protected:
  // A real directory holds the account: the code step asks it again for the ID's record.
  void SetUp() override {
    domain::opid_entry op{"OPA", true, {{"0120111111", {"0312345678"}}}};
    // The directory's writes pass through a writer that fails those fail_writes names.
    directory = spawn_directory(*sys, {{db.get(), spawn_faulty_writer(), &clock}, 300, {}, {}, nullptr},
                                std::make_shared<const domain::registry>(std::vector<domain::opid_entry>{op}));
    to_stop.push_back(caf::actor_cast<caf::actor>(directory));
    start_auth();
    auto made = ask<account_summary>(directory, create_atom::value, account_request("OPA", "otp", "$argon2id$old"));
    ASSERT_TRUE(made && *made);
    stored = (*made)->account;
    account = std::make_shared<domain::account>(*stored);
  }

  void start_auth(std::size_t max_failed = auth_config{}.max_failed, std::optional<mailer_actor> mailer = {}) {
    url.set("https://cxs.example");
    auth_config cfg;
    cfg.directory = directory;
    cfg.mailer = mailer ? *mailer : spawn_mail_sink();
    cfg.sessions = &sessions;
    cfg.clock = &clock;
    cfg.url = &url;
    cfg.max_failed = max_failed;
    // As the server starts it: with what storage kept, and its journal written through.
    std::string error;
    EXPECT_TRUE(load_auth_state(*db, clock.now(), cfg.kept, error)) << error;
    cfg.journal = &journal;
    auth = spawn_auth(*sys, cfg);
    to_stop.push_back(caf::actor_cast<caf::actor>(auth));
    sched->run();
  }

  // The server stops (its auth actor and all it held in memory) and starts again on its storage.
  void restart_auth() {
    caf::anon_send_exit(auth, caf::exit_reason::user_shutdown);
    sched->run();
    start_auth();
  }

  std::optional<domain::expected<login_step>> login(
      bool password_ok, std::string id = {}, bool take_over = false,
      domain::certificate_verdict certificate = domain::certificate_verdict::absent) {
    if (id.empty()) id = account->id;
    return ask<login_step>(auth, login_atom::value, id, account_ptr(account), password_ok, take_over, certificate);
  }

  std::optional<domain::expected<session_started>> pass_otp(const login_step& t) {
    return ask<session_started>(auth, otp_atom::value, t.ticket, mailed_code());
  }

  std::string mailed_code() { return mails->empty() ? std::string() : mails->back().vars.at("code"); }

  config::public_url url;
  auth_store journal{*db};
  sessions::session_table sessions;
  auth_actor auth;
  directory_actor directory;
  account_ptr stored;                        // as the directory holds it
  std::shared_ptr<domain::account> account;  // the record a login carries (a test may alter it)
};

TEST_F(AuthTest, LocksAnIdAfterFiveWrongPasswordsEvenAgainstTheRightOne) {
  for (int i = 0; i < 5; ++i) {
    auto wrong = login(false);
    ASSERT_TRUE(wrong);
    ASSERT_FALSE(*wrong);
    EXPECT_EQ(wrong->error().code, error_code::invalid_credentials) << "attempt " << i + 1;
  }
  auto right = login(true);
  ASSERT_TRUE(right);
  ASSERT_FALSE(*right);
  EXPECT_EQ(right->error().code, error_code::locked);
  EXPECT_TRUE(mails->empty());
  // 30 minutes later the lock has run out.
  set_clock_offset(30 * 60 + 1);
  auto later = login(true);
  ASSERT_TRUE(later && *later);
}

TEST_F(AuthTest, UnknownIdsAreLockedAlike) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(ask<login_step>(auth, login_atom::value, std::string("Nobody0000"), account_ptr(), false, false,
                                domain::certificate_verdict::absent));
  auto sixth = ask<login_step>(auth, login_atom::value, std::string("Nobody0000"), account_ptr(), false, false,
                               domain::certificate_verdict::absent);
  ASSERT_TRUE(sixth);
  ASSERT_FALSE(*sixth);
  EXPECT_EQ(sixth->error().code, error_code::locked);
}

TEST_F(AuthTest, TheMailedCodeStartsOneSessionOnceAndNoSecond) {
  auto ticket = login(true);
  ASSERT_TRUE(ticket && *ticket);
  auto code = mailed_code();
  ASSERT_EQ(code.size(), 6u);
  auto wrong_code = code == "000000" ? "111111" : "000000";
  auto wrong = ask<session_started>(auth, otp_atom::value, (*ticket)->ticket, std::string(wrong_code));
  ASSERT_TRUE(wrong);
  ASSERT_FALSE(*wrong);
  EXPECT_EQ(wrong->error().code, error_code::invalid_code);

  auto session = ask<session_started>(auth, otp_atom::value, (*ticket)->ticket, code);
  ASSERT_TRUE(session && *session);
  EXPECT_EQ((*session)->id, account->id);
  auto live = sessions.touch((*session)->token, clock.now());
  ASSERT_TRUE(live);
  EXPECT_EQ(live->csrf, (*session)->csrf);

  auto reused = ask<session_started>(auth, otp_atom::value, (*ticket)->ticket, code);
  ASSERT_TRUE(reused);
  ASSERT_FALSE(*reused);
  EXPECT_EQ(reused->error().code, error_code::ticket_expired) << "a code is used once";

  auto second_login = login(true);
  ASSERT_TRUE(second_login);
  ASSERT_FALSE(*second_login);
  EXPECT_EQ(second_login->error().code, error_code::session_active);

  ASSERT_TRUE(ask<domain::nothing>(auth, logout_atom::value, (*session)->token));
  EXPECT_FALSE(sessions.touch((*session)->token, clock.now()));
  EXPECT_TRUE(login(true).value()) << "after logout the ID logs in again";
}

TEST_F(AuthTest, ATakeOverEndsTheLiveSessionOnlyWhenItsSecondFactorPasses) {
  auto first_ticket = login(true);
  ASSERT_TRUE(first_ticket && *first_ticket);
  auto first = pass_otp(**first_ticket);
  ASSERT_TRUE(first && *first);

  auto taking = login(true, account->id, true);
  ASSERT_TRUE(taking && *taking) << "a take-over goes on to the second factor";
  EXPECT_TRUE(sessions.touch((*first)->token, clock.now())) << "the live session stands until the code passes";
  auto wrong = ask<session_started>(auth, otp_atom::value, (*taking)->ticket, std::string("not-a-code"));
  ASSERT_TRUE(wrong && !*wrong);
  EXPECT_TRUE(sessions.touch((*first)->token, clock.now())) << "a wrong code takes nothing over";
  EXPECT_TRUE(
      std::none_of(mails->begin(), mails->end(), [](auto& m) { return m.text == domain::mail_session_replaced; }));

  auto second = pass_otp(**taking);
  ASSERT_TRUE(second && *second);
  EXPECT_FALSE(sessions.touch((*first)->token, clock.now()));
  EXPECT_TRUE(sessions.replaced((*first)->token, clock.now()));
  EXPECT_TRUE(sessions.touch((*second)->token, clock.now()));
  ASSERT_FALSE(mails->empty());
  auto& notice = mails->back();
  EXPECT_EQ(notice.text, domain::mail_session_replaced);
  EXPECT_EQ(notice.to, "owner@example.jp");
  EXPECT_EQ(notice.vars.at("id"), account->id);
  EXPECT_EQ(notice.vars.at("person"), "山田");
  EXPECT_FALSE(notice.vars.at("when").empty());
}

TEST_F(AuthTest, ATakeOverWithNothingLiveIsAnOrdinaryLoginWithoutNotice) {
  auto taking = login(true, account->id, true);
  ASSERT_TRUE(taking && *taking);
  auto started = pass_otp(**taking);
  ASSERT_TRUE(started && *started);
  EXPECT_TRUE(
      std::none_of(mails->begin(), mails->end(), [](auto& m) { return m.text == domain::mail_session_replaced; }));
}

TEST_F(AuthTest, ATakeOverLoginVoidsTheWaitingCodeAndAPlainLoginStillMeetsTheSession) {
  auto waiting = login(true);
  ASSERT_TRUE(waiting && *waiting);
  auto waiting_code = mailed_code();
  auto taking = login(true, account->id, true);
  ASSERT_TRUE(taking && *taking);
  ASSERT_TRUE(pass_otp(**taking).value());
  auto stale = ask<session_started>(auth, otp_atom::value, (*waiting)->ticket, waiting_code);
  ASSERT_TRUE(stale && !*stale);
  EXPECT_EQ(stale->error().code, error_code::ticket_expired) << "the take-over's login replaced that code";
  auto plain = login(true);
  ASSERT_TRUE(plain && !*plain);
  EXPECT_EQ(plain->error().code, error_code::session_active);
}

TEST_F(AuthTest, ATicketRunsOutAfterTenMinutes) {
  auto ticket = login(true);
  ASSERT_TRUE(ticket && *ticket);
  set_clock_offset(10 * 60 + 1);
  auto late = ask<session_started>(auth, otp_atom::value, (*ticket)->ticket, mailed_code());
  ASSERT_TRUE(late);
  ASSERT_FALSE(*late);
  EXPECT_EQ(late->error().code, error_code::ticket_expired);
}

TEST_F(AuthTest, WrongCodesCountAcrossTicketsTowardTheLock) {
  for (int round = 0; round < 2; ++round) {
    auto ticket = login(true);
    ASSERT_TRUE(ticket && *ticket) << "round " << round;
    auto wrong = mailed_code() == "000000" ? "111111" : "000000";
    for (int i = 0; i < (round == 0 ? 3 : 2); ++i)
      ASSERT_TRUE(ask<session_started>(auth, otp_atom::value, (*ticket)->ticket, std::string(wrong)));
    if (round == 1) {
      auto right = ask<session_started>(auth, otp_atom::value, (*ticket)->ticket, mailed_code());
      ASSERT_TRUE(right);
      ASSERT_FALSE(*right);
      EXPECT_EQ(right->error().code, error_code::locked);
    }
  }
  auto again = login(true);
  ASSERT_TRUE(again);
  ASSERT_FALSE(*again);
  EXPECT_EQ(again->error().code, error_code::locked);
}

// A login whose code could not be mailed drops its own code only: a second login of the ID that
// began meanwhile keeps the code it mailed.
TEST_F(AuthTest, AnUnmailedCodeDropsOnlyItsOwnTicket) {
  auto first_mail = std::make_shared<bool>(true);
  auto box = mails;
  auto failing_once = sys->spawn([=]() -> mailer_actor::behavior_type {
    return {
        [=](mail_atom, outgoing_mail& m) {
          if (std::exchange(*first_mail, false)) return false;
          box->push_back(std::move(m));
          return true;
        },
        [](tick_atom) {},
    };
  });
  to_stop.push_back(caf::actor_cast<caf::actor>(failing_once));
  start_auth(auth_config{}.max_failed, failing_once);
  // Both sent before anything runs: the second login replaces the first's code before the mailer
  // has answered the first.
  std::vector<std::shared_ptr<std::optional<domain::expected<login_step>>>> steps;
  for (int i = 0; i < 2; ++i) {
    auto out = std::make_shared<std::optional<domain::expected<login_step>>>();
    steps.push_back(out);
    sys->spawn([=, a = auth, acc = account_ptr(account)](caf::event_based_actor* self) {
      self->request(a, caf::infinite, login_atom::value, acc->id, acc, true, false, domain::certificate_verdict::absent)
          .then([=](login_step& t) { out->emplace(std::move(t)); },
                [=](caf::error& e) { out->emplace(to_failure(self->system(), e)); });
    });
  }
  sched->run();
  ASSERT_TRUE(*steps[0] && *steps[1]);
  ASSERT_FALSE(**steps[0]);
  EXPECT_EQ((*steps[0])->error().code, error_code::mail);
  ASSERT_TRUE(**steps[1]) << (*steps[1])->error().detail;
  auto session = pass_otp(***steps[1]);
  ASSERT_TRUE(session);
  EXPECT_TRUE(*session) << "the second login's code was dropped with the first's: " << session->error().detail;
}

class BoundedAuthTest : public AuthTest {
 protected:
  void SetUp() override {}
};

TEST_F(BoundedAuthTest, AFullTableForgetsUnlockedIdsBeforeALock) {
  start_auth(/*max_failed=*/20);
  auto wrong = [&](std::string id) {
    return ask<login_step>(auth, login_atom::value, id, account_ptr(), false, false,
                           domain::certificate_verdict::absent);
  };
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(wrong("Locked0001"));
  // Far more distinct IDs than the table holds, one wrong password each.
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(wrong("Other" + std::to_string(10000 + i)));
  auto locked = wrong("Locked0001");
  ASSERT_TRUE(locked);
  ASSERT_FALSE(*locked);
  EXPECT_EQ(locked->error().code, error_code::locked);
}

TEST_F(AuthTest, ACertificateAccountsVerdictEndsTheLoginOrBeginsTheSessionAtOnce) {
  account->auth_method = "certificate";
  using v = domain::certificate_verdict;
  const std::pair<v, error_code> refused[] = {{v::absent, error_code::certificate_required},
                                              {v::mismatch, error_code::certificate_mismatch},
                                              {v::revoked, error_code::certificate_revoked},
                                              {v::expired, error_code::certificate_expired}};
  for (auto [verdict, code] : refused) {
    auto answer = login(true, account->id, false, verdict);
    ASSERT_TRUE(answer);
    ASSERT_FALSE(*answer);
    EXPECT_EQ(answer->error().code, code);
  }
  // A wrong password is just that, whatever the certificate.
  auto wrong = login(false, account->id, false, v::valid);
  ASSERT_TRUE(wrong && !*wrong);
  EXPECT_EQ(wrong->error().code, error_code::invalid_credentials);
  auto in = login(true, account->id, false, v::valid);
  ASSERT_TRUE(in && *in) << (in && !*in ? in->error().detail : "");
  EXPECT_TRUE((*in)->ticket.empty()) << "no one-time password";
  ASSERT_TRUE((*in)->session);
  EXPECT_EQ((*in)->session->id, account->id);
  EXPECT_TRUE(sessions.touch((*in)->session->token, clock.now()));
  EXPECT_TRUE(mails->empty()) << "nothing is mailed";
  // One session per ID (SPEC §4), unless the login takes it over (SPEC §19).
  auto again = login(true, account->id, false, v::valid);
  ASSERT_TRUE(again && !*again);
  EXPECT_EQ(again->error().code, error_code::session_active);
  auto taken = login(true, account->id, true, v::valid);
  ASSERT_TRUE(taken && *taken);
  EXPECT_FALSE(sessions.touch((*in)->session->token, clock.now())) << "the earlier session ended";
  EXPECT_TRUE(sessions.replaced((*in)->session->token, clock.now()));
}

// With a real directory and RocksDB: what the auth actor stores and mails.
class AuthSettingsTest : public AuthTest {
 protected:
  std::optional<domain::expected<account_summary>> change(domain::account_changes c, bool password_ok) {
    return ask<account_summary>(auth, settings_atom::value, stored, std::move(c), password_ok);
  }

  // Asks for a reissue link and returns its token, read from the mail.
  std::string reissue_link() {
    auto before = mails->size();
    sys->spawn([a = auth, acc = stored](caf::event_based_actor* self) { self->send(a, reissue_atom::value, acc); });
    sched->run();
    EXPECT_EQ(mails->size(), before + 1);
    auto url = mails->back().vars.at("reset_url");
    return url.substr(url.rfind('/') + 1);
  }

  std::vector<actors::outgoing_mail> notices() {
    std::vector<actors::outgoing_mail> out;
    for (auto& m : *mails)
      if (m.text == domain::mail_account_changed) out.push_back(m);
    return out;
  }
};

TEST_F(AuthSettingsTest, ASwitchOfMethodEndsALoginHalfWayThrough) {
  for (bool by_operator : {false, true}) {
    auto started =
        ask<login_step>(auth, login_atom::value, stored->id, stored, true, false, domain::certificate_verdict::absent);
    ASSERT_TRUE(started && *started);
    const auto code = mailed_code();
    account_ptr now = ask<account_summary>(directory, show_atom::value, stored->id)->value().account;
    const std::string to = now->auth_method == "otp" ? "certificate" : "otp";
    if (by_operator) {
      ASSERT_TRUE(ask<account_summary>(auth, method_atom::value, now, to)->ok());
    } else {
      domain::account_changes c;
      c.auth_method = to;
      ASSERT_TRUE(ask<account_summary>(auth, settings_atom::value, now, c, true)->ok());
    }
    auto finished = ask<session_started>(auth, otp_atom::value, started->value().ticket, code);
    ASSERT_TRUE(finished);
    ASSERT_FALSE(*finished) << (by_operator ? "operator" : "settings") << ": the mailed code no longer logs in";
    EXPECT_EQ(finished->error().code, error_code::ticket_expired);
    stored = ask<account_summary>(directory, show_atom::value, stored->id)->value().account;
    if (stored->auth_method != "otp") {  // back to otp for the next round
      ASSERT_TRUE(ask<account_summary>(auth, method_atom::value, stored, std::string("otp"))->ok());
      stored = ask<account_summary>(directory, show_atom::value, stored->id)->value().account;
    }
  }
}

// A login carries the record its password step read. A switch of auth method or a new password
// stored after that read, but before the login reached the auth actor, finds no code to drop: the
// code step asks the directory again and refuses.
TEST_F(AuthSettingsTest, ALoginReadBeforeASwitchOfMethodOrANewPasswordDoesNotFinish) {
  for (bool new_password : {false, true}) {
    SCOPED_TRACE(new_password ? "a new password" : "a switch of method");
    const account_ptr read_before = ask<account_summary>(directory, show_atom::value, stored->id)->value().account;
    if (new_password) {
      domain::account_changes c;
      c.password_hash = "$argon2id$new";
      ASSERT_TRUE(change(c, true)->ok());
    } else {
      ASSERT_TRUE(ask<account_summary>(auth, method_atom::value, read_before, std::string("certificate"))->ok());
    }
    auto started = ask<login_step>(auth, login_atom::value, read_before->id, read_before, true, false,
                                   domain::certificate_verdict::absent);
    ASSERT_TRUE(started && *started) << "the password step passed against the record read before";
    auto finished = ask<session_started>(auth, otp_atom::value, started->value().ticket, mailed_code());
    ASSERT_TRUE(finished);
    ASSERT_FALSE(*finished) << "the code logged in";
    EXPECT_EQ(finished->error().code, error_code::ticket_expired);
    EXPECT_FALSE(sessions.live_for(read_before->id, clock.now()));
    stored = ask<account_summary>(directory, show_atom::value, stored->id)->value().account;
    if (stored->auth_method != "otp") {
      ASSERT_TRUE(ask<account_summary>(auth, method_atom::value, stored, std::string("otp"))->ok());
    }
  }
}

TEST_F(AuthSettingsTest, AWrongCurrentPasswordCountsTowardTheLock) {
  domain::account_changes c;
  c.email = "new@example.jp";
  for (int i = 0; i < 5; ++i) {
    auto wrong = change(c, false);
    ASSERT_TRUE(wrong);
    ASSERT_FALSE(*wrong);
    EXPECT_EQ(wrong->error().code, error_code::invalid_fields);
    ASSERT_EQ(wrong->error().fields.size(), 1u);
    EXPECT_EQ(wrong->error().fields[0].field, "current_password");
  }
  auto right = change(c, true);
  ASSERT_TRUE(right);
  ASSERT_FALSE(*right);
  EXPECT_EQ(right->error().code, error_code::locked) << "the sixth try, right or not, meets the lock";
  auto login =
      ask<login_step>(auth, login_atom::value, stored->id, stored, true, false, domain::certificate_verdict::absent);
  ASSERT_TRUE(login);
  ASSERT_FALSE(*login);
  EXPECT_EQ(login->error().code, error_code::locked) << "the same row as the login's";
  auto shown = ask<account_summary>(directory, show_atom::value, stored->id);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->account->email, "owner@example.jp") << "nothing changed";
  EXPECT_TRUE(notices().empty());
}

// Two tabs: the second's current password was checked against the record read before the first
// stored a new password. The directory refuses it as a wrong current password, and no notice of
// a change that was not made goes out.
TEST_F(AuthSettingsTest, AChangeCheckedAgainstAPasswordReplacedMeanwhileIsRefused) {
  const account_ptr read_before = stored;
  domain::account_changes password;
  password.password_hash = "$argon2id$new";
  password.own = domain::own_change_check{read_before->password_hash};
  ASSERT_TRUE(change(password, true).value());
  domain::account_changes address;
  address.email = "new@example.jp";
  address.own = domain::own_change_check{read_before->password_hash};
  auto refused = ask<account_summary>(auth, settings_atom::value, read_before, address, true);
  ASSERT_TRUE(refused);
  ASSERT_FALSE(*refused) << "the address changed on a password that was no longer the ID's";
  EXPECT_EQ(refused->error().code, error_code::invalid_fields);
  ASSERT_EQ(refused->error().fields.size(), 1u);
  EXPECT_EQ(refused->error().fields[0].field, "current_password");
  EXPECT_EQ(refused->error().fields[0].code, "wrong_password");
  auto shown = ask<account_summary>(directory, show_atom::value, stored->id);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->account->email, "owner@example.jp");
  auto sent = notices();
  ASSERT_EQ(sent.size(), 1u) << "only the new password's notice";
  EXPECT_EQ(sent[0].vars.at("changes"), "・パスワード");
}

// Two tabs read the record, then each stores a new address with the right password. Each notice
// goes to the address its own change replaced, so the second tells the first's new address, not
// the one both tabs had read.
TEST_F(AuthSettingsTest, EachNoticeNamesTheAddressItsChangeReplaced) {
  const account_ptr read_before = stored;
  for (std::string address : {"b@example.jp", "c@example.jp"}) {
    domain::account_changes c;
    c.email = address;
    c.own = domain::own_change_check{read_before->password_hash};
    ASSERT_TRUE(ask<account_summary>(auth, settings_atom::value, read_before, c, true).value());
  }
  auto sent = notices();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent[0].to, "b@example.jp");
  EXPECT_EQ(sent[1].to, "owner@example.jp");
  EXPECT_EQ(sent[2].to, "c@example.jp");
  EXPECT_EQ(sent[3].to, "b@example.jp") << "the address the second change replaced";
}

// Both tabs switch the auth method: the second changes nothing, so it sends no notice.
TEST_F(AuthSettingsTest, ASecondSwitchToTheSameMethodIsNoChange) {
  const account_ptr read_before = stored;
  for (int tab = 0; tab < 2; ++tab) {
    domain::account_changes c;
    c.auth_method = "certificate";
    c.own = domain::own_change_check{read_before->password_hash};
    ASSERT_TRUE(ask<account_summary>(auth, settings_atom::value, read_before, c, true).value());
  }
  auto sent = notices();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].vars.at("changes"), "・認証方式");
}

TEST_F(AuthSettingsTest, ANewEmailIsStoredAndBothAddressesAreTold) {
  domain::account_changes c;
  c.email = "new@example.jp";
  c.person = "佐藤";
  auto done = change(c, true);
  ASSERT_TRUE(done && *done);
  EXPECT_EQ((*done)->account->email, "new@example.jp");
  auto sent = notices();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].to, "new@example.jp");
  EXPECT_EQ(sent[1].to, "owner@example.jp");
  for (auto& m : sent) {
    EXPECT_EQ(m.vars.at("changes"), "・メールアドレス");
    EXPECT_EQ(m.vars.at("id"), stored->id);
    EXPECT_EQ(m.vars.at("person"), "山田");
  }
}

TEST_F(AuthSettingsTest, APasswordChangeVoidsEveryOpenReissueLink) {
  auto link = reissue_link();
  domain::account_changes c;
  c.password_hash = "$argon2id$new";
  ASSERT_TRUE(change(c, true).value());
  auto sent = notices();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "owner@example.jp");
  EXPECT_EQ(sent[0].vars.at("changes"), "・パスワード");
  auto reset = ask<domain::nothing>(auth, reset_atom::value, link, std::string("$argon2id$attacker"));
  ASSERT_TRUE(reset);
  ASSERT_FALSE(*reset);
  EXPECT_EQ(reset->error().code, error_code::reset_link_expired);
}

// A link's new password that could not be stored leaves the link usable (the customer tries again
// rather than asking for another mail); while a password is being stored the link is taken.
TEST_F(AuthSettingsTest, AReissueLinkComesBackWhenItsPasswordCouldNotBeStored) {
  const auto link = reissue_link();
  const auto stored_hash = [&] {
    return ask<account_ptr>(directory, creds_atom::value, stored->id)->value()->password_hash;
  };
  fail_writes({1});
  auto first = std::make_shared<std::optional<domain::expected<domain::nothing>>>();
  auto second = std::make_shared<std::optional<domain::expected<domain::nothing>>>();
  sys->spawn([=, a = auth](caf::event_based_actor* self) {
    for (auto out : {first, second})
      self->request(a, caf::infinite, reset_atom::value, link, std::string("$argon2id$first"))
          .then([=](domain::nothing n) { out->emplace(n); },
                [=](caf::error& e) { out->emplace(actors::to_failure(self->system(), e)); });
  });
  sched->run();
  ASSERT_TRUE(*first && *second);
  ASSERT_FALSE(**first);
  EXPECT_EQ((*first)->error().code, error_code::storage);
  ASSERT_FALSE(**second) << "a link is used once, also while its password is being stored";
  EXPECT_EQ((*second)->error().code, error_code::reset_link_expired);
  EXPECT_EQ(stored_hash(), "$argon2id$old");
  EXPECT_TRUE(notices().empty());

  ASSERT_TRUE(ask<domain::nothing>(auth, reset_atom::value, link, std::string("$argon2id$again")).value());
  EXPECT_EQ(stored_hash(), "$argon2id$again");
  auto used = ask<domain::nothing>(auth, reset_atom::value, link, std::string("$argon2id$third"));
  ASSERT_TRUE(used);
  ASSERT_FALSE(*used);
  EXPECT_EQ(used->error().code, error_code::reset_link_expired);
}

// The write of a reissued password fails, but a contact change the directory took on top of it (from
// its memory, so with the new password) is stored: the password is in effect, so the reissue is done
// and its link used, not given back.
TEST_F(AuthSettingsTest, AReissueWhosePasswordAChangeOnTopOfItStoredIsDone) {
  const auto link = reissue_link();
  fail_writes({1});
  auto answer = std::make_shared<std::optional<domain::expected<domain::nothing>>>();
  sys->spawn([=, a = auth](caf::event_based_actor* self) {
    self->request(a, caf::infinite, reset_atom::value, link, std::string("$argon2id$new"))
        .then([=](domain::nothing n) { answer->emplace(n); },
              [=](caf::error& e) { answer->emplace(actors::to_failure(self->system(), e)); });
  });
  sched->run_once();  // the request reaches auth
  sched->run_once();  // auth asks the directory to store the password
  domain::account_changes contact;
  contact.person = "別の 担当";
  auto contact_stored = std::make_shared<bool>(false);
  sys->spawn([=, d = directory, id = stored->id](caf::event_based_actor* self) {
    self->request(d, caf::infinite, update_atom::value, id, contact)
        .then([=](account_summary&) { *contact_stored = true; }, [](caf::error&) {});
  });
  sched->run_once();  // the directory takes the password: write 1, which fails
  sched->run();       // then the contact change on top of it: write 2, stored
  ASSERT_TRUE(*contact_stored);
  ASSERT_TRUE(*answer);
  EXPECT_TRUE(answer->value().ok()) << "the password is in effect";
  const auto now = ask<account_ptr>(directory, creds_atom::value, stored->id)->value();
  EXPECT_EQ(now->password_hash, "$argon2id$new");
  EXPECT_EQ(now->person, "別の 担当");
  EXPECT_EQ(notices().size(), 1u);
  auto again = ask<domain::nothing>(auth, reset_atom::value, link, std::string("$argon2id$other"));
  ASSERT_TRUE(again);
  ASSERT_FALSE(*again) << "the link was used";
  EXPECT_EQ(again->error().code, error_code::reset_link_expired);
}

TEST_F(AuthSettingsTest, AReissueVoidsTheOtherLinksAndSendsANotice) {
  auto first = reissue_link();
  auto second = reissue_link();
  ASSERT_NE(first, second);
  ASSERT_TRUE(ask<domain::nothing>(auth, reset_atom::value, second, std::string("$argon2id$new")).value());
  auto sent = notices();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].vars.at("changes"), "・パスワード（パスワードの再発行）");
  auto other = ask<domain::nothing>(auth, reset_atom::value, first, std::string("$argon2id$other"));
  ASSERT_TRUE(other);
  ASSERT_FALSE(*other);
  EXPECT_EQ(other->error().code, error_code::reset_link_expired);
  auto creds = ask<account_ptr>(directory, creds_atom::value, stored->id);
  ASSERT_TRUE(creds && *creds);
  EXPECT_EQ((**creds)->password_hash, "$argon2id$new");
}

}  // namespace
}  // namespace cxs::actors

namespace cxs::actors {
namespace {

// Support (SPEC §19): an operator lifts a lockout, ends an ID's session and pending code, and
// sets the auth method with the customer's notice mail.
TEST_F(AuthTest, AnOperatorLiftsALockout) {
  auto not_locked = ask<bool>(auth, unlock_atom::value, account->id);
  ASSERT_TRUE(not_locked && *not_locked);
  EXPECT_FALSE(**not_locked);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(login(false));
  ASSERT_EQ(login(true)->error().code, error_code::locked);
  auto lifted = ask<bool>(auth, unlock_atom::value, account->id);
  ASSERT_TRUE(lifted && *lifted);
  EXPECT_TRUE(**lifted);
  auto right = login(true);
  ASSERT_TRUE(right && *right) << "the right password passes at once";
  for (int i = 0; i < 4; ++i) ASSERT_EQ(login(false)->error().code, error_code::invalid_credentials);
  EXPECT_EQ(login(false)->error().code, error_code::invalid_credentials) << "the wrong answers were forgotten too";
}

TEST_F(AuthTest, AnOperatorEndsTheSessionAndThePendingCode) {
  auto ticket = login(true);
  ASSERT_TRUE(ticket && *ticket);
  auto started = ask<session_started>(auth, otp_atom::value, (*ticket)->ticket, mailed_code());
  ASSERT_TRUE(started && *started);
  auto blocked = login(true);
  ASSERT_TRUE(blocked);
  ASSERT_FALSE(*blocked);
  EXPECT_EQ(blocked->error().code, error_code::session_active);
  auto ended = ask<bool>(auth, end_sessions_atom::value, account->id);
  ASSERT_TRUE(ended && *ended);
  EXPECT_TRUE(**ended);
  EXPECT_FALSE(sessions.touch((*started)->token, clock.now())) << "the cookie no longer works";
  EXPECT_FALSE(sessions.live_for(account->id, clock.now()));
  auto again = ask<bool>(auth, end_sessions_atom::value, account->id);
  ASSERT_TRUE(again && *again);
  EXPECT_FALSE(**again) << "nothing left to end";
  auto next = login(true);
  ASSERT_TRUE(next && *next) << "the ID may log in again";
  ASSERT_TRUE(ask<bool>(auth, end_sessions_atom::value, account->id));
  auto stale = ask<session_started>(auth, otp_atom::value, (*next)->ticket, mailed_code());
  ASSERT_TRUE(stale);
  ASSERT_FALSE(*stale) << "the pending code ended with it";
}

// The code step asks the directory before the session starts; an operator's end of the ID's
// sessions that arrives meanwhile still ends that login.
TEST_F(AuthTest, AnOperatorsEndArrivingWhileTheCodeIsCheckedEndsThatLogin) {
  auto ticket = login(true);
  ASSERT_TRUE(ticket && *ticket);
  auto finished = std::make_shared<std::optional<domain::expected<session_started>>>();
  sys->spawn([=, a = auth, t = (*ticket)->ticket, code = mailed_code()](caf::event_based_actor* self) {
    self->request(a, caf::infinite, otp_atom::value, t, code)
        .then([=](session_started& s) { finished->emplace(std::move(s)); },
              [=](caf::error& e) { finished->emplace(to_failure(self->system(), e)); });
  });
  sys->spawn([a = auth, id = account->id](caf::event_based_actor* self) {
    self->request(a, caf::infinite, end_sessions_atom::value, id).then([](bool) {});
  });
  sched->run();
  ASSERT_TRUE(finished->has_value());
  ASSERT_FALSE(**finished) << "the session started after the operator ended the ID's logins";
  EXPECT_EQ((*finished)->error().code, error_code::ticket_expired);
  EXPECT_FALSE(sessions.live_for(account->id, clock.now()));
  auto again = login(true);
  ASSERT_TRUE(again && *again) << "the ID logs in afresh";
  EXPECT_TRUE(pass_otp(**again).value());
}

TEST_F(AuthSettingsTest, AnOperatorSetsTheAuthMethodAndTheCustomerIsTold) {
  domain::account_changes c;
  c.auth_method = "certificate";  // as a record from before SPEC §19 may hold it
  ASSERT_TRUE(change(c, true));
  auto with_cert = std::make_shared<domain::account>(*stored);
  with_cert->auth_method = "certificate";
  mails->clear();
  auto set = ask<account_summary>(auth, method_atom::value, account_ptr(with_cert), std::string("otp"));
  ASSERT_TRUE(set && *set);
  EXPECT_EQ((*set)->account->auth_method, "otp");
  auto shown = ask<account_summary>(directory, show_atom::value, stored->id);
  ASSERT_TRUE(shown && *shown);
  EXPECT_EQ((*shown)->account->auth_method, "otp") << "stored";
  auto sent = notices();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "owner@example.jp");
  EXPECT_EQ(sent[0].vars.at("changes"), "・認証方式");
}

// Across a restart (SPEC §4, §18): a lock still holds, and runs out on time; a lifted one stays
// lifted; a mailed reissue link still works, once; a used, voided or run-out one stays dead. What
// no longer holds leaves storage.
TEST_F(AuthTest, ALockOutlivesARestartAndRunsOutOnTime) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(login(false));
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 1u);
  restart_auth();
  auto locked = login(true);
  ASSERT_TRUE(locked && !*locked);
  EXPECT_EQ(locked->error().code, error_code::locked) << "a restart lifts no lock";
  set_clock_offset(30 * 60 + 1);
  restart_auth();
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 0u) << "a run-out lock is erased at the start";
  auto later = login(true);
  ASSERT_TRUE(later && *later);
}

TEST_F(AuthTest, UnknownIdsStayLockedAcrossARestartAndTheEndOfALockLeavesStorage) {
  auto wrong = [&] {
    return ask<login_step>(auth, login_atom::value, std::string("Nobody0000"), account_ptr(), false, false,
                           domain::certificate_verdict::absent);
  };
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(wrong());
  restart_auth();
  EXPECT_EQ(wrong()->error().code, error_code::locked);
  // The lock runs out while the server runs: a new wrong answer counts afresh, and the tick forgets
  // the rest, so nothing stays stored.
  set_clock_offset(30 * 60 + 1);
  EXPECT_EQ(wrong()->error().code, error_code::invalid_credentials);
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 0u);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(wrong());
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 1u) << "locked again";
  set_clock_offset(2 * (30 * 60 + 1));
  sys->spawn([a = auth](caf::event_based_actor* self) { self->send(a, tick_atom::value); });
  sched->run();
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 0u) << "swept";
}

TEST_F(AuthTest, AnOperatorsUnlockOutlivesARestart) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(login(false));
  ASSERT_TRUE(ask<bool>(auth, unlock_atom::value, account->id)->value());
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 0u);
  restart_auth();
  auto right = login(true);
  ASSERT_TRUE(right && *right) << "the lock stays lifted";
}

TEST_F(AuthSettingsTest, AReissueLinkOutlivesARestartAndIsUsedOnce) {
  const auto link = reissue_link();
  EXPECT_EQ(stored_under(storage::meta_reissue_prefix), 1u);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(login(false));
  restart_auth();
  ASSERT_TRUE(ask<domain::nothing>(auth, reset_check_atom::value, link).value()) << "still live";
  ASSERT_TRUE(ask<domain::nothing>(auth, reset_atom::value, link, std::string("$argon2id$new")).value());
  EXPECT_EQ(ask<account_ptr>(directory, creds_atom::value, stored->id)->value()->password_hash, "$argon2id$new");
  EXPECT_EQ(stored_under(storage::meta_reissue_prefix), 0u) << "used";
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 0u) << "a reissue lifts the lock";
  restart_auth();
  auto again = ask<domain::nothing>(auth, reset_atom::value, link, std::string("$argon2id$again"));
  ASSERT_TRUE(again && !*again);
  EXPECT_EQ(again->error().code, error_code::reset_link_expired) << "a used link stays used";
  EXPECT_TRUE(login(true).value()) << "and the lock stays lifted";
}

TEST_F(AuthSettingsTest, VoidedAndRunOutLinksStayDeadAcrossARestart) {
  const auto voided = reissue_link();
  domain::account_changes c;
  c.password_hash = "$argon2id$new";
  ASSERT_TRUE(change(c, true).value());
  EXPECT_EQ(stored_under(storage::meta_reissue_prefix), 0u);
  restart_auth();
  auto reset = ask<domain::nothing>(auth, reset_atom::value, voided, std::string("$argon2id$attacker"));
  ASSERT_TRUE(reset && !*reset);
  EXPECT_EQ(reset->error().code, error_code::reset_link_expired) << "voided before the restart";

  const auto late = reissue_link();
  set_clock_offset(3600 + 1);
  restart_auth();
  EXPECT_EQ(stored_under(storage::meta_reissue_prefix), 0u) << "a run-out link is erased at the start";
  reset = ask<domain::nothing>(auth, reset_atom::value, late, std::string("$argon2id$attacker"));
  ASSERT_TRUE(reset && !*reset);
  EXPECT_EQ(reset->error().code, error_code::reset_link_expired) << "ran out before the restart";
}

TEST_F(AuthSettingsTest, AReissueVoidsTheOtherLinksAcrossARestart) {
  const auto used = reissue_link();
  const auto other = reissue_link();
  ASSERT_TRUE(ask<domain::nothing>(auth, reset_atom::value, used, std::string("$argon2id$new")).value());
  restart_auth();
  auto reset = ask<domain::nothing>(auth, reset_atom::value, other, std::string("$argon2id$attacker"));
  ASSERT_TRUE(reset && !*reset);
  EXPECT_EQ(reset->error().code, error_code::reset_link_expired);
}

// A crash between the write of a new password and its answer must not bring back what the
// password voids (SPEC §18): while it is being stored, storage holds none of the ID's links and
// not its lock.
TEST_F(AuthSettingsTest, WhileANewPasswordIsStoredNoLinkOrLockOfTheIdIsInStorage) {
  const auto used = reissue_link();
  reissue_link();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(login(false));
  ASSERT_EQ(stored_under(storage::meta_reissue_prefix), 2u);
  ASSERT_EQ(stored_under(storage::meta_lock_prefix), 1u);
  const auto mailed = mails->size();
  auto answer = std::make_shared<std::optional<domain::expected<domain::nothing>>>();
  sys->spawn([=, a = auth](caf::event_based_actor* self) {
    self->request(a, caf::infinite, reset_atom::value, used, std::string("$argon2id$new"))
        .then([=](domain::nothing n) { answer->emplace(n); },
              [=](caf::error& e) { answer->emplace(actors::to_failure(self->system(), e)); });
  });
  // The account's record as stored: whether the new password has reached storage.
  auto password_stored = [&] {
    storage::status error;
    auto record = db->get(storage::cf::meta, storage::meta_account_key(stored->id), error);
    EXPECT_TRUE(error.ok() && record);
    return record && record->find("$argon2id$new") != std::string::npos;
  };
  ASSERT_FALSE(password_stored());
  // One message at a time, until the account's record holds the new password.
  while (!password_stored() && sched->try_run_once()) {
    EXPECT_EQ(stored_under(storage::meta_reissue_prefix) > 0, stored_under(storage::meta_lock_prefix) > 0)
        << "links and lock leave storage together";
  }
  ASSERT_TRUE(password_stored());
  EXPECT_EQ(stored_under(storage::meta_reissue_prefix), 0u) << "taken out before the password was stored";
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 0u);
  EXPECT_FALSE(answer->has_value());
  EXPECT_EQ(mails->size(), mailed) << "no notice yet";
  sched->run();
  ASSERT_TRUE(answer->has_value() && **answer);
}

// While its new password is being stored a link is not in storage: a crash then cannot leave a
// link that sets the password a second time. Given back after a failed write, it is stored again.
TEST_F(AuthSettingsTest, ALinkGivenBackAfterAFailedWriteOutlivesARestart) {
  const auto link = reissue_link();
  const auto other = reissue_link();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(login(false));
  fail_writes({1});
  auto failed = ask<domain::nothing>(auth, reset_atom::value, link, std::string("$argon2id$first"));
  ASSERT_TRUE(failed && !*failed);
  EXPECT_EQ(failed->error().code, error_code::storage);
  EXPECT_EQ(stored_under(storage::meta_reissue_prefix), 2u) << "both links stored again";
  EXPECT_EQ(stored_under(storage::meta_lock_prefix), 1u) << "and the lock";
  restart_auth();
  EXPECT_EQ(login(true)->error().code, error_code::locked);
  ASSERT_TRUE(ask<domain::nothing>(auth, reset_check_atom::value, other).value());
  ASSERT_TRUE(ask<domain::nothing>(auth, reset_atom::value, link, std::string("$argon2id$again")).value());
  EXPECT_EQ(ask<account_ptr>(directory, creds_atom::value, stored->id)->value()->password_hash, "$argon2id$again");
}

// A password change in settings that could not be stored leaves the ID's links as they were, in
// storage too.
TEST_F(AuthSettingsTest, AFailedPasswordChangeLeavesTheLinksStored) {
  const auto link = reissue_link();
  fail_writes({1});
  domain::account_changes c;
  c.password_hash = "$argon2id$new";
  auto failed = change(c, true);
  ASSERT_TRUE(failed && !*failed);
  EXPECT_EQ(stored_under(storage::meta_reissue_prefix), 1u);
  restart_auth();
  ASSERT_TRUE(ask<domain::nothing>(auth, reset_check_atom::value, link).value());
}

}  // namespace
}  // namespace cxs::actors
