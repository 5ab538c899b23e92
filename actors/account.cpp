#include "actors/account.hpp"

#include "domain/call_id_set.hpp"
#include "domain/detail_table.hpp"
#include "domain/dn_rollup.hpp"
#include "domain/rollup.hpp"
#include "domain/secret.hpp"
#include "metrics/activity.hpp"
#include "metrics/metrics.hpp"
#include "storage/cdr_block.hpp"
#include "storage/id_block.hpp"
#include "storage/keys.hpp"
#include "storage/minute_block.hpp"

#include <spdlog/spdlog.h>

#include <functional>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_set>

namespace cxs::actors {

namespace {

struct account_state {
  account_env env;
  account_ptr record;
  domain::opid_numbers current;  // the OPID's ANs and DNs in the registry now
  domain::traffic_rollup rollup;
  domain::dn_rollup by_dn;  // standard plan only; empty on free
  // Detailed data (standard plan): loaded from storage by the first detailed analysis, then kept
  // up to date by ingest until the actor passivates.
  domain::detail_table details;
  bool details_loaded = false;
  // The call IDs kept (de-duplication), loaded from the id blocks by the first ingest.
  domain::call_id_set ids;
  bool ids_loaded = false;
  domain::group_book groups;    // standard plan; loaded with the rollups
  domain::custom_book customs;  // standard plan; loaded with the rollups
  // The next sequence of this account's cdr and ids keys: above every stored one.
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
    if (s.ok() && record->plan == "standard")
      s = env.db->scan_prefix(storage::cf::dn_traffic, storage::account_prefix(record->number),
                              [&](std::string_view key, std::string_view value) {
                                auto k = storage::parse_dn_traffic_key(key);
                                if (static_cast<int64_t>(k.cell.hour) < cutoff_hour) return true;
                                auto counts = domain::decode_counts(value);
                                auto index = by_dn.index_of(k.cell.an_index, k.dn);
                                if (counts && index) by_dn.cells().set(k.cell.hour, *index, *counts);
                                return true;
                              });
    groups.clear();
    if (s.ok() && record->plan == "standard")
      s = env.db->scan_prefix(storage::cf::groups, storage::account_prefix(record->number),
                              [&](std::string_view key, std::string_view value) {
                                const auto k = storage::parse_group_key(key);
                                const auto kind = static_cast<domain::group_kind>(k.kind);
                                if (auto g = domain::group_from_storage(std::string(k.id), value)) groups.put(kind, *g);
                                return true;
                              });
    customs.clear();
    if (s.ok() && record->plan == "standard")
      s = env.db->scan_prefix(
          storage::cf::custom, storage::account_prefix(record->number),
          [&](std::string_view key, std::string_view value) {
            if (auto set = domain::custom_from_storage(std::string(storage::custom_key_id(key)), value))
              customs.put(std::move(*set));
            return true;
          });
    if (s.ok()) s = retain_customs();
    rollup.shrink();
    by_dn.cells().shrink();
    block_sequence = static_cast<uint64_t>(env.clock->now()) << 20;
    return s;
  }

  // Custom data retention (24 months): drops older points in memory and writes back the sets
  // that lost some.
  storage::status retain_customs() {
    const auto changed = customs.drop_before(domain::retention_start(today(), domain::custom_retention_months));
    if (changed.empty()) return {};
    auto batch = env.db->batch();
    for (const auto& id : changed)
      batch.put(storage::cf::custom, storage::custom_key(record->number, id),
                domain::custom_to_storage(*customs.find(id)));
    return env.db->write(batch, false);
  }

  // An analysis over what the account keeps, loading its detailed data first when it needs them.
  // The generation of this actor's kept answers (answer_cache.hpp), shared with its exit handler.
  std::shared_ptr<uint64_t> answers_generation = std::make_shared<uint64_t>(0);
  // Every answer kept for the account is stale from now on: called by each message that can
  // change an answer, before the change.
  void answers_changed() {
    if (env.answers) *answers_generation = env.answers->renew(record->id);
  }

