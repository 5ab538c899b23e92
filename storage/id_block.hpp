#pragma once
// The call IDs an account kept, packed into one value per account, JST month and ingest request
// (column family `ids`): the exact record behind domain::call_id_set's fingerprints, written
// once per request as one new key instead of one random key per record.
//
// Entry: an_index u16 big-endian, length u8, the call ID's bytes (1–64, SPEC §8).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace cxs::storage {

void append_id(std::string& block, uint16_t an_index, std::string_view call_id);
// The bytes append_id adds (to size a block before filling it).
inline std::size_t packed_id_size(std::string_view call_id) { return 3 + call_id.size(); }
// Calls f(an_index, call_id) for each entry; false when the block is corrupt (f may have been
// called for the entries before the damage).
bool for_each_id(std::string_view block, const std::function<void(uint16_t, std::string_view)>& f);

}  // namespace cxs::storage
