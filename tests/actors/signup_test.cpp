// The sign-up actor: an application holds its OPID and mails its single-use link; the link
// confirms once, into an account the directory creates; it expires after 24 hours on the
// service clock.

#include "actors/signup.hpp"
#include "actor_fixture.hpp"
#include "storage/keys.hpp"

namespace cxs::actors {
namespace {

using domain::error_code;

class SignupTest : public testing::actor_fixture {
 protected:
  void SetUp() override {
    url.set("https://cxs.example");
    domain::opid_entry a{"OPA", true, {{"0120111111", {"0312345678"}}}};
    auto reg = std::make_shared<const domain::registry>(std::vector<domain::opid_entry>{a});
    directory = spawn_directory(*sys, {{db.get(), writer, &clock}, 300, {}, {}, nullptr}, reg);
    to_stop.push_back(caf::actor_cast<caf::actor>(directory));
    std::string error;
    auto stored = load_applications(*db, error);
    ASSERT_TRUE(stored) << error;
    auto ca = pki::authority::open((dir_ / "ca").string(), clock.now(), error);
    ASSERT_TRUE(ca) << error;
    auto spawned = spawn_certificates(*sys, {std::move(*ca), db.get(), &clock, {}, &url, {}, /*remind_hourly=*/false},
                                      error, /*own_thread=*/false);
    ASSERT_TRUE(spawned) << error;
    certs = *spawned;
    to_stop.push_back(caf::actor_cast<caf::actor>(certs));
    // Signup's writes go through the faulty writer, which fails none until a test names some.
    signup = spawn_signup(*sys,
                          {db.get(), spawn_faulty_writer(), directory, spawn_mail_sink(), certs, &clock, &url, stored});
    to_stop.push_back(caf::actor_cast<caf::actor>(signup));
    sched->run();
  }

  static signup_request_ptr application(std::string opid = "OPA") {
    auto r = std::make_shared<signup_request>();
    auto& f = r->form;
    f.contractor_name = "株式会社テスト";
    f.industry = "小売";
    f.phone = "0312345678";
    f.person = "山田太郎";
    f.email = "taro@example.jp";
    f.opid = std::move(opid);
    f.an = "0120111111";
    f.dn = "0312345678";
    f.plan = "free";
    f.auth_method = "otp";
    f.sales_code = "00000000000000";
    r->password_hash = "$argon2id$stand-in";
    return r;
  }

  // The token at the end of the newest mail's confirmation link.
  std::string mailed_token() {
    EXPECT_FALSE(mails->empty());
    if (mails->empty()) return {};
    auto link = mails->back().vars.at("confirm_url");
    return link.substr(link.rfind('/') + 1);
  }

  std::size_t stored_applications() { return stored_under(storage::meta_application_prefix); }