  domain::expected<domain::analysis_document> analyze(const domain::analysis_request& query) {
    const bool detailed = domain::tier_of(query.name) == domain::analysis_tier::detailed && record->plan == "standard";
    if (detailed && !details_loaded) {
      if (auto s = load_details(); !s.ok()) {
        spdlog::error("account {}: cannot load its detailed data: {}", record->id, s.error);
        return domain::fail(domain::error_code::storage, "storage read failed");
      }
    }
    if (detailed) details.sort();
    // A limited child ID sees its groups' ANs as though the account had no other (SPEC §15); its
    // cut groups are only read by group filters, so they are built only for a query naming one.
    const auto limited = child_view(query.an_group_limit, domain::names_group_filter(query.params));
    return domain::answer_analysis(
        query, {rollup, *record, limited ? limited->numbers : current, today(), detailed ? &details : nullptr,
                record->plan == "standard" ? &by_dn : nullptr, limited ? &limited->groups : &groups, &customs,
                limited ? &limited->ans : nullptr,
                [this](const std::vector<domain::civil_date>& days, bool by_dn) { return read_minutes(days, by_dn); },
                env.minutes_since});
  }

  // What a child ID limited to `an_groups` sees of the account (SPEC §15): its ANs, the numbers
  // and (when `with_groups`) the groups cut to them; without, `groups` is empty. nullopt when it
  // is not limited (no an_groups).
  struct limited_view {
    std::vector<std::string> ans;
    domain::opid_numbers numbers;
    domain::group_book groups;
  };
  std::optional<limited_view> child_view(const std::vector<std::string>& an_groups, bool with_groups) const {
    auto allowed = domain::allowed_ans(an_groups, groups, current.ans);
    if (!allowed) return std::nullopt;
    auto numbers = domain::limited_numbers(current, *allowed);
    auto cut = with_groups ? domain::limited_groups(groups, numbers) : domain::group_book{};
    return limited_view{std::move(*allowed), std::move(numbers), std::move(cut)};
  }

  // The calls of some days by minute (granularity=minute), read from their `minutes` blocks, or
  // for a dn filter (standard plan) from their `dn_minutes` blocks alone: a dn answer counts only
  // the per-DN cells (domain/analysis_query.cpp).
  domain::expected<domain::minute_cells> read_minutes(const std::vector<domain::civil_date>& days, bool by_dn) const {
    domain::minute_cells cells;
    storage::status corrupt;
    for (const auto day : days) {
      const int64_t first_minute = domain::jst_day_start(day) / 60;
      const auto prefix = storage::day_prefix(record->number, static_cast<uint16_t>(domain::month_index(day)),
                                              static_cast<uint8_t>(day.day));
      const auto read = [&](storage::cf family, const std::function<void(const storage::minute_call&)>& add) {
        return env.db->scan_prefix(family, prefix, [&](std::string_view, std::string_view value) {
          const bool whole = storage::for_each_minute(value, add);
          if (!whole) corrupt.error = "a block of calls by minute is corrupt";
          return whole;
        });
      };
      storage::status s;
      if (!by_dn)
        s = read(storage::cf::minutes, [&](const storage::minute_call& c) {
          cells.add(first_minute + c.minute, c.an_index, c.result, c.duration_s);
        });
      else if (record->plan == "standard")
        s = read(storage::cf::dn_minutes, [&](const storage::minute_call& c) {
          cells.add_by_dn(first_minute + c.minute, c.an_index, c.dn, c.result, c.duration_s);
        });
      if (s.ok()) s = corrupt;
      if (!s.ok()) {
        spdlog::error("account {}: cannot read its calls by minute: {}", record->id, s.error);
        return domain::fail(domain::error_code::storage, "storage read failed");
      }
    }
    return cells;
  }

