#include "domain/custom_upload.hpp"

#include "domain/signup.hpp"
#include "domain/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace cxs::domain {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// A line's error. Times and values share the messages of a set's points; the rest are the
// upload's own ("custom.upload.line").
field_error line_fail(std::size_t line, std::string field, const char* code, lang l) {
  std::string catalogue = field == "line" ? "custom.upload.line" : "custom.points[]." + field;
  if (std::string_view(code) == "duplicate") catalogue = "custom.points";
  field_error e{std::move(field), code, field_message(catalogue, code, l)};
  e.line = line;
  return e;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The fields of one CSV line (RFC 4180 quoting: "a,b" and "" for a quote), spaces around each
// field dropped; nullopt when a quote is left open.
std::optional<std::vector<std::string>> csv_fields(std::string_view line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        field += '"', ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && trimmed(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (c == ',') {
      fields.emplace_back(was_quoted ? field : std::string(trimmed(field)));
      field.clear();
      was_quoted = false;
    } else if (!(was_quoted && (c == ' ' || c == '\t'))) {
      field += c;
    }
  }
  if (quoted) return std::nullopt;
  fields.emplace_back(was_quoted ? field : std::string(trimmed(field)));
  return fields;
}

std::string ascii_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool is_header(const std::vector<std::string>& f) {
  if (f.size() != 2) return false;
  const std::string t = ascii_lower(f[0]), v = ascii_lower(f[1]);
  return (t == "t" && v == "value") || (t == "date" && v == "value") || (f[0] == "日付" && f[1] == "値");
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 1 or 2 digits as two ("5" → "05"); empty when not.
std::string two_digits(std::string_view s) {
  if (!all_digits(s) || s.size() > 2) return {};
  return s.size() == 1 ? std::string{'0', s[0]} : std::string(s);
}

// A point's time as the API writes it, or as Excel does: 2026/11/01, 2026/1/5, 2026/11,
// 2026/11/01 9:00 (minutes and seconds zero).
std::optional<point_time> upload_time(std::string_view s) {
  if (auto t = parse_point_time(s)) return t;
  std::string_view date = s, clock;
  if (const auto split = s.find_first_of("T "); split != std::string_view::npos)
    date = s.substr(0, split), clock = trimmed(s.substr(split + 1));
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto sep = date.find_first_of("/-", start);
    parts.push_back(date.substr(start, sep == std::string_view::npos ? std::string_view::npos : sep - start));
    if (sep == std::string_view::npos) break;
    start = sep + 1;
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0].size() != 4 || !all_digits(parts[0])) return std::nullopt;
  std::string canonical = std::string(parts[0]) + "-" + two_digits(parts[1]);
  if (parts.size() == 3) canonical.append("-").append(two_digits(parts[2]));
  if (!clock.empty()) {
    if (parts.size() != 3) return std::nullopt;
    const auto colon = clock.find(':');
    const std::string_view rest = colon == std::string_view::npos ? std::string_view() : clock.substr(colon);
    if (!rest.empty() && rest != ":00" && rest != ":00:00") return std::nullopt;
    canonical.append("T").append(two_digits(clock.substr(0, colon)));
  }
  return parse_point_time(canonical);
}

// A finite number; "1,234,567.5" (commas grouping thousands) and a leading + are read too.
std::optional<double> upload_value(std::string s) {
  if (!s.empty() && s.front() == '+') s.erase(0, 1);
  if (s.find(',') != std::string::npos) {
    const std::size_t start = !s.empty() && s.front() == '-' ? 1 : 0;
    const std::size_t end = std::min(s.find('.'), s.size());
    if (s.find(',', end) != std::string::npos) return std::nullopt;  // a comma among the decimals
    const std::string_view whole = std::string_view(s).substr(start, end - start);
    for (std::size_t i = 0; i < whole.size(); ++i) {
      const bool comma_place = (whole.size() - i) % 4 == 0;
      if ((whole[i] == ',') != comma_place || (i == 0 && whole[i] == ',')) return std::nullopt;
    }
    s.erase(std::remove(s.begin(), s.end(), ','), s.end());
  }
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// The file as UTF-8 text, or nullopt when it is not valid in the encoding chosen. `auto` takes
// UTF-8 when the bytes are valid UTF-8, else CP932.
std::optional<std::string> decode(std::string_view bytes, text_encoding& encoding) {
  if (encoding != text_encoding::shift_jis && bytes.substr(0, utf8_bom.size()) == utf8_bom) {
    bytes.remove_prefix(utf8_bom.size());
    encoding = text_encoding::utf8;
  }
  if (encoding != text_encoding::shift_jis)
    if (auto text = to_utf8(bytes, "UTF-8"); text || encoding == text_encoding::utf8) return text;
  encoding = text_encoding::shift_jis;
  return to_utf8(bytes, "CP932");
}

// The lines of a file (LF or CRLF; a CP932 byte is never 0x0A, so raw bytes split as text does).
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < text.size();) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// Collects errors up to the limit, counting the rest.
struct error_list {
  std::vector<field_error> kept;
  std::size_t left_out = 0;
  void add(field_error e) {
    if (kept.size() < custom_upload_errors_max)
      kept.push_back(std::move(e));
    else
      ++left_out;
  }
  std::vector<field_error> done(lang l) && {
    if (left_out > 0) {
      auto e = line_fail(0, "line", "too_many_errors", l);
      e.line = 0;
      e.message += " (" + std::to_string(left_out) + ")";
      kept.push_back(std::move(e));
    }
    return std::move(kept);
  }
};

}  // namespace

