#include "domain/csv_sheet.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <map>

namespace cxs::domain {

using json = nlohmann::json;

namespace {

struct heading {
  const char* ja;
  const char* en;
};

// The words of the pages (web/src/analyses/texts.ts), so a file reads like the table it came from.
const std::map<std::string_view, heading>& headings() {
  static const std::map<std::string_view, heading> h{
      {"t", {"期間", "Period"}},
      {"t_b", {"比較期間", "Compared period"}},
      {"calls", {"呼数", "Calls"}},
      {"completed", {"完了呼数", "Completed"}},
      {"incomplete", {"不完了呼数", "Incomplete"}},
      {"talk_seconds", {"通話秒数", "Talk seconds"}},
      {"talk_minutes", {"通話分数", "Talk minutes"}},
      {"mean_talk_seconds", {"平均通話秒数", "Mean talk seconds"}},
      {"completion_rate", {"完了率", "Completion rate"}},
      {"busy", {"話中", "Busy"}},
      {"no_answer", {"無応答", "No answer"}},
      {"abandoned", {"途中放棄", "Abandoned"}},
      {"out_of_hours", {"受付時間外", "Out of hours"}},
      {"area_restricted", {"地域指定外", "Area restricted"}},
      {"congestion", {"回線不足", "Congestion"}},
      {"other", {"その他", "Other"}},
      {"pref", {"都道府県コード", "Prefecture code"}},
      {"name", {"都道府県", "Prefecture"}},
      {"origin", {"発信地域コード", "Calling region code"}},
      {"origin_name", {"発信地域", "Calling region"}},
      {"destination", {"着信地域コード", "Receiving region code"}},
      {"destination_name", {"着信地域", "Receiving region"}},
      {"an", {"番号（AN）", "Number (AN)"}},
      {"busiest_hour", {"最繁時", "Busiest hour"}},
      {"figure", {"項目", "Figure"}},
      {"value", {"値", "Value"}},
      {"peak", {"最大同時通話数", "Peak simultaneous calls"}},
      {"erlangs", {"呼量（アーラン）", "Traffic (erlangs)"}},
      {"table", {"表", "Table"}},
      {"key", {"区分", "Key"}},
  };
  return h;
}

// compare's figure columns: <figure>_a, _b, _diff, _ratio.
struct part {
  std::string_view suffix;
  const char* ja;
  const char* en;
};
constexpr std::array<part, 4> compare_parts{
    {{"_a", "A", "A"}, {"_b", "B", "B"}, {"_diff", "差", "diff"}, {"_ratio", "比", "ratio"}}};

const heading* find_heading(std::string_view column) {
  const auto& h = headings();
  auto it = h.find(column);
  return it == h.end() ? nullptr : &it->second;
}

// "calls_diff" → ("calls", the diff part); nothing when the name is no compare column.
std::optional<std::pair<std::string_view, const part*>> split_compare(std::string_view column) {
  for (const auto& p : compare_parts)
    if (column.size() > p.suffix.size() && column.ends_with(p.suffix)) {
      auto figure = column.substr(0, column.size() - p.suffix.size());
      if (find_heading(figure)) return std::pair{figure, &p};
    }
  return std::nullopt;
}

void append_row(std::string& body, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) body += ',';
    body += cells[i];
  }
  body += "\r\n";
}

}  // namespace

std::string csv_cell(const json& v) {
  if (v.is_null()) return {};
  std::string text = v.is_string() ? v.get<std::string>() : v.dump();
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string column_heading(std::string_view column, lang l) {
  const bool ja = l == lang::ja;
  if (const heading* h = find_heading(column)) return ja ? h->ja : h->en;
  if (auto compared = split_compare(column)) {
    const heading* h = find_heading(compared->first);
    return ja ? std::string(h->ja) + "（" + compared->second->ja + "）"
              : std::string(h->en) + " (" + compared->second->en + ")";
  }
  return std::string(column);
}

bool is_talk_seconds_column(std::string_view column) {
  if (column == "talk_seconds" || column == "mean_talk_seconds") return true;
  auto compared = split_compare(column);
  return compared && compared->second->suffix != "_ratio" && is_talk_seconds_column(compared->first);
}

std::string format_hms(double seconds) {
  const auto whole = static_cast<long long>(std::llround(std::fabs(seconds)));
  char text[40];
  std::snprintf(text, sizeof text, "%s%lld:%02lld:%02lld", seconds < 0 && whole > 0 ? "-" : "", whole / 3600,
                whole / 60 % 60, whole % 60);
  return text;
}

std::string write_csv(const csv_sheet& sheet, std::optional<lang> people) {
  // For people: beside each column of talk seconds, the same time as h:mm:ss.
  std::vector<bool> hms(sheet.columns.size(), false);
  if (people)
    for (std::size_t i = 0; i < sheet.columns.size(); ++i)
      hms[i] = !sheet.columns[i].customer_named && is_talk_seconds_column(sheet.columns[i].name);

  std::string body = "\xEF\xBB\xBF";
  std::vector<std::string> cells;
  for (std::size_t i = 0; i < sheet.columns.size(); ++i) {
    const auto& c = sheet.columns[i];
    if (!people || c.customer_named) {
      cells.push_back(csv_cell(c.name));
      continue;
    }
    const auto words = column_heading(c.name, *people);
    cells.push_back(csv_cell(words));
    if (hms[i]) cells.push_back(csv_cell(words + (*people == lang::ja ? "（時:分:秒）" : " (h:mm:ss)")));
  }
  append_row(body, cells);
  static const json empty;
  for (const auto& row : sheet.rows) {
    cells.clear();
    for (std::size_t i = 0; i < sheet.columns.size(); ++i) {
      const json& cell = i < row.size() ? row[i] : empty;
      cells.push_back(csv_cell(cell));
      if (hms[i]) cells.push_back(cell.is_number() ? format_hms(cell.get<double>()) : std::string());
    }
    append_row(body, cells);
  }
  return body;
}

}  // namespace cxs::domain
