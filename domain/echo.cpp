#include "domain/echo.hpp"

namespace cxs::domain {

std::string shown(std::string_view value, std::size_t limit) {
  std::string out = "'";
  for (const char c : value.substr(0, limit)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (value.size() > limit) out += "...";
  out.push_back('\'');
  return out;
}

}  // namespace cxs::domain
