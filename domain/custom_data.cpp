#include "domain/custom_data.hpp"
#include "domain/by_id.hpp"

#include "domain/signup.hpp"
#include "domain/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <unordered_map>

namespace cxs::domain {

namespace {

using nlohmann::json;

// The catalogue keeps these messages under "custom.<field>"; every point shares those of
// "custom.points[].t" / "custom.points[].value".
field_error field_fail(std::string field, const char* code, lang l) {
  std::string catalogue = "custom." + field;
  if (const auto dot = field.rfind('.'); field.rfind("points[", 0) == 0 && dot != std::string::npos)
    catalogue = "custom.points[]" + field.substr(dot);
  return {std::move(field), code, field_message(catalogue, code, l)};
}

std::optional<int> digits_value(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// A one-line text field: required (when asked), at most max characters, no control characters.
void text_field(const json& body, const char* key, bool required, std::size_t max, lang l, std::string& out,
                std::vector<field_error>& errors) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
    if (required) errors.push_back(field_fail(key, "required", l));
    return;
  }
  if (!it->is_string() || has_control_chars(it->get_ref<const std::string&>()))
    return errors.push_back(field_fail(key, "invalid", l));
  if (utf8_length(it->get_ref<const std::string&>()) > max) return errors.push_back(field_fail(key, "too_long", l));
  out = it->get<std::string>();
}

bool same_time(const custom_point& a, const custom_point& b) { return a.t == b.t; }

// A whole number is written as one (12, not 12.0), in JSON and so in CSV.
json number_json(double v) {
  constexpr double exact = 9007199254740992.0;  // 2^53: every whole double below is exact
  if (v == std::trunc(v) && std::fabs(v) < exact) return static_cast<int64_t>(v);
  return v;
}

}  // namespace

std::optional<point_time> parse_point_time(std::string_view s) {
  point_time t;
  std::string_view date = s;
  if (s.size() == 7) {  // YYYY-MM
    t.kind = point_kind::month;
  } else if (s.size() == 10) {  // YYYY-MM-DD
    t.kind = point_kind::day;
  } else if (s.size() == 13 && s[10] == 'T') {  // YYYY-MM-DDTHH
    t.kind = point_kind::hour;
    const auto hour = digits_value(s.substr(11, 2));
    if (!hour || *hour > 23) return std::nullopt;
    t.hour = *hour;
    date = s.substr(0, 10);
  } else {
    return std::nullopt;
  }
  if (t.kind == point_kind::month) {
    const auto year = digits_value(s.substr(0, 4)), month = digits_value(s.substr(5, 2));
    if (s[4] != '-' || !year || !month || *month < 1 || *month > 12 || *year < 1970) return std::nullopt;
    t.date = {*year, static_cast<unsigned>(*month), 1};
    return t;
  }
  const auto d = parse_date(date);
  if (!d || d->year < 1970) return std::nullopt;
  t.date = *d;
  return t;
}

std::string format_point_time(const point_time& t) {
  const std::string day = format_date(t.date);
  switch (t.kind) {
    case point_kind::month: return day.substr(0, 7);
    case point_kind::day: return day;
    case point_kind::hour: return day + (t.hour < 10 ? "T0" : "T") + std::to_string(t.hour);
  }
  return day;
}

