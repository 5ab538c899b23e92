// Basic analyses (SPEC §7 basic 01–04, §11, §13, §14 "Answers") answered from hourly rollups.
//
//   traffic     — per bucket calls, completed, incomplete, talk_seconds, completion_rate
//                 (basic 01 with granularity day/hour, basic 02 with granularity month)
//   compare     — range A against range B, bucket by bucket aligned by offset (basic 03)
//   incomplete  — incomplete calls by reason (basic 04)
//
// Answers are {"filters":{…},"series":[{"t":…,…}],"totals":{…}}. Series are dense: one bucket per
// hour/day/month of the range, zeros included. Weekday and hours filters select calls by their
// JST start hour; buckets they exclude stay in the series with zeros.
//
// With granularity minute (one day, SPEC §14) the rollup passed holds minute cells instead of
// hourly ones (domain/minute_cells.hpp: by_an(), or by_dn().cells() with by_dn = &by_dn()) of
// the day(s) asked for; the series then has 1,440 buckets a day, labelled 2026-11-01T09:05.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/csv_sheet.hpp"
#include "domain/dn_rollup.hpp"
#include "domain/filters.hpp"
#include "domain/rollup.hpp"
#include "domain/time.hpp"

namespace cxs::domain {

struct account_view {
  std::vector<std::string> ans;  // index = an_index in the rollup
  int retention_months;
  civil_date registered;
  // The per-DN pairs (standard plan). With a `dn` filter the rollup passed must be by_dn->cells():
  // cells are then selected by (AN, DN) pair, and the applied filters show `dn`.
  const dn_rollup* by_dn = nullptr;
};

// ANs of `filters.ans` that the account does not have are the caller's to refuse (404/400);
// here they simply contribute no calls.
nlohmann::json traffic(const traffic_rollup& rollup, const account_view& account, const filters& f);
// The same answer as traffic(), serialised directly: the dashboard's hot path builds no JSON tree
// (docs/performance.md). A test checks that both agree.
std::string traffic_text(const traffic_rollup& rollup, const account_view& account, const filters& f);

// B defaults to the range of A's length that ends the day before A starts; with only one of
// b_from/b_to given, the other is set so that B has A's length. b_an defaults to an. With
// align=weekday (day buckets only; 400 on `align` otherwise) B moves back 0–6 days to start on
// A's first weekday, keeping its length. B spans at most max_compare_b_days (400 on `b_from`),
// at most max_hourly_days by hour and one day by minute (400 on `granularity`).
// The series has one row per offset of the longer range (SPEC §19), labelled `t` by A and `t_b`
// by B (null on the side that has no bucket there). Each figure is {"a","b","diff","ratio"}:
// diff = a − b, ratio = a / b rounded to 4 decimals, null when b is 0; a side without a bucket is
// null, and so are diff and ratio. For completion_rate, a and b are the rounded rates (null
// without calls), diff is their difference and ratio is the ratio of the exact rates. `totals`
// compare the whole of A with the whole of B: the sums of the rows, side by side.
nlohmann::json compare(const traffic_rollup& rollup, const account_view& account, const filters& f);
// Range B of compare as the rules above make it from the filters (first and last day).
std::pair<civil_date, civil_date> compare_b_range(const filters& f);

// Per bucket and in totals: busy, no_answer, abandoned, out_of_hours, area_restricted,
// congestion, other, and incomplete (their sum).
nlohmann::json incomplete(const traffic_rollup& rollup, const account_view& account, const filters& f);

// CSV of an analysis answer (domain/csv_sheet.hpp): a header row `t,<figure names>` (compare:
// t, t_b, calls_a, calls_b, calls_diff, calls_ratio, …), one row per bucket, null as an empty cell.
// File name `<name>_<from>_<to>.csv`. headings: the people's form in that language (SPEC §19).
struct csv_answer {
  std::string filename;
  std::string body;
};
csv_sheet analysis_sheet(std::string_view analysis_name, const nlohmann::json& answer);
csv_answer to_csv(std::string_view analysis_name, const nlohmann::json& answer,
                  std::optional<lang> headings = std::nullopt);
// `<name>_<from>_<to>.csv` from the answer's filters.
std::string csv_file_name(std::string_view analysis_name, const nlohmann::json& answer);
// The filters every analysis answer shows as applied: from, to, an (every AN of the account when
// none was named), weekday, hours. Each analysis adds its own (granularity, dn, gos…).
nlohmann::json applied_filters_json(const filters& f, const std::vector<std::string>& all_ans);

// completed / calls as a fraction rounded half-up to 4 decimals, null when calls is 0.
nlohmann::json completion_rate(uint64_t completed, uint64_t calls);
// a / b rounded half-up to 4 decimals, null when b is 0.
nlohmann::json ratio(uint64_t a, uint64_t b);

}  // namespace cxs::domain
