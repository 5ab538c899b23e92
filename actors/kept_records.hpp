#pragma once
// Records an actor keeps in `meta` across a restart, each under a prefix of its own, and the
// lockout among them (SPEC §18: a restart hands no fresh tries to whoever was guessing): the
// login's, lock/<ID> (actors/auth_store.hpp), and the download site's, certdl_lock/<account>
// (actors/certificates.cpp), both `{"until":<unix s>}`.

#include "storage/store.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cxs::actors {

struct kept_lock {
  std::string id;  // the name locked, as typed: unknown names lock too
  int64_t until = 0;
};

std::string encode_lock(const kept_lock& lock);
std::optional<kept_lock> decode_lock(std::string_view id, std::string_view text);

// Calls keep(name, value) for every record under prefix (name: the key after the prefix) and
// erases, unsynced, those it refuses — run out, or unreadable; how many went is added to gone.
// False with error when storage cannot be read.
bool read_kept_records(storage::store& db, std::string_view prefix,
                       const std::function<bool(std::string_view name, std::string_view value)>& keep,
                       std::string& error, std::size_t& gone);

// The locks under prefix still running at now; the rest are erased. False when storage cannot be read.
bool read_kept_locks(storage::store& db, std::string_view prefix, int64_t now, std::vector<kept_lock>& locks,
                     std::string& error, std::size_t& gone);

}  // namespace cxs::actors