std::variant<custom_form, std::vector<field_error>> parse_custom(const json& body, lang l) {
  if (!body.is_object()) return std::vector<field_error>{{"", "invalid", field_message("", "invalid", l)}};
  std::vector<field_error> errors;
  custom_form form;
  text_field(body, "name", true, custom_name_max_length, l, form.name, errors);
  text_field(body, "unit", false, custom_unit_max_length, l, form.unit, errors);

  const auto copy = body.find("from_analysis");
  const auto points = body.find("points");
  if (copy != body.end() && !copy->is_null()) {
    // A copy, not points: both at once, or a copy without a name and a figure, is refused.
    const auto text = [&](const char* key) {
      return copy->is_object() && copy->contains(key) && (*copy)[key].is_string() &&
             !(*copy)[key].get_ref<const std::string&>().empty();
    };
    const bool filters_ok = !copy->is_object() || !copy->contains("filters") || (*copy)["filters"].is_null() ||
                            (*copy)["filters"].is_object();
    if ((points != body.end() && !points->is_null()) || !text("name") || !text("figure") || !filters_ok)
      return errors.push_back(field_fail("from_analysis", "invalid", l)), errors;
    analysis_copy c{(*copy)["name"].get<std::string>(), (*copy)["figure"].get<std::string>(), {}};
    if (copy->contains("filters") && (*copy)["filters"].is_object())
      for (const auto& [key, value] : (*copy)["filters"].items()) {
        if (value.is_string()) {
          c.filters.emplace_back(key, value.get<std::string>());
        } else if (value.is_number()) {
          c.filters.emplace_back(key, value.dump());
        } else if (value.is_array()) {  // a list filter: a comma list
          std::string list;
          for (const auto& item : value)
            if (item.is_string()) list += (list.empty() ? "" : ",") + item.get<std::string>();
          c.filters.emplace_back(key, list);
        } else if (!value.is_null()) {
          return errors.push_back(field_fail("from_analysis", "invalid", l)), errors;
        }
      }
    if (!errors.empty()) return errors;
    form.from_analysis = std::move(c);
    return form;
  }
  if (points != body.end() && !points->is_null()) {
    if (!points->is_array()) {
      errors.push_back(field_fail("points", "invalid", l));
    } else if (points->size() > custom_points_max) {
      errors.push_back(field_fail("points", "too_many", l));
    } else {
      std::optional<point_kind> kind;
      for (std::size_t i = 0; i < points->size(); ++i) {
        const json& p = (*points)[i];
        const std::string at = "points[" + std::to_string(i) + "]";
        if (!p.is_object()) {
          errors.push_back(field_fail(at + ".t", "invalid", l));
          continue;
        }
        const auto t = p.find("t");
        const auto v = p.find("value");
        std::optional<point_time> time;
        if (t == p.end() || !t->is_string())
          errors.push_back(field_fail(at + ".t", t == p.end() || t->is_null() ? "required" : "invalid", l));
        else if (!(time = parse_point_time(t->get_ref<const std::string&>())))
          errors.push_back(field_fail(at + ".t", "invalid", l));
        else if (kind && *kind != time->kind)
          errors.push_back(field_fail(at + ".t", "kind_mismatch", l));
        if (v == p.end() || v->is_null())
          errors.push_back(field_fail(at + ".value", "required", l));
        else if (!v->is_number() || !std::isfinite(v->get<double>()))
          errors.push_back(field_fail(at + ".value", "invalid", l));
        if (time && !kind) kind = time->kind;
        if (time && v != p.end() && v->is_number()) form.points.push_back({*time, v->get<double>()});
      }
      auto sorted = form.points;
      std::sort(sorted.begin(), sorted.end(), [](const custom_point& a, const custom_point& b) { return a.t < b.t; });
      const auto dup = std::adjacent_find(sorted.begin(), sorted.end(), same_time);
      if (dup != sorted.end() && errors.empty())
        errors.push_back({"points", "duplicate",
                          field_message("custom.points", "duplicate", l) + " (" + format_point_time(dup->t) + ")"});
    }
  }
  if (!errors.empty()) return errors;
  return form;
}

const custom_set* custom_book::find(std::string_view id) const { return find_by_id(sets_, id); }

std::vector<custom_summary> custom_book::listed() const {
  std::vector<custom_summary> out;
  for (const custom_set& s : sets_) {
    custom_summary c{s.id, s.name, s.unit, s.points.size(), {}, {}};
    if (!s.points.empty()) c.first = s.points.front().t, c.last = s.points.back().t;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const custom_summary& a, const custom_summary& b) {
    return std::tie(a.name, a.id) < std::tie(b.name, b.id);
  });
  return out;
}

