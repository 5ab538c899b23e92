#include "storage/minute_block.hpp"

#include "storage/keys.hpp"

#include <algorithm>

namespace cxs::storage {

namespace {
constexpr std::size_t fixed_bytes = 10;  // minute (2), AN index (2), duration (4), result (1), DN length (1)
constexpr uint16_t minutes_per_day = 24 * 60;
}  // namespace

std::size_t minute_packed_size(const minute_call& c) { return fixed_bytes + std::min<std::size_t>(c.dn.size(), 255); }

void append_minute(std::string& block, const minute_call& c) {
  const auto dn = c.dn.substr(0, 255);
  char packed[fixed_bytes];
  packed[0] = static_cast<char>(c.minute >> 8);
  packed[1] = static_cast<char>(c.minute);
  packed[2] = static_cast<char>(c.an_index >> 8);
  packed[3] = static_cast<char>(c.an_index);
  for (int i = 0; i < 4; ++i) packed[4 + i] = static_cast<char>(c.duration_s >> (24 - 8 * i));
  packed[8] = static_cast<char>(c.result);
  packed[9] = static_cast<char>(dn.size());
  block.append(packed, fixed_bytes);
  block.append(dn);
}

bool for_each_minute(std::string_view in, const std::function<void(const minute_call&)>& f) {
  std::size_t at = 0;
  while (at < in.size()) {
    if (at + fixed_bytes > in.size()) return false;
    minute_call c;
    c.minute = read_u16(in, at);
    c.an_index = read_u16(in, at + 2);
    c.duration_s = read_u32(in, at + 4);
    const auto result = static_cast<uint8_t>(in[at + 8]);
    const auto dn_size = static_cast<unsigned char>(in[at + 9]);
    at += fixed_bytes;
    if (c.minute >= minutes_per_day || result >= domain::call_result_count || at + dn_size > in.size()) return false;
    c.result = static_cast<domain::call_result>(result);
    c.dn = in.substr(at, dn_size);
    at += dn_size;
    f(c);
  }
  return true;
}

}  // namespace cxs::storage
