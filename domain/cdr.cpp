#include "domain/cdr.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include <nlohmann/json.hpp>

#include "domain/echo.hpp"
#include "domain/numbers.hpp"
#include "domain/prefecture.hpp"
#include "domain/time.hpp"

namespace cxs::domain {
namespace {

constexpr std::array<std::string_view, call_result_count> result_names{
    "completed", "busy", "no_answer", "abandoned", "out_of_hours", "area_restricted", "congestion", "other"};

// Column order of SPEC §8; also the order in which a line's fields are checked, so "the first
// error found" is the same for CSV (any column order) and NDJSON.
enum column : uint8_t {
  c_call_id,
  c_start,
  c_an,
  c_dn,
  c_caller,
  c_origin,
  c_dest,
  c_duration,
  c_result,
  column_count
};
constexpr std::array<std::string_view, column_count> column_names{
    "call_id", "start", "an", "dn", "caller", "origin_pref", "dest_pref", "duration_s", "result"};

// How a value arrived. CSV only produces `text`; JSON can bring other types.
enum class value_kind : uint8_t { text, wrong_type, negative_number, fractional_number };
struct field {
  std::string_view text;  // empty = absent
  value_kind kind = value_kind::text;
};
using record_fields = std::array<field, column_count>;

struct problem {
  column col;
  const char* code;
  std::string message;
};

bool call_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}

std::string type_message(column c) { return std::string(column_names[c]) + " must be a string"; }

// dn and caller: digits or empty. Neither is echoed: caller is personal data, and so may a DN be.
std::optional<problem> check_phone(const field& f, column c) {
  if (f.kind != value_kind::text) return problem{c, "invalid", type_message(c)};
  if (f.text.empty()) return std::nullopt;
  if (!is_all_digits(f.text))
    return problem{c, "invalid", std::string(column_names[c]) + " must contain digits only (or be empty)"};
  if (f.text.size() > max_phone_digits)
    return problem{c, "invalid",
                   std::string(column_names[c]) + " has more than " + std::to_string(max_phone_digits) + " digits"};
  return std::nullopt;
}

// origin_pref / dest_pref: "01"–"47", "00", or empty (then derived later).
std::optional<problem> check_pref(const field& f, column c, std::optional<uint8_t>& out) {
  out.reset();
  if (f.kind != value_kind::text) return problem{c, "invalid", type_message(c)};
  if (f.text.empty()) return std::nullopt;
  const std::string name(column_names[c]);
  if (f.text.size() != 2 || !is_all_digits(f.text))
    return problem{c, "invalid",
                   name + " " + shown(f.text) + " is not a two-digit prefecture code (01-47, 00 = unknown)"};
  out = parse_prefecture(f.text);
  if (!out)
    return problem{c, "out_of_range",
                   name + " " + std::string(f.text) + " is not a prefecture code (01-47, 00 = unknown)"};
  return std::nullopt;
}

std::optional<problem> check_duration(const field& f, uint32_t& out) {
  switch (f.kind) {
    case value_kind::wrong_type:
      return problem{c_duration, "invalid", "duration_s must be a whole number of seconds (a number or a string)"};
    case value_kind::negative_number: return problem{c_duration, "out_of_range", "duration_s must not be negative"};
    case value_kind::fractional_number:
      return problem{c_duration, "invalid", "duration_s must be a whole number of seconds"};
    case value_kind::text: break;
  }
  std::string_view t = f.text;
  if (t.empty()) return problem{c_duration, "missing", "duration_s is missing"};
  if (t.size() > 1 && t[0] == '-' && is_all_digits(t.substr(1)))
    return problem{c_duration, "out_of_range", "duration_s must not be negative"};
  if (!is_all_digits(t))
    return problem{c_duration, "invalid", "duration_s " + shown(t) + " is not a whole number of seconds"};
  uint64_t v = 0;
  for (const char c : t) {
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > max_duration_seconds) break;  // also stops overflow on absurdly long input
  }
  if (v > max_duration_seconds)
    return problem{c_duration, "out_of_range",
                   "duration_s must be at most " + std::to_string(max_duration_seconds) + " seconds (one day)"};
  out = static_cast<uint32_t>(v);
  return std::nullopt;
}

std::string result_list() {
  std::string s;
  for (const auto name : result_names) {
    if (!s.empty()) s += ", ";
    s += name;
  }
  return s;
}

