// A custom data set uploaded as CSV (SPEC §15, POST /api/custom/upload): the file's bytes become
// a set's points and the errors of its bad lines, each naming its line.
//
// Decisions where the spec is silent (docs/api.md, "Custom data upload"):
// - `auto` reads the file as UTF-8 when every byte sequence is valid UTF-8 (a UTF-8 BOM decides
//   at once), else as CP932 (Shift_JIS as Windows and Excel write it).
// - Blank lines are skipped; fields may be quoted ("2026/11/01","1,234"). The header is
//   t,value / date,value / 日付,値 in any letter case, spaces around a field ignored.
// - Times are also read as Excel writes them: 2026/11/01, 2026/1/5, 2026/11, 2026/11/01 9:00
//   (an hour: minutes and seconds must be zero). Values may group thousands with commas.
// - A header that cannot be read, or a file that is not text in the encoding asked for, is an
//   error of the whole file: nothing is stored, even with partial=true.
// - At most 1,000 line errors are listed; one more error on line 0 says how many were left out.
#pragma once

#include "domain/custom_data.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxs::domain {

inline constexpr std::size_t custom_upload_max_bytes = 5u << 20;  // 413 beyond (the listener)
inline constexpr std::size_t custom_upload_errors_max = 1000;

enum class text_encoding : uint8_t { automatic, utf8, shift_jis };
// "auto", "utf-8" (or "utf8"), "shift_jis" (or "sjis", "cp932"), any letter case; nullopt else.
std::optional<text_encoding> parse_text_encoding(std::string_view s);

// What the route gives besides the file: the query's name, unit, encoding and partial.
struct custom_upload {
  std::string name;
  std::string unit;
  text_encoding encoding = text_encoding::automatic;
  bool partial = false;
  std::string bytes;  // the body as sent
  lang language = lang::ja;
};

struct upload_reading {
  custom_form form;                 // name, unit and the points of the good lines, in file order
  std::vector<field_error> errors;  // field "t", "value", "line" (or "name"/"unit", line 0), by line
  bool whole_file_refused = false;  // the header, the encoding or the name: nothing may be stored
};

// Reads the file against every rule a set's points keep (a real time, one kind per set, a finite
// value, no time twice, not before the retention window `today` places, at most 20,000 points).
upload_reading read_custom_upload(const custom_upload& upload, civil_date today);

// The answer of a stored upload: the set and the errors of the lines left out (partial=true).
struct custom_upload_result {
  custom_set set;
  std::vector<field_error> errors;
};

}  // namespace cxs::domain
