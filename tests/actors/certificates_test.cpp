// The certificates actor (SPEC §16): a PKCS#12 and a CSR each kept in the register, a new
// certificate revoking the ID's earlier ones, revocation by serial (another ID's is not found), the
// CRL of every revoked serial, and the register read back after a restart.
#include "actors/certificates.hpp"
#include "actor_fixture.hpp"
#include "domain/mail_texts.hpp"
#include "storage/keys.hpp"
#include "tests/pki/test_requests.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace cxs::actors {
namespace {

using domain::error_code;
using testing::csr_for;
const std::string id = "CertTest01";

// The DER form of a PEM certificate, as a TLS client presents it.
std::string der_of(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  unsigned char* out = nullptr;
  const int n = cert ? i2d_X509(cert, &out) : 0;
  std::string der(reinterpret_cast<char*>(out), n > 0 ? static_cast<std::size_t>(n) : 0);
  OPENSSL_free(out);
  X509_free(cert);
  return der;
}

class CertificatesTest : public testing::actor_fixture {
 protected:
  void SetUp() override {
    domain::opid_entry a{"OPA", true, {{"0120111111", {"0312345678"}}}};
    domain::opid_entry b{"OPB", true, {{"0120222222", {"0312345679"}}}};
    directory = spawn_directory(*sys, {{db.get(), writer, &clock}, 300, {}, {}, nullptr},
                                std::make_shared<const domain::registry>(std::vector<domain::opid_entry>{a, b}));
    to_stop.push_back(caf::actor_cast<caf::actor>(directory));
    start();
  }

  // The actor (again, as after a restart), mailing through `mailer` (by default the test's sink).
  void start(std::optional<mailer_actor> mailer = std::nullopt) {
    std::string error;
    auto ca = pki::authority::open((dir_ / "ca").string(), clock.now(), error);
    ASSERT_TRUE(ca) << error;
    auto spawned =
        spawn_certificates(*sys,
                           {std::move(*ca), db.get(), &clock, mailer ? *mailer : spawn_mail_sink(), &url, directory,
                            /*remind_hourly=*/false},
                           error, /*own_thread=*/false);
    ASSERT_TRUE(spawned) << error;
    certs = *spawned;
    to_stop.push_back(caf::actor_cast<caf::actor>(certs));
  }

  certificate_list list(const std::string& of = id) {
    return ask<certificate_list>(certs, cert_list_atom::value, of)->value();
  }

  // An account of the directory (the method a switch's follow-up is judged against), on `method`.
  std::string account_on(const std::string& method, const std::string& opid = "OPA") {
    return ask<account_summary>(directory, create_atom::value, account_request(opid, method))->value().account->id;
  }

  void switch_to(const std::string& of, const std::string& method) {
    domain::account_changes c;
    c.auth_method = method;
    ASSERT_TRUE(ask<account_summary>(directory, update_atom::value, of, c)->ok());
  }

  bool follow(const std::string& of, const std::string& method) {
    auto done = ask<bool>(certs, cert_method_atom::value, of, method);
    return done && *done && **done;
  }

  // The download mails so far, and the account and password the last one gave.
  std::vector<outgoing_mail> download_mails() {
    std::vector<outgoing_mail> out;
    for (auto& m : *mails)
      if (m.text == domain::mail_certificate_download) out.push_back(m);
    return out;
  }
  static std::string line_value(const std::string& block, const std::string& label) {
    auto at = block.find(label);
    if (at == std::string::npos) return {};
    at += label.size();
    return block.substr(at, block.find('\n', at) - at);
  }

  // The serials the actor's CRL lists (lower-case hex); one "unreadable" entry for a broken CRL.
  std::vector<std::string> crl_serials() {
    auto crl = ask<std::string>(certs, cert_crl_atom::value)->value();
    BIO* b = BIO_new_mem_buf(crl.data(), static_cast<int>(crl.size()));
    X509_CRL* parsed = PEM_read_bio_X509_CRL(b, nullptr, nullptr, nullptr);
    BIO_free(b);
    if (!parsed) return {"unreadable"};
    std::vector<std::string> out;
    auto* entries = X509_CRL_get_REVOKED(parsed);
    for (int i = 0; i < sk_X509_REVOKED_num(entries); ++i) {
      BIGNUM* bn = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(entries, i)), nullptr);
      char* hex = BN_bn2hex(bn);
      std::string listed(hex);
      for (auto& c : listed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.push_back(std::move(listed));
      OPENSSL_free(hex);
      BN_free(bn);
    }
    X509_CRL_free(parsed);
    return out;
  }