std::variant<std::vector<custom_point>, std::vector<field_error>> points_from_answer(const analysis_copy& copy,
                                                                                     std::string_view answer_json,
                                                                                     lang l) {
  const json answer = json::parse(answer_json, nullptr, false);
  const json* series =
      answer.is_object() && answer.contains("series") && answer["series"].is_array() ? &answer["series"] : nullptr;
  std::vector<custom_point> points;
  bool figure_seen = false;
  if (series)
    for (const json& row : *series) {
      if (!row.is_object() || !row.contains(copy.figure)) continue;
      const json& v = row[copy.figure];
      figure_seen = figure_seen || v.is_number() || v.is_null();
      const auto label = row.contains("t") && row["t"].is_string() ? row["t"].get<std::string>() : std::string();
      if (label.size() == 16) return std::vector<field_error>{field_fail("from_analysis.filters", "minute", l)};
      const auto t = parse_point_time(label);
      if (t && v.is_number() && std::isfinite(v.get<double>())) points.push_back({*t, v.get<double>()});
    }
  if (!figure_seen) return std::vector<field_error>{field_fail("from_analysis.figure", "invalid", l)};
  if (points.size() > custom_points_max) return std::vector<field_error>{field_fail("points", "too_many", l)};
  return points;
}

field_error copy_error(bool analysis_known, const failure& f, lang l) {
  if (!analysis_known) return field_fail("from_analysis.name", "invalid", l);
  auto e = field_fail("from_analysis.filters", "invalid", l);
  // The analysis's own reason is English (its parameter errors are for API users): a Japanese
  // message names only the parameter, so the page shows no English (SPEC §19 "Messages").
  if (l == lang::ja) {
    if (!f.field.empty()) e.message += "（" + f.field + "）";
    return e;
  }
  const std::string reason = f.field.empty() ? f.detail : f.field + ": " + f.detail;
  if (!reason.empty()) e.message += " (" + reason + ")";
  return e;
}

custom_set make_custom_set(std::string id, custom_form form) {
  std::stable_sort(form.points.begin(), form.points.end(),
                   [](const custom_point& a, const custom_point& b) { return a.t < b.t; });
  return {std::move(id), std::move(form.name), std::move(form.unit), std::move(form.points)};
}

std::vector<field_error> custom_book::check(const custom_change& change, civil_date today) const {
  std::vector<field_error> errors;
  const civil_date first_day = retention_start(today, custom_retention_months);
  for (std::size_t i = 0; i < change.form.points.size(); ++i)
    if (change.form.points[i].t.date < first_day)
      errors.push_back(field_fail("points[" + std::to_string(i) + "].t", "too_old", change.language));
  const bool taken = std::any_of(sets_.begin(), sets_.end(), [&](const custom_set& s) {
    return s.name == change.form.name && (!change.id || s.id != *change.id);
  });
  if (taken) errors.push_back(field_fail("name", "name_taken", change.language));
  if (!change.id && sets_.size() >= custom_sets_max) errors.push_back(field_fail("", "too_many_sets", change.language));
  return errors;
}

void custom_book::put(custom_set s) { put_by_id(sets_, std::move(s)); }

bool custom_book::erase(std::string_view id) { return erase_by_id(sets_, id); }

std::vector<std::string> custom_book::drop_before(civil_date first_day) {
  std::vector<std::string> changed;
  for (custom_set& s : sets_) {
    const auto keep =
        std::find_if(s.points.begin(), s.points.end(), [&](const custom_point& p) { return !(p.t.date < first_day); });
    if (keep == s.points.begin()) continue;
    s.points.erase(s.points.begin(), keep);
    changed.push_back(s.id);
  }
  return changed;
}