  config::public_url url;
  directory_actor directory;
  signup_actor signup;
  certificate_actor certs;
};

TEST_F(SignupTest, AppliesMailsTheLinkAndConfirmsOnceIntoAnAccount) {
  auto applied = ask<domain::nothing>(signup, apply_atom::value, application());
  ASSERT_TRUE(applied && *applied) << (applied && !*applied ? applied->error().detail : "no answer");
  ASSERT_EQ(mails->size(), 1u);
  EXPECT_EQ(mails->back().to, "taro@example.jp");
  EXPECT_EQ(mails->back().text, domain::mail_signup_provisional);
  auto token = mailed_token();
  EXPECT_EQ(mails->back().vars.at("confirm_url"), "https://cxs.example/signup/confirm/" + token);

  auto view = ask<signup_view>(signup, show_atom::value, token);
  ASSERT_TRUE(view && *view);
  EXPECT_FALSE((*view)->confirmed);
  EXPECT_EQ((*view)->form.opid, "OPA");
  EXPECT_TRUE((*view)->form.password.empty());

  auto id = ask<std::string>(signup, confirm_atom::value, token);
  ASSERT_TRUE(id && *id) << (id && !*id ? id->error().detail : "no answer");
  EXPECT_EQ((*id)->size(), 10u);
  EXPECT_EQ(mails->size(), 3u) << "(2/3) and (3/3) follow the confirmation";
  EXPECT_EQ(mails->back().vars.at("certificate_info"), "") << "an otp account has no download credentials";
  auto account = ask<account_summary>(directory, show_atom::value, id->value());
  ASSERT_TRUE(account && *account);
  EXPECT_EQ((*account)->account->opid, "OPA");

  auto twice = ask<std::string>(signup, confirm_atom::value, token);
  ASSERT_TRUE(twice);
  ASSERT_FALSE(*twice);
  EXPECT_EQ(twice->error().code, error_code::already_confirmed);
}

TEST_F(SignupTest, MailThreeOfACertificateAccountCarriesWorkingDownloadCredentials) {
  auto req = std::make_shared<signup_request>(*application());
  req->form.auth_method = "certificate";
  ASSERT_TRUE(ask<domain::nothing>(signup, apply_atom::value, signup_request_ptr(req)));
  auto id = ask<std::string>(signup, confirm_atom::value, mailed_token());
  ASSERT_TRUE(id && *id);
  ASSERT_EQ(mails->size(), 3u);
  auto info = mails->back().vars.at("certificate_info");
  EXPECT_NE(info.find("ダウンロードURL: https://cxs.example/certsrv/"), std::string::npos) << info;
  auto field = [&](const std::string& label) {
    auto at = info.find(label + ": ");
    EXPECT_NE(at, std::string::npos) << info;
    at += label.size() + 2;
    return info.substr(at, info.find('\n', at) - at);
  };
  auto entered =
      ask<std::string>(certs, cert_enter_atom::value, field("ダウンロードアカウント"), field("ダウンロードパスワード"));
  ASSERT_TRUE(entered && *entered) << (entered && !*entered ? entered->error().detail : "no answer");
  EXPECT_EQ(entered->value(), id->value());
}

TEST_F(SignupTest, APendingApplicationHoldsItsOpid) {
  ASSERT_TRUE(ask<domain::nothing>(signup, apply_atom::value, application()));
  auto second = ask<domain::nothing>(signup, apply_atom::value, application());
  ASSERT_TRUE(second);
  ASSERT_FALSE(*second);
  EXPECT_EQ(second->error().code, error_code::invalid_fields);
  ASSERT_FALSE(second->error().fields.empty());
  EXPECT_EQ(second->error().fields[0].field, "opid");
  EXPECT_EQ(second->error().fields[0].code, "opid_taken");
}

TEST_F(SignupTest, RegistryRulesJoinTheBodysOwnErrorsInFormOrder) {
  auto req = std::make_shared<signup_request>(*application("NOPE"));
  req->errors.push_back({"email", "invalid", ""});
  auto answer = ask<domain::nothing>(signup, apply_atom::value, signup_request_ptr(req));
  ASSERT_TRUE(answer);
  ASSERT_FALSE(*answer);
  auto& fields = answer->error().fields;
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].field, "email");
  EXPECT_EQ(fields[1].field, "opid");
  EXPECT_EQ(fields[1].code, "unknown_opid");
  EXPECT_TRUE(mails->empty()) << "no mail for a refused application";
}

TEST_F(SignupTest, TheLinkExpiresAfter24HoursOnTheServiceClock) {
  ASSERT_TRUE(ask<domain::nothing>(signup, apply_atom::value, application()));
  auto token = mailed_token();
  set_clock_offset(24 * 3600 + 1);
  auto view = ask<signup_view>(signup, show_atom::value, token);
  ASSERT_TRUE(view);
  ASSERT_FALSE(*view);
  EXPECT_EQ(view->error().code, error_code::link_expired);
  auto confirmed = ask<std::string>(signup, confirm_atom::value, token);
  ASSERT_TRUE(confirmed);
  ASSERT_FALSE(*confirmed);
  EXPECT_EQ(confirmed->error().code, error_code::link_expired);
  // An expired application no longer holds the OPID.
  auto again = ask<domain::nothing>(signup, apply_atom::value, application());
  ASSERT_TRUE(again && *again);
}

// SPEC §3: a week after a link expired or was confirmed its application is forgotten (the
// contact data and the OPID's hold go), but the link keeps answering expired or already
// confirmed — from storage, so a restart changes nothing.
TEST_F(SignupTest, AForgottenLinkKeepsItsAnswer) {
  ASSERT_TRUE(ask<domain::nothing>(signup, apply_atom::value, application()));
  const auto expired = mailed_token();
  set_clock_offset(24 * 3600 + 1);
  ASSERT_TRUE(ask<domain::nothing>(signup, apply_atom::value, application())) << "the OPID is free again";
  const auto confirmed = mailed_token();
  auto id = ask<std::string>(signup, confirm_atom::value, confirmed);
  ASSERT_TRUE(id && *id);
  EXPECT_EQ(stored_applications(), 2u);

  set_clock_offset(2 * 86400 + 7 * 86400 + 2);  // a week after the second link's end
  sys->spawn([s = signup](caf::event_based_actor* self) { self->send(s, tick_atom::value); });
  sched->run();
  EXPECT_EQ(stored_applications(), 0u) << "both applications are forgotten";
  EXPECT_EQ(stored_under(storage::meta_link_outcome_prefix), 2u);

  auto expect_code = [&](const signup_actor& actor, const std::string& token, error_code code) {
    auto view = ask<signup_view>(actor, show_atom::value, token);
    ASSERT_TRUE(view);
    ASSERT_FALSE(*view);
    EXPECT_EQ(view->error().code, code);
    auto again = ask<std::string>(actor, confirm_atom::value, token);
    ASSERT_TRUE(again);
    ASSERT_FALSE(*again);
    EXPECT_EQ(again->error().code, code);
  };
  expect_code(signup, expired, error_code::link_expired);
  expect_code(signup, confirmed, error_code::already_confirmed);
  expect_code(signup, std::string(43, 'A'), error_code::not_found);

  std::string error;
  auto stored = load_applications(*db, error);
  ASSERT_TRUE(stored) << error;
  auto restarted =
      spawn_signup(*sys, {db.get(), spawn_faulty_writer(), directory, spawn_mail_sink(), certs, &clock, &url, stored});
  to_stop.push_back(caf::actor_cast<caf::actor>(restarted));
  sched->run();
  expect_code(restarted, expired, error_code::link_expired);
  expect_code(restarted, confirmed, error_code::already_confirmed);
}

