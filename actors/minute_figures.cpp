#include "actors/minute_figures.hpp"

#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

namespace cxs::actors {

std::optional<domain::civil_date> minutes_kept_since(storage::store& db, const account_table& accounts,
                                                     int64_t now_unix, std::string& error) {
  storage::status read;
  if (auto stored = db.get(storage::cf::meta, storage::meta_minutes_since_key, read)) {
    if (auto day = domain::parse_date(*stored)) return day;
    error = "cxs-server: meta minutes_since is not a date: " + stored->substr(0, 32);
    return std::nullopt;
  }
  if (!read.ok()) {
    error = "cxs-server: cannot read meta minutes_since: " + read.error;
    return std::nullopt;
  }
  // No account yet: nothing was stored without minutes. Otherwise today's calls may have been.
  const domain::civil_date since =
      accounts.size() == 0 ? domain::civil_date{1970, 1, 1} : domain::add_days(domain::jst_today(now_unix), 1);
  if (auto s = db.put(storage::cf::meta, storage::meta_minutes_since_key, domain::format_date(since), true); !s.ok()) {
    error = "cxs-server: cannot store meta minutes_since: " + s.error;
    return std::nullopt;
  }
  if (accounts.size() != 0)
    spdlog::warn("calls are kept by minute from {} on: granularity=minute answers days from then",
                 domain::format_date(since));
  return since;
}

}  // namespace cxs::actors