// Checks the fields in SPEC order and fills `out`; returns the first problem.
std::optional<problem> validate(const record_fields& f, int64_t now_unix, cdr& out) {
  // call_id
  const field& id = f[c_call_id];
  if (id.kind != value_kind::text) return problem{c_call_id, "invalid", type_message(c_call_id)};
  if (id.text.empty()) return problem{c_call_id, "missing", "call_id is missing"};
  if (id.text.size() > 64)
    return problem{c_call_id, "invalid",
                   "call_id has " + std::to_string(id.text.size()) + " characters; at most 64 are allowed"};
  if (!std::all_of(id.text.begin(), id.text.end(), call_id_char))
    return problem{c_call_id, "invalid",
                   "call_id " + shown(id.text) + " may only contain A-Z, a-z, 0-9, '.', '_', ':' and '-'"};

  // start
  const field& st = f[c_start];
  if (st.kind != value_kind::text) return problem{c_start, "invalid", type_message(c_start)};
  if (st.text.empty()) return problem{c_start, "missing", "start is missing"};
  const auto start = parse_iso8601(st.text);
  if (!start)
    return problem{c_start, "invalid",
                   "start " + shown(st.text) +
                       " is not an ISO 8601 date-time with seconds and an offset, e.g. 2026-11-02T09:15:03+09:00"};
  if (*start - now_unix > max_future_seconds)
    return problem{c_start, "future", "start " + format_jst_iso(*start) + " is more than 5 minutes in the future"};

  // an
  const field& an = f[c_an];
  if (an.kind != value_kind::text) return problem{c_an, "invalid", type_message(c_an)};
  if (an.text.empty()) return problem{c_an, "missing", "an is missing"};
  if (!is_valid_an(an.text))
    return problem{c_an, "invalid", "an " + shown(an.text) + " is not an AN (digits: 0120 + 6, 0800 + 7 or 0570 + 6)"};

  if (auto p = check_phone(f[c_dn], c_dn)) return p;
  if (auto p = check_phone(f[c_caller], c_caller)) return p;

  std::optional<uint8_t> origin, dest;
  if (auto p = check_pref(f[c_origin], c_origin, origin)) return p;
  if (auto p = check_pref(f[c_dest], c_dest, dest)) return p;

  uint32_t duration = 0;
  if (auto p = check_duration(f[c_duration], duration)) return p;

  const field& res = f[c_result];
  if (res.kind != value_kind::text) return problem{c_result, "invalid", type_message(c_result)};
  if (res.text.empty()) return problem{c_result, "missing", "result is missing"};
  const auto result = parse_result(res.text);
  if (!result) return problem{c_result, "invalid", "result " + shown(res.text) + " is not one of " + result_list()};

  if (duration > 0 && *result != call_result::completed)
    return problem{c_duration, "inconsistent",
                   "duration_s is " + std::to_string(duration) + " but result is " + std::string(result_name(*result)) +
                       "; only completed calls have talk time"};

  out.call_id.assign(id.text);
  out.start = *start;
  out.an.assign(an.text);
  out.dn.assign(f[c_dn].text);
  out.caller.assign(f[c_caller].text);
  // Derived only for good records: the prefecture lookup is the costliest step.
  out.origin_pref = origin ? *origin : prefecture_code_of(out.caller);
  out.dest_pref = dest ? *dest : prefecture_code_of(out.dn);
  out.duration_s = duration;
  out.result = *result;
  return std::nullopt;
}

void add_record(parsed_batch& batch, const record_fields& fields, std::size_t line, int64_t now_unix) {
  cdr rec;
  if (auto p = validate(fields, now_unix, rec)) {
    batch.errors.push_back({line, std::string(column_names[p->col]), p->code, std::move(p->message)});
    return;
  }
  batch.records.push_back(std::move(rec));
  batch.lines.push_back(line);
}

// Walks a body line by line (LF or CRLF; an optional final newline), numbering lines from 1 and
// skipping blank ones. f(line_number, line) sees lines without their line end.
template <class F>
void for_each_line(std::string_view body, F&& f) {
  std::size_t pos = 0, number = 0;
  while (pos < body.size()) {
    const void* nl = std::memchr(body.data() + pos, '\n', body.size() - pos);
    const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - body.data()) : body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    f(number, line);
  }
}

