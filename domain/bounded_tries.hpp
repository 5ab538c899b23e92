#pragma once
// Tables of wrong tries are bounded, whatever names clients send (SPEC §18: memory no client can
// grow) — the login's by ID (actors/auth.cpp), the download site's by download account
// (actors/certificates.cpp). When one is full, the tenth of its entries that guard least go:
// unlocked before locked (a flood of made-up names cannot clear a lock while unlocked entries
// remain), then least recently failed.

#include <cstdint>
#include <string>
#include <vector>

namespace cxs::domain {

struct tried_name {
  std::string name;
  bool locked = false;
  int64_t last = 0;  // the last wrong try
};

// The names a full table drops: a tenth of them, at least one (none of an empty table).
std::vector<std::string> names_to_drop(std::vector<tried_name> table);

}  // namespace cxs::domain
