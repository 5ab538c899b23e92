#pragma once
// The compact in-memory form of an account record. The directory keeps every account in memory
// (SPEC §17: 100,000 accounts, ≤ 1 KiB each while passivated): the struct with its 15 strings
// takes ~750 bytes on the heap, this form one allocation of ~180. Not a storage format — records
// are stored as JSON (to_storage_json) and this form never leaves the process.

#include "domain/account.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cxs::domain {

// Every field of the record, lengths as LEB128 varints.
std::string pack_account(const account& a);
// The record pack_account was given; nullopt when bytes are not such a form (truncated, or
// trailing bytes).
std::optional<account> unpack_account(std::string_view bytes);

}  // namespace cxs::domain
