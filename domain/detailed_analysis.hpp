// The eight detailed analyses (SPEC §7 detailed 01–08, §14 "Answers", §15 "Detailed data"),
// answered from an account's detail_table. Pure: the account actor passes its table and the
// parsed filters; every figure is computed here and nowhere else.
//
//   origin / destination — {"rows":[{"pref","name","calls","completed"}]} by calls descending
//                          (ties by code), prefectures with calls only; totals {calls, completed}
//   origin-destination   — {"cells":[{"origin","destination","calls"}]} non-zero cells, by calls
//                          descending then codes; names under "names" ({"13":"東京都",…})
//   numbers              — {"rows":[{"an","calls","completed","completion_rate","talk_seconds",
//                          "mean_talk_seconds","busiest_hour"}]} one row per AN selected (every AN
//                          of the account when none is named), in the account's AN order
//   calls-minutes        — series {"t","calls","completed","talk_seconds","talk_minutes"} by
//                          minute (one day), hour or day; totals likewise
//   callers              — {"distinct_callers","withheld_calls","new_callers","returning_callers",
//                          "repeat":{"1","2","3","4-5","6-9","10+"}}
//   lines                — {"series":[{"t","peak","erlangs"}],"busy_hour","erlangs","gos",
//                          "recommended_lines","table":[{"lines","blocking"}]}
//   distribution         — {"heatmap":[168 cells],"talk_time":[7 buckets],"bands":[7 bands]}
//
// Every answer carries "filters" (the range applied, an, dn, weekday, hours, and granularity or
// gos where they apply). Decisions the spec leaves open are in docs/analyses.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/analysis.hpp"
#include "domain/detail_table.hpp"
#include "domain/filters.hpp"

namespace cxs::domain {

struct detail_view {
  const detail_table& table;
  const std::vector<std::string>& ans;  // the account's an_order: index = detail_record::an_index
  civil_date window_start;              // first day of detailed data kept (for new callers)
  bool english = false;                 // prefecture names in English (Accept-Language: en)
};

nlohmann::json origin(const detail_view& v, const filters& f);
nlohmann::json destination(const detail_view& v, const filters& f);
nlohmann::json origin_destination(const detail_view& v, const filters& f);
// The same answer as origin_destination(v, f).dump(), written directly: up to 2,304 cells are
// most of the work of the question when it is answered from the day summaries (a test checks
// that both agree).
std::string origin_destination_text(const detail_view& v, const filters& f);
nlohmann::json numbers(const detail_view& v, const filters& f);
// f.gran minute, hour or day (month is refused by the caller).
nlohmann::json calls_minutes(const detail_view& v, const filters& f);
nlohmann::json callers(const detail_view& v, const filters& f);
// gos: 0 < gos < 1, checked by the caller.
nlohmann::json lines(const detail_view& v, const filters& f, double gos);
nlohmann::json distribution(const detail_view& v, const filters& f);

// Answers `name` (a detailed analysis) from the table.
nlohmann::json detailed_answer(std::string_view name, const detail_view& v, const filters& f, double gos);

// CSV of a detailed answer (same conventions as to_csv: BOM, CRLF, one header row):
//   origin/destination: pref,name,calls,completed · origin-destination: origin,origin_name,
//   destination,destination_name,calls · numbers: the row fields · calls-minutes: t + figures ·
//   callers: figure,value (one row per figure and repeat bucket) · lines: t,peak,erlangs ·
//   distribution: table,key,calls (heatmap keys "mon 09", then talk_time, then bands).
csv_sheet detailed_sheet(std::string_view name, const nlohmann::json& answer);
csv_answer detailed_csv(std::string_view name, const nlohmann::json& answer,
                        std::optional<lang> headings = std::nullopt);

}  // namespace cxs::domain
