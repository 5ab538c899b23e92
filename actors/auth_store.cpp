#include "actors/auth_store.hpp"

#include "storage/keys.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace cxs::actors {

namespace {

std::string lock_key(std::string_view id) { return std::string(storage::meta_lock_prefix) + std::string(id); }
std::string link_key(std::string_view digest) {
  return std::string(storage::meta_reissue_prefix) + std::string(digest);
}

}  // namespace

std::string encode_link(const kept_link& link) {
  return nlohmann::json{{"id", link.id}, {"expires", link.expires}}.dump();
}

std::optional<kept_link> decode_link(std::string_view digest, std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (digest.empty() || !j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("expires") ||
      !j["expires"].is_number_integer())
    return std::nullopt;
  kept_link link{std::string(digest), j["id"].get<std::string>(), j["expires"].get<int64_t>()};
  if (link.id.empty() || link.expires <= 0) return std::nullopt;
  return link;
}

void auth_store::write(storage::write_batch& batch, const char* what) {
  if (auto s = db_.write(batch, true); !s.ok())
    spdlog::error("auth: {} could not be stored (it holds until the next restart only): {}", what, s.error);
}

void auth_store::lock_saved(const kept_lock& lock) {
  auto batch = db_.batch();
  batch.put(storage::cf::meta, lock_key(lock.id), encode_lock(lock));
  write(batch, "a lockout");
}

void auth_store::locks_lifted(const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  auto batch = db_.batch();
  for (const auto& id : ids) batch.erase(storage::cf::meta, lock_key(id));
  write(batch, "the end of a lockout");
}

void auth_store::link_saved(const kept_link& link) {
  auto batch = db_.batch();
  batch.put(storage::cf::meta, link_key(link.digest), encode_link(link));
  write(batch, "a reissue link");
}

void auth_store::links_erased(const std::vector<std::string>& digests) {
  if (digests.empty()) return;
  auto batch = db_.batch();
  for (const auto& d : digests) batch.erase(storage::cf::meta, link_key(d));
  write(batch, "the end of a reissue link");
}

bool load_auth_state(storage::store& db, int64_t now, kept_auth_state& kept, std::string& error) {
  std::size_t gone = 0;
  auto keep_link = [&](std::string_view digest, std::string_view value) {
    auto link = decode_link(digest, value);
    if (!link || link->expires <= now) return false;
    kept.links.push_back(std::move(*link));
    return true;
  };
  if (!read_kept_locks(db, storage::meta_lock_prefix, now, kept.locks, error, gone) ||
      !read_kept_records(db, storage::meta_reissue_prefix, keep_link, error, gone)) {
    error = "cxs-server: cannot read the auth state: " + error;
    return false;
  }
  spdlog::info("auth: {} lockouts and {} reissue links kept from before the start, {} ran out meanwhile",
               kept.locks.size(), kept.links.size(), gone);
  return true;
}

}  // namespace cxs::actors