TEST_F(SignupTest, UnknownLinksAreNotFound) {
  auto view = ask<signup_view>(signup, show_atom::value, std::string("not-a-token"));
  ASSERT_TRUE(view);
  ASSERT_FALSE(*view);
  EXPECT_EQ(view->error().code, error_code::not_found);
}

}  // namespace
}  // namespace cxs::actors

namespace cxs::actors {
namespace {

// Support (SPEC §19): an operator cancels a pending application; its link is gone, the OPID free
// at once, and the record gone from storage.
TEST_F(SignupTest, AnOperatorCancelsAPendingApplication) {
  auto none = ask<domain::nothing>(signup, cancel_atom::value, std::string("OPA"));
  ASSERT_TRUE(none);
  ASSERT_FALSE(*none);
  EXPECT_EQ(none->error().code, error_code::not_found);

  ASSERT_TRUE(ask<domain::nothing>(signup, apply_atom::value, application()));
  auto token = mailed_token();
  auto cancelled = ask<domain::nothing>(signup, cancel_atom::value, std::string("OPA"));
  ASSERT_TRUE(cancelled && *cancelled);
  auto view = ask<signup_view>(signup, show_atom::value, token);
  ASSERT_TRUE(view);
  ASSERT_FALSE(*view);
  EXPECT_EQ(view->error().code, error_code::not_found);
  auto confirmed = ask<std::string>(signup, confirm_atom::value, token);
  ASSERT_TRUE(confirmed);
  ASSERT_FALSE(*confirmed);
  EXPECT_EQ(confirmed->error().code, error_code::not_found);

  EXPECT_EQ(stored_applications(), 0u) << "gone from storage";
  auto again = ask<domain::nothing>(signup, apply_atom::value, application());
  ASSERT_TRUE(again && *again) << "the OPID is free again";
  EXPECT_EQ(stored_applications(), 1u);
  auto twice = ask<domain::nothing>(signup, cancel_atom::value, std::string("OPA"));
  ASSERT_TRUE(twice && *twice) << "the new application can be cancelled too";
  EXPECT_EQ(stored_applications(), 0u);
}

// While a cancellation is being written the OPID stays held: a new application sent with it is
// refused, and when the write fails the old application is back, alone, with its link.
TEST_F(SignupTest, ACancellationInFlightHoldsTheOpidAndAFailedOnePutsTheApplicationBack) {
  ASSERT_TRUE(ask<domain::nothing>(signup, apply_atom::value, application()));
  const auto token = mailed_token();
  fail_writes({1});
  auto cancelled = std::make_shared<std::optional<bool>>();
  auto applied = std::make_shared<std::optional<domain::expected<domain::nothing>>>();
  sys->spawn([=, s = signup](caf::event_based_actor* self) {
    self->request(s, caf::infinite, cancel_atom::value, std::string("OPA"))
        .then([=](domain::nothing) { *cancelled = true; }, [=](caf::error&) { *cancelled = false; });
  });
  sys->spawn([=, s = signup](caf::event_based_actor* self) {
    self->request(s, caf::infinite, apply_atom::value, application())
        .then([=](domain::nothing n) { applied->emplace(n); },
              [=](caf::error& e) { applied->emplace(to_failure(self->system(), e)); });
  });
  sched->run();
  ASSERT_TRUE(cancelled->has_value() && applied->has_value());
  EXPECT_FALSE(**cancelled) << "the cancellation's write failed";
  ASSERT_FALSE(**applied) << "a second application for the OPID was taken";
  EXPECT_EQ((*applied)->error().code, error_code::invalid_fields);
  EXPECT_EQ(stored_applications(), 1u);
  auto view = ask<signup_view>(signup, show_atom::value, token);
  ASSERT_TRUE(view);
  EXPECT_TRUE(*view) << "the old application's link works again";
  auto confirmed = ask<std::string>(signup, confirm_atom::value, token);
  ASSERT_TRUE(confirmed && *confirmed);
}

}  // namespace
}  // namespace cxs::actors
