#pragma once
// The carrier's OPID registry (SPEC §2, §13): which OPIDs exist, parent or child, their ANs and
// each AN's DNs. Parsing, validation and merging are pure; the registry actor keeps and persists it.

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cxs::domain {

struct an_entry {
  std::string an;
  std::vector<std::string> dns;
};

struct opid_entry {
  std::string opid;
  bool parent = true;
  std::vector<an_entry> ans;
};

// One problem in a registry document; field is a JSON path such as opids[0].ans[1].an.
struct registry_error {
  std::string field;
  std::string opid;
  std::string code;  // invalid, required, duplicate
  std::string message;
};

using registry_parse_result = std::variant<std::vector<opid_entry>, std::vector<registry_error>>;

// {"opids":[{"opid","parent","ans":[{"an","dns":[…]}]}]}; every entry checked, unless `trusted`
// (our own stored copy, checked when it was accepted): then only the shape is read, which skips
// the libphonenumber check of every DN and keeps start-up fast at 100,000 OPIDs.
registry_parse_result parse_registry_json(std::string_view text, bool trusted = false);
// Header opid,parent,an,dn (any order), one row per AN–DN pair; rows of one OPID are merged.
registry_parse_result parse_registry_csv(std::string_view text);
// Picks the parser by the first non-space character ('{' = JSON).
registry_parse_result parse_registry(std::string_view text);

class registry;
// ANs of body that belong to two OPIDs, within the body or against the OPIDs of kept that the
// body does not replace; field paths point into body.
std::vector<registry_error> an_conflicts(const std::vector<opid_entry>& body, const registry* kept);

class registry {
 public:
  registry() = default;
  explicit registry(std::vector<opid_entry> entries);

  const opid_entry* find(std::string_view opid) const;
  // The OPID an AN belongs to, or empty.
  std::string owner_of_an(std::string_view an) const;
  const std::vector<opid_entry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }

  // Checks that no AN belongs to two OPIDs. Empty when consistent.
  std::vector<registry_error> conflicts() const;
  // A new registry with these entries replacing those of the same OPID, others kept.
  registry upsert(const std::vector<opid_entry>& entries) const;
  nlohmann::json to_json() const;

 private:
  std::vector<opid_entry> entries_;  // sorted by opid
  // (AN, index into entries_) sorted by AN: 40 bytes an AN, where a std::map node of two strings
  // took ~110 (100,000 OPIDs are kept in memory, docs/performance.md).
  std::vector<std::pair<std::string, uint32_t>> an_owner_;
};

// The numbers an OPID holds in the registry now: its ANs, and the DNs registered to them
// (each once, in registry order). Empty for an OPID the registry does not list.
struct opid_numbers {
  std::vector<std::string> ans, dns;
  std::vector<std::vector<std::string>> dns_of;  // the DNs of each AN, in the order of ans
};
opid_numbers numbers_of(const registry& reg, std::string_view opid);

}  // namespace cxs::domain
