#pragma once
// The one clock every expiry and retention rule reads. In tests, --testing.clock names a file
// holding a signed number of seconds added to the real clock, read again at each use, so a test
// can pass 24 h or a month end without waiting.

#include <cstdint>
#include <string>

namespace cxs::config {

class clock {
 public:
  clock() = default;
  explicit clock(std::string offset_file) : offset_file_(std::move(offset_file)) {}
  int64_t now() const;  // unix seconds
  bool is_testing() const { return !offset_file_.empty(); }

 private:
  std::string offset_file_;
};

}  // namespace cxs::config
