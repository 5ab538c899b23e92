// Fuzz target: the query string of the analytics routes (GET /api/analytics/{name} and
// /admin/accounts/{id}/analytics/{name}): domain::parse_query, parse_filters and answer_analysis
// against a small fixed account, as the account actor answers it.
//
// Input: the first byte picks the analysis name (basic and detailed) and the plan, the rest is the
// raw query string (without '?'). Checks beyond the sanitizers: the filters applied lie in the retention window and
// end by today; every JSON answer parses; the dashboard's hand-written traffic JSON says exactly
// what traffic() says; a refusal names its parameter.

#include "domain/analysis_query.hpp"
#include "domain/detail_table.hpp"
#include "domain/dn_rollup.hpp"
#include "domain/numbers.hpp"
#include "fuzz/fuzz_support.hpp"

#include <array>

namespace {
using namespace cxs;

// The account's calls: a few an hour apart, spread over 26 months up to today, on three ANs and
// two DNs by turns (every third call reached none): f(hour, an_index, dn, result, seconds).
template <class F>
void each_call(F&& f) {
  const int64_t last = fuzz::now_unix / 3600;
  for (int64_t i = 0; i < 26 * 31; ++i) {
    const auto result = static_cast<domain::call_result>(i % domain::call_result_count);
    f(last - i * 24 - (i % 24), static_cast<uint16_t>(i % 3),
      i % 3 == 0 ? ""
      : i % 2    ? "0312345678"
                 : "0612345678",
      result, result == domain::call_result::completed ? 60u : 0u);
  }
}

// Their rollups per AN (some hours with a busy call to a second AN), built once and only read.
const domain::traffic_rollup& rollup() {
  static const domain::traffic_rollup r = [] {
    domain::traffic_rollup out;
    each_call([&](int64_t hour, uint16_t an, const char*, domain::call_result result, uint32_t seconds) {
      out.add(hour, an, result, seconds);
      if (hour % 5 == 0) out.add(hour, static_cast<uint16_t>((an + 1) % 3), domain::call_result::busy, 0);
    });
    out.shrink();
    return out;
  }();
  return r;
}

// Their per-DN rollups.
const domain::dn_rollup& by_dn() {
  static const domain::dn_rollup r = [] {
    domain::dn_rollup out;
    each_call([&](int64_t hour, uint16_t an, const char* dn, domain::call_result result, uint32_t seconds) {
      if (auto cell = out.index_of(an, dn)) out.cells().add(hour, *cell, result, seconds);
    });
    return out;
  }();
  return r;
}

// The account's detailed data: calls every 37 minutes over the last 100 days (some withheld, some
// crossing midnight, every result), on the three ANs and two DNs.
const domain::detail_table& details() {
  static const domain::detail_table t = [] {
    domain::detail_table out;
    for (int64_t i = 0; i < 100 * 24 * 60 / 37; ++i) {
      const int64_t start = fuzz::now_unix - i * 37 * 60;
      const auto result = static_cast<domain::call_result>(i % domain::call_result_count);
      const std::string caller = i % 7 == 0 ? std::string() : std::string(15, 'c') + static_cast<char>('a' + i % 23);
      out.add(start, result == domain::call_result::completed ? static_cast<uint32_t>(30 + i % 4000) : 0, caller,
              static_cast<uint16_t>(i % 3), i % 2 ? "0312345678" : "0612345678", static_cast<uint8_t>(i % 48),
              static_cast<uint8_t>((i * 5) % 48), result);
    }
    out.sort();
    return out;
  }();
  return t;
}

// The calls of some days by minute (granularity=minute): every 7 minutes of each day, on the
// three ANs and two DNs by turns, as the account actor reads them from its minute blocks.
domain::minute_cells minutes_of(const std::vector<domain::civil_date>& days) {
  domain::minute_cells out;
  for (const auto day : days) {
    const int64_t first = domain::jst_day_start(day) / 60;
    for (int64_t m = 0; m < 24 * 60; m += 7) {
      const auto result = static_cast<domain::call_result>(m % domain::call_result_count);
      const auto an = static_cast<uint16_t>(m % 3);
      const uint32_t seconds = result == domain::call_result::completed ? 45u : 0u;
      out.add(first + m, an, result, seconds);
      out.add_by_dn(first + m, an, m % 2 ? "0312345678" : "0612345678", result, seconds);
    }
  }
  return out;
}

domain::account account_on(const std::string& plan) {
  domain::account a;
  a.id = "Abcde12345";
  a.opid = "DEMO0001";
  a.plan = plan;
  a.auth_method = "otp";
  a.registered = domain::add_months(fuzz::today, -30);
  a.an_order = {"0120111222", "0120333444", "0570555666"};
  if (plan == "standard") a.detailed_since = a.registered;
  return a;
}

constexpr std::array<const char*, 12> names{
    "traffic", "compare",       "incomplete", "origin", "destination",  "origin-destination",
    "numbers", "calls-minutes", "callers",    "lines",  "distribution", "nosuch"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string name = names[data[0] % names.size()];
  const std::string plan = (data[0] / names.size()) % 2 ? "standard" : "free";
  const std::string_view raw(reinterpret_cast<const char*>(data + 1), size - 1);

  const auto params = domain::parse_query(raw);
  const int months = domain::basic_retention_months(plan);
  const auto parsed = domain::parse_filters(params, fuzz::today, months);
  if (auto* f = std::get_if<domain::filters>(&parsed)) {
    fuzz::check(f->from <= f->to, "from after to");
    fuzz::check(f->to <= fuzz::today, "to after today");
    fuzz::check(f->from >= domain::retention_start(fuzz::today, months), "from before the retention window");
    for (const auto& an : f->ans) fuzz::check(domain::is_valid_an(an), "an not an AN", an);
    for (const auto& an : f->b_ans) fuzz::check(domain::is_valid_an(an), "b_an not an AN", an);
  } else {
    fuzz::check(!std::get<domain::param_error>(parsed).field.empty(), "param_error without its parameter");
  }

  const auto account = account_on(plan);
  const domain::opid_numbers current{account.an_order, {"0312345678", "0612345678"}, {}};
  const bool english = data[0] / names.size() / 2 % 2 == 1;
  const auto answer = domain::answer_analysis(
      {name, params, english},
      {rollup(), account, current, fuzz::today, &details(), plan == "standard" ? &by_dn() : nullptr, nullptr, nullptr,
       nullptr, [](const std::vector<domain::civil_date>& days, bool) -> domain::expected<domain::minute_cells> {
         return minutes_of(days);
       }});
  if (!answer) {
    const auto& e = answer.error();
    if (e.code == domain::error_code::invalid_parameter)
      fuzz::check(!e.field.empty(), "invalid_parameter without field");
    return 0;
  }
  const auto& doc = answer.value();
  if (doc.csv) {
    fuzz::check(!doc.csv->filename.empty() && !doc.csv->body.empty(), "empty CSV answer");
    return 0;
  }
  const auto j = nlohmann::json::parse(doc.json, nullptr, false);
  fuzz::check(!j.is_discarded() && j.is_object(), "the answer is not a JSON object", doc.json.substr(0, 200));
  if (name == "traffic") {
    // answer_analysis served the hand-written text; it must equal the JSON tree's dump.
    const auto& f = std::get<domain::filters>(parsed);
    if (f.gran == domain::granularity::minute) {
      const auto day = minutes_of({f.from});
      const domain::account_view view{account.an_order, months, account.registered, &day.by_dn()};
      const auto& cells = f.dns.empty() ? day.by_an() : day.by_dn().cells();
      fuzz::check(doc.json == domain::traffic(cells, view, f).dump(), "traffic_text differs from traffic() by minute");
      return 0;
    }
    const domain::account_view view{account.an_order, months, account.registered, &by_dn()};
    const auto& cells = f.dns.empty() ? rollup() : by_dn().cells();
    fuzz::check(doc.json == domain::traffic(cells, view, f).dump(), "traffic_text differs from traffic()");
  }
  return 0;
}
