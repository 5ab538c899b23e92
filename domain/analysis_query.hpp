#pragma once
// One analysis request against one account (SPEC §6, §7, §11): which analysis it names, whether
// the account's plan has it, its filters, and the answer from the account's hourly rollups as a
// ready JSON document or CSV file. The account actor calls this on the rollups it owns.

#include "domain/account.hpp"
#include "domain/analysis.hpp"
#include "domain/custom_data.hpp"
#include "domain/detail_table.hpp"
#include "domain/errors.hpp"
#include "domain/filters.hpp"
#include "domain/groups.hpp"
#include "domain/minute_cells.hpp"
#include "domain/registry.hpp"
#include "domain/rollup.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxs::domain {

struct analysis_request {
  std::string name;      // traffic, compare, incomplete, or a detailed analysis
  query_params params;   // the filters as the query string gave them
  bool english = false;  // names (prefectures) in English: Accept-Language prefers en
  // A child ID's an_groups (SPEC §15): only the ANs of those groups are seen; empty = every AN.
  std::vector<std::string> an_group_limit = {};
};

// An answer: a JSON document, or (format=csv) a CSV file.
struct analysis_document {
  std::string json;
  std::optional<csv_answer> csv;
};

enum class analysis_tier { unknown, basic, detailed };
analysis_tier tier_of(std::string_view name);

struct analysis_subject {
  const traffic_rollup& rollup;
  const account& record;
  const opid_numbers& current;  // the OPID's ANs and DNs in the registry now
  civil_date today;
  // The detailed data of a standard account, loaded by the caller when tier_of(name) is detailed;
  // null otherwise.
  const detail_table* details = nullptr;
  // The per-DN rollups of a standard account (the dn filter on basic analyses); null on free.
  const dn_rollup* by_dn = nullptr;
  // The account's AN and DN groups (the an_group and dn_group filters); null = none defined.
  const group_book* groups = nullptr;
  // The account's custom data sets (the `custom` overlay); null = none.
  const custom_book* customs = nullptr;
  // A limited child ID's ANs (SPEC §15); `current` then holds only them and their DNs. Null = no
  // limit. An analysis without `an` counts these ANs only.
  const std::vector<std::string>* only_ans = nullptr;
  // granularity=minute on a basic analysis (SPEC §14): reads the minute cells of the days named
  // (one, or compare's two, none after today) from the caller's storage, the per-DN ones only when
  // by_dn; empty = not available (the answer is an internal failure). Days before minutes_since
  // (the first day the service kept them for) are refused, never answered as zeros.
  std::function<expected<minute_cells>(const std::vector<civil_date>& days, bool by_dn)> minutes = {};
  civil_date minutes_since{};
};

// Errors: not_found (no such analysis; an AN or DN not of this account), plan_required
// (a detailed analysis, the dn filter, a group filter or `custom` on the free plan),
// invalid_parameter (with the parameter; an unknown group or custom data set ID too).
expected<analysis_document> answer_analysis(const analysis_request& q, const analysis_subject& s);

}  // namespace cxs::domain