std::size_t count_lines(std::string_view body) {
  return static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n')) + 1;
}

std::string_view skip_bom(std::string_view body) { return body.substr(0, 3) == "\xEF\xBB\xBF" ? body.substr(3) : body; }

// ---- CSV ----

constexpr std::size_t max_csv_fields = 16;  // more are counted, not kept

struct csv_splitter {
  std::array<std::string_view, max_csv_fields> fields;
  std::array<std::string, max_csv_fields> unescaped;  // storage for fields that held ""
  std::size_t count = 0;

  // Splits one line; returns an error message for bad quoting, else nullptr.
  const char* split(std::string_view line) {
    count = 0;
    std::size_t pos = 0;
    const bool quoted_anywhere = line.find('"') != std::string_view::npos;
    for (;;) {
      std::string_view value;
      if (quoted_anywhere && pos < line.size() && line[pos] == '"') {
        const std::size_t begin = ++pos;
        std::string* buf = nullptr;
        for (;;) {
          const std::size_t q = line.find('"', pos);
          if (q == std::string_view::npos) return "a quoted field is not closed on this line";
          if (q + 1 < line.size() && line[q + 1] == '"') {  // "" is one quote
            if (!buf) {
              buf = &unescaped[std::min(count, max_csv_fields - 1)];
              buf->assign(line.substr(begin, q + 1 - begin));
            } else {
              buf->append(line.substr(pos, q + 1 - pos));
            }
            pos = q + 2;
            continue;
          }
          if (buf) {
            buf->append(line.substr(pos, q - pos));
            value = *buf;
          } else {
            value = line.substr(begin, q - begin);
          }
          pos = q + 1;
          break;
        }
        if (pos < line.size() && line[pos] != ',') return "unexpected text after a closing quote";
      } else {
        std::size_t end = line.find(',', pos);
        if (end == std::string_view::npos) end = line.size();
        value = line.substr(pos, end - pos);
        pos = end;
      }
      if (count < max_csv_fields) fields[count] = value;
      ++count;
      if (pos >= line.size()) return nullptr;
      ++pos;  // the comma; a trailing comma makes one more (empty) field
    }
  }
};

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

// Maps header positions to columns, or explains why the header is unusable.
std::variant<std::array<column, column_count>, batch_error> read_header(csv_splitter& sp, std::string_view line) {
  const std::string expected = "call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result";
  if (const char* err = sp.split(line))
    return batch_error{"no_header", std::string("the CSV header line cannot be read: ") + err};
  std::array<column, column_count> order{};
  std::array<bool, column_count> seen{};
  std::size_t known = 0;
  for (std::size_t i = 0; i < std::min(sp.count, max_csv_fields); ++i) {
    const std::string_view name = trim(sp.fields[i]);
    std::size_t c = 0;
    while (c < column_count && !iequals(name, column_names[c])) ++c;
    if (c == column_count) {
      // A number here usually means the header line is missing; do not echo data values.
      const std::string what = is_all_digits(name) ? "a number" : shown(name);
      std::string message = "the CSV header has an unknown column ";
      message.append(what).append(" (is the header line missing?); expected ").append(expected);
      return batch_error{"unknown_column", std::move(message)};
    }
    if (seen[c])
      return batch_error{"duplicate_column", "the CSV header names column " + std::string(column_names[c]) + " twice"};
    seen[c] = true;
    if (known < column_count) order[known] = static_cast<column>(c);
    ++known;
  }
  if (sp.count > max_csv_fields)
    return batch_error{"unknown_column",
                       "the CSV header has " + std::to_string(sp.count) + " columns; expected " + expected};
  for (std::size_t c = 0; c < column_count; ++c)
    if (!seen[c])
      return batch_error{"missing_column",
                         "the CSV header has no column " + std::string(column_names[c]) + "; expected " + expected};
  return order;
}

// ---- NDJSON ----

