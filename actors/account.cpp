#include "actors/account.hpp"

#include "domain/detail_table.hpp"
#include "domain/rollup.hpp"
#include "metrics/metrics.hpp"
#include "storage/cdr_block.hpp"
#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

#include <map>

namespace cxs::actors {

namespace {

struct account_state {
  account_env env;
  account_ptr record;
  domain::opid_numbers current;  // the OPID's ANs and DNs in the registry now
  domain::traffic_rollup rollup;
  // Detailed data (standard plan): loaded from storage by the first detailed analysis, then kept
  // up to date by ingest until the actor passivates.
  domain::detail_table details;
  bool details_loaded = false;
  uint64_t block_sequence = 0;
  metrics::actor_probe probe{"account"};
  static inline const char* name = "account";

  int retention_months() const { return domain::basic_retention_months(record->plan); }
  domain::civil_date today() const { return domain::jst_today(env.clock->now()); }

  std::unordered_map<std::string, uint16_t> an_indexes;  // an_order inverted

  void set_record(account_ptr r) {
    record = std::move(r);
    an_indexes.clear();
    for (std::size_t i = 0; i < record->an_order.size(); ++i)
      an_indexes.emplace(record->an_order[i], static_cast<uint16_t>(i));
  }

  uint16_t an_index(const std::string& an) const {
    auto it = an_indexes.find(an);
    return it == an_indexes.end() ? 0xffff : it->second;  // the directory routes only the account's ANs here
  }

  // Rebuilds the rollups from storage; a failed read is returned, never taken as "no data".
  storage::status load() {
    auto cutoff = domain::retention_start(today(), retention_months());
    auto cutoff_hour = domain::jst_day_start(cutoff) / 3600;
    auto s = env.db->scan_prefix(storage::cf::traffic, storage::account_prefix(record->number),
                                 [&](std::string_view key, std::string_view value) {
                                   auto k = storage::parse_traffic_key(key);
                                   if (static_cast<int64_t>(k.hour) < cutoff_hour) return true;
                                   if (auto counts = domain::decode_counts(value))
                                     rollup.set(k.hour, k.an_index, *counts);
                                   return true;
                                 });
    rollup.shrink();
    block_sequence = static_cast<uint64_t>(env.clock->now()) << 20;
    return s;
  }

  domain::civil_date detailed_from() const { return domain::detailed_window_start(*record, today()); }

  // Reads the detailed window's record blocks; a failed read or a corrupt block leaves nothing
  // loaded and is returned.
  storage::status load_details() {
    details.clear();
    const auto from = detailed_from();
    const auto first_month = static_cast<uint16_t>(domain::month_index(from));
    const auto end_month = static_cast<uint16_t>(domain::month_index(today()) + 1);
    auto range = storage::month_range(record->number, first_month, end_month);
    const int64_t first_day = domain::days_from_civil(from);
    storage::status corrupt;
    auto s = env.db->scan(storage::cf::cdr, range.begin, range.end, [&](std::string_view, std::string_view value) {
      auto block = storage::decode_cdr_block(value);
      if (!block) {
        corrupt.error = "a detailed-data block is corrupt";
        return false;
      }
      for (const auto& r : *block)
        if (domain::jst_day_number(r.start) >= first_day)
          details.add(r.start, r.duration_s, r.caller_hash, r.an_index, r.dn, r.origin_pref, r.dest_pref, r.result);
      return true;
    });
    if (s.ok()) s = corrupt;
    if (!s.ok()) {
      details.clear();
      return s;
    }
    details.sort();
    details_loaded = true;
    return s;
  }

  void drop_details() {
    details.clear();
    details_loaded = false;
  }
};

using self_ptr = account_actor::stateful_pointer<account_state>;

// Splits a request's records into outcomes, updates the rollups and builds the durable batch.
struct ingest_work {
  ingest_counts counts;
  storage::write_batch batch;
  storage::status read_error;  // set: nothing was changed, the request fails
};

ingest_work prepare_ingest(account_state& st, const account_records& in) {
  ingest_work w;
  w.batch = st.env.db->batch();
  auto& rec = *st.record;
  auto min_date = std::max(rec.registered, domain::retention_start(st.today(), st.retention_months()));

  std::vector<const domain::cdr*> records;
  std::vector<std::string> keys;
  records.reserve(in.records.size());
  keys.reserve(in.records.size());
  for (auto& r : in.records) {
    if (domain::to_jst(r.start).date < min_date) {
      ++w.counts.too_old;
      continue;
    }
    records.push_back(&r);
    keys.push_back(storage::seen_key(r.an, r.call_id));
  }
  // Sorted by key (then by position, so the first of equal keys stands): duplicates within the
  // request are neighbours, the lookup walks the index in order, and the memtable inserts of the
  // seen keys below reuse their position from one key to the next.
  std::vector<uint32_t> order(keys.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    int c = keys[a].compare(keys[b]);
    return c < 0 || (c == 0 && a < b);
  });
  std::vector<uint32_t> unique;
  std::vector<std::string_view> lookup;
  unique.reserve(order.size());
  lookup.reserve(order.size());
  for (auto i : order) {
    if (!unique.empty() && keys[unique.back()] == keys[i]) {
      ++w.counts.duplicates;
      continue;
    }
    unique.push_back(i);
    lookup.push_back(keys[i]);
  }
  auto existing = st.env.db->multi_get(storage::cf::seen, lookup, w.read_error);
  if (!w.read_error.ok()) return w;  // duplicates unknown: accept nothing rather than guess