  // A copy from an analysis (SPEC §15 from_analysis): the analysis's points in the form, or the
  // failure to answer (field errors, or storage).
  std::optional<domain::failure> copy_points(domain::custom_change& change) {
    const auto& copy = *change.form.from_analysis;
    domain::query_params params;
    for (const auto& [key, value] : copy.filters)
      if (key != "format" && key != "custom") params.emplace_back(key, value);
    auto answer = analyze({copy.name, std::move(params), false});
    if (!answer) {
      if (answer.error().code == domain::error_code::storage) return answer.error();
      const bool known = domain::tier_of(copy.name) != domain::analysis_tier::unknown;
      return domain::field_failure({domain::copy_error(known, answer.error(), change.language)});
    }
    auto points = domain::points_from_answer(copy, answer->json, change.language);
    if (auto* errors = std::get_if<std::vector<domain::field_error>>(&points))
      return domain::field_failure(std::move(*errors));
    change.form.points = std::move(std::get<std::vector<domain::custom_point>>(points));
    change.form.from_analysis.reset();
    return std::nullopt;
  }

  // A create or replace after the account's rules, written synced before it is kept.
  domain::expected<domain::custom_set> save_custom(domain::custom_change change) {
    if (auto errors = customs.check(change, today()); !errors.empty()) return domain::field_failure(std::move(errors));
    auto set = domain::make_custom_set(change.id ? *change.id : domain::new_record_id(), std::move(change.form));
    auto batch = env.db->batch();
    batch.put(storage::cf::custom, storage::custom_key(record->number, set.id), domain::custom_to_storage(set));
    if (auto s = write_synced(std::move(batch)); !s.ok()) {
      spdlog::error("account {}: cannot store a custom data set: {}", record->id, s.error);
      return domain::fail(domain::error_code::storage, "storage write failed");
    }
    customs.put(set);
    return set;
  }

  // Groups and custom data are the standard plan's: plan_required on free.
  std::optional<caf::error> standard_only(const char* what) const {
    if (record->plan == "standard") return std::nullopt;
    return to_error(domain::error_code::plan_required, std::string(what) + " need the standard plan");
  }

  // Writes one group or custom data set (or its deletion) durably before an answer.
  storage::status write_synced(storage::write_batch batch) { return env.db->write(batch, true); }

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
      const bool whole = storage::for_each_cdr(value, [&](const storage::cdr_view& r) {
        if (domain::jst_day_number(r.start) >= first_day)
          details.add(r.start, r.duration_s, r.caller_hash, r.an_index, r.dn, r.origin_pref, r.dest_pref, r.result);
      });
      if (!whole) corrupt.error = "a detailed-data block is corrupt";
      return whole;
    });
    if (s.ok()) s = corrupt;
    if (!s.ok()) {
      details.clear();
      return s;
    }
    details.sort();
    details.shrink();
    details_loaded = true;
    return s;
  }

  uint16_t retention_start_month() const {
    return static_cast<uint16_t>(domain::month_index(domain::retention_start(today(), retention_months())));
  }

  // Reads the fingerprints of every call ID kept; a failed read or a corrupt block leaves
  // nothing loaded and is returned.
  storage::status load_ids() {
    ids = {};
    const uint16_t first_month = retention_start_month();
    uint64_t last_sequence = 0;
    storage::status corrupt;
    auto s = env.db->scan_prefix(
        storage::cf::ids, storage::account_prefix(record->number), [&](std::string_view key, std::string_view value) {
          const auto k = storage::parse_ids_key(key);
          last_sequence = std::max(last_sequence, k.sequence);
          if (k.month < first_month) return true;  // retention drops it soon
          const bool whole = storage::for_each_id(value, [&](uint16_t an, std::string_view id) {
            ids.insert(domain::call_id_set::fingerprint(an, id), k.month);
          });
          if (!whole) corrupt.error = "a call-ID block is corrupt";
          return whole;
        });
    if (s.ok()) s = corrupt;
    if (!s.ok()) {
      ids = {};
      return s;
    }
    block_sequence = std::max(block_sequence, last_sequence + 1);
    ids_loaded = true;
    return s;
  }

  // Of the candidates (AN index, call ID) whose fingerprint the set holds, marks in `stored` those
  // whose exact ID is in the id blocks of a month the set names for it.
  storage::status confirm(const std::vector<std::pair<uint16_t, std::string_view>>& candidates,
                          const std::vector<std::vector<uint16_t>>& months, std::vector<bool>& stored) const {
    const auto exact = [](uint16_t an, std::string_view id) {
      std::string k(2 + id.size(), '\0');
      k[0] = static_cast<char>(an >> 8);
      k[1] = static_cast<char>(an & 0xff);
      std::copy(id.begin(), id.end(), k.begin() + 2);
      return k;
    };
    std::map<uint16_t, std::unordered_set<std::string>> wanted;  // month -> an_index(2) + call ID
    for (std::size_t i = 0; i < candidates.size(); ++i)
      for (const uint16_t m : months[i]) wanted[m].insert(exact(candidates[i].first, candidates[i].second));
    std::unordered_set<std::string> found;
    for (auto& [month, keys] : wanted) {
      auto range = storage::month_range(record->number, month, static_cast<uint16_t>(month + 1));
      auto s = env.db->scan(storage::cf::ids, range.begin, range.end, [&](std::string_view, std::string_view value) {
        (void)storage::for_each_id(value, [&](uint16_t an, std::string_view id) {
          auto k = exact(an, id);
          if (keys.count(k) != 0) found.insert(std::move(k));
        });
        return true;
      });
      if (!s.ok()) return s;
    }
    stored.assign(candidates.size(), false);
    for (std::size_t i = 0; i < candidates.size(); ++i)
      stored[i] = found.count(exact(candidates[i].first, candidates[i].second)) != 0;
    return {};
  }

  void drop_details() {
    details.clear();
    details_loaded = false;
  }
};

