#include "domain/mail_message.hpp"

#include "domain/base64.hpp"
#include "domain/time.hpp"

#include <algorithm>

namespace cxs::domain {

namespace {

bool is_ascii_printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
}

// Length of the UTF-8 character starting with byte c (1 for anything malformed).
std::size_t utf8_length(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

std::string normalised_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n')
      out += "\r\n";
    else
      out.push_back(text[i]);
  }
  return out;
}

}  // namespace

std::string encode_header_words(std::string_view utf8) {
  if (is_ascii_printable(utf8)) return std::string(utf8);
  // "=?UTF-8?B?" + base64 + "?=" ≤ 75 characters: at most 60 base64 characters, i.e. 45 bytes.
  constexpr std::size_t max_bytes = 45;
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t end = i;
    while (end < utf8.size()) {
      auto n = utf8_length(static_cast<unsigned char>(utf8[end]));
      if (end + n - i > max_bytes) break;
      end = std::min(utf8.size(), end + n);
    }
    if (end == i) end = std::min(utf8.size(), i + max_bytes);  // malformed input: still progress
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string rfc5322_date_jst(int64_t unix_seconds) {
  static const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto t = to_jst(unix_seconds);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0900", days[t.weekday], t.date.day,
                months[t.date.month - 1], t.date.year, t.hour, t.minute, t.second);
  return buf;
}

std::string render_message(const mail_message& m) {
  std::string out;
  out += "From: " + m.from + "\r\n";
  out += "To: " + m.to + "\r\n";
  out += "Subject: " + encode_header_words(m.subject) + "\r\n";
  out += "Date: " + rfc5322_date_jst(m.date_unix) + "\r\n";
  out += "Message-ID: <" + m.message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  auto encoded = base64_encode(normalised_crlf(m.body));
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

}  // namespace cxs::domain