// Reads one line's object with nlohmann's SAX interface: no DOM, and the value buffers are
// reused from line to line, so a line costs no allocation once warm.
class ndjson_reader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  enum class outcome { ok, not_json, not_object };

  outcome read(std::string_view line, bool allow_fast_path = true) {
    reset();
    if (allow_fast_path && fast_read(line)) return outcome::ok;
    reset();
    const bool ok = nlohmann::json::sax_parse(line.begin(), line.end(), this);
    if (not_object_) return outcome::not_object;
    return ok ? outcome::ok : outcome::not_json;
  }

  record_fields fields() const {
    record_fields f;
    for (std::size_t c = 0; c < column_count; ++c) f[c] = {values_[c], kinds_[c]};
    return f;
  }

  bool null() override { return scalar({}, value_kind::text); }  // null = absent
  bool boolean(bool) override { return scalar({}, value_kind::wrong_type); }
  bool number_integer(number_integer_t v) override {
    // nlohmann reports integers written with a minus sign here (-0 included).
    if (slot_ != c_duration || depth_ != 1) return scalar({}, value_kind::wrong_type);
    if (v < 0) return scalar({}, value_kind::negative_number);
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return scalar(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)), value_kind::text);
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (slot_ != c_duration || depth_ != 1) return scalar({}, value_kind::wrong_type);
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return scalar(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)), value_kind::text);
  }
  bool number_float(number_float_t, const string_t&) override {
    return scalar({}, slot_ == c_duration ? value_kind::fractional_number : value_kind::wrong_type);
  }
  bool string(string_t& v) override { return scalar(v, value_kind::text); }
  bool binary(binary_t&) override { return scalar({}, value_kind::wrong_type); }
  bool start_object(std::size_t) override { return open(); }
  bool start_array(std::size_t) override {
    if (depth_ == 0) return top_level_not_object();
    return open();
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    if (depth_ == 1) slot_ = slot_of(k);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  void reset() {
    for (std::size_t c = 0; c < column_count; ++c) {
      values_[c].clear();
      kinds_[c] = value_kind::text;
    }
    depth_ = 0;
    slot_ = -1;
    not_object_ = false;
  }

  static int slot_of(std::string_view key) {
    for (std::size_t c = 0; c < column_count; ++c)
      if (key == column_names[c]) return static_cast<int>(c);
    return -1;
  }

  // The feed's usual line is a flat object of plain-ASCII strings, integers and nulls. Reading
  // that subset directly is ~5x faster than the general parser. Anything outside it — escapes,
  // non-ASCII, fractions, nesting, true/false, malformed text — returns false and the line is
  // read again by nlohmann, which decides validity and meaning. Everything accepted here is
  // valid JSON read the way nlohmann reads it (cdr_test checks both paths agree).
  bool fast_read(std::string_view s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    const auto skip_ws = [&] {
      while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
    };
    const auto read_string = [&](std::string_view& out) {
      if (i >= n || s[i] != '"') return false;
      const std::size_t begin = ++i;
      while (i < n && s[i] != '"') {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c >= 0x7f || c == '\\') return false;
        ++i;
      }
      if (i >= n) return false;
      out = s.substr(begin, i - begin);
      ++i;
      return true;
    };
    skip_ws();
    if (i >= n || s[i] != '{') return false;
    ++i;
    skip_ws();
    if (i < n && s[i] == '}') {
      ++i;
    } else {
      for (;;) {
        std::string_view key;
        if (!read_string(key)) return false;
        skip_ws();
        if (i >= n || s[i] != ':') return false;
        ++i;
        skip_ws();
        const int slot = slot_of(key);
        if (i < n && s[i] == '"') {
          std::string_view value;
          if (!read_string(value)) return false;
          if (slot >= 0) set(slot, value, value_kind::text);
        } else if (s.substr(i, 4) == "null") {
          i += 4;
          if (slot >= 0) set(slot, {}, value_kind::text);
        } else {
          const bool negative = i < n && s[i] == '-';
          if (negative) ++i;
          const std::size_t digits_begin = i;
          if (i >= n || s[i] < '0' || s[i] > '9') return false;
          if (s[i] == '0') {
            ++i;
          } else {
            while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
          }
          const std::size_t digits = i - digits_begin;
          // Leading zeros, fractions, exponents, -0 and huge numbers go to the general parser.
          if (digits > 18 || (negative && digits == 1 && s[digits_begin] == '0')) return false;
          if (i < n && (s[i] == '.' || s[i] == 'e' || s[i] == 'E' || (s[i] >= '0' && s[i] <= '9'))) return false;
          if (slot == c_duration)
            set(slot, negative ? std::string_view{} : s.substr(digits_begin, digits),
                negative ? value_kind::negative_number : value_kind::text);
          else if (slot >= 0)
            set(slot, {}, value_kind::wrong_type);
        }
        skip_ws();
        if (i < n && s[i] == ',') {
          ++i;
          skip_ws();
          continue;
        }
        if (i < n && s[i] == '}') {
          ++i;
          break;
        }
        return false;
      }
    }
    skip_ws();
    return i == n;
  }

  void set(int slot, std::string_view text, value_kind kind) {
    values_[static_cast<std::size_t>(slot)].assign(text);
    kinds_[static_cast<std::size_t>(slot)] = kind;
  }

  bool top_level_not_object() {
    not_object_ = true;
    return false;  // stops the parser
  }
  bool scalar(std::string_view text, value_kind kind) {
    if (depth_ == 0) return top_level_not_object();
    if (depth_ == 1 && slot_ >= 0) {
      values_[slot_].assign(text);
      kinds_[slot_] = kind;
    }
    return true;
  }
  bool open() {
    if (depth_ == 1 && slot_ >= 0) {  // an object or array where a value belongs
      values_[slot_].clear();
      kinds_[slot_] = value_kind::wrong_type;
    }
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  std::array<std::string, column_count> values_;
  std::array<value_kind, column_count> kinds_{};
  int depth_ = 0;
  int slot_ = -1;
  bool not_object_ = false;
};

}  // namespace

