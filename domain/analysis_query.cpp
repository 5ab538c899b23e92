#include "domain/analysis_query.hpp"

#include <algorithm>
#include <array>

namespace cxs::domain {

analysis_tier tier_of(std::string_view name) {
  static constexpr std::array<std::string_view, 3> basic = {"traffic", "compare", "incomplete"};
  static constexpr std::array<std::string_view, 8> detailed = {
      "origin", "destination", "origin-destination", "numbers", "calls-minutes", "callers", "lines", "distribution"};
  if (std::find(basic.begin(), basic.end(), name) != basic.end()) return analysis_tier::basic;
  if (std::find(detailed.begin(), detailed.end(), name) != detailed.end()) return analysis_tier::detailed;
  return analysis_tier::unknown;
}

expected<analysis_document> answer_analysis(const analysis_request& q, const analysis_subject& s) {
  switch (tier_of(q.name)) {
    case analysis_tier::unknown: return fail(error_code::not_found, "no analysis named '" + q.name + "'");
    case analysis_tier::detailed:
      if (s.record.plan != "standard") return fail(error_code::plan_required, "this analysis needs the standard plan");
      return fail(error_code::not_implemented, "detailed analyses are not served yet");
    case analysis_tier::basic: break;
  }
  auto months = basic_retention_months(s.record.plan);
  auto parsed = parse_filters(q.params, s.today, months);
  if (auto* e = std::get_if<param_error>(&parsed)) {
    auto f = fail(error_code::invalid_parameter, e->message);
    f.field = e->field;
    return f;
  }
  auto& f = std::get<filters>(parsed);
  for (auto* list : {&f.ans, &f.b_ans})
    for (auto& an : *list)
      if (std::find(s.current_ans.begin(), s.current_ans.end(), an) == s.current_ans.end())
        return fail(error_code::not_found, "AN " + an + " is not a number of this account");
  if (f.gran == granularity::minute) {
    auto e = fail(error_code::invalid_parameter, "minute buckets are a detailed analysis (calls-minutes)");
    e.field = "granularity";
    return e;
  }
  account_view view{s.record.an_order, months, s.record.registered};
  analysis_document doc;
  if (q.name == "traffic" && !f.csv) {  // the dashboard's hot path: no JSON tree
    doc.json = traffic_text(s.rollup, view, f);
    return doc;
  }
  nlohmann::json answer = q.name == "traffic"   ? traffic(s.rollup, view, f)
                          : q.name == "compare" ? compare(s.rollup, view, f)
                                                : incomplete(s.rollup, view, f);
  if (f.csv)
    doc.csv = to_csv(q.name, answer);
  else
    doc.json = answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return doc;
}

}  // namespace cxs::domain