std::optional<text_encoding> parse_text_encoding(std::string_view s) {
  const std::string v = ascii_lower(std::string(s));
  if (v == "auto") return text_encoding::automatic;
  if (v == "utf-8" || v == "utf8") return text_encoding::utf8;
  if (v == "shift_jis" || v == "shift-jis" || v == "sjis" || v == "cp932") return text_encoding::shift_jis;
  return std::nullopt;
}

upload_reading read_custom_upload(const custom_upload& upload, civil_date today) {
  const lang l = upload.language;
  upload_reading out;
  // The name and unit follow the rules of a set made by hand.
  auto named = parse_custom(nlohmann::json{{"name", upload.name}, {"unit", upload.unit}}, l);
  if (auto* errors = std::get_if<std::vector<field_error>>(&named)) {
    out.errors = std::move(*errors);
    out.whole_file_refused = true;
    return out;
  }
  out.form = std::move(std::get<custom_form>(named));

  // Decoded whole when it can be (one iconv pass); else line by line, to name the bad lines.
  text_encoding encoding = upload.encoding;
  const auto whole = decode(upload.bytes, encoding);
  std::string_view raw = upload.bytes;
  if (encoding == text_encoding::utf8 && raw.substr(0, utf8_bom.size()) == utf8_bom) raw.remove_prefix(utf8_bom.size());
  const auto lines = lines_of(whole ? std::string_view(*whole) : raw);
  const char* line_encoding = encoding == text_encoding::shift_jis ? "CP932" : "UTF-8";

  error_list errors;
  const civil_date first_day = retention_start(today, custom_retention_months);
  std::set<point_time> seen;
  std::optional<point_kind> kind;
  bool header_seen = false;
  std::size_t header_line = 1;  // the first line that is not blank
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t number = i + 1;
    std::optional<std::string> converted;
    if (!whole && !(converted = to_utf8(lines[i], line_encoding))) {
      if (!header_seen) {  // the header unreadable: refused below
        header_line = number;
        break;
      }
      errors.add(line_fail(number, "line", "encoding", l));
      continue;
    }
    const std::string_view line = converted ? std::string_view(*converted) : lines[i];
    if (trimmed(line).empty()) continue;
    const auto fields = csv_fields(line);
    if (!header_seen) {
      header_line = number;
      if (!fields || !is_header(*fields)) break;
      header_seen = true;
      continue;
    }
    if (!fields || fields->size() != 2) {
      errors.add(line_fail(number, "line", "columns", l));
      continue;
    }
    const auto& [t_text, value_text] = std::pair((*fields)[0], (*fields)[1]);
    std::optional<point_time> t;
    bool line_ok = true;
    if (t_text.empty()) {
      errors.add(line_fail(number, "t", "required", l)), line_ok = false;
    } else if (!(t = upload_time(t_text))) {
      errors.add(line_fail(number, "t", "invalid", l)), line_ok = false;
    } else if (kind && *kind != t->kind) {
      errors.add(line_fail(number, "t", "kind_mismatch", l)), line_ok = false;
    } else if (t->date < first_day) {
      errors.add(line_fail(number, "t", "too_old", l)), line_ok = false;
    } else if (seen.count(*t)) {
      auto e = line_fail(number, "t", "duplicate", l);
      e.message += " (" + format_point_time(*t) + ")";
      errors.add(std::move(e)), line_ok = false;
    }
    std::optional<double> value;
    if (value_text.empty())
      errors.add(line_fail(number, "value", "required", l)), line_ok = false;
    else if (!(value = upload_value(value_text)))
      errors.add(line_fail(number, "value", "invalid", l)), line_ok = false;
    if (!line_ok) continue;
    if (out.form.points.size() >= custom_points_max) {
      errors.add(line_fail(number, "line", "too_many", l));
      continue;
    }
    kind = t->kind;
    seen.insert(*t);
    out.form.points.push_back({*t, *value});
  }
  if (!header_seen) {
    out.form.points.clear();
    out.errors = {line_fail(header_line, "line", "header", l)};
    out.whole_file_refused = true;
    return out;
  }
  out.errors = std::move(errors).done(l);
  return out;
}

}  // namespace cxs::domain