  std::vector<std::pair<int64_t, uint16_t>> touched;
  std::map<std::pair<uint16_t, uint8_t>, std::string> blocks;  // (month, day) -> packed records
  // Raw records are detailed data: standard plan only, from its detailed window's first day.
  bool keep_detailed = rec.plan == "standard";
  auto detailed_from = st.detailed_from();
  for (std::size_t k = 0; k < unique.size(); ++k) {
    if (existing[k]) {
      ++w.counts.duplicates;
      continue;
    }
    auto& r = *records[unique[k]];
    auto date = domain::to_jst(r.start).date;
    auto month = static_cast<uint16_t>(domain::month_index(date));
    auto idx = st.an_index(r.an);
    int64_t hour = r.start / 3600;
    st.rollup.add(hour, idx, r.result, r.duration_s);
    touched.emplace_back(hour, idx);
    char month_bytes[2] = {static_cast<char>(month >> 8), static_cast<char>(month)};
    w.batch.put(storage::cf::seen, lookup[k], {month_bytes, 2});
    if (keep_detailed && date >= detailed_from) {
      storage::append_cdr(
          blocks[{month, static_cast<uint8_t>(date.day)}],
          {r.call_id, r.start, idx, r.dn, r.caller, r.origin_pref, r.dest_pref, r.duration_s, r.result});
      if (st.details_loaded)
        st.details.add(r.start, r.duration_s, r.caller, idx, r.dn, r.origin_pref, r.dest_pref, r.result);
    }
    ++w.counts.accepted;
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (auto& [hour, idx] : touched) {
    auto month = static_cast<uint16_t>(domain::month_index(domain::to_jst(hour * 3600).date));
    if (auto* counts = st.rollup.find(hour, idx))
      w.batch.put(storage::cf::traffic, storage::traffic_key(rec.number, month, static_cast<uint32_t>(hour), idx),
                  domain::encode_counts(*counts));
  }
  for (auto& [md, block] : blocks)
    w.batch.put(storage::cf::cdr, storage::cdr_key(rec.number, md.first, md.second, st.block_sequence++), block);
  return w;
}

account_actor::behavior_type account(self_ptr self, account_env env, account_ptr record, domain::opid_numbers current) {
  auto& st = self->state;
  st.env = std::move(env);
  st.set_record(std::move(record));
  st.current = std::move(current);
  if (auto s = st.load(); !s.ok()) {
    spdlog::error("account {}: cannot load its rollups: {}", st.record->id, s.error);
    self->quit(caf::sec::runtime_error);  // the next message tries again from storage
  }
  return {
      [=](ingest_atom, records_ptr& records) -> caf::result<ingest_counts> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto work = prepare_ingest(st, *records);
        if (!work.read_error.ok()) {
          spdlog::error("account {}: duplicate check failed: {}", st.record->id, work.read_error.error);
          return to_error(domain::error_code::storage, "storage read failed");
        }
        // Written here, unsynced (memtable inserts run in parallel across accounts); the ingest
        // job syncs the WAL once for all its accounts before it answers.
        auto s = work.batch.empty() ? storage::status{} : st.env.db->write(work.batch, false);
        if (!s.ok()) {
          // Memory now holds rollups storage does not: restart from storage.
          spdlog::error("account {}: storage write failed: {}", st.record->id, s.error);
          self->quit(caf::sec::runtime_error);
          return to_error(domain::error_code::storage, "storage write failed");
        }
        return work.counts;
      },
      [=](analyze_atom, const domain::analysis_request& query) -> caf::result<domain::analysis_document> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        const bool detailed =
            domain::tier_of(query.name) == domain::analysis_tier::detailed && st.record->plan == "standard";
        if (detailed && !st.details_loaded) {
          if (auto s = st.load_details(); !s.ok()) {
            spdlog::error("account {}: cannot load its detailed data: {}", st.record->id, s.error);
            return to_error(domain::error_code::storage, "storage read failed");
          }
        }
        if (detailed) st.details.sort();
        auto answer = domain::answer_analysis(
            query, {st.rollup, *st.record, st.current, st.today(), detailed ? &st.details : nullptr});
        if (!answer) return to_error(answer.error());
        return std::move(answer.value());
      },
      [=](info_atom, account_ptr& updated, domain::opid_numbers& current) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        bool plan_changed = updated->plan != st.record->plan;
        st.set_record(std::move(updated));
        st.current = std::move(current);
        if (plan_changed) {
          st.rollup = {};
          st.drop_details();
          // The directory has applied the new plan's retention to storage.
          if (auto s = st.load(); !s.ok()) {
            spdlog::error("account {}: cannot reload its rollups: {}", st.record->id, s.error);
            self->quit(caf::sec::runtime_error);
          }
        }
        return true;
      },
      [=](retain_atom) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto cutoff = domain::retention_start(st.today(), st.retention_months());
        st.rollup.erase_before(domain::jst_day_start(cutoff) / 3600);
        if (st.details_loaded) st.details.erase_before(st.detailed_from());
        return true;
      },
      [=](crash_atom) {
        spdlog::warn("account {} made to fail (testing trigger)", self->state.record->id);
        self->quit(caf::sec::runtime_error);
      },
      [=](passiv_atom) {
        // Accounts with messages queued stay; the directory asks again later.
        if (self->mailbox().size() != 0) return false;
        self->quit();
        return true;
      },
  };
}

}  // namespace

account_actor spawn_account(caf::actor_system& sys, const account_env& env, account_ptr record,
                            domain::opid_numbers current) {
  return sys.spawn(account, env, std::move(record), std::move(current));
}

}  // namespace cxs::actors