using self_ptr = account_actor::stateful_pointer<account_state>;

// The (hour, cell) pairs a request changed, each once, in order. Records come mostly in time
// order, so remembering each cell's last hour drops nearly every repeat before the final sort.
class touched_cells {
 public:
  void add(int64_t hour, uint16_t cell) {
    if (cell >= last_hour_.size()) last_hour_.resize(cell + 1u, std::numeric_limits<int64_t>::min());
    if (last_hour_[cell] == hour) return;
    last_hour_[cell] = hour;
    cells_.emplace_back(hour, cell);
  }
  const std::vector<std::pair<int64_t, uint16_t>>& sorted() {
    std::sort(cells_.begin(), cells_.end());
    cells_.erase(std::unique(cells_.begin(), cells_.end()), cells_.end());
    return cells_;
  }

 private:
  std::vector<int64_t> last_hour_;  // by cell
  std::vector<std::pair<int64_t, uint16_t>> cells_;
};

// A map whose entry for a record is found by its group (the JST month, or month and day) and
// the last entry used is asked first: records come mostly in time order.
template <typename Key, typename Value>
class grouped {
 public:
  Value& operator[](const Key& key) {
    if (last_ == nullptr || !(last_key_ == key)) {
      last_key_ = key;
      last_ = &entries_[key];
    }
    return *last_;
  }
  const std::map<Key, Value>& all() const { return entries_; }

