#include "domain/analysis_query.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "domain/detailed_analysis.hpp"

namespace cxs::domain {
namespace {

failure invalid(std::string field, std::string message) {
  auto e = fail(error_code::invalid_parameter, std::move(message));
  e.field = std::move(field);
  return e;
}

// The `gos` of the lines analysis: a number strictly between 0 and 1, default 0.01.
expected<double> parse_gos(const std::string& raw) {
  if (raw.empty()) return 0.01;
  double v = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || end != raw.data() + raw.size() || !(v > 0 && v < 1))
    return invalid("gos", "gos must be a number between 0 and 1 (exclusive), e.g. 0.01 for 1 % blocking");
  return v;
}

// Every AN and DN named must be the account's: another account's number is not found (SPEC §4).
std::optional<failure> check_numbers(const filters& f, const opid_numbers& current) {
  for (auto* list : {&f.ans, &f.b_ans})
    for (auto& an : *list)
      if (std::find(current.ans.begin(), current.ans.end(), an) == current.ans.end())
        return fail(error_code::not_found, "AN " + an + " is not a number of this account");
  for (auto& dn : f.dns)
    if (std::find(current.dns.begin(), current.dns.end(), dn) == current.dns.end())
      return fail(error_code::not_found, "DN " + dn + " is not a number of this account");
  return std::nullopt;
}

expected<analysis_document> detailed(const analysis_request& q, const analysis_subject& s, filters& f) {
  const civil_date window = detailed_window_start(s.record, s.today);
  if (f.to < window)
    return invalid("to",
                   "to " + format_date(f.to) + " is before the detailed data kept (from " + format_date(window) + ")");
  // Detailed analyses default to the whole detailed window, and cut a range reaching before it.
  if (!f.from_given && f.gran != granularity::minute) f.from = window;
  f.from = std::max(f.from, window);
  double gos = 0.01;
  if (q.name == "lines") {
    auto parsed = parse_gos(f.gos);
    if (!parsed) return parsed.error();
    gos = parsed.value();
  }
  if (q.name == "calls-minutes") {
    if (f.gran == granularity::month)
      return invalid("granularity", "calls-minutes takes granularity minute (one day), hour or day");
    if (!f.granularity_given)
      f.gran = days_from_civil(f.to) - days_from_civil(f.from) < 7 ? granularity::hour : granularity::day;
  }
  if (!s.details) return fail(error_code::internal, "detailed data not loaded");
  const detail_view view{*s.details, s.record.an_order, window, q.english};
  analysis_document doc;
  if (q.name == "origin-destination" && !f.csv) {  // its cells written directly, no JSON tree
    doc.json = origin_destination_text(view, f);
    return doc;
  }
  const nlohmann::json answer = detailed_answer(q.name, view, f, gos);
  if (f.csv)
    doc.csv = detailed_csv(q.name, answer);
  else
    doc.json = answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return doc;
}

}  // namespace

analysis_tier tier_of(std::string_view name) {
  static constexpr std::array<std::string_view, 3> basic = {"traffic", "compare", "incomplete"};
  static constexpr std::array<std::string_view, 8> detailed = {
      "origin", "destination", "origin-destination", "numbers", "calls-minutes", "callers", "lines", "distribution"};
  if (std::find(basic.begin(), basic.end(), name) != basic.end()) return analysis_tier::basic;
  if (std::find(detailed.begin(), detailed.end(), name) != detailed.end()) return analysis_tier::detailed;
  return analysis_tier::unknown;
}

expected<analysis_document> answer_analysis(const analysis_request& q, const analysis_subject& s) {
  const analysis_tier tier = tier_of(q.name);
  if (tier == analysis_tier::unknown) return fail(error_code::not_found, "no analysis named '" + q.name + "'");
  const bool standard = s.record.plan == "standard";
  if (tier == analysis_tier::detailed && !standard)
    return fail(error_code::plan_required, "this analysis needs the standard plan");
  const int months =
      tier == analysis_tier::detailed ? detailed_retention_months : basic_retention_months(s.record.plan);
  auto parsed = parse_filters(q.params, s.today, months);
  if (auto* e = std::get_if<param_error>(&parsed)) return invalid(e->field, e->message);
  auto& f = std::get<filters>(parsed);
  if (!f.dns.empty() && !standard) return fail(error_code::plan_required, "the dn filter needs the standard plan");
  const bool grouped = names_group_filter(q.params);
  if (grouped && !standard) return fail(error_code::plan_required, "group filters need the standard plan");
  if (auto e = check_numbers(f, s.current)) return *e;
  if (grouped) {
    static const group_book no_groups;
    if (auto e = apply_group_filters(q.params, s.groups ? *s.groups : no_groups, s.current, f))
      return invalid(e->field, e->message);
  }
  if (tier == analysis_tier::detailed) return detailed(q, s, f);

  if (f.gran == granularity::minute)
    return invalid("granularity", "minute buckets are a detailed analysis (calls-minutes)");
  // With a dn filter the cells are the per-DN ones (calls per AN and DN).
  const bool by_dn = !f.dns.empty() || f.dns_none;
  if (by_dn && !s.by_dn) return fail(error_code::internal, "per-DN rollups not loaded");
  const traffic_rollup& rollup = by_dn ? s.by_dn->cells() : s.rollup;
  account_view view{s.record.an_order, months, s.record.registered, s.by_dn};
  analysis_document doc;
  if (q.name == "traffic" && !f.csv) {  // the dashboard's hot path: no JSON tree
    doc.json = traffic_text(rollup, view, f);
    return doc;
  }
  nlohmann::json answer = q.name == "traffic"   ? traffic(rollup, view, f)
                          : q.name == "compare" ? compare(rollup, view, f)
                                                : incomplete(rollup, view, f);
  if (f.csv)
    doc.csv = to_csv(q.name, answer);
  else
    doc.json = answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return doc;
}

}  // namespace cxs::domain
