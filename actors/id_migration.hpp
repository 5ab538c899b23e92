#pragma once
// A start-up step for databases written before call IDs were kept as per-account blocks: moves
// every key of the former `seen` index (AN | call_id -> month) into the `ids` blocks of the
// account(s) whose AN order holds that AN, then empties `seen` and marks the move done, so an
// ID ingested before the upgrade is still a duplicate after it (SPEC §8).
//
// Blocks are written in batches as they fill; only the last, synced batch empties `seen` and sets
// the mark. A kill in between leaves `seen` whole and the step runs again at the next start,
// writing the same blocks under the same keys.

#include "actors/account_table.hpp"
#include "storage/store.hpp"

#include <string>
#include <vector>

namespace cxs::actors {

// False with `error` set when storage failed; true when moved or nothing was left to move.
bool migrate_seen_to_ids(storage::store& db, const account_table& accounts, std::string& error);

}  // namespace cxs::actors
