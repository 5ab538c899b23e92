// Prefectures (JIS X 0401 codes "01"–"47", "00" = unknown) and the prefecture of a phone number.
//
// The prefecture of a number comes from its area code, looked up with libphonenumber's offline
// geocoder (see prefecture.cpp for how its area names are turned into codes). Lookups are memoised
// per 6-digit prefix, lock-free on the hot path, so CDR ingest can call this per record from any
// thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxs::domain {

inline constexpr int prefecture_count = 47;

// "13" for 0312345678; "00" for mobile, IP (050), toll-free, navi-dial, withheld (empty) and
// anything the geocoder cannot place. Takes digits only.
std::string prefecture_of(std::string_view digits);
// The same as a number 0..47, for records and rollups.
uint8_t prefecture_code_of(std::string_view digits);

// "13" -> "東京都", "00" -> "不明"; an empty view for anything else.
std::string_view prefecture_name(std::string_view code);
std::string_view prefecture_name(uint8_t code);
// English name as the geocoder spells it ("Tokyo", "Hyogo"), "Unknown" for 0.
std::string_view prefecture_name_en(uint8_t code);

// 13 -> "13", 0 -> "00".
std::string format_prefecture(uint8_t code);
// "00".."47" -> 0..47; anything else (including "48", "1", " 1") -> nullopt.
std::optional<uint8_t> parse_prefecture(std::string_view code);

// The geocoder's own area name for a number, for diagnostics and tests: "札幌" (language "ja"),
// "Sapporo, Hokkaido" ("en"); empty when the geocoder has none. Not memoised.
std::string area_description(std::string_view digits, std::string_view language);

}  // namespace cxs::domain
