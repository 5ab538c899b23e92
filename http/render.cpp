#include "http/render.hpp"

#include "domain/time.hpp"
#include "metrics/metrics.hpp"

namespace cxs::http {

nlohmann::json account_json(const actors::account_summary& a) {
  return domain::to_public_json(*a.account, a.current_ans);
}

reply account_reply(const actors::account_summary& a, int status) { return json_reply(status, account_json(a)); }

reply plan_reply(const actors::account_summary& a) {
  auto& account = *a.account;
  nlohmann::json j{{"plan", account.plan}};
  if (account.plan == "standard") {
    j["billing_an"] = account.billing_an;
    j["billing_phone"] = account.billing_phone;
  }
  return json_reply(200, j);
}

reply ingest_reply(const actors::ingest_summary& s) {
  auto list = nlohmann::json::array();
  for (std::size_t i = 0; i < s.errors.size() && i < max_listed_errors; ++i) {
    auto& e = s.errors[i];
    list.push_back({{"line", e.line}, {"field", e.field}, {"code", e.code}, {"message", e.message}});
  }
  nlohmann::json answer{{"accepted", s.accepted}, {"duplicates", s.duplicates},  {"unowned", s.unowned},
                        {"too_old", s.too_old},   {"rejected", s.errors.size()}, {"errors", list}};
  if (s.errors.size() > max_listed_errors) answer["errors_truncated"] = true;
  if (!s.incomplete) return json_reply(200, answer);
  // A degraded answer like the error table's storage failures, and counted with them.
  metrics::global().get_counter("cxs_failures_total", {{"code", "storage"}}).inc();
  // Some accounts' records are durable (counted above), the rest were not stored: say so.
  answer["error"] = {{"code", "storage"},
                     {"message",
                      "some records could not be stored; the counts show what was kept, send the "
                      "request again (duplicates are recognised)"}};
  return json_reply(503, answer);
}

reply signup_view_reply(const actors::signup_view& v) {
  return json_reply(200, {{"status", v.confirmed ? "confirmed" : "provisional"},
                          {"expires", domain::format_jst_iso(v.expires)},
                          {"application", domain::signup_summary_json(v.form)}});
}

reply document_reply(domain::analysis_document d) {
  reply r;
  if (d.csv) {
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(d.csv->body);
    r.filename = std::move(d.csv->filename);
    return r;
  }
  r.body = std::move(d.json);
  return r;
}

nlohmann::json certificates_json(const std::vector<domain::certificate_record>& list) {
  auto out = nlohmann::json::array();
  for (const auto& r : list)
    out.push_back({{"serial", r.serial},
                   {"not_before", domain::format_jst_iso(r.not_before)},
                   {"not_after", domain::format_jst_iso(r.not_after)},
                   {"revoked", r.revoked ? nlohmann::json(domain::format_jst_iso(*r.revoked)) : nlohmann::json()}});
  return out;
}

}  // namespace cxs::http
