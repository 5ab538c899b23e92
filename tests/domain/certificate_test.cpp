// The register's rules (SPEC §16): a presented certificate judged at login, the reminders at 30
// and 7 days sent once each, a new certificate revoking the earlier ones, records read back.
#include "domain/certificate.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

constexpr int64_t day = 24 * 60 * 60;
constexpr int64_t t0 = 1'795'000'000;

certificate_record record(std::string serial = "7a01") {
  return {"AbCdEf1234", std::move(serial), t0, t0 + 365 * day, std::nullopt, false, false};
}

TEST(Certificate, RecordsReadBackAndDamagedOnesAreRefused) {
  auto r = record();
  r.revoked = t0 + 5;
  r.reminded_30 = true;
  auto back = decode_certificate(encode_certificate(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, r.id);
  EXPECT_EQ(back->serial, r.serial);
  EXPECT_EQ(back->not_before, r.not_before);
  EXPECT_EQ(back->not_after, r.not_after);
  EXPECT_EQ(back->revoked, r.revoked);
  EXPECT_TRUE(back->reminded_30);
  EXPECT_FALSE(back->reminded_7);
  EXPECT_TRUE(decode_certificate(encode_certificate(record())));
  for (const char* bad : {"", "[]", "{}",
                          R"({"id":"a","serial":"1","not_before":2,"not_after":1,"revoked":null,)"
                          R"("reminded_30":false,"reminded_7":false})",
                          R"({"id":"a","serial":"1","not_before":1,"not_after":2,"revoked":"x",)"
                          R"("reminded_30":false,"reminded_7":false})"})
    EXPECT_FALSE(decode_certificate(bad)) << bad;
}

TEST(Certificate, AtLoginAnotherIdsComesFirstThenRevokedThenExpired) {
  auto r = record();
  EXPECT_EQ(judge_certificate(r, "AbCdEf1234", t0), certificate_verdict::valid);
  EXPECT_EQ(judge_certificate(r, "AbCdEf1234", t0 + 365 * day - 1), certificate_verdict::valid);
  EXPECT_EQ(judge_certificate(r, "AbCdEf1234", t0 + 365 * day), certificate_verdict::expired);
  EXPECT_EQ(judge_certificate(r, "AbCdEf1234", t0 - 1), certificate_verdict::expired) << "not yet valid";
  EXPECT_EQ(judge_certificate(r, "ZyXwVu9876", t0), certificate_verdict::mismatch);
  r.revoked = t0 + day;
  EXPECT_EQ(judge_certificate(r, "AbCdEf1234", t0 + day), certificate_verdict::revoked);
  EXPECT_EQ(judge_certificate(r, "AbCdEf1234", t0 + 400 * day), certificate_verdict::revoked);
  EXPECT_EQ(judge_certificate(r, "ZyXwVu9876", t0 + day), certificate_verdict::mismatch);
  EXPECT_EQ(verdict_code(certificate_verdict::revoked), "certificate_revoked");
  EXPECT_EQ(verdict_code(certificate_verdict::expired), "certificate_expired");
  EXPECT_EQ(verdict_code(certificate_verdict::mismatch), "certificate_mismatch");
  EXPECT_EQ(verdict_code(certificate_verdict::absent), "certificate_required");
  EXPECT_EQ(verdict_error(certificate_verdict::valid), std::nullopt);
  EXPECT_EQ(verdict_error(certificate_verdict::absent), error_code::certificate_required);
  EXPECT_EQ(verdict_error(certificate_verdict::mismatch), error_code::certificate_mismatch);
  EXPECT_EQ(verdict_error(certificate_verdict::revoked), error_code::certificate_revoked);
  EXPECT_EQ(verdict_error(certificate_verdict::expired), error_code::certificate_expired);
}

TEST(Certificate, RemindersAt30And7DaysOnceEach) {
  auto r = record();
  const int64_t end = r.not_after;
  EXPECT_EQ(due_reminder(r, end - 31 * day), 0);
  EXPECT_EQ(due_reminder(r, end - 30 * day), 30);
  mark_reminded(r, 30);
  EXPECT_EQ(due_reminder(r, end - 29 * day), 0) << "once";
  EXPECT_EQ(due_reminder(r, end - 7 * day), 7);
  mark_reminded(r, 7);
  EXPECT_EQ(due_reminder(r, end - 1), 0);
  EXPECT_EQ(due_reminder(r, end), 0) << "expired: nothing more";
}

TEST(Certificate, AfterALongStopOnlyTheSevenDayReminderGoesOut) {
  auto r = record();
  EXPECT_EQ(due_reminder(r, r.not_after - 3 * day), 7);
  mark_reminded(r, 7);
  EXPECT_TRUE(r.reminded_30);
  EXPECT_EQ(due_reminder(r, r.not_after - 2 * day), 0);
  auto revoked = record();
  revoked.revoked = t0;
  EXPECT_EQ(due_reminder(revoked, revoked.not_after - 10 * day), 0) << "a revoked certificate is reminded of nothing";
}

TEST(Certificate, ANewCertificateRevokesTheEarlierOnes) {
  std::vector<certificate_record> of_id{record("01"), record("02"), record("03")};
  of_id[0].revoked = t0 - 5;
  auto changed = revoke_others(of_id, "03", t0 + 10);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0]->serial, "02");
  EXPECT_EQ(of_id[0].revoked, t0 - 5) << "an earlier revocation keeps its time";
  EXPECT_EQ(of_id[1].revoked, t0 + 10);
  EXPECT_FALSE(of_id[2].revoked);
}

