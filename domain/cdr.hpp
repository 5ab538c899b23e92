// Call detail records: the carrier's feed (SPEC §8, §13 "POST /admin/ingest", §14 "Ingest").
//
// Parsing turns a request body into validated records plus one error per bad line; it knows
// nothing about accounts, so `unowned`, `too_old` and `duplicates` (including a call_id repeated
// inside one batch) are decided by the caller. Good lines are kept even when others are bad.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cxs::domain {

enum class call_result : uint8_t {
  completed,
  busy,
  no_answer,
  abandoned,
  out_of_hours,
  area_restricted,
  congestion,
  other
};
inline constexpr int call_result_count = 8;

// "completed", "busy", "no_answer", "abandoned", "out_of_hours", "area_restricted", "congestion", "other".
std::string_view result_name(call_result r);
std::optional<call_result> parse_result(std::string_view s);

struct cdr {
  std::string call_id;
  int64_t start;        // unix seconds
  std::string an;       // digits
  std::string dn;       // digits, empty when the call never reached a destination
  std::string caller;   // digits, empty when withheld; hash it (caller_hash.hpp) before storing
  uint8_t origin_pref;  // 0..47; derived from caller when the field was empty
  uint8_t dest_pref;    // 0..47; derived from dn when the field was empty
  uint32_t duration_s;  // talk seconds, 0 unless completed
  call_result result;
};

// One rejected line. `line` counts from 1 = the CSV header / the first NDJSON line; `field` is a
// column name, or "line" for a line that could not be split into fields. `code` is one of
// missing, invalid, out_of_range, future, inconsistent, columns, json:
//   columns — a CSV line without exactly 9 fields (field "line");
//   invalid with field "line" — a CSV line with broken quoting;
//   json    — an NDJSON line that is not a JSON object (field "line");
//   inconsistent — duration_s > 0 on a call that was not completed (field "duration_s").
// Messages are English, name the value's problem, and never repeat a caller or DN number.
struct line_error {
  std::size_t line;
  std::string field;
  std::string code;
  std::string message;
};

struct parsed_batch {
  std::vector<cdr> records;
  std::vector<std::size_t> lines;  // line number of each record, same index
  std::vector<line_error> errors;  // in line order
};

// The request as a whole is unreadable (no or bad CSV header): answer 4xx and store nothing.
// Codes: no_header, unknown_column, missing_column, duplicate_column.
struct batch_error {
  std::string code;
  std::string message;
};

// Limits that are part of the contract.
inline constexpr int64_t max_future_seconds = 5 * 60;    // start may be at most this far ahead of now
inline constexpr uint32_t max_duration_seconds = 86400;  // one call talking longer than a day is bad data
inline constexpr std::size_t max_phone_digits = 20;      // dn and caller

// CSV: a header naming the 9 columns in any order, CRLF or LF, optional final newline, blank
// lines skipped (but counted). RFC 4180 double-quoted fields ("" is a quote); a quoted field must
// close on its own line, since no CDR field can hold a line break. An optional UTF-8 BOM is skipped.
std::variant<parsed_batch, batch_error> parse_csv(std::string_view body, int64_t now_unix);

// NDJSON: one JSON object per line with the same keys; values are strings except duration_s,
// which may be a number or a string. A missing or null key is the same as an empty string.
// Unknown keys are ignored (the feed may grow fields before we use them).
parsed_batch parse_ndjson(std::string_view body, int64_t now_unix);

namespace detail {
// parse_ndjson without its fast path for plain lines: every line goes through nlohmann's
// parser. For tests that check both paths agree.
parsed_batch parse_ndjson_general(std::string_view body, int64_t now_unix);
}  // namespace detail

}  // namespace cxs::domain
