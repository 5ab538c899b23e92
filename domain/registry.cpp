#include "domain/registry.hpp"

#include "domain/numbers.hpp"

#include <algorithm>
#include <set>
#include <sstream>

namespace cxs::domain {

namespace {

std::string path(std::size_t i) { return "opids[" + std::to_string(i) + "]"; }

void check_entry(const opid_entry& e, const std::string& at, std::vector<registry_error>& errors) {
  if (!is_valid_opid(e.opid))
    errors.push_back({at + ".opid", e.opid, "invalid", "OPID must be 1–16 letters or digits"});
  for (std::size_t j = 0; j < e.ans.size(); ++j) {
    auto& a = e.ans[j];
    auto an_at = at + ".ans[" + std::to_string(j) + "]";
    if (!is_valid_an(a.an))
      errors.push_back({an_at + ".an", e.opid, "invalid",
                        "AN '" + a.an + "' is not 0120 + 6 digits, 0800 + 7 digits or 0570 + 6 digits"});
    for (std::size_t k = 0; k < a.dns.size(); ++k)
      if (!is_valid_jp_phone(a.dns[k]))
        errors.push_back({an_at + ".dns[" + std::to_string(k) + "]", e.opid, "invalid",
                          "DN '" + a.dns[k] + "' is not a valid Japanese number"});
  }
}

void check_duplicates(const std::vector<opid_entry>& entries, std::vector<registry_error>& errors) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (!seen.insert(entries[i].opid).second)
      errors.push_back({path(i) + ".opid", entries[i].opid, "duplicate", "OPID appears twice in the registry"});
}

}  // namespace

std::vector<registry_error> an_conflicts(const std::vector<opid_entry>& body, const registry* kept) {
  std::vector<registry_error> errors;
  std::map<std::string, std::string> owner;
  std::set<std::string> replaced;
  for (auto& e : body) replaced.insert(e.opid);
  if (kept)
    for (auto& e : kept->entries())
      if (!replaced.count(e.opid))
        for (auto& a : e.ans) owner.emplace(a.an, e.opid);
  for (std::size_t i = 0; i < body.size(); ++i)
    for (std::size_t j = 0; j < body[i].ans.size(); ++j) {
      auto& an = body[i].ans[j].an;
      auto [it, fresh] = owner.emplace(an, body[i].opid);
      if (!fresh && it->second != body[i].opid)
        errors.push_back({path(i) + ".ans[" + std::to_string(j) + "].an", body[i].opid, "duplicate",
                          "AN " + an + " already belongs to OPID " + it->second});
      else if (!fresh)
        errors.push_back({path(i) + ".ans[" + std::to_string(j) + "].an", body[i].opid, "duplicate",
                          "AN " + an + " is listed twice for this OPID"});
    }
  return errors;
}

