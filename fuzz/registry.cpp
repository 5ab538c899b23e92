// Fuzz target: the OPID registry as the service reads it (SPEC §2, §13):
//   - the --registry file (JSON or CSV): domain::parse_registry;
//   - the body of PUT/PATCH /admin/registry: parse_registry_json;
//   - the stored copy read at start (meta CF): parse_registry_json(text, trusted = true).
// An accepted registry is then handled as the registry actor does: built, merged into the demo
// registry (PATCH), checked for AN conflicts, stored as to_json().dump() and read back trusted.
// Checks beyond the sanitizers: a checked registry has no AN owned twice, every entry is well
// formed, and the stored copy reads back to the same entries.

#include "domain/registry.hpp"
#include "domain/numbers.hpp"
#include "fuzz/demo_registry.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {
using namespace cxs;

void check_errors(const std::vector<domain::registry_error>& errors) {
  fuzz::check(!errors.empty(), "refused without an error");
  auto list = nlohmann::json::array();
  for (const auto& e : errors) {
    fuzz::check(!e.code.empty() && !e.message.empty(), "registry error without code or message");
    list.push_back({{"field", e.field}, {"opid", e.opid}, {"code", e.code}, {"message", e.message}});
  }
  // The admin route answers the list as JSON (with the replace handler); the file's errors go
  // to the log. Either way it must be renderable.
  (void)nlohmann::json({{"errors", list}}).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What the registry actor does with entries that passed every check.
void use_checked(const std::vector<domain::opid_entry>& entries) {
  for (const auto& e : entries) {
    fuzz::check(domain::is_valid_opid(e.opid), "accepted an invalid OPID", e.opid);
    for (const auto& a : e.ans) {
      fuzz::check(domain::is_valid_an(a.an), "accepted an invalid AN", a.an);
      for (const auto& dn : a.dns) fuzz::check(domain::is_valid_jp_phone(dn), "accepted an invalid DN", dn);
    }
  }
  const domain::registry reg(entries);
  fuzz::check(reg.conflicts().empty(), "a checked registry has an AN owned twice");
  for (const auto& e : entries) {
    fuzz::check(reg.find(e.opid) != nullptr, "an accepted OPID is not found");
    for (const auto& a : e.ans) fuzz::check(reg.owner_of_an(a.an) == e.opid, "an AN's owner is wrong", a.an);
  }
  // PATCH: conflicts against the kept registry, then the merge.
  const auto conflicts = domain::an_conflicts(entries, &fuzz::demo_registry());
  if (conflicts.empty()) fuzz::check(fuzz::demo_registry().upsert(entries).conflicts().empty(), "merge conflicts");

  // Stored, then read back at the next start.
  const std::string text = fuzz::strict_dump(reg.to_json());
  auto back = domain::parse_registry_json(text, /*trusted=*/true);
  auto* again = std::get_if<std::vector<domain::opid_entry>>(&back);
  fuzz::check(again != nullptr, "the stored registry does not read back", text);
  fuzz::check(fuzz::strict_dump(domain::registry(*again).to_json()) == text, "the stored registry reads back different",
              text);
}

void run(const domain::registry_parse_result& parsed) {
  if (auto* errors = std::get_if<std::vector<domain::registry_error>>(&parsed)) return check_errors(*errors);
  use_checked(std::get<std::vector<domain::opid_entry>>(parsed));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  run(domain::parse_registry(text));
  run(domain::parse_registry_json(text));
  // The stored copy: only its shape is read. Whatever it gives must still build and dump.
  auto trusted = domain::parse_registry_json(text, /*trusted=*/true);
  if (auto* entries = std::get_if<std::vector<domain::opid_entry>>(&trusted)) {
    const domain::registry reg(*entries);
    (void)reg.conflicts();
    (void)reg.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