json custom_set_json(const custom_set& s) {
  json points = json::array();
  for (const custom_point& p : s.points)
    points.push_back({{"t", format_point_time(p.t)}, {"value", number_json(p.value)}});
  return json{{"id", s.id}, {"name", s.name}, {"unit", s.unit}, {"points", std::move(points)}};
}

json custom_list_json(const std::vector<custom_summary>& sets) {
  json list = json::array();
  const auto time = [](const std::optional<point_time>& t) { return t ? json(format_point_time(*t)) : json(nullptr); };
  for (const custom_summary& s : sets)
    list.push_back({{"id", s.id},
                    {"name", s.name},
                    {"unit", s.unit},
                    {"points", s.points},
                    {"first", time(s.first)},
                    {"last", time(s.last)}});
  return json{{"sets", std::move(list)}};
}

namespace {

// Bucket sizes from finest to coarsest; a label's length tells its size.
enum class span : uint8_t { minute, hour, day, month };

std::optional<span> span_of_label(std::string_view label) {
  switch (label.size()) {
    case 7: return span::month;
    case 10: return span::day;
    case 13: return span::hour;
    case 16: return span::minute;
    default: return std::nullopt;
  }
}

// The label of the bucket of size `size` that a point goes to: the one holding its start when the
// point is as fine as the buckets or finer, else the one that starts the point's period — which
// is the same label, written at the buckets' size from the point's start.
std::string target_label(const point_time& t, span size) {
  const std::string day = format_date(t.date);
  const std::string hour{static_cast<char>('0' + t.hour / 10), static_cast<char>('0' + t.hour % 10)};
  switch (size) {
    case span::month: return day.substr(0, 7);
    case span::day: return day;
    case span::hour: return day + "T" + hour;
    case span::minute: return day + "T" + hour + ":00";
  }
  return day;
}

}  // namespace

std::vector<std::optional<double>> overlay(const custom_set& set, const std::vector<std::string>& labels) {
  std::vector<std::optional<double>> out(labels.size());
  if (labels.empty()) return out;
  const auto size = span_of_label(labels.front());
  if (!size) return out;
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < labels.size(); ++i) index.emplace(labels[i], i);
  for (const custom_point& p : set.points) {
    const std::string label = target_label(p.t, *size);
    const auto it = index.find(label);
    if (it == index.end()) continue;
    auto& cell = out[it->second];
    cell = cell.value_or(0) + p.value;
  }
  return out;
}

json overlay_json(const custom_set& set, const std::vector<std::string>& labels) {
  const auto values = overlay(set, labels);
  json series = json::array();
  for (std::size_t i = 0; i < labels.size(); ++i)
    series.push_back({{"t", labels[i]}, {"value", values[i] ? number_json(*values[i]) : json(nullptr)}});
  return json{{"id", set.id}, {"name", set.name}, {"unit", set.unit}, {"series", std::move(series)}};
}

std::string custom_to_storage(const custom_set& s) {
  json points = json::array();
  for (const custom_point& p : s.points) points.push_back(json::array({format_point_time(p.t), p.value}));
  return json{{"name", s.name}, {"unit", s.unit}, {"points", std::move(points)}}.dump();
}

std::optional<custom_set> custom_from_storage(std::string id, std::string_view value) {
  const json j = json::parse(value, nullptr, false);
  if (!j.is_object() || !j.contains("name") || !j["name"].is_string() || !j.contains("unit") ||
      !j["unit"].is_string() || !j.contains("points") || !j["points"].is_array())
    return std::nullopt;
  custom_set s{std::move(id), j["name"].get<std::string>(), j["unit"].get<std::string>(), {}};
  for (const json& p : j["points"]) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_number()) return std::nullopt;
    const auto t = parse_point_time(p[0].get_ref<const std::string&>());
    if (!t) return std::nullopt;
    s.points.push_back({*t, p[1].get<double>()});
  }
  return s;
}

}  // namespace cxs::domain