registry_parse_result parse_registry_json(std::string_view text, bool trusted) {
  std::vector<registry_error> errors;
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return std::vector<registry_error>{{"", "", "invalid", "the registry is not a JSON object"}};
  auto it = doc.find("opids");
  if (it == doc.end() || !it->is_array())
    return std::vector<registry_error>{{"opids", "", "required", "'opids' must be an array"}};
  std::vector<opid_entry> entries;
  for (std::size_t i = 0; i < it->size(); ++i) {
    auto& o = (*it)[i];
    auto at = path(i);
    opid_entry e;
    if (!o.is_object()) {
      errors.push_back({at, "", "invalid", "each OPID entry must be an object"});
      continue;
    }
    if (!o.contains("opid"))
      errors.push_back({at + ".opid", "", "required", "'opid' is missing"});
    else if (!o["opid"].is_string())
      errors.push_back({at + ".opid", "", "invalid", "'opid' must be a string"});
    else
      e.opid = o["opid"].get<std::string>();
    if (o.contains("parent")) {
      if (!o["parent"].is_boolean())
        errors.push_back({at + ".parent", e.opid, "invalid", "'parent' must be true or false"});
      else
        e.parent = o["parent"].get<bool>();
    } else {
      errors.push_back({at + ".parent", e.opid, "required", "'parent' is missing"});
    }
    if (o.contains("ans")) {
      if (!o["ans"].is_array()) {
        errors.push_back({at + ".ans", e.opid, "invalid", "'ans' must be an array"});
      } else {
        for (std::size_t j = 0; j < o["ans"].size(); ++j) {
          auto& a = o["ans"][j];
          auto an_at = at + ".ans[" + std::to_string(j) + "]";
          an_entry ae;
          if (!a.is_object() || !a.contains("an")) {
            errors.push_back({an_at + ".an", e.opid, "required", "each AN entry needs 'an'"});
            continue;
          }
          if (!a["an"].is_string()) {
            errors.push_back({an_at + ".an", e.opid, "invalid", "'an' must be a string of digits"});
            continue;
          }
          ae.an = strip_hyphens(a["an"].get<std::string>());
          if (a.contains("dns")) {
            if (!a["dns"].is_array()) {
              errors.push_back({an_at + ".dns", e.opid, "invalid", "'dns' must be an array of strings"});
            } else {
              for (std::size_t k = 0; k < a["dns"].size(); ++k) {
                if (!a["dns"][k].is_string())
                  errors.push_back(
                      {an_at + ".dns[" + std::to_string(k) + "]", e.opid, "invalid", "a DN must be a string"});
                else
                  ae.dns.push_back(strip_hyphens(a["dns"][k].get<std::string>()));
              }
            }
          }
          e.ans.push_back(std::move(ae));
        }
      }
    }
    if (!trusted && o.contains("opid") && o["opid"].is_string()) check_entry(e, at, errors);
    entries.push_back(std::move(e));
  }
  if (trusted) {
    if (errors.empty()) return entries;
    return errors;
  }
  check_duplicates(entries, errors);
  if (errors.empty()) {
    auto conflicts = an_conflicts(entries, nullptr);
    if (!conflicts.empty()) return conflicts;
    return entries;
  }
  return errors;
}

namespace {
std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',')
      out.emplace_back();
    else if (c != '\r' && c != '"')
      out.back().push_back(c);
  }
  for (auto& f : out) {
    while (!f.empty() && f.back() == ' ') f.pop_back();
    while (!f.empty() && f.front() == ' ') f.erase(f.begin());
  }
  return out;
}
}  // namespace

registry_parse_result parse_registry_csv(std::string_view text) {
  std::vector<registry_error> errors;
  std::istringstream in{std::string(text)};
  std::string line;
  if (!std::getline(in, line))
    return std::vector<registry_error>{{"line 1", "", "required", "the CSV registry has no header"}};
  if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  auto header = split_csv_line(line);
  int col[4] = {-1, -1, -1, -1};
  const char* names[4] = {"opid", "parent", "an", "dn"};
  for (std::size_t i = 0; i < header.size(); ++i)
    for (int n = 0; n < 4; ++n)
      if (header[i] == names[n]) col[n] = static_cast<int>(i);
  for (int n = 0; n < 4; ++n)
    if (col[n] < 0)
      errors.push_back({"line 1", "", "required", std::string("the header lacks the column '") + names[n] + "'"});
  if (!errors.empty()) return errors;

  std::vector<opid_entry> entries;
  std::map<std::string, std::size_t> index;
  std::size_t line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    auto f = split_csv_line(line);
    auto at = "line " + std::to_string(line_no);
    if (f.size() != header.size()) {
      errors.push_back({at, "", "invalid", "expected " + std::to_string(header.size()) + " fields"});
      continue;
    }
    auto opid = f[col[0]];
    bool parent;
    if (f[col[1]] == "true" || f[col[1]] == "1")
      parent = true;
    else if (f[col[1]] == "false" || f[col[1]] == "0")
      parent = false;
    else {
      errors.push_back({at + ".parent", opid, "invalid", "'parent' must be true or false"});
      continue;
    }
    auto [it, fresh] = index.emplace(opid, entries.size());
    if (fresh) entries.push_back({opid, parent, {}});
    auto& e = entries[it->second];
    if (e.parent != parent)
      errors.push_back({at + ".parent", opid, "invalid", "'parent' differs between rows of one OPID"});
    auto an = strip_hyphens(f[col[2]]);
    auto dn = strip_hyphens(f[col[3]]);
    if (an.empty()) continue;  // an OPID with no AN yet
    auto a = std::find_if(e.ans.begin(), e.ans.end(), [&](auto& x) { return x.an == an; });
    if (a == e.ans.end()) {
      e.ans.push_back({an, {}});
      a = e.ans.end() - 1;
    }
    if (!dn.empty()) a->dns.push_back(dn);
  }
  for (std::size_t i = 0; i < entries.size(); ++i) check_entry(entries[i], path(i), errors);
  if (!errors.empty()) return errors;
  auto conflicts = an_conflicts(entries, nullptr);
  if (!conflicts.empty()) return conflicts;
  return entries;
}

