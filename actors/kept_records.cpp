#include "actors/kept_records.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace cxs::actors {

std::string encode_lock(const kept_lock& lock) { return nlohmann::json{{"until", lock.until}}.dump(); }

std::optional<kept_lock> decode_lock(std::string_view id, std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (id.empty() || !j.is_object() || !j.contains("until") || !j["until"].is_number_integer()) return std::nullopt;
  kept_lock lock{std::string(id), j["until"].get<int64_t>()};
  if (lock.until <= 0) return std::nullopt;
  return lock;
}

bool read_kept_records(storage::store& db, std::string_view prefix,
                       const std::function<bool(std::string_view name, std::string_view value)>& keep,
                       std::string& error, std::size_t& gone) {
  std::vector<std::string> stale;
  auto s = db.scan_prefix(storage::cf::meta, prefix, [&](std::string_view key, std::string_view value) {
    if (!keep(key.substr(prefix.size()), value)) stale.emplace_back(key);
    return true;
  });
  if (!s.ok()) {
    error = "cannot read the records under " + std::string(prefix) + ": " + s.error;
    return false;
  }
  gone += stale.size();
  if (!stale.empty()) {
    auto batch = db.batch();
    for (const auto& k : stale) batch.erase(storage::cf::meta, k);
    // Left for the next reading, which erases them again.
    if (auto w = db.write(batch, false); !w.ok())
      spdlog::warn("run-out records under {} stay in storage: {}", prefix, w.error);
  }
  return true;
}

bool read_kept_locks(storage::store& db, std::string_view prefix, int64_t now, std::vector<kept_lock>& locks,
                     std::string& error, std::size_t& gone) {
  return read_kept_records(
      db, prefix,
      [&](std::string_view name, std::string_view value) {
        auto lock = decode_lock(name, value);
        if (!lock || lock->until <= now) return false;
        locks.push_back(std::move(*lock));
        return true;
      },
      error, gone);
}

}  // namespace cxs::actors
