#pragma once
// What the fuzz targets share: a check that aborts (so libFuzzer records the input as a crash)
// and the fixed "now" every target parses against. Nothing here keeps state between inputs.

#include "domain/time.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cxs::fuzz {

// 2026-11-25T12:00:00+09:00, the clock of tests/domain/cdr_test.cpp.
inline constexpr domain::civil_date today{2026, 11, 25};
inline const int64_t now_unix = domain::days_from_civil(today) * 86400 + 3 * 3600;

[[noreturn]] inline void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz check failed: %s %s\n", what, detail.c_str());
  std::abort();
}

inline void check(bool ok, const char* what, const std::string& detail = {}) {
  if (!ok) fail(what, detail);
}

// The body as the routes read it: text, parsed without exceptions (discarded when not JSON).
inline nlohmann::json parse_body(std::string_view text) { return nlohmann::json::parse(text, nullptr, false); }

// A document the service stores (meta column family) is dumped with nlohmann's strict handler,
// which throws on invalid UTF-8: a parser must never let such a string through.
inline std::string strict_dump(const nlohmann::json& j) {
  try {
    return j.dump();
  } catch (const nlohmann::json::exception& e) {
    fail("strict dump threw", e.what());
  }
}

}  // namespace cxs::fuzz
