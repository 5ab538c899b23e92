#pragma once
// The wire form of the actors' results (SPEC §11, §14 "Answers"): JSON documents, CSV files and
// their statuses. The analyses render themselves in domain/ (the fast traffic writer); this file
// only chooses how their document is sent.

#include "actors/results.hpp"
#include "domain/analysis_query.hpp"
#include "http/reply.hpp"

namespace cxs::http {

// The account as GET /admin/accounts/{id} and GET /api/me show it (never the password hash).
nlohmann::json account_json(const actors::account_summary& a);
reply account_reply(const actors::account_summary& a, int status = 200);
// GET /api/plan: the plan, and the billing number with the standard plan.
reply plan_reply(const actors::account_summary& a);
// The ingest counts and the rejected lines (at most max_listed_errors of them; the counts stay
// exact); 503 when some accounts' records could not be stored.
reply ingest_reply(const actors::ingest_summary& s);
constexpr std::size_t max_listed_errors = 10000;
reply signup_view_reply(const actors::signup_view& v);
reply document_reply(domain::analysis_document d);
// Client certificates as the operators and the download site list them (SPEC §16): [{"serial",
// "not_before","not_after","revoked"}], times in JST ISO 8601, revoked null while one stands.
nlohmann::json certificates_json(const std::vector<domain::certificate_record>& list);

}  // namespace cxs::http
