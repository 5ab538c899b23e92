#include "load/mailbox.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>

namespace cxs::load {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t') clean += c;
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out(clean.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  auto padding =
      static_cast<std::size_t>(std::count(clean.end() - std::min<std::size_t>(2, clean.size()), clean.end(), '='));
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace

std::optional<mail> parse_mail(std::string_view raw) {
  auto split = raw.find("\r\n\r\n");
  std::size_t skip = 4;
  if (split == std::string_view::npos) {
    split = raw.find("\n\n");
    skip = 2;
  }
  if (split == std::string_view::npos) return std::nullopt;
  auto headers = raw.substr(0, split);
  auto body = raw.substr(split + skip);
  mail m;
  bool base64 = false;
  std::size_t at = 0;
  while (at < headers.size()) {
    auto end = headers.find('\n', at);
    auto line = headers.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    at = end == std::string_view::npos ? headers.size() : end + 1;
    auto colon = line.find(':');
    if (colon == std::string_view::npos || line.starts_with(" ") || line.starts_with("\t")) continue;
    auto name = lower(std::string(line.substr(0, colon)));
    auto value = trim(line.substr(colon + 1));
    if (name == "to") {
      auto lt = value.rfind('<'), gt = value.rfind('>');
      m.to = lower(std::string(lt != std::string_view::npos && gt > lt ? value.substr(lt + 1, gt - lt - 1) : value));
    } else if (name == "content-transfer-encoding") {
      base64 = lower(std::string(value)) == "base64";
    }
  }
  if (m.to.empty()) return std::nullopt;
  if (base64) {
    auto decoded = base64_decode(body);
    if (!decoded) return std::nullopt;
    m.body = std::move(*decoded);
  } else {
    m.body = std::string(body);
  }
  return m;
}

std::optional<std::string> find_otp(std::string_view body) {
  static const std::regex pattern("ワンタイムパスワード: ([0-9]{6})");
  std::match_results<std::string_view::const_iterator> hit;
  if (std::regex_search(body.begin(), body.end(), hit, pattern)) return hit[1].str();
  return std::nullopt;
}

std::optional<std::string> find_signup_token(std::string_view body) {
  static const std::regex pattern("/signup/confirm/([A-Za-z0-9_-]{43})");
  std::match_results<std::string_view::const_iterator> hit;
  if (std::regex_search(body.begin(), body.end(), hit, pattern)) return hit[1].str();
  return std::nullopt;
}

outbox_reader::outbox_reader(std::string folder, std::string mail_domain) : folder_(std::move(folder)) {
  suffix_ = '@';
  suffix_ += lower(std::move(mail_domain));
}

void outbox_reader::poll() {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::directory_iterator it(folder_, ec), end; !ec && it != end; it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name.starts_with(".") || !name.ends_with(".eml") || ignored_files_.contains(name)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) continue;  // vanished meanwhile: nothing to read
    auto m = parse_mail(raw);
    if (!m || !m->to.ends_with(suffix_)) {
      ignored_files_.insert(name);
      continue;
    }
    ++mails_read_;
    auto& queue = queued_[m->to];
    queue.push_back(std::move(m->body));
    // Mails nobody asks for (the sign-up's 2/3 and 3/3, notices) must not pile up.
    while (queue.size() > 8) queue.pop_front();
    fs::remove(it->path(), ec);
    ec.clear();
  }
}

std::optional<std::string> outbox_reader::take(const std::string& address, wanted what) {
  auto found = queued_.find(address);
  if (found == queued_.end()) return std::nullopt;
  auto& queue = found->second;
  for (auto it = queue.begin(); it != queue.end(); ++it) {
    auto value = what == wanted::otp ? find_otp(*it) : find_signup_token(*it);
    if (value) {
      queue.erase(it);
      if (queue.empty()) queued_.erase(found);
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace cxs::load
