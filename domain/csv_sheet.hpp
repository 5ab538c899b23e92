#pragma once
// The CSV answers of the analyses (SPEC §13, §14, §19) as one table model and one writer: every
// analysis lays its answer out as columns and rows of JSON cells, and write_csv turns them into
// the file — UTF-8 with a BOM, CRLF, one header row, null as an empty cell.
//
// Two forms: for programs (the default) the headings are the JSON figure names; for people
// (`headers=ja|en`) the headings are words in that language and every column of seconds of talk
// time gains a neighbour with the same time as h:mm:ss. Columns a customer named (custom data
// sets) keep their names in both forms.

#include "domain/messages.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxs::domain {

struct csv_column {
  std::string name;
  bool customer_named = false;  // a custom data set's name: never translated
};

struct csv_sheet {
  std::vector<csv_column> columns;
  std::vector<std::vector<nlohmann::json>> rows;  // one cell per column; a missing cell is empty
};

// A cell as CSV text: null empty; quoted when it holds a comma, quote or line end.
std::string csv_cell(const nlohmann::json& v);

// The file. headings: nullopt for the machine form, or the language of the people's form.
std::string write_csv(const csv_sheet& sheet, std::optional<lang> headings);

// A column's heading in l: "talk_seconds" → "通話時間（秒）"; compare's "calls_a" → "通話数（A）".
// A name without a heading of its own is kept as it is.
std::string column_heading(std::string_view column, lang l);
// Whether a column holds seconds of talk time (it then gains an h:mm:ss neighbour for people).
bool is_talk_seconds_column(std::string_view column);
// Seconds as h:mm:ss (hours unbounded, "-" before a negative difference), rounded half away from
// zero to whole seconds.
std::string format_hms(double seconds);

}  // namespace cxs::domain