  config::public_url url;
  directory_actor directory;
  certificate_actor certs;
};

TEST_F(CertificatesTest, ANewCertificateIsKeptAndRevokesTheEarlierOne) {
  auto first = ask<issued_pkcs12>(certs, cert_issue_atom::value, id);
  ASSERT_TRUE(first && *first);
  EXPECT_FALSE((*first)->der.empty());
  EXPECT_EQ((*first)->password.size(), 16u);
  EXPECT_EQ((*first)->record.id, id);
  set_clock_offset(60);
  auto second = ask<issued_pem>(certs, cert_csr_atom::value, id, csr_for(id));
  ASSERT_TRUE(second && *second);
  EXPECT_NE((*second)->pem.find("BEGIN CERTIFICATE"), std::string::npos);

  auto now = list();
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].serial, (*second)->record.serial) << "newest first";
  EXPECT_FALSE(now[0].revoked);
  EXPECT_EQ(now[1].serial, (*first)->record.serial);
  ASSERT_TRUE(now[1].revoked);
  EXPECT_EQ(*now[1].revoked, clock.now());
  EXPECT_TRUE(list("OtherId001").empty());
}

TEST_F(CertificatesTest, ACsrForAnotherIdOrOfJunkIsAFieldError) {
  for (auto [pem, code] :
       {std::pair{csr_for("OtherId001"), "csr_subject"}, std::pair{std::string("junk"), "csr_invalid"}}) {
    auto refused = ask<issued_pem>(certs, cert_csr_atom::value, id, pem);
    ASSERT_TRUE(refused && !*refused);
    EXPECT_EQ(refused->error().code, error_code::invalid_fields);
    ASSERT_EQ(refused->error().fields.size(), 1u);
    EXPECT_EQ(refused->error().fields[0].field, "csr");
    EXPECT_EQ(refused->error().fields[0].code, code);
  }
  EXPECT_TRUE(list().empty()) << "nothing kept";
}

TEST_F(CertificatesTest, RevocationByIdAndSerialShowsInTheCrl) {
  auto made = ask<issued_pkcs12>(certs, cert_issue_atom::value, id)->value();
  const auto serial = made.record.serial;
  auto elsewhere = ask<domain::nothing>(certs, cert_revoke_atom::value, std::string("OtherId001"), serial);
  ASSERT_TRUE(elsewhere && !*elsewhere);
  EXPECT_EQ(elsewhere->error().code, error_code::not_found) << "another ID's serial is not found";
  auto unknown = ask<domain::nothing>(certs, cert_revoke_atom::value, id, std::string("abcdef"));
  ASSERT_TRUE(unknown && !*unknown);
  EXPECT_EQ(unknown->error().code, error_code::not_found);

  auto crl_before = ask<std::string>(certs, cert_crl_atom::value)->value();
  EXPECT_NE(crl_before.find("BEGIN X509 CRL"), std::string::npos);
  ASSERT_TRUE(ask<domain::nothing>(certs, cert_revoke_atom::value, id, serial)->ok());
  const auto when = list()[0].revoked;
  ASSERT_TRUE(when);
  set_clock_offset(300);
  ASSERT_TRUE(ask<domain::nothing>(certs, cert_revoke_atom::value, id, serial)->ok()) << "again: done already";
  EXPECT_EQ(list()[0].revoked, when) << "the first time stays";

  EXPECT_EQ(crl_serials(), std::vector<std::string>{serial});
}

TEST_F(CertificatesTest, TheRegisterIsReadBackAtStart) {
  auto made = ask<issued_pkcs12>(certs, cert_issue_atom::value, id)->value();
  ASSERT_TRUE(ask<domain::nothing>(certs, cert_revoke_atom::value, id, made.record.serial)->ok());
  ASSERT_TRUE(
      db->put(storage::cf::meta, std::string(storage::meta_certificate_prefix) + "broken/1", "not json", true).ok());
  start();  // a second actor over the same storage, as after a restart
  auto back = list();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].serial, made.record.serial);
  EXPECT_TRUE(back[0].revoked);
}

// The code a refused request answered, or none when it passed.
template <class T>
std::optional<error_code> refusal(const std::optional<domain::expected<T>>& answer) {
  EXPECT_TRUE(answer) << "no answer";
  if (!answer || *answer) return std::nullopt;
  return (*answer).error().code;
}

