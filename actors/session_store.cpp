#include "actors/session_store.hpp"

#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

namespace cxs::actors {

namespace {
std::string key_of(const std::string& digest) { return std::string(storage::meta_session_prefix) + digest; }
}  // namespace

bool session_store::saved(const sessions::stored_session& s) {
  auto batch = db_.batch();
  batch.put(storage::cf::meta, key_of(s.digest), sessions::encode_session(s));
  auto status = db_.write(batch, true);
  if (!status.ok())
    spdlog::error(
        "sessions: a session record could not be stored (a new session ends at a restart, a take-over's "
        "mark is forgotten): {}",
        status.error);
  return status.ok();
}

bool session_store::erased(const std::vector<std::string>& digests) {
  auto batch = db_.batch();
  for (const auto& d : digests) batch.erase(storage::cf::meta, key_of(d));
  auto status = db_.write(batch, true);
  if (!status.ok())
    spdlog::error("sessions: ended sessions could not be erased from storage (retried): {}", status.error);
  return status.ok();
}

void session_store::touched(const std::vector<sessions::stored_session>& sessions) {
  auto batch = db_.batch();
  for (const auto& s : sessions) batch.put(storage::cf::meta, key_of(s.digest), sessions::encode_session(s));
  if (auto status = db_.write(batch, false); !status.ok())
    spdlog::warn("sessions: last uses could not be stored: {}", status.error);
}

bool load_sessions(storage::store& db, sessions::session_table& table, int64_t now, std::string& error) {
  std::vector<std::string> gone;
  std::size_t kept = 0, marks = 0;
  auto s = db.scan_prefix(storage::cf::meta, storage::meta_session_prefix,
                          [&](std::string_view key, std::string_view value) {
                            auto record = sessions::decode_session(value);
                            std::string replaced;
                            if (record && key.substr(storage::meta_session_prefix.size()) == record->digest &&
                                table.restore(*record, now, &replaced))
                              ++(record->replaced_until ? marks : kept);
                            else
                              gone.emplace_back(key.substr(storage::meta_session_prefix.size()));
                            if (!replaced.empty()) {
                              --kept;
                              gone.push_back(std::move(replaced));
                            }
                            return true;
                          });
  if (!s.ok()) {
    error = "cxs-server: cannot read the sessions: " + s.error;
    return false;
  }
  if (!gone.empty()) {
    auto batch = db.batch();
    for (const auto& d : gone) batch.erase(storage::cf::meta, key_of(d));
    if (auto w = db.write(batch, false); !w.ok()) spdlog::warn("sessions: ended sessions stay in storage: {}", w.error);
  }
  spdlog::info("sessions: {} kept from before the start ({} taken-over marks besides), {} ended meanwhile", kept, marks,
               gone.size());
  return true;
}

}  // namespace cxs::actors
