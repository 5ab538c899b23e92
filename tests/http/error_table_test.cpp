// The one table from domain::error_code to the wire: statuses and codes as docs/api.md and SPEC
// §14 document them, and how each listener words a failure (customers in their language with
// field messages rewritten, operators in English with the detail).

#include "http/error_table.hpp"
#include "domain/messages.hpp"
#include "domain/signup.hpp"
#include "metrics/metrics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace cxs::http {
namespace {

using domain::error_code;
using domain::lang;
using nlohmann::json;

constexpr auto first_code = static_cast<int>(error_code::json);
constexpr auto last_code = static_cast<int>(error_code::internal);

json body_of(const reply& r) {
  auto j = json::parse(r.body, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.body;
  return j;
}

TEST(ErrorTable, EveryCodeHasAnErrorStatusAndAName) {
  for (int i = first_code; i <= last_code; ++i) {
    auto c = static_cast<error_code>(i);
    SCOPED_TRACE(i);
    auto& row = error_row_of(c);
    EXPECT_GE(row.status, 400);
    EXPECT_LE(row.status, 599);
    EXPECT_FALSE(row.code.empty());
    EXPECT_FALSE(row.message_key.empty());
    // The wire code and domain::error_name must not drift apart (both are "the code clients see").
    EXPECT_EQ(row.code, domain::error_name(c));
  }
}

TEST(ErrorTable, OutOfRangeCodesFallBackToInternal) {
  // 0 is no code, and a byte past the last one must not read beyond the table.
  for (int i : {0, last_code + 1, 255}) {
    auto& row = error_row_of(static_cast<error_code>(i));
    EXPECT_EQ(row.status, 500) << i;
    EXPECT_EQ(row.code, "internal") << i;
  }
}

TEST(ErrorTable, DocumentedStatuses) {
  struct expected_row {
    error_code c;
    int status;
    const char* code;
  };
  const expected_row documented[] = {
      {error_code::json, 400, "json"},
      {error_code::invalid_fields, 422, "invalid_fields"},
      {error_code::invalid_registry, 422, "invalid_registry"},
      {error_code::invalid_parameter, 400, "invalid_parameter"},
      {error_code::cdr_header, 400, "header"},
      {error_code::not_found, 404, "not_found"},
      {error_code::plan_required, 403, "plan_required"},
      {error_code::forbidden_role, 403, "forbidden_role"},
      {error_code::not_implemented, 501, "not_implemented"},
      {error_code::invalid_credentials, 401, "invalid_credentials"},
      {error_code::locked, 423, "locked"},
      {error_code::certificate_required, 401, "certificate_required"},
      {error_code::session_active, 409, "session_active"},
      {error_code::ticket_expired, 401, "ticket_expired"},
      {error_code::invalid_code, 401, "invalid_code"},
      {error_code::link_expired, 410, "expired"},
      {error_code::reset_link_expired, 410, "expired"},
      {error_code::already_confirmed, 409, "already_confirmed"},
      {error_code::opid_taken, 409, "opid_taken"},
      {error_code::download_credentials, 401, "download_credentials"},
      {error_code::download_locked, 423, "download_locked"},
      {error_code::certificate_mismatch, 401, "certificate_mismatch"},
      {error_code::certificate_revoked, 401, "certificate_revoked"},
      {error_code::certificate_expired, 401, "certificate_expired"},
      {error_code::storage, 503, "storage"},
      {error_code::mail, 503, "mail"},
      {error_code::unavailable, 503, "unavailable"},
      {error_code::timeout, 503, "timeout"},
      {error_code::busy, 503, "busy"},
      {error_code::internal, 500, "internal"},
  };
  // Every code is listed here, so a new code must be added to this test with its status.
  EXPECT_EQ(std::size(documented), static_cast<std::size_t>(last_code - first_code + 1));
  for (auto& d : documented) {
    SCOPED_TRACE(d.code);
    EXPECT_EQ(error_row_of(d.c).status, d.status);
    EXPECT_EQ(error_row_of(d.c).code, d.code);
    // Both listeners send the row's status.
    EXPECT_EQ(customer_failure(domain::fail(d.c), lang::ja).status, d.status);
    EXPECT_EQ(admin_failure(domain::fail(d.c)).status, d.status);
  }
}

TEST(ErrorTable, PlainFailuresCarryCodeAndCatalogueMessage) {
  for (auto c : {error_code::json, error_code::not_found, error_code::locked, error_code::session_active,
                 error_code::invalid_credentials, error_code::opid_taken, error_code::storage}) {
    auto& row = error_row_of(c);
    SCOPED_TRACE(std::string(row.code));
    for (auto l : {lang::ja, lang::en}) {
      auto j = body_of(customer_failure(domain::fail(c), l));
      EXPECT_EQ(j["error"]["code"], row.code);
      EXPECT_EQ(j["error"]["message"], domain::error_message(row.message_key, l));
    }
    // The customer's two languages differ.
    EXPECT_NE(body_of(customer_failure(domain::fail(c), lang::ja)),
              body_of(customer_failure(domain::fail(c), lang::en)));
  }
}

TEST(ErrorTable, TwoExpiredLinksShareTheCodeButNotTheMessage) {
  // A sign-up link and a reissue link both answer 410 "expired", yet tell the customer to do
  // different things (apply again / request a new reissue).
  for (auto l : {lang::ja, lang::en}) {
    auto signup = body_of(customer_failure(domain::fail(error_code::link_expired), l));
    auto reset = body_of(customer_failure(domain::fail(error_code::reset_link_expired), l));
    EXPECT_EQ(signup["error"]["code"], "expired");
    EXPECT_EQ(reset["error"]["code"], "expired");
    EXPECT_EQ(signup["error"]["message"], domain::error_message("expired", l));
    EXPECT_EQ(reset["error"]["message"], domain::error_message("reset_expired", l));
    EXPECT_NE(signup["error"]["message"], reset["error"]["message"]);
  }
  EXPECT_EQ(body_of(admin_failure(domain::fail(error_code::reset_link_expired)))["error"]["message"],
            domain::error_message("reset_expired", lang::en));
}

TEST(ErrorTable, CustomerNeverSeesTheDetail) {
  // failure::detail is for operators and logs: a customer answer must not carry it.
  const std::string detail = "rocksdb: IO error: /var/lib/cxs/000042.sst";
  for (auto c : {error_code::storage, error_code::internal, error_code::not_found, error_code::timeout}) {
    auto r = customer_failure(domain::fail(c, detail), lang::en);
    EXPECT_EQ(r.body.find("rocksdb"), std::string::npos) << r.body;
  }
}

TEST(ErrorTable, ServerFailuresCarryARequestIdNotTheDetail) {
  // Issue 11: a 5xx answer shows neither listener the detail; it names a request ID that the
  // log line with the detail carries too.
  const std::string detail = "rocksdb: IO error: /var/lib/cxs/000042.sst";
  for (auto c : {error_code::storage, error_code::mail, error_code::unavailable, error_code::timeout, error_code::busy,
                 error_code::internal}) {
    SCOPED_TRACE(error_name(c));
    for (auto r : {customer_failure(domain::fail(c, detail), lang::ja), admin_failure(domain::fail(c, detail))}) {
      EXPECT_EQ(r.body.find("rocksdb"), std::string::npos) << r.body;
      auto j = body_of(r);
      ASSERT_TRUE(j["error"]["request_id"].is_string()) << r.body;
      EXPECT_EQ(j["error"]["request_id"].get<std::string>().size(), 16u);
      EXPECT_EQ(j["error"]["code"], error_row_of(c).code);
    }
  }
  auto a = body_of(admin_failure(domain::fail(error_code::internal, detail)))["error"]["request_id"];
  auto b = body_of(admin_failure(domain::fail(error_code::internal, detail)))["error"]["request_id"];
  EXPECT_NE(a, b) << "one ID per answer";
  // 4xx answers keep their shape: no ID, and operators still read the detail.
  auto four = body_of(admin_failure(domain::fail(error_code::not_found, "no account AbCdEf1234")));
  EXPECT_FALSE(four["error"].contains("request_id"));
  EXPECT_EQ(four["error"]["message"], "no account AbCdEf1234");
}

TEST(ErrorTable, BusyTellsWhenToTryAgain) {
  for (auto r :
       {customer_failure(domain::fail(error_code::busy), lang::en), admin_failure(domain::fail(error_code::busy))}) {
    EXPECT_EQ(r.status, 503);
    auto it = std::find_if(r.headers.begin(), r.headers.end(), [](auto& h) { return h.first == "Retry-After"; });
    ASSERT_NE(it, r.headers.end());
    EXPECT_EQ(it->second, "1");
  }
}

TEST(ErrorTable, CustomerFieldMessagesAreRewrittenInTheReadersLanguage) {
  auto f = domain::field_failure({{"email", "invalid", "as the actor wrote it"},
                                  {"password", "weak_password", "as the actor wrote it"},
                                  {"opid", "opid_taken", "as the actor wrote it"}});
  auto ja = body_of(customer_failure(f, lang::ja));
  auto en = body_of(customer_failure(f, lang::en));
  EXPECT_EQ(customer_failure(f, lang::ja).status, 422);
  ASSERT_EQ(ja["errors"].size(), 3u);
  ASSERT_EQ(en["errors"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    auto& original = f.fields[i];
    // Field and code stay, in the same order.
    EXPECT_EQ(ja["errors"][i]["field"], original.field);
    EXPECT_EQ(ja["errors"][i]["code"], original.code);
    EXPECT_EQ(en["errors"][i]["field"], original.field);
    EXPECT_EQ(en["errors"][i]["code"], original.code);
    EXPECT_EQ(ja["errors"][i]["message"], domain::field_message(original.field, original.code, lang::ja));
    EXPECT_EQ(en["errors"][i]["message"], domain::field_message(original.field, original.code, lang::en));
    EXPECT_NE(ja["errors"][i]["message"], en["errors"][i]["message"]);
  }
  // The failure itself is not changed (the caller may still log or reuse it).
  EXPECT_EQ(f.fields[0].message, "as the actor wrote it");
}

TEST(ErrorTable, AdminFieldMessagesAreKeptAsGiven) {
  auto f = domain::field_failure({{"opid", "unknown_opid", "OPID NOPE1 is not in the registry"},
                                  {"plan", "invalid", "plan must be free or standard"}});
  auto r = admin_failure(f);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(body_of(r),
            (json{{"errors",
                   {{{"field", "opid"}, {"code", "unknown_opid"}, {"message", "OPID NOPE1 is not in the registry"}},
                    {{"field", "plan"}, {"code", "invalid"}, {"message", "plan must be free or standard"}}}}}));
}

TEST(ErrorTable, AdminUsesTheDetailElseEnglishCatalogue) {
  auto with = body_of(admin_failure(domain::fail(error_code::not_found, "no account NOSUCH0000")));
  EXPECT_EQ(with, (json{{"error", {{"code", "not_found"}, {"message", "no account NOSUCH0000"}}}}));
  auto without = body_of(admin_failure(domain::fail(error_code::not_found)));
  EXPECT_EQ(without["error"]["message"], domain::error_message("not_found", lang::en));
  // Codes without a catalogue text get the generic English sentence, never Japanese.
  auto timeout = body_of(admin_failure(domain::fail(error_code::timeout)));
  EXPECT_EQ(timeout["error"]["code"], "timeout");
  EXPECT_EQ(timeout["error"]["message"], domain::error_message("timeout", lang::en));
}

TEST(ErrorTable, InvalidParameterNamesTheField) {
  auto f = domain::fail(error_code::invalid_parameter, "hours '9-9' is not a time band");
  f.field = "hours";
  auto expected = json{
      {"error", {{"code", "invalid_parameter"}, {"field", "hours"}, {"message", "hours '9-9' is not a time band"}}}};
  auto admin = admin_failure(f);
  EXPECT_EQ(admin.status, 400);
  EXPECT_EQ(body_of(admin), expected);
  // The customer gets the same code and field (docs/api.md: same status and code as the admin route).
  auto customer = body_of(customer_failure(f, lang::ja));
  EXPECT_EQ(customer["error"]["code"], "invalid_parameter");
  EXPECT_EQ(customer["error"]["field"], "hours");
}

TEST(ErrorTable, CdrHeaderCarriesTheReason) {
  auto f = domain::fail(error_code::cdr_header, "the CSV header has an unknown column 'c-1'");
  f.field = "unknown_column";
  auto r = admin_failure(f);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_of(r), (json{{"error",
                               {{"code", "header"},
                                {"reason", "unknown_column"},
                                {"message", "the CSV header has an unknown column 'c-1'"}}}}));
}

TEST(ErrorTable, EveryFailureAnsweredIsCountedByItsCode) {
  auto& storage = metrics::global().get_counter("cxs_failures_total", {{"code", "storage"}});
  auto& expired = metrics::global().get_counter("cxs_failures_total", {{"code", "expired"}});
  auto storage_before = storage.value.load();
  auto expired_before = expired.value.load();
  customer_failure(domain::fail(error_code::storage), domain::lang::ja);
  admin_failure(domain::fail(error_code::storage, "the change could not be stored"));
  customer_failure(domain::fail(error_code::reset_link_expired), domain::lang::en);
  EXPECT_EQ(storage.value.load(), storage_before + 2);
  EXPECT_EQ(expired.value.load(), expired_before + 1) << "labels are the wire codes: a fixed set";
}

TEST(ErrorTable, InvalidRegistryListsEveryError) {
  auto f = domain::fail(error_code::invalid_registry);
  f.registry_errors = {{"opids[0].opid", "BAD!", "invalid", "OPID must be 1–16 letters or digits"},
                       {"opids[1].ans[0].an", "OTHER9", "duplicate", "AN 0120111222 already belongs to OPID DEMO0001"}};
  auto r = admin_failure(f);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(body_of(r), (json{{"errors",
                               {{{"field", "opids[0].opid"},
                                 {"opid", "BAD!"},
                                 {"code", "invalid"},
                                 {"message", "OPID must be 1–16 letters or digits"}},
                                {{"field", "opids[1].ans[0].an"},
                                 {"opid", "OTHER9"},
                                 {"code", "duplicate"},
                                 {"message", "AN 0120111222 already belongs to OPID DEMO0001"}}}}}));
}

TEST(ErrorTable, CustomerErrorUsesTheCatalogue) {
  for (auto l : {lang::ja, lang::en}) {
    auto r = customer_error(429, "rate_limited", l);
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(body_of(r),
              (json{{"error", {{"code", "rate_limited"}, {"message", domain::error_message("rate_limited", l)}}}}));
  }
}

}  // namespace
}  // namespace cxs::http
