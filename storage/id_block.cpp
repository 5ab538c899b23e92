#include "storage/id_block.hpp"

namespace cxs::storage {

void append_id(std::string& block, uint16_t an_index, std::string_view call_id) {
  block.push_back(static_cast<char>(an_index >> 8));
  block.push_back(static_cast<char>(an_index & 0xff));
  block.push_back(static_cast<char>(call_id.size()));  // ≤ 64: checked at parse (domain/cdr.cpp)
  block.append(call_id);
}

bool for_each_id(std::string_view block, const std::function<void(uint16_t, std::string_view)>& f) {
  std::size_t at = 0;
  while (at < block.size()) {
    if (block.size() - at < 3) return false;
    const auto an_index =
        static_cast<uint16_t>(static_cast<unsigned char>(block[at]) << 8 | static_cast<unsigned char>(block[at + 1]));
    const std::size_t length = static_cast<unsigned char>(block[at + 2]);
    at += 3;
    if (length == 0 || block.size() - at < length) return false;
    f(an_index, block.substr(at, length));
    at += length;
  }
  return true;
}

}  // namespace cxs::storage