TEST(Certificate, TheRegisterKeepsACertificateNinetyDaysAfterItsEnd) {
  auto r = record();
  EXPECT_FALSE(past_keeping(r, r.not_after));
  EXPECT_FALSE(past_keeping(r, r.not_after + 90 * day - 1));
  EXPECT_TRUE(past_keeping(r, r.not_after + 90 * day));
  r.revoked = r.not_before + day;
  EXPECT_FALSE(past_keeping(r, r.not_after + 89 * day)) << "revoked or not, it counts from its end";
}

TEST(Certificate, ACertificateOfOursTheRegisterNoLongerHoldsIsExpiredOrAMismatch) {
  const int64_t end = t0 + 365 * day;
  EXPECT_EQ(judge_unregistered("CertTest01", end, "CertTest01", end + 91 * day), certificate_verdict::expired)
      << "dropped after its end";
  EXPECT_EQ(judge_unregistered("CertTest01", end, "Another001", end + 91 * day), certificate_verdict::mismatch)
      << "another ID's says nothing about this one";
  EXPECT_EQ(judge_unregistered("CertTest01", end, "CertTest01", end - day), certificate_verdict::mismatch)
      << "within its dates yet unknown: newer than a restored register";
}

TEST(Certificate, TheSwitchStoredLastDecidesWhatAFollowUpDoes) {
  auto is = [](method_follow_up f, bool mail, bool revoke, bool void_credentials) {
    return f.mail_credentials == mail && f.revoke_certificates == revoke && f.void_credentials == void_credentials;
  };
  // In order: each switch does what SPEC §16 says.
  EXPECT_TRUE(is(follow_up_of_switch("certificate", "certificate"), true, false, false));
  EXPECT_TRUE(is(follow_up_of_switch("otp", "otp"), false, true, true));
  // Overtaken by a later switch back: no mail to an otp account, no voiding of the credentials a
  // certificate account has just been sent; the certificates of the otp period are revoked still.
  EXPECT_TRUE(is(follow_up_of_switch("certificate", "otp"), false, false, false));
  EXPECT_TRUE(is(follow_up_of_switch("otp", "certificate"), false, true, false));
  // The account is gone: nothing is mailed, everything withdrawn.
  EXPECT_TRUE(is(follow_up_of_switch("certificate", ""), false, false, false));
  EXPECT_TRUE(is(follow_up_of_switch("otp", ""), false, true, true));
}

}  // namespace
}  // namespace cxs::domain