std::string_view result_name(call_result r) {
  const auto i = static_cast<std::size_t>(r);
  return i < result_names.size() ? result_names[i] : std::string_view("other");
}

std::optional<call_result> parse_result(std::string_view s) {
  for (std::size_t i = 0; i < result_names.size(); ++i)
    if (result_names[i] == s) return static_cast<call_result>(i);
  return std::nullopt;
}

std::variant<parsed_batch, batch_error> parse_csv(std::string_view body, int64_t now_unix) {
  body = skip_bom(body);
  csv_splitter sp;
  std::optional<std::array<column, column_count>> order;
  std::optional<batch_error> header_error;
  parsed_batch batch;
  batch.records.reserve(count_lines(body));
  batch.lines.reserve(batch.records.capacity());

  for_each_line(body, [&](std::size_t number, std::string_view line) {
    if (header_error) return;
    if (!order) {
      auto header = read_header(sp, line);
      if (auto* err = std::get_if<batch_error>(&header))
        header_error = std::move(*err);
      else
        order = std::get<0>(header);
      return;
    }
    if (const char* err = sp.split(line)) {
      batch.errors.push_back({number, "line", "invalid", err});
      return;
    }
    if (sp.count != column_count) {
      batch.errors.push_back(
          {number, "line", "columns",
           "expected " + std::to_string(column_count) + " fields, found " + std::to_string(sp.count)});
      return;
    }
    record_fields fields;
    for (std::size_t i = 0; i < column_count; ++i) fields[(*order)[i]].text = sp.fields[i];
    add_record(batch, fields, number, now_unix);
  });

  if (header_error) return std::move(*header_error);
  if (!order)
    return batch_error{"no_header",
                       "the body is empty: expected a CSV header line naming "
                       "call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result"};
  return batch;
}

namespace {

parsed_batch parse_ndjson_impl(std::string_view body, int64_t now_unix, bool allow_fast_path) {
  body = skip_bom(body);
  ndjson_reader reader;
  parsed_batch batch;
  batch.records.reserve(count_lines(body));
  batch.lines.reserve(batch.records.capacity());
  for_each_line(body, [&](std::size_t number, std::string_view line) {
    switch (reader.read(line, allow_fast_path)) {
      case ndjson_reader::outcome::not_json:
        batch.errors.push_back({number, "line", "json", "the line is not valid JSON"});
        return;
      case ndjson_reader::outcome::not_object:
        batch.errors.push_back({number, "line", "json", "the line is JSON but not an object"});
        return;
      case ndjson_reader::outcome::ok: add_record(batch, reader.fields(), number, now_unix); return;
    }
  });
  return batch;
}

}  // namespace

parsed_batch parse_ndjson(std::string_view body, int64_t now_unix) { return parse_ndjson_impl(body, now_unix, true); }

namespace detail {
parsed_batch parse_ndjson_general(std::string_view body, int64_t now_unix) {
  return parse_ndjson_impl(body, now_unix, false);
}
}  // namespace detail

}  // namespace cxs::domain
