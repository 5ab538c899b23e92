// Fuzz target: the CDR CSV parser of POST /admin/ingest (text/csv; domain::parse_csv, SPEC §8).
// Besides the sanitizers it checks what the ingest job relies on: every record passed every
// rule, every record and error has a line number inside the body, errors come in line order,
// and the answer the route renders from them is valid JSON.

#include "domain/cdr.hpp"
#include "domain/numbers.hpp"
#include "fuzz/cdr_checks.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cxs;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = domain::parse_csv(body, fuzz::now_unix);
  if (auto* e = std::get_if<domain::batch_error>(&parsed)) {
    fuzz::check(!e->code.empty() && !e->message.empty(), "batch_error without code or message");
    fuzz::strict_dump({{"reason", e->code}, {"message", e->message}});
    return 0;
  }
  fuzz::check_batch(std::get<domain::parsed_batch>(parsed), body, fuzz::now_unix);
  return 0;
}
