#include "config/clock.hpp"

#include <chrono>
#include <fstream>

namespace cxs::config {

int64_t clock::now() const {
  auto real =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (offset_file_.empty()) return real;
  std::ifstream in(offset_file_);
  long long offset = 0;
  if (in >> offset) return real + offset;
  return real;  // a missing or unreadable file means no offset
}

}  // namespace cxs::config
