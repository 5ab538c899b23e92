#include "http/route_table.hpp"

#include "http/request.hpp"

#include <algorithm>
#include <cctype>

namespace cxs::http {

std::vector<std::string> pattern_segments(std::string_view pattern) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= pattern.size()) {
    auto end = pattern.find('/', pos);
    if (end == std::string_view::npos) end = pattern.size();
    if (end > pos) out.emplace_back(pattern.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool is_media_type(std::string header, std::string_view want) {
  header = header.substr(0, header.find(';'));
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.pop_back();
  for (auto& ch : header) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return header == want;
}

bool pattern_matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                     std::vector<std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    auto& p = pattern[i];
    if (p.size() >= 2 && p.front() == '{' && p.back() == '}') {
      if (params) params->push_back(path[i]);
    } else if (p != path[i]) {
      return false;
    }
  }
  return true;
}

bool method_allowed(const std::vector<std::string>& methods, std::string_view method) {
  return std::any_of(methods.begin(), methods.end(), [&](auto& m) { return m == "*" || m == method; });
}

std::string allow_header(const std::vector<std::string>& methods) {
  std::string out;
  for (auto& m : methods) {
    if (!out.empty()) out += ", ";
    out += m;
  }
  return out;
}

}  // namespace cxs::http

namespace cxs::http {

std::vector<std::string> split_path(const std::string& path) { return pattern_segments(path); }

std::string cookie_value(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    auto item = std::string_view(header).substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.size() > name.size() && item.substr(0, name.size()) == name && item[name.size()] == '=')
      return std::string(item.substr(name.size() + 1));
    pos = end + 1;
  }
  return {};
}

}  // namespace cxs::http