TEST_F(CertificatesTest, DownloadCredentialsNameTheirIdAndNewOnesReplaceTheOld) {
  auto first = ask<download_grant>(certs, cert_grant_atom::value, id)->value();
  EXPECT_EQ(first.id, id);
  auto entered = ask<std::string>(certs, cert_enter_atom::value, first.account, first.password);
  ASSERT_TRUE(entered && *entered);
  EXPECT_EQ(entered->value(), id);
  auto second = ask<download_grant>(certs, cert_grant_atom::value, id)->value();
  EXPECT_NE(second.account, first.account);
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, first.account, first.password)),
            error_code::download_credentials);
  EXPECT_EQ(ask<std::string>(certs, cert_enter_atom::value, second.account, second.password)->value(), id);
  // Only the digest is stored.
  storage::status read;
  auto stored = db->get(storage::cf::meta, std::string(storage::meta_download_prefix) + id, read);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->find(second.password), std::string::npos);
  start();  // after a restart the credentials still work
  EXPECT_EQ(ask<std::string>(certs, cert_enter_atom::value, second.account, second.password)->value(), id);
}

// Credentials whose mail the mailer could not queue answer `mail` (503 to the operator, who sends
// again), not a success: they are stored all the same, so the earlier ones stop working.
TEST_F(CertificatesTest, CredentialsWhoseMailIsNotQueuedAnswerMail) {
  auto earlier = ask<download_grant>(certs, cert_grant_atom::value, id)->value();
  auto refusing = sys->spawn([]() -> mailer_actor::behavior_type {
    return {[](mail_atom, outgoing_mail&) { return false; }, [](tick_atom) {}};
  });
  to_stop.push_back(caf::actor_cast<caf::actor>(refusing));
  start(refusing);
  EXPECT_EQ(refusal(ask<bool>(certs, cert_send_atom::value, id, std::string("owner@example.jp"), std::string("O"))),
            error_code::mail);
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, earlier.account, earlier.password)),
            error_code::download_credentials);
}

TEST_F(CertificatesTest, FiveWrongDownloadPasswordsLockTheAccountThirtyMinutes) {
  auto g = ask<download_grant>(certs, cert_grant_atom::value, id)->value();
  for (int i = 1; i < 5; ++i)
    EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, g.account, std::string("Wrong") + char('0' + i))),
              error_code::download_credentials)
        << i;
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, g.account, std::string("Wrong5"))),
            error_code::download_locked);
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, g.account, g.password)),
            error_code::download_locked)
      << "the right password waits too";
  set_clock_offset(30 * 60);
  EXPECT_EQ(ask<std::string>(certs, cert_enter_atom::value, g.account, g.password)->value(), id);
  // Unknown accounts of the right shape count alike; other names are refused at once.
  for (int i = 0; i < 5; ++i) ask<std::string>(certs, cert_enter_atom::value, std::string("abcdefghijk2"), g.password);
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, std::string("abcdefghijk2"), g.password)),
            error_code::download_locked);
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, std::string("../etc"), g.password)),
            error_code::download_credentials);
}

// SPEC §18: a restart hands out no fresh tries. The lock is stored before its answer, read back
// at start while it runs (unknown names too), erased at start or by the hourly sweep once run out.
TEST_F(CertificatesTest, ADownloadLockoutOutlivesARestartAndIsErasedOnceRunOut) {
  auto g = ask<download_grant>(certs, cert_grant_atom::value, id)->value();
  const std::string made_up = "abcdefghijk2";
  auto lock = [&](const std::string& account) {
    for (int i = 0; i < 5; ++i) ask<std::string>(certs, cert_enter_atom::value, account, std::string("Wrong"));
  };
  lock(g.account);
  lock(made_up);
  EXPECT_EQ(stored_under(storage::meta_download_lock_prefix), 2u);
  ASSERT_TRUE(
      db->put(storage::cf::meta, std::string(storage::meta_download_lock_prefix) + "abcdefghijk3", "junk", true).ok());

  start();  // a second actor over the same storage, as after a restart
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, g.account, g.password)),
            error_code::download_locked)
      << "the right password still waits";
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, made_up, g.password)), error_code::download_locked);
  EXPECT_EQ(stored_under(storage::meta_download_lock_prefix), 2u) << "the unreadable record is erased at start";

  set_clock_offset(30 * 60);
  start();
  EXPECT_EQ(stored_under(storage::meta_download_lock_prefix), 0u) << "run-out locks are erased at start";
  EXPECT_EQ(ask<std::string>(certs, cert_enter_atom::value, g.account, g.password)->value(), id);

  lock(g.account);
  EXPECT_EQ(stored_under(storage::meta_download_lock_prefix), 1u) << "locked afresh";
  set_clock_offset(60 * 60);
  ask<std::size_t>(certs, cert_remind_atom::value);
  EXPECT_EQ(stored_under(storage::meta_download_lock_prefix), 0u) << "swept by the hourly prune";

  lock(g.account);
  ASSERT_EQ(stored_under(storage::meta_download_lock_prefix), 1u);
  ask<download_grant>(certs, cert_grant_atom::value, id);
  EXPECT_EQ(stored_under(storage::meta_download_lock_prefix), 0u) << "new credentials retire the old account's lock";
}