 private:
  std::map<Key, Value> entries_;
  Key last_key_{};
  Value* last_ = nullptr;
};

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
  if (!st.ids_loaded) {
    w.read_error = st.load_ids();
    if (!w.read_error.ok()) return w;  // duplicates unknown: accept nothing rather than guess
  }

  // Each record kept by date, in request order, with what the steps below need of it.
  struct kept {
    const domain::cdr* r;
    domain::civil_date date;  // JST
    uint16_t month;           // domain::month_index(date)
    uint16_t minute_of_day;   // JST, 0..1439
    uint16_t an_index;
    uint64_t fingerprint;
    bool duplicate = false;
  };
  std::vector<kept> records;
  records.reserve(in.records.size());
  for (auto& r : in.records) {
    const auto jst = domain::to_jst(r.start);
    const auto date = jst.date;
    if (date < min_date) {
      ++w.counts.too_old;
      continue;
    }
    const uint16_t idx = st.an_index(r.an);
    records.push_back({&r, date, static_cast<uint16_t>(domain::month_index(date)),
                       static_cast<uint16_t>(jst.hour * 60 + jst.minute), idx,
                       domain::call_id_set::fingerprint(idx, r.call_id)});
  }
  // Duplicates within the request.
  std::vector<uint64_t> fingerprints;
  fingerprints.reserve(records.size());
  for (const kept& k : records) fingerprints.push_back(k.fingerprint);
  const auto repeats = domain::mark_repeats(fingerprints, [&](uint32_t a, uint32_t b) {
    return records[a].an_index == records[b].an_index && records[a].r->call_id == records[b].r->call_id;
  });
  for (std::size_t i = 0; i < records.size(); ++i) records[i].duplicate = repeats[i];
  // Against the IDs kept: one probe per record enters a new fingerprint; one the set holds
  // already is a candidate, confirmed from storage (rare unless the request repeats records kept)
  // and entered only if it is new. Should that read fail, the request fails with the new
  // fingerprints entered: they only make candidates later, which storage then clears.
  std::vector<std::pair<uint16_t, std::string_view>> candidates;
  std::vector<std::vector<uint16_t>> candidate_months;
  std::vector<uint32_t> candidate_positions;
  std::vector<uint16_t> months;
  st.ids.reserve(records.size());
  constexpr std::size_t prefetch_ahead = 8;
  for (uint32_t i = 0; i < records.size(); ++i) {
    if (i + prefetch_ahead < records.size()) st.ids.prefetch(records[i + prefetch_ahead].fingerprint);
    const kept& k = records[i];
    if (k.duplicate) continue;
    months.clear();
    if (!st.ids.insert_unless_candidate(k.fingerprint, k.month, months)) continue;
    candidates.emplace_back(k.an_index, k.r->call_id);
    candidate_months.push_back(months);
    candidate_positions.push_back(i);
  }
  if (!candidates.empty()) {
    std::vector<bool> stored;
    w.read_error = st.confirm(candidates, candidate_months, stored);
    if (!w.read_error.ok()) return w;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      kept& k = records[candidate_positions[i]];
      if (stored[i])
        k.duplicate = true;
      else
        st.ids.insert(k.fingerprint, k.month);
    }
  }

  // Raw records are detailed data: standard plan only, from its detailed window's first day.
  const bool keep_detailed = rec.plan == "standard";
  const auto detailed_from = st.detailed_from();
  const auto per_dn_from = domain::per_dn_since(rec);
  const auto record_view = [&](const kept& k) {
    const auto& r = *k.r;
    return storage::cdr_view{r.call_id,     r.start,     k.an_index,   r.dn,    r.caller,
                             r.origin_pref, r.dest_pref, r.duration_s, r.result};
  };
  // Every call by minute (basic data, granularity=minute); with its DN for the per-DN figures.
  const auto minute_view = [&](const kept& k, bool with_dn) {
    const auto& r = *k.r;
    return storage::minute_call{k.minute_of_day, k.an_index, with_dn ? std::string_view(r.dn) : std::string_view(),
                                r.duration_s, r.result};
  };
  // The calls the per-DN figures count, by hour and by minute: standard plan, from the per-DN
  // window's first day, with a DN.
  const auto counts_by_dn = [&](const kept& k) { return keep_detailed && k.date >= per_dn_from && !k.r->dn.empty(); };
  using day_key = std::pair<uint16_t, uint8_t>;  // (month, day)
  // Each block's size first, so that each is allocated once, and the batch too.
  grouped<day_key, std::size_t> block_bytes, minute_block_bytes, dn_minute_block_bytes;
  grouped<uint16_t, std::size_t> id_block_bytes;
  std::size_t batch_bytes = 0;
  for (const kept& k : records) {
    if (k.duplicate) continue;
    const std::size_t id_bytes = storage::packed_id_size(k.r->call_id);
    id_block_bytes[k.month] += id_bytes;
    batch_bytes += id_bytes;
    if (keep_detailed && k.date >= detailed_from) {
      const std::size_t bytes = storage::packed_size(record_view(k));
      block_bytes[{k.month, static_cast<uint8_t>(k.date.day)}] += bytes;
      batch_bytes += bytes;
    }
    const day_key day{k.month, static_cast<uint8_t>(k.date.day)};
    const std::size_t minute_bytes = storage::minute_packed_size(minute_view(k, false));
    minute_block_bytes[day] += minute_bytes;
    batch_bytes += minute_bytes;
    if (counts_by_dn(k)) {
      const std::size_t dn_bytes = storage::minute_packed_size(minute_view(k, true));
      dn_minute_block_bytes[day] += dn_bytes;
      batch_bytes += dn_bytes;
    }
  }
  grouped<day_key, std::string> blocks;                           // packed records
  grouped<day_key, std::string> minute_blocks, dn_minute_blocks;  // packed calls by minute
  grouped<uint16_t, std::string> id_blocks;                       // packed call IDs
  for (auto& [key, bytes] : block_bytes.all()) blocks[key].reserve(bytes);
  for (auto& [key, bytes] : minute_block_bytes.all()) minute_blocks[key].reserve(bytes);
  for (auto& [key, bytes] : dn_minute_block_bytes.all()) dn_minute_blocks[key].reserve(bytes);
  for (auto& [key, bytes] : id_block_bytes.all()) id_blocks[key].reserve(bytes);

  touched_cells touched, touched_dn;  // (hour, AN index), (hour, AN-DN pair)
  for (const kept& k : records) {
    if (k.duplicate) {
      ++w.counts.duplicates;
      continue;
    }
    const auto& r = *k.r;
    const auto date = k.date;
    const auto month = k.month;
    const auto idx = k.an_index;
    storage::append_id(id_blocks[month], idx, r.call_id);
    storage::append_minute(minute_blocks[{month, static_cast<uint8_t>(date.day)}], minute_view(k, false));
    if (counts_by_dn(k))
      storage::append_minute(dn_minute_blocks[{month, static_cast<uint8_t>(date.day)}], minute_view(k, true));
    int64_t hour = r.start / 3600;
    st.rollup.add(hour, idx, r.result, r.duration_s);
    touched.add(hour, idx);
    if (counts_by_dn(k)) {
      if (auto pair = st.by_dn.index_of(idx, r.dn)) {
        st.by_dn.cells().add(hour, *pair, r.result, r.duration_s);
        touched_dn.add(hour, *pair);
      }
    }
    if (keep_detailed && date >= detailed_from) {
      storage::append_cdr(blocks[{month, static_cast<uint8_t>(date.day)}], record_view(k));
      if (st.details_loaded)
        st.details.add(r.start, r.duration_s, r.caller, idx, r.dn, r.origin_pref, r.dest_pref, r.result);
    }
    ++w.counts.accepted;
  }
  const auto& traffic_cells = touched.sorted();
  // In key order (hour, AN index, DN), not interning order: the memtable's skip list then finds
  // each key next to the one before instead of searching from the top.
  auto dn_cells = touched_dn.sorted();
  std::sort(dn_cells.begin(), dn_cells.end(), [&](const auto& a, const auto& b) {
    const auto &x = st.by_dn.pair_at(a.second), &y = st.by_dn.pair_at(b.second);
    return std::tie(a.first, x.an_index, x.dn) < std::tie(b.first, y.an_index, y.dn);
  });
  constexpr std::size_t bytes_per_cell = 96;  // key, encoded counts and the batch's framing
  w.batch.reserve(batch_bytes + (traffic_cells.size() + dn_cells.size()) * bytes_per_cell);
  for (auto& [hour, idx] : traffic_cells) {
    auto month = static_cast<uint16_t>(domain::month_index(domain::to_jst(hour * 3600).date));
    if (auto* counts = st.rollup.find(hour, idx))
      w.batch.put(storage::cf::traffic, storage::traffic_key(rec.number, month, static_cast<uint32_t>(hour), idx),
                  domain::encode_counts(*counts));
  }
  for (auto& [hour, index] : dn_cells) {
    auto month = static_cast<uint16_t>(domain::month_index(domain::to_jst(hour * 3600).date));
    const auto& pair = st.by_dn.pair_at(index);
    if (auto* counts = st.by_dn.cells().find(hour, index))
      w.batch.put(storage::cf::dn_traffic,
                  storage::dn_traffic_key(rec.number, month, static_cast<uint32_t>(hour), pair.an_index, pair.dn),
                  domain::encode_counts(*counts));
  }
  for (auto& [month, block] : id_blocks.all())
    w.batch.put(storage::cf::ids, storage::ids_key(rec.number, month, st.block_sequence++), block);
  for (auto& [md, block] : blocks.all())
    w.batch.put(storage::cf::cdr, storage::cdr_key(rec.number, md.first, md.second, st.block_sequence++), block);
  for (auto& [md, block] : minute_blocks.all())
    w.batch.put(storage::cf::minutes, storage::minutes_key(rec.number, md.first, md.second, st.block_sequence++),
                block);
  for (auto& [md, block] : dn_minute_blocks.all())
    w.batch.put(storage::cf::dn_minutes, storage::minutes_key(rec.number, md.first, md.second, st.block_sequence++),
                block);
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
  st.answers_changed();
  if (st.env.answers)
    self->attach_functor([answers = st.env.answers, id = st.record->id, generation = st.answers_generation] {
      answers->forget(id, *generation);
    });
  return {
      [=](ingest_atom, records_ptr& records) -> caf::result<ingest_counts> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.answers_changed();
        auto work = prepare_ingest(st, *records);
        if (!work.read_error.ok()) {
          spdlog::error("account {}: duplicate check failed: {}", st.record->id, work.read_error.error);
          return to_error(domain::error_code::storage, "storage read failed");
        }
        // With the CDRs, when they were stored: the operators' look-up shows it across restarts.
        const int64_t stored_at = st.env.clock->now();
        if (work.counts.accepted > 0)
          work.batch.put(storage::cf::meta, storage::meta_last_ingest_key(st.record->id), std::to_string(stored_at));
        // Written here, unsynced (memtable inserts run in parallel across accounts); the ingest
        // job syncs the WAL once for all its accounts before it answers.
        auto s = work.batch.empty() ? storage::status{} : st.env.db->write(work.batch, false);
        if (!s.ok()) {
          // Memory now holds rollups storage does not: restart from storage.
          spdlog::error("account {}: storage write failed: {}", st.record->id, s.error);
          self->quit(caf::sec::runtime_error);
          return to_error(domain::error_code::storage, "storage write failed");
        }
        metrics::activity().add(st.record->id, 1, work.counts.accepted);  // the busiest accounts (/admin/stats)
        return work.counts;
      },
      [=](analyze_atom, const domain::analysis_request& query) -> caf::result<domain::analysis_document> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        metrics::activity().add(st.record->id, 1, 0);
        const auto key = st.env.answers ? answer_key(query, st.env.clock->now()) : std::string();
        auto answer = st.analyze(query);
        if (!answer) return to_error(answer.error());
        if (st.env.answers) st.env.answers->store(st.record->id, *st.answers_generation, key, answer.value());
        return std::move(answer.value());
      },
      [=](groups_atom, domain::group_kind kind,
          const std::vector<std::string>& an_group_limit) -> caf::result<std::vector<domain::number_group>> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (auto refused = st.standard_only("groups")) return *refused;
        if (auto limited = st.child_view(an_group_limit, true)) return limited->groups.listed(kind);
        return st.groups.listed(kind);
      },
      [=](group_atom, domain::group_change& change) -> caf::result<domain::number_group> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.answers_changed();
        if (auto refused = st.standard_only("groups")) return *refused;
        if (change.id && !st.groups.find(change.kind, *change.id))
          return to_error(domain::error_code::not_found, "no such group");
        if (auto errors = st.groups.check(change, st.current); !errors.empty())
          return to_error(domain::field_failure(std::move(errors)));
        domain::number_group g{change.id ? *change.id : domain::new_record_id(), std::move(change.form.name),
                               std::move(change.form.members)};
        auto batch = st.env.db->batch();
        batch.put(storage::cf::groups, storage::group_key(st.record->number, static_cast<uint8_t>(change.kind), g.id),
                  domain::group_to_storage(g));
        if (auto s = st.write_synced(std::move(batch)); !s.ok()) {
          spdlog::error("account {}: cannot store a group: {}", st.record->id, s.error);
          return to_error(domain::error_code::storage, "storage write failed");
        }
        st.groups.put(change.kind, g);
        return g;
      },
      [=](ungroup_atom, domain::group_kind kind, const std::string& id) -> caf::result<bool> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.answers_changed();
        if (auto refused = st.standard_only("groups")) return *refused;
        if (!st.groups.find(kind, id)) return to_error(domain::error_code::not_found, "no such group");
        auto batch = st.env.db->batch();
        batch.erase(storage::cf::groups, storage::group_key(st.record->number, static_cast<uint8_t>(kind), id));
        if (auto s = st.write_synced(std::move(batch)); !s.ok()) {
          spdlog::error("account {}: cannot delete a group: {}", st.record->id, s.error);
          return to_error(domain::error_code::storage, "storage write failed");
        }
        st.groups.erase(kind, id);
        return true;
      },
      [=](customs_atom) -> caf::result<std::vector<domain::custom_summary>> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (auto refused = st.standard_only("custom data")) return *refused;
        return st.customs.listed();
      },
      [=](custom_atom, const std::string& id) -> caf::result<domain::custom_set> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (auto refused = st.standard_only("custom data")) return *refused;
        const auto* set = st.customs.find(id);
        if (!set) return to_error(domain::error_code::not_found, "no such custom data set");
        return *set;
      },
      [=](customput_atom, domain::custom_change& change) -> caf::result<domain::custom_set> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.answers_changed();
        if (auto refused = st.standard_only("custom data")) return *refused;
        if (change.id && !st.customs.find(*change.id))
          return to_error(domain::error_code::not_found, "no such custom data set");
        if (change.form.from_analysis)
          if (auto f = st.copy_points(change)) return to_error(std::move(*f));
        auto stored = st.save_custom(std::move(change));
        if (!stored) return to_error(stored.error());
        return std::move(stored.value());
      },
      [=](customup_atom, const domain::custom_upload& upload) -> caf::result<domain::custom_upload_result> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.answers_changed();
        if (auto refused = st.standard_only("custom data")) return *refused;
        auto reading = domain::read_custom_upload(upload, st.today());
        // partial=true stores the good lines, when there are some and the file could be read.
        const bool refused = reading.whole_file_refused || (!reading.errors.empty() && !upload.partial) ||
                             (!reading.errors.empty() && reading.form.points.empty());
        if (refused) return to_error(domain::field_failure(std::move(reading.errors)));
        auto stored = st.save_custom({std::nullopt, std::move(reading.form), upload.language});
        if (!stored) return to_error(stored.error());
        return domain::custom_upload_result{std::move(stored.value()), std::move(reading.errors)};
      },
      [=](customdel_atom, const std::string& id) -> caf::result<bool> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.answers_changed();
        if (auto refused = st.standard_only("custom data")) return *refused;
        if (!st.customs.find(id)) return to_error(domain::error_code::not_found, "no such custom data set");
        auto batch = st.env.db->batch();
        batch.erase(storage::cf::custom, storage::custom_key(st.record->number, id));
        if (auto s = st.write_synced(std::move(batch)); !s.ok()) {
          spdlog::error("account {}: cannot delete a custom data set: {}", st.record->id, s.error);
          return to_error(domain::error_code::storage, "storage write failed");
        }
        st.customs.erase(id);
        return true;
      },
      [=](info_atom, account_ptr& updated, domain::opid_numbers& current) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.answers_changed();
        bool plan_changed = updated->plan != st.record->plan;
        st.set_record(std::move(updated));
        st.current = std::move(current);
        if (plan_changed) {
          st.rollup = {};
          st.by_dn = {};
          st.ids = {};  // the new plan's retention may have dropped months
          st.ids_loaded = false;
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
        st.answers_changed();
        auto cutoff = domain::retention_start(st.today(), st.retention_months());
        st.rollup.erase_before(domain::jst_day_start(cutoff) / 3600);
        st.by_dn.cells().erase_before(domain::jst_day_start(cutoff) / 3600);
        if (st.details_loaded) st.details.erase_before(st.detailed_from());
        st.ids.erase_before(st.retention_start_month());
        if (auto s = st.retain_customs(); !s.ok())
          spdlog::error("account {}: custom data retention not written: {}", st.record->id, s.error);
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
