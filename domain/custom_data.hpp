// Custom data (独自データ, SPEC §7, §15): named sets of month, day or hour points a standard
// account lays beside its call traffic.
//
// Decisions where the spec is silent (docs/api.md, "Custom data"):
// - A set's ID is 16 lower-case hex characters (64 random bits), like a group's.
// - `unit` may be empty or absent (a plain count); `points` may be empty (a set to fill later).
// - Points are kept sorted by time; two points at the same time are refused (`duplicate`), not
//   summed, so an upload that repeats a line is noticed.
// - A point's field errors name it by index, `points[3].t` / `points[3].value`; a set mixing
//   kinds is refused on the first point of another kind (`kind_mismatch`).
// - Points before the 24-month retention window are refused at write (`too_old`) and dropped
//   from what is kept by retention; the window is the basic one of the standard plan.
#pragma once

#include "domain/errors.hpp"
#include "domain/messages.hpp"
#include "domain/time.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cxs::domain {

inline constexpr std::size_t custom_name_max_length = 50;  // characters
inline constexpr std::size_t custom_unit_max_length = 20;  // characters
inline constexpr std::size_t custom_sets_max = 50;
inline constexpr std::size_t custom_points_max = 20000;
inline constexpr int custom_retention_months = 24;

enum class point_kind : uint8_t { month, day, hour };

// A point's time: the start of its month, day or hour, in JST.
struct point_time {
  point_kind kind = point_kind::day;
  civil_date date{1970, 1, 1};  // day 1 for a month
  int hour = 0;                 // 0 unless kind is hour
  auto operator<=>(const point_time&) const = default;
};
// "2026-11", "2026-11-01", "2026-11-01T09"; nullopt for anything else (a real date, hour 00–23).
std::optional<point_time> parse_point_time(std::string_view s);
std::string format_point_time(const point_time& t);

struct custom_point {
  point_time t;
  double value = 0;
};

struct custom_set {
  std::string id;
  std::string name;
  std::string unit;
  std::vector<custom_point> points;  // sorted by time, one kind
};

// "from_analysis": a copy of one figure of an analysis's series, under the analysis's filters
// (SPEC §15). The account runs the analysis and makes the points (points_from_answer).
struct analysis_copy {
  std::string name;    // traffic, compare, incomplete, calls-minutes, lines, …
  std::string figure;  // a number of each series row: calls, completed, talk_seconds, …
  std::vector<std::pair<std::string, std::string>> filters;  // as a query string gives them
};

// A POST or PUT body with points (or a copy to make them), after its own rules, before the
// account's.
struct custom_form {
  std::string name;
  std::string unit;
  std::vector<custom_point> points;  // in the order given
  std::optional<analysis_copy> from_analysis = std::nullopt;
};
// Every broken rule of the body, in field order.
std::variant<custom_form, std::vector<field_error>> parse_custom(const nlohmann::json& body, lang l);

// A create (no id) or a replace (id), as the account actor receives it.
struct custom_change {
  std::optional<std::string> id;
  custom_form form;
  lang language = lang::ja;
};

// A set as GET /api/custom lists it: its points counted, not copied.
struct custom_summary {
  std::string id, name, unit;
  std::size_t points = 0;
  std::optional<point_time> first, last;
};

// The points of a copy from an analysis's JSON answer: one per series row whose `t` is a month,
// day or hour and whose `figure` is a number (a row without it, e.g. a null rate, gives none).
// Errors name the field of the body: from_analysis.figure (the rows have no such number, or the
// analysis has no series), from_analysis.filters (minute buckets, which no set can hold).
std::variant<std::vector<custom_point>, std::vector<field_error>> points_from_answer(const analysis_copy& copy,
                                                                                     std::string_view answer_json,
                                                                                     lang l);

// The body's field an analysis's failure to answer a copy belongs to: from_analysis.name when
// there is no such analysis, else from_analysis.filters, its message ending with the reason (in
// Japanese, the parameter's name alone: the analysis's reasons are English).
field_error copy_error(bool analysis_known, const failure& f, lang l);

// The set a checked change makes: its points sorted by time.
custom_set make_custom_set(std::string id, custom_form form);

// The account's sets. Points are kept in memory: at most 50 × 20,000 per account.
class custom_book {
 public:
  const custom_set* find(std::string_view id) const;
  // Sorted by name (then ID), as GET /api/custom lists them.
  std::vector<custom_summary> listed() const;
  // The account's rules: the name unique among the other sets, at most 50 sets, no point before
  // the retention window that `today` (JST) places.
  std::vector<field_error> check(const custom_change& change, civil_date today) const;
  void put(custom_set s);  // adds, or replaces the set with s's ID
  bool erase(std::string_view id);
  // Retention: drops the points before `first_day`; returns the IDs of the sets that changed.
  std::vector<std::string> drop_before(civil_date first_day);
  void clear() { sets_.clear(); }
  std::size_t size() const { return sets_.size(); }

 private:
  std::vector<custom_set> sets_;
};

// {"id","name","unit","points":[{"t","value"}]} and the list {"sets":[{"id","name","unit",
// "points":n,"first","last"}]} (first/last null for a set without points).
nlohmann::json custom_set_json(const custom_set& s);
nlohmann::json custom_list_json(const std::vector<custom_summary>& sets);

// One set laid on an analysis's series (SPEC §15): `labels` are the series' `t` in order, of one
// granularity as the analyses write them (2026-11, 2026-11-01, 2026-11-01T09, 2026-11-01T09:05).
// A bucket gets the sum of the set's points inside it; a point of a coarser kind than the buckets
// goes only to the bucket that starts its period; nullopt where none.
std::vector<std::optional<double>> overlay(const custom_set& set, const std::vector<std::string>& labels);
// {"id","name","unit","series":[{"t","value"}]} on those labels.
nlohmann::json overlay_json(const custom_set& set, const std::vector<std::string>& labels);

// The stored value of a set (column family `custom`): {"name","unit","points":[[t,value],…]}.
std::string custom_to_storage(const custom_set& s);
std::optional<custom_set> custom_from_storage(std::string id, std::string_view value);

}  // namespace cxs::domain
