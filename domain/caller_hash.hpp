// Callers are personal data: a caller number is kept only as a keyed hash (SPEC §8), enough to
// count distinct and repeat callers without being able to read the number back.
#pragma once

#include <string>
#include <string_view>

namespace cxs::domain {

inline constexpr std::size_t caller_hash_size = 16;

// HMAC-SHA-256(key, digits) truncated to 16 raw bytes (not hex); "" for a withheld (empty) caller.
// 128 bits keep collisions out of reach for any realistic number of callers while halving storage.
// Thread-safe; cheap enough to call per CDR (keeps a per-thread keyed context).
std::string hash_caller(std::string_view key, std::string_view digits);

}  // namespace cxs::domain
