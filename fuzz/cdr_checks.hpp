#pragma once
// The invariants of a parsed CDR batch, shared by the CSV and NDJSON targets.

#include "domain/cdr.hpp"
#include "domain/numbers.hpp"
#include "fuzz/fuzz_support.hpp"

#include <algorithm>

namespace cxs::fuzz {

inline void check_batch(const domain::parsed_batch& b, std::string_view body, int64_t now) {
  using namespace cxs::domain;
  const std::size_t lines = static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n')) + 1;
  check(b.records.size() == b.lines.size(), "records and lines differ in size");
  for (std::size_t i = 0; i < b.records.size(); ++i) {
    const cdr& r = b.records[i];
    check(b.lines[i] >= 1 && b.lines[i] <= lines, "record line out of the body");
    check(i == 0 || b.lines[i - 1] < b.lines[i], "record lines not increasing");
    check(!r.call_id.empty() && r.call_id.size() <= 64, "call_id length");
    check(is_valid_an(r.an), "accepted record with an invalid AN", r.an);
    check(r.dn.empty() || (is_all_digits(r.dn) && r.dn.size() <= max_phone_digits), "dn");
    check(r.caller.empty() || (is_all_digits(r.caller) && r.caller.size() <= max_phone_digits), "caller");
    check(r.origin_pref <= 47 && r.dest_pref <= 47, "prefecture out of 0..47");
    check(r.duration_s <= max_duration_seconds, "duration over a day");
    check(r.duration_s == 0 || r.result == call_result::completed, "talk time on a call not completed");
    check(r.start - now <= max_future_seconds, "start in the future");
    check(static_cast<int>(r.result) < call_result_count, "result out of range");
  }
  auto errors = nlohmann::json::array();
  for (std::size_t i = 0; i < b.errors.size(); ++i) {
    const line_error& e = b.errors[i];
    check(e.line >= 1 && e.line <= lines, "error line out of the body");
    check(i == 0 || b.errors[i - 1].line < e.line, "error lines not increasing");
    check(!e.field.empty() && !e.code.empty() && !e.message.empty(), "error without field, code or message");
    check(std::find(b.lines.begin(), b.lines.end(), e.line) == b.lines.end(), "a line both accepted and refused");
    errors.push_back({{"line", e.line}, {"field", e.field}, {"code", e.code}, {"message", e.message}});
  }
  // The ingest answer lists the errors; its messages must be valid UTF-8 whatever the body held.
  strict_dump({{"accepted", b.records.size()}, {"errors", errors}});
}

}  // namespace cxs::fuzz
