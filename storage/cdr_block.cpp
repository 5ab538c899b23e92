#include "storage/cdr_block.hpp"

#include "storage/keys.hpp"

#include <algorithm>

namespace cxs::storage {

namespace {
// Writers into a buffer with room for the record.
char* put_bytes(char* at, std::string_view s) {
  *at++ = static_cast<char>(s.size());
  return std::copy(s.begin(), s.end(), at);
}
template <typename T>
char* put_big_endian(char* at, T v) {
  for (int shift = 8 * (static_cast<int>(sizeof(T)) - 1); shift >= 0; shift -= 8)
    *at++ = static_cast<char>(static_cast<uint64_t>(v) >> shift);
  return at;
}
bool read_bytes(std::string_view in, std::size_t& at, std::string_view& out) {
  if (at >= in.size()) return false;
  auto n = static_cast<unsigned char>(in[at++]);
  if (at + n > in.size()) return false;
  out = in.substr(at, n);
  at += n;
  return true;
}
}  // namespace

std::size_t packed_size(const cdr_view& r) {
  // 3 length bytes, start (8), AN index (2), prefectures (2), duration (4), result (1).
  return std::min<std::size_t>(r.call_id.size(), 255) + std::min<std::size_t>(r.dn.size(), 255) +
         std::min<std::size_t>(r.caller_hash.size(), 255) + 20;
}

void append_cdr(std::string& block, const cdr_view& r) {
  // Packed on the stack and appended once: no zero-fill of the block's new bytes, one size check.
  char packed[3 * 255 + 20];
  char* at = put_bytes(packed, r.call_id.substr(0, 255));
  at = put_big_endian(at, static_cast<uint64_t>(r.start));
  at = put_big_endian(at, r.an_index);
  at = put_bytes(at, r.dn.substr(0, 255));
  at = put_bytes(at, r.caller_hash.substr(0, 255));
  *at++ = static_cast<char>(r.origin_pref);
  *at++ = static_cast<char>(r.dest_pref);
  at = put_big_endian(at, r.duration_s);
  *at++ = static_cast<char>(r.result);
  block.append(packed, static_cast<std::size_t>(at - packed));
}

void append_cdr(std::string& block, const stored_cdr& r) {
  append_cdr(block, cdr_view{r.call_id, r.start, r.an_index, r.dn, r.caller_hash, r.origin_pref, r.dest_pref,
                             r.duration_s, r.result});
}

bool for_each_cdr(std::string_view in, const std::function<void(const cdr_view&)>& f) {
  std::size_t at = 0;
  while (at < in.size()) {
    cdr_view r;
    if (!read_bytes(in, at, r.call_id) || at + 10 > in.size()) return false;
    r.start = static_cast<int64_t>(read_u64(in, at));
    r.an_index = read_u16(in, at + 8);
    at += 10;
    if (!read_bytes(in, at, r.dn) || !read_bytes(in, at, r.caller_hash) || at + 7 > in.size()) return false;
    r.origin_pref = static_cast<uint8_t>(in[at]);
    r.dest_pref = static_cast<uint8_t>(in[at + 1]);
    r.duration_s = read_u32(in, at + 2);
    auto result = static_cast<uint8_t>(in[at + 6]);
    if (result >= domain::call_result_count) return false;
    r.result = static_cast<domain::call_result>(result);
    at += 7;
    f(r);
  }
  return true;
}

std::optional<std::vector<stored_cdr>> decode_cdr_block(std::string_view in) {
  std::vector<stored_cdr> out;
  const bool whole = for_each_cdr(in, [&](const cdr_view& r) {
    out.push_back({std::string(r.call_id), r.start, r.an_index, std::string(r.dn), std::string(r.caller_hash),
                   r.origin_pref, r.dest_pref, r.duration_s, r.result});
  });
  if (!whole) return std::nullopt;
  return out;
}

}  // namespace cxs::storage