TEST_F(CertificatesTest, RemindersAreDueAtThirtyAndSevenDaysAndMarkedOnceAcrossRestarts) {
  auto made = ask<issued_pkcs12>(certs, cert_issue_atom::value, id)->value();
  const int64_t day = 24 * 60 * 60;
  const int64_t to_end = made.record.not_after - clock.now();
  EXPECT_EQ(ask<std::size_t>(certs, cert_remind_atom::value)->value(), 0u) << "a new certificate";
  set_clock_offset(to_end - 30 * day);
  EXPECT_EQ(ask<std::size_t>(certs, cert_remind_atom::value)->value(), 1u) << "30 days before";
  EXPECT_EQ(ask<std::size_t>(certs, cert_remind_atom::value)->value(), 0u) << "once";
  start();  // a restart reads the mark back
  EXPECT_EQ(ask<std::size_t>(certs, cert_remind_atom::value)->value(), 0u) << "once across a restart";
  set_clock_offset(to_end - 7 * day);
  EXPECT_EQ(ask<std::size_t>(certs, cert_remind_atom::value)->value(), 1u) << "7 days before";
  start();
  EXPECT_EQ(ask<std::size_t>(certs, cert_remind_atom::value)->value(), 0u);
  auto back = list();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(back[0].reminded_30);
  EXPECT_TRUE(back[0].reminded_7);
}

TEST_F(CertificatesTest, ASwitchToOtpRevokesEveryCertificateAndVoidsTheDownloadCredentials) {
  const auto owner = account_on("certificate");
  auto g = ask<download_grant>(certs, cert_grant_atom::value, owner)->value();
  auto made = ask<issued_pkcs12>(certs, cert_issue_atom::value, owner)->value();
  switch_to(owner, "otp");
  ASSERT_TRUE(follow(owner, "otp"));
  auto back = list(owner);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(back[0].revoked);
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, g.account, g.password)),
            error_code::download_credentials);
  start();
  EXPECT_TRUE(list(owner)[0].revoked) << "stored";
  EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, g.account, g.password)),
            error_code::download_credentials);
  // An ID with nothing to withdraw (here: no account at all) is done at once.
  ASSERT_TRUE(follow("NoCerts001", "otp"));
  EXPECT_TRUE(download_mails().empty());
}

TEST_F(CertificatesTest, ASwitchToCertificateMailsCredentialsToTheStoredAddress) {
  const auto owner = account_on("otp");
  switch_to(owner, "certificate");
  ASSERT_TRUE(follow(owner, "certificate"));
  auto sent = download_mails();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "owner@example.jp");
  EXPECT_EQ(sent[0].vars.at("id"), owner);
  const auto& block = sent[0].vars.at("download_info");
  auto entered = ask<std::string>(certs, cert_enter_atom::value, line_value(block, "ダウンロードアカウント: "),
                                  line_value(block, "ダウンロードパスワード: "));
  ASSERT_TRUE(entered && *entered);
  EXPECT_EQ(**entered, owner) << "the mailed credentials open the download site";
}

