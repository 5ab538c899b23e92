// The filters every analysis takes (SPEC §7, §14 "Filters"), parsed from a query string.
//
// Decisions where the spec is silent:
// - Unknown parameters are ignored, and so are an_group and dn_group, which need the account's
//   groups (domain/groups.hpp applies them): a link with an extra parameter keeps working. `dn` is parsed here (digits,
//   hyphens allowed, 1–15 digits); whether the plan allows it and the DN is the account's is the caller's.
// - An empty value (`from=`) is the same as leaving the parameter out (HTML forms send them).
// - Single-valued parameters (from, to, hours, granularity, format, headers, b_from, b_to, gos, align) given twice
//   are an error naming the parameter; list parameters (an, b_an, dn, weekday) accept comma lists,
//   repetition, or both.
// - `to` later than today is cut to today, and `from` earlier than the retention window is raised
//   to its first day; the answer's `filters` show the range applied. A range that ends before the
//   retention window is an error on `to`.
// - Default range: `to` = today; `from` = the same day 3 months earlier for day/hour, the first
//   day of the retention window for month (answer_analysis then moves it to the registration
//   month when that is later, SPEC §19), and `to` itself for minute (which needs from = to).
// - The compare range B (b_from/b_to) is not cut: its buckets align with A's by offset.
// - `align` is `date` (the default) or `weekday`; only compare reads it (domain/analysis.hpp).
// - `headers` is `ja` or `en` (SPEC §19: the CSV for people, domain/csv_sheet.hpp); a JSON answer
//   ignores it, since it has no headings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "domain/messages.hpp"
#include "domain/time.hpp"

namespace cxs::domain {

enum class granularity { minute, hour, day, month };

// SPEC §19: an hourly series covers at most this many days (400 on `granularity` beyond; the
// pages switch to days instead). Without `from`, an hourly range is the 31 days ending at `to`.
inline constexpr int max_hourly_days = 31;
// compare's range B, which retention does not cut, spans at most this many days (400 on
// `b_from` beyond): a little more than the longest retention window, so every B that can hold
// data fits, and no request can ask for tens of thousands of empty buckets.
inline constexpr int max_compare_b_days = 800;
std::string_view granularity_name(granularity g);

struct filters {
  civil_date from, to;                       // JST dates, inclusive, after defaults and cuts
  std::vector<std::string> ans;              // digits, validated, de-duplicated; empty = every AN
  std::vector<std::string> dns;              // digits, de-duplicated; empty = every DN (standard plan)
  uint8_t weekday_mask = 0x7f;               // bit0 = Monday .. bit6 = Sunday
  std::optional<std::pair<int, int>> hours;  // [first, second) in hours, wraps when first > second
  granularity gran = granularity::day;
  bool csv = false;
  std::optional<lang> csv_headings;                    // headers=ja|en: the CSV for people
  std::optional<civil_date> b_from, b_to;              // compare range B as given
  std::vector<std::string> b_ans;                      // compare ANs for B; empty = same as `ans`
  std::string gos;                                     // raw, for the lines analysis
  bool align_weekday = false;                          // compare: B starts on A's weekday (align=weekday)
  bool from_given = false, granularity_given = false;  // for analyses with their own defaults
  // Set by apply_group_filters (domain/groups.hpp): the group IDs named, and whether the groups
  // left no AN (or no DN) to select — then every figure is zero, where an empty list means all.
  std::vector<std::string> an_groups, dn_groups;
  bool ans_none = false, dns_none = false;
};

struct param_error {
  std::string field;    // the query parameter
  std::string message;  // English, says what is wrong and what is accepted
};

// Decoded (key, value) pairs in order; a key may repeat.
using query_params = std::vector<std::pair<std::string, std::string>>;

// Does the query give `key` a non-empty value? (An empty value filters nothing.)
bool names_param(const query_params& params, std::string_view key);

// Appends the items of a comma list ("a,,b," gives a and b; spaces around items dropped).
void append_list_items(std::vector<std::string>& out, std::string_view value);

// Splits a raw query string (without '?') at '&' and '=', percent-decodes both sides and turns
// '+' into a space. Malformed escapes ("%zz", a trailing "%") are kept literally.
query_params parse_query(std::string_view raw_query);

// `kept_from`: the first day the analysis has data for, when later than the retention's (a
// detailed analysis's window, SPEC §15): a range reaching before it is cut there before the hourly
// limit is judged, so the limit counts the days the answer covers (SPEC §19). A range ending before
// it is left for the caller to refuse in its own words.
std::variant<filters, param_error> parse_filters(const query_params& params, civil_date today, int retention_months,
                                                 std::optional<civil_date> kept_from = std::nullopt);

// Does a call starting at this JST weekday (0 = Monday) and hour pass the weekday and hours filters?
bool hour_matches(const filters& f, int weekday, int hour);

// "mon".."sun".
std::string_view weekday_name(int weekday);

}  // namespace cxs::domain
