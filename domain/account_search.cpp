#include "domain/account_search.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace cxs::domain {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool contains_upper(std::string_view haystack, std::string_view upper_needle) {
  const auto it = std::search(haystack.begin(), haystack.end(), upper_needle.begin(), upper_needle.end(),
                              [](char h, char n) { return std::toupper(static_cast<unsigned char>(h)) == n; });
  return it != haystack.end() || upper_needle.empty();
}

}  // namespace

expected<account_search> read_account_search(const query_params& params) {
  account_search s;
  for (const auto& [key, value] : params) {
    if (key == "q") s.text = std::string(trimmed(value));
    if (key == "after") s.after = value;
    if (key == "limit") {
      std::size_t n = 0;
      const auto* end = value.data() + value.size();
      auto [ptr, ec] = std::from_chars(value.data(), end, n);
      if (ec != std::errc() || ptr != end || n < 1 || n > account_list_max_limit)
        return parameter_failure("limit",
                                 "limit must be a whole number from 1 to " + std::to_string(account_list_max_limit));
      s.limit = n;
    }
  }
  return s;
}

account_matcher::account_matcher(std::string_view text) {
  text = trimmed(text);
  for (char c : text) upper_ += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      digits_.clear();
      break;
    }
    digits_ += c;
  }
}

bool account_matcher::matches(std::string_view id, std::string_view opid,
                              const std::vector<std::string_view>& ans) const {
  if (upper_.empty() || contains_upper(id, upper_) || contains_upper(opid, upper_)) return true;
  if (digits_.empty()) return false;
  return std::any_of(ans.begin(), ans.end(), [&](std::string_view an) { return an.find(digits_) != an.npos; });
}

}  // namespace cxs::domain