// Two quick switches (two tabs): the follow-ups may reach the register in either order, and the
// switch stored last decides.
TEST_F(CertificatesTest, CrossedFollowUpsOfTwoSwitchesEndAsTheSwitchStoredLast) {
  {  // certificate → otp → certificate; the follow-ups arrive certificate first, then otp
    const auto owner = account_on("certificate");
    auto old_grant = ask<download_grant>(certs, cert_grant_atom::value, owner)->value();
    auto old_certificate = ask<issued_pkcs12>(certs, cert_issue_atom::value, owner)->value();
    switch_to(owner, "otp");
    switch_to(owner, "certificate");
    ASSERT_TRUE(follow(owner, "certificate"));
    ASSERT_TRUE(follow(owner, "otp"));
    auto sent = download_mails();
    ASSERT_EQ(sent.size(), 1u);
    const auto& block = sent[0].vars.at("download_info");
    auto entered = ask<std::string>(certs, cert_enter_atom::value, line_value(block, "ダウンロードアカウント: "),
                                    line_value(block, "ダウンロードパスワード: "));
    ASSERT_TRUE(entered && *entered) << "the late otp follow-up leaves the new credentials alone";
    EXPECT_EQ(refusal(ask<std::string>(certs, cert_enter_atom::value, old_grant.account, old_grant.password)),
              error_code::download_credentials);
    auto back = list(owner);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].serial, old_certificate.record.serial);
    EXPECT_TRUE(back[0].revoked) << "a certificate of before the otp period is revoked";
  }
  mails->clear();
  {  // otp → certificate → otp; the follow-ups arrive otp first, then certificate
    const auto owner = account_on("otp", "OPB");
    switch_to(owner, "certificate");
    switch_to(owner, "otp");
    ASSERT_TRUE(follow(owner, "otp"));
    ASSERT_TRUE(follow(owner, "certificate"));
    EXPECT_TRUE(download_mails().empty()) << "no credentials for an account on one-time passwords";
  }
}

TEST_F(CertificatesTest, ThePresentedCertificateIsJudgedAgainstTheRegister) {
  using v = domain::certificate_verdict;
  auto judge = [&](const std::string& login_id, const std::string& der) {
    return ask<v>(certs, cert_judge_atom::value, login_id, der)->value();
  };
  EXPECT_EQ(judge(id, ""), v::absent);
  EXPECT_EQ(judge(id, "not a certificate"), v::mismatch);
  auto made = ask<issued_pem>(certs, cert_csr_atom::value, id, csr_for(id))->value();
  auto der = der_of(made.pem);
  EXPECT_EQ(judge(id, der), v::valid);
  EXPECT_EQ(judge("Another001", der), v::mismatch);
  ask<issued_pem>(certs, cert_csr_atom::value, id, csr_for(id));  // a newer one revokes it
  EXPECT_EQ(judge(id, der), v::revoked);
}

TEST_F(CertificatesTest, EndedCertificatesLeaveTheRegisterAndTheCrlNinetyDaysAfterTheirEnd) {
  using v = domain::certificate_verdict;
  auto first = ask<issued_pem>(certs, cert_csr_atom::value, id, csr_for(id))->value();
  set_clock_offset(60);
  auto second = ask<issued_pem>(certs, cert_csr_atom::value, id, csr_for(id))->value();  // revokes the first
  ASSERT_EQ(crl_serials(), std::vector<std::string>{first.record.serial});
  const int64_t day = 24 * 60 * 60;
  const int64_t base = clock.now() - 60;  // the clock without its offset
  auto at = [&](int64_t t) { set_clock_offset(t - base); };
  at(first.record.not_after + 90 * day - 1);
  ask<std::size_t>(certs, cert_remind_atom::value);
  EXPECT_EQ(list().size(), 2u) << "kept 90 days after the end";
  EXPECT_EQ(crl_serials(), std::vector<std::string>{first.record.serial});
  at(first.record.not_after + 90 * day);
  ask<std::size_t>(certs, cert_remind_atom::value);
  auto left = list();
  ASSERT_EQ(left.size(), 1u) << "the first dropped; the second ended 60 s later";
  EXPECT_EQ(left[0].serial, second.record.serial);
  EXPECT_TRUE(crl_serials().empty());
  at(second.record.not_after + 90 * day);
  ask<std::size_t>(certs, cert_remind_atom::value);
  start();  // gone from storage too
  EXPECT_TRUE(list().empty());
  EXPECT_EQ(ask<v>(certs, cert_judge_atom::value, id, der_of(first.pem))->value(), v::expired);
  EXPECT_EQ(ask<v>(certs, cert_judge_atom::value, std::string("Another001"), der_of(second.pem))->value(), v::mismatch);
}

}  // namespace
}  // namespace cxs::actors
