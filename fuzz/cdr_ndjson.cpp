// Fuzz target: the CDR NDJSON parser of POST /admin/ingest (application/x-ndjson;
// domain::parse_ndjson, SPEC §8). Differential: the fast path for plain lines must read every
// body exactly as nlohmann's general parser does (detail::parse_ndjson_general), plus the batch
// invariants of cdr_checks.hpp.

#include "domain/cdr.hpp"
#include "fuzz/cdr_checks.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

std::string describe(const cxs::domain::parsed_batch& b) {
  std::string s;
  for (std::size_t i = 0; i < b.records.size(); ++i) {
    const auto& r = b.records[i];
    s += "record line " + std::to_string(b.lines[i]) + ": " + r.call_id + " " + std::to_string(r.start) + " " + r.an +
         " " + r.dn + " " + r.caller + " " + std::to_string(r.origin_pref) + " " + std::to_string(r.dest_pref) + " " +
         std::to_string(r.duration_s) + " " + std::to_string(static_cast<int>(r.result)) + "\n";
  }
  for (const auto& e : b.errors)
    s += "error line " + std::to_string(e.line) + ": " + e.field + " " + e.code + " " + e.message + "\n";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cxs;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto fast = domain::parse_ndjson(body, fuzz::now_unix);
  fuzz::check_batch(fast, body, fuzz::now_unix);
  const auto general = domain::detail::parse_ndjson_general(body, fuzz::now_unix);
  const std::string a = describe(fast), b = describe(general);
  fuzz::check(a == b, "fast path and general parser disagree", "\nfast:\n" + a + "general:\n" + b);
  return 0;
}
