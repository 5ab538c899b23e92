#include "domain/analysis_query.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "domain/detailed_analysis.hpp"

namespace cxs::domain {
namespace {

failure invalid(std::string field, std::string message) {
  return parameter_failure(std::move(field), std::move(message));
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

// The custom data sets named by `custom` (comma lists, repetition; each once, in order), or the
// parameter's error for an ID the account does not have.
std::variant<std::vector<const custom_set*>, param_error> custom_sets_named(const query_params& params,
                                                                            const custom_book* book) {
  std::vector<std::string> ids;
  for (const auto& [key, value] : params)
    if (key == "custom") append_list_items(ids, value);
  std::vector<const custom_set*> sets;
  for (const std::string& id : ids) {
    const custom_set* set = book ? book->find(id) : nullptr;
    if (!set) return param_error{"custom", "no custom data set of this account has the ID " + id};
    if (std::find(sets.begin(), sets.end(), set) == sets.end()) sets.push_back(set);
  }
  return sets;
}

// Lays the sets on the answer's series (SPEC §15): "custom":[{"id","name","unit","series"}]. An
// analysis without a time series (a ranking, a matrix) answers each set with an empty series.
void add_custom(nlohmann::json& answer, const std::vector<const custom_set*>& sets) {
  std::vector<std::string> labels;
  if (answer.contains("series") && answer["series"].is_array())
    for (const auto& row : answer["series"])
      if (row.contains("t") && row["t"].is_string()) labels.push_back(row["t"].get<std::string>());
  nlohmann::json overlays = nlohmann::json::array();
  for (const custom_set* set : sets) overlays.push_back(overlay_json(*set, labels));
  answer["custom"] = std::move(overlays);
}

// The CSV of a series-by-row analysis with one more column per set, named by the set.
void add_custom_columns(csv_sheet& sheet, const nlohmann::json& answer) {
  for (const auto& set : answer["custom"]) {
    sheet.columns.push_back({set["name"].is_string() ? set["name"].get<std::string>() : std::string(), true});
    const auto& series = set["series"];
    for (std::size_t row = 0; row < sheet.rows.size(); ++row)
      sheet.rows[row].push_back(row < series.size() ? series[row]["value"] : nlohmann::json(nullptr));
  }
}

// Analyses whose CSV is one row per bucket of their series, after one header line.
bool csv_rows_are_series(std::string_view name) {
  return name == "traffic" || name == "compare" || name == "incomplete" || name == "calls-minutes" || name == "lines";
}

expected<analysis_document> detailed(const analysis_request& q, const analysis_subject& s, filters& f,
                                     const std::vector<const custom_set*>& sets) {
  const civil_date window = detailed_window_start(s.record, s.today);
  if (f.to < window)
    return invalid("to",
                   "to " + format_date(f.to) + " is before the detailed data kept (from " + format_date(window) + ")");
  // Detailed analyses default to the whole detailed window (by hour: the 31 days parse_filters
  // gave, SPEC §19), and cut a range reaching before it.
  if (!f.from_given && f.gran != granularity::minute && f.gran != granularity::hour) f.from = window;
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
  if (q.name == "origin-destination" && !f.csv && sets.empty()) {  // its cells written directly, no JSON tree
    doc.json = origin_destination_text(view, f);
    return doc;
  }
  nlohmann::json answer = detailed_answer(q.name, view, f, gos);
  if (!sets.empty()) add_custom(answer, sets);
  if (f.csv) {
    auto sheet = detailed_sheet(q.name, answer);
    if (!sets.empty() && csv_rows_are_series(q.name)) add_custom_columns(sheet, answer);
    doc.csv = csv_answer{csv_file_name(q.name, answer), write_csv(sheet, f.csv_headings)};
  } else {
    doc.json = answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
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
  // SPEC §15: a free account's standard-only filters answer 403 before any value is looked at.
  const bool grouped = names_group_filter(q.params);
  const bool overlaid = names_param(q.params, "custom");
  if (!standard) {
    if (names_param(q.params, "dn")) return fail(error_code::plan_required, "the dn filter needs the standard plan");
    if (grouped) return fail(error_code::plan_required, "group filters need the standard plan");
    if (overlaid) return fail(error_code::plan_required, "custom data needs the standard plan");
  }
  const int months =
      tier == analysis_tier::detailed ? detailed_retention_months : basic_retention_months(s.record.plan);
  const auto kept_from =
      tier == analysis_tier::detailed ? std::optional(detailed_window_start(s.record, s.today)) : std::nullopt;
  auto parsed = parse_filters(q.params, s.today, months, kept_from);
  if (auto* e = std::get_if<param_error>(&parsed)) return invalid(e->field, e->message);
  auto& f = std::get<filters>(parsed);
  if (auto e = check_numbers(f, s.current)) return *e;
  if (grouped) {
    static const group_book no_groups;
    if (auto e = apply_group_filters(q.params, s.groups ? *s.groups : no_groups, s.current, f))
      return invalid(e->field, e->message);
  }
  if (s.only_ans && f.ans.empty() && !f.ans_none) {
    f.ans = *s.only_ans;
    f.ans_none = f.ans.empty();
  }
  auto named = custom_sets_named(q.params, s.customs);
  if (auto* e = std::get_if<param_error>(&named)) return invalid(e->field, e->message);
  const auto& sets = std::get<std::vector<const custom_set*>>(named);
  if (tier == analysis_tier::detailed) return detailed(q, s, f, sets);

  // With a dn filter the cells are the per-DN ones (calls per AN and DN).
  const bool by_dn = !f.dns.empty() || f.dns_none;
  std::optional<minute_cells> minutes;  // granularity minute: the cells of the days asked for
  if (f.gran == granularity::minute) {
    std::vector<civil_date> days{f.from};
    if (q.name == "compare") {
      // A longer range B is compare's to refuse; a one-day B is read beside A, unless it is after
      // today (B is not cut to the retention: a day far ahead holds nothing, and is not read).
      const auto [b_from, b_to] = compare_b_range(f);
      if (b_from == b_to && b_from != f.from && b_from <= s.today) days.push_back(b_from);
    }
    for (const civil_date day : days)
      if (day < s.minutes_since)
        return invalid("granularity", "minute figures are kept from " + format_date(s.minutes_since) + "; ask for " +
                                          format_date(day) + " by hour");
    if (!s.minutes) return fail(error_code::internal, "minute figures not available");
    auto read = s.minutes(days, by_dn);
    if (!read) return read.error();
    minutes = std::move(read.value());
  }
  // The annual view (month buckets, no from) starts at the registration month when that is inside
  // the retention window (SPEC §19): months before the account existed hold nothing.
  if (f.gran == granularity::month && !f.from_given) {
    const civil_date first_month{s.record.registered.year, s.record.registered.month, 1};
    if (first_month > f.from && first_month <= f.to) f.from = first_month;
  }
  if (by_dn && !s.by_dn) return fail(error_code::internal, "per-DN rollups not loaded");
  const dn_rollup* dn_cells = minutes ? &minutes->by_dn() : s.by_dn;
  const traffic_rollup& rollup = by_dn ? dn_cells->cells() : minutes ? minutes->by_an() : s.rollup;
  account_view view{s.record.an_order, months, s.record.registered, dn_cells};
  analysis_document doc;
  if (q.name == "traffic" && !f.csv && sets.empty()) {  // the dashboard's hot path: no JSON tree
    doc.json = traffic_text(rollup, view, f);
    return doc;
  }
  nlohmann::json answer = q.name == "traffic"   ? traffic(rollup, view, f)
                          : q.name == "compare" ? compare(rollup, view, f)
                                                : incomplete(rollup, view, f);
  // compare refuses a range B it cannot answer (align, its length) in the answer itself.
  if (const auto refused = answer.find("error"); refused != answer.end())
    return invalid(refused->value("field", std::string()), refused->value("message", std::string()));
  if (!sets.empty()) add_custom(answer, sets);
  if (f.csv) {
    auto sheet = analysis_sheet(q.name, answer);
    if (!sets.empty()) add_custom_columns(sheet, answer);
    doc.csv = csv_answer{csv_file_name(q.name, answer), write_csv(sheet, f.csv_headings)};
  } else {
    doc.json = answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return doc;
}

}  // namespace cxs::domain
