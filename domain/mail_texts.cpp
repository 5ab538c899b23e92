#include "domain/mail_texts.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

namespace cxs::domain {

namespace detail {
// Generated at build time from config/mail/*.txt (CMakeLists.txt): {file name without .txt, content}.
std::vector<std::pair<std::string_view, std::string_view>> builtin_mail_files();
}  // namespace detail

namespace {

constexpr std::array<std::string_view, 10> mail_names{
    mail_signup_provisional,   mail_signup_accepted,     mail_signup_ready, mail_login_otp,
    mail_password_reset,       mail_account_changed,     mail_child_ready,  mail_session_replaced,
    mail_certificate_download, mail_certificate_expiring};

// Well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else
      return false;
    if (i + n >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

// One line without its end (LF or CRLF); rest is moved past it. False when there is no line end.
bool take_line(std::string_view& rest, std::string_view& line) {
  auto lf = rest.find('\n');
  if (lf == std::string_view::npos) return false;
  line = rest.substr(0, lf);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  rest.remove_prefix(lf + 1);
  return true;
}

std::string fill(std::string_view text, const mail_vars& vars) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    auto open = text.find("{{", at);
    if (open == std::string_view::npos) break;
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    auto it = vars.find(std::string(text.substr(open + 2, close - open - 2)));
    if (it == vars.end()) {
      // Unknown: keep "{{" and look again from the next character, so "{{{x}}" still works.
      out.append(text.substr(at, open + 1 - at));
      at = open + 1;
      continue;
    }
    out.append(text.substr(at, open - at));
    out.append(it->second);  // a value is never scanned again for placeholders
    at = close + 2;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace

mail_texts::mail_texts() {
  for (auto& [name, content] : detail::builtin_mail_files()) {
    mail_text t;
    std::string error;
    if (!parse(content, t, error)) {
      std::fprintf(stderr, "built-in mail text config/mail/%.*s.txt is malformed: %s\n", static_cast<int>(name.size()),
                   name.data(), error.c_str());
      std::abort();  // a build bug: the file in the source tree must be fixed
    }
    texts_.emplace(std::string(name), std::move(t));
  }
  for (auto name : mail_names) {
    if (texts_.find(name) == texts_.end()) {
      std::fprintf(stderr, "built-in mail text config/mail/%.*s.txt is missing\n", static_cast<int>(name.size()),
                   name.data());
      std::abort();
    }
  }
}

bool mail_texts::load_dir(const std::string& dir, mail_texts& out, std::string& error) {
  std::map<std::string, mail_text, std::less<>> texts;
  for (auto name : mail_names) {
    std::string path = dir;
    if (!path.empty() && path.back() != '/') path.push_back('/');
    path.append(name).append(".txt");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = path + ": cannot be read";
      return false;
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
      error = path + ": cannot be read";
      return false;
    }
    mail_text t;
    std::string problem;
    if (!parse(content.str(), t, problem)) {
      error = path;
      error.append(": ").append(problem);
      return false;
    }
    texts.emplace(std::string(name), std::move(t));
  }
  out.texts_ = std::move(texts);
  error.clear();
  return true;
}

mail_text mail_texts::render(std::string_view name, const mail_vars& vars) const {
  auto it = texts_.find(name);
  if (it == texts_.end()) return {};  // not one of the names above: a programming error
  return {fill(it->second.subject, vars), fill(it->second.body, vars)};
}

bool mail_texts::parse(std::string_view content, mail_text& out, std::string& error) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);  // a BOM from a Windows editor
  if (!is_utf8(content)) {
    error = "not UTF-8 text (save the file as UTF-8)";
    return false;
  }
  constexpr std::string_view prefix = "Subject: ";
  if (content.substr(0, prefix.size()) != prefix) {
    error = "the first line must start with \"Subject: \"";
    return false;
  }
  std::string_view rest = content, subject, blank;
  if (!take_line(rest, subject)) {
    error = "the Subject line must be followed by an empty line and the body";
    return false;
  }
  subject.remove_prefix(prefix.size());
  if (subject.find_first_not_of(" \t") == std::string_view::npos) {
    error = "the subject is empty";
    return false;
  }
  if (!take_line(rest, blank) || !blank.empty()) {
    error = "the second line must be empty (it separates the subject from the body)";
    return false;
  }
  // The body keeps LF line ends; the mailer writes CRLF on the wire.
  std::string body;
  body.reserve(rest.size());
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '\r' && i + 1 < rest.size() && rest[i + 1] == '\n') continue;
    body.push_back(rest[i]);
  }
  out.subject = std::string(subject);
  out.body = std::move(body);
  error.clear();
  return true;
}

}  // namespace cxs::domain
