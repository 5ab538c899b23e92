#pragma once
// A start-up step: the first JST day whose calls are kept by minute (the `minutes` blocks that
// answer granularity=minute, SPEC §14). A new database keeps them from its first call on. A
// database written before minute figures existed keeps them from the day after its first start
// with them: calls of earlier days were stored without, and a minute answer for such a day is
// refused rather than shown as zeros. Stored once in meta `minutes_since`.

#include "actors/account_table.hpp"
#include "domain/time.hpp"
#include "storage/store.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace cxs::actors {

// nullopt with `error` set when storage failed or the stored day cannot be read.
std::optional<domain::civil_date> minutes_kept_since(storage::store& db, const account_table& accounts,
                                                     int64_t now_unix, std::string& error);

}  // namespace cxs::actors