registry_parse_result parse_registry(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return parse_registry_json(text);
  return parse_registry_csv(text);
}

registry::registry(std::vector<opid_entry> entries) : entries_(std::move(entries)) {
  std::stable_sort(entries_.begin(), entries_.end(), [](auto& a, auto& b) { return a.opid < b.opid; });
  for (uint32_t i = 0; i < entries_.size(); ++i)
    for (auto& a : entries_[i].ans) an_owner_.emplace_back(a.an, i);
  // The first OPID in opid order keeps an AN listed twice, as the map's emplace did.
  std::stable_sort(an_owner_.begin(), an_owner_.end(), [](auto& a, auto& b) { return a.first < b.first; });
  an_owner_.erase(std::unique(an_owner_.begin(), an_owner_.end(), [](auto& a, auto& b) { return a.first == b.first; }),
                  an_owner_.end());
  an_owner_.shrink_to_fit();
}

const opid_entry* registry::find(std::string_view opid) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), opid,
                             [](const opid_entry& e, std::string_view o) { return e.opid < o; });
  return it != entries_.end() && it->opid == opid ? &*it : nullptr;
}

std::string registry::owner_of_an(std::string_view an) const {
  auto it = std::lower_bound(an_owner_.begin(), an_owner_.end(), an,
                             [](const auto& entry, std::string_view key) { return entry.first < key; });
  return it != an_owner_.end() && it->first == an ? entries_[it->second].opid : std::string{};
}

std::vector<registry_error> registry::conflicts() const {
  std::vector<registry_error> errors;
  std::map<std::string, std::string> owner;
  for (std::size_t i = 0; i < entries_.size(); ++i)
    for (std::size_t j = 0; j < entries_[i].ans.size(); ++j) {
      auto& an = entries_[i].ans[j].an;
      auto [it, fresh] = owner.emplace(an, entries_[i].opid);
      if (!fresh)
        errors.push_back({path(i) + ".ans[" + std::to_string(j) + "].an", entries_[i].opid, "duplicate",
                          "AN " + an + " already belongs to OPID " + it->second});
    }
  return errors;
}

registry registry::upsert(const std::vector<opid_entry>& entries) const {
  std::map<std::string, opid_entry> merged;
  for (auto& e : entries_) merged[e.opid] = e;
  for (auto& e : entries) merged[e.opid] = e;
  std::vector<opid_entry> out;
  out.reserve(merged.size());
  for (auto& [_, e] : merged) out.push_back(e);
  return registry(std::move(out));
}

nlohmann::json registry::to_json() const {
  auto list = nlohmann::json::array();
  for (auto& e : entries_) {
    auto ans = nlohmann::json::array();
    for (auto& a : e.ans) ans.push_back({{"an", a.an}, {"dns", a.dns}});
    list.push_back({{"opid", e.opid}, {"parent", e.parent}, {"ans", ans}});
  }
  return {{"opids", list}};
}

opid_numbers numbers_of(const registry& reg, std::string_view opid) {
  opid_numbers out;
  if (const opid_entry* e = reg.find(opid)) {
    for (const an_entry& an : e->ans) {
      out.ans.push_back(an.an);
      out.dns_of.push_back(an.dns);
      for (const std::string& dn : an.dns)
        if (std::find(out.dns.begin(), out.dns.end(), dn) == out.dns.end()) out.dns.push_back(dn);
    }
  }
  return out;
}

}  // namespace cxs::domain
