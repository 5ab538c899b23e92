#include "actors/directory.hpp"
#include "actors/in_flight_writes.hpp"
#include "domain/signup.hpp"

#include "metrics/metrics.hpp"
#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <map>
#include <optional>
#include <unordered_map>

namespace cxs::actors {

namespace {

using steady = std::chrono::steady_clock;
constexpr uint16_t all_months = 0xffff;

struct live_account {
  account_actor handle;
  steady::time_point last_used;
  // Asked to passivate, answer pending: the handle is not handed out meanwhile (a message sent
  // after the account quit would be lost); requests for it wait here and run once it answered.
  bool stopping = false;
  std::vector<std::function<void()>> waiting;
};

struct directory_state {
  directory_config cfg;
  registry_ptr registry;
  account_table accounts;                      // by CX Support ID, compact (a record is decoded when asked for)
  std::map<std::string, std::string> by_opid;  // in OPID order: the operators' list pages by it
  std::unordered_map<std::string, std::string> by_an;
  std::unordered_map<std::string, live_account> live;
  std::unordered_map<std::string, domain::child_user> children;  // by the child's own ID
  // Records whose changes memory shows before storage has them (in_flight_writes.hpp).
  in_flight_writes<account_ptr> account_writes;
  in_flight_writes<domain::child_user> child_writes;
  uint32_t next_number = 1;
  domain::civil_date last_retention_day{};
  metrics::actor_probe probe{"directory"};
  metrics::gauge* live_gauge = &metrics::global().get_gauge("cxs_accounts", {{"state", "live"}});
  metrics::gauge* passive_gauge = &metrics::global().get_gauge("cxs_accounts", {{"state", "passivated"}});
  static inline const char* name = "directory";

  domain::civil_date today() const { return domain::jst_today(cfg.env.clock->now()); }

  // Only the ANs: reindex_ans asks this of every account at each registry change.
  std::vector<std::string> current_ans(const domain::account& a) const {
    std::vector<std::string> out;
    if (auto* e = registry->find(a.opid))
      for (auto& an : e->ans) out.push_back(an.an);
    return out;
  }
  domain::opid_numbers current_numbers(const domain::account& a) const { return domain::numbers_of(*registry, a.opid); }

  void update_gauges() {
    live_gauge->set(static_cast<int64_t>(live.size()));
    passive_gauge->set(static_cast<int64_t>(accounts.size() - live.size()));
  }

  // Every account has an OPID, so by_opid names them all without decoding a record.
  void reindex_ans() {
    by_an.clear();
    for (auto& [opid, id] : by_opid)
      if (auto* e = registry->find(opid))
        for (auto& an : e->ans) by_an[an.an] = id;
  }

  void take_accounts() {
    if (cfg.accounts) accounts = std::move(*cfg.accounts);
    cfg.accounts.reset();
    accounts.for_each([&](const domain::account& a) {
      next_number = std::max(next_number, a.number + 1);
      by_opid[a.opid] = a.id;
    });
    for (auto& c : cfg.children)
      if (accounts.contains(c.main_id)) children[c.id] = std::move(c);
    cfg.children.clear();
    reindex_ans();
    spdlog::info("directory: {} accounts, {} child IDs", accounts.size(), children.size());
  }

  // A changed account record, taken at once before it is written (in_flight_writes.hpp).
  void take_account(const account_ptr& updated) {
    auto shown = accounts.find(updated->id);
    account_writes.sending(updated->id, shown ? std::optional(shown) : std::nullopt);
    accounts.put(*updated);
  }
  // The writer's answer to that write. When memory must follow storage: the stored record with
  // the registry's ANs derived again (live accounts may have them already, adopt_registry_ans),
  // or, for an account whose creation reached storage in none of its writes, nothing. Gives the
  // record memory was set back to (null when it was not, or was forgotten).
  account_ptr account_written(const account_ptr& written, bool ok) {
    auto reset = account_writes.answered(written->id, ok, written);
    if (!reset) return nullptr;
    if (!reset->record) {
      forget_account(*written);
      return nullptr;
    }
    account_ptr now = *reset->record;
    if (auto current = with_current_ans(*now)) now = current;
    accounts.put(*now);
    return now;
  }

  // An account that does not exist after all: its OPID and ANs are free again.
  void forget_account(const domain::account& a) {
    accounts.erase(a.id);
    if (auto it = by_opid.find(a.opid); it != by_opid.end() && it->second == a.id) by_opid.erase(it);
    for (auto& an : a.an_order)
      if (auto it = by_an.find(an); it != by_an.end() && it->second == a.id) by_an.erase(it);
    update_gauges();
  }

  // The same for a child ID's record, or its deletion.
  void take_child(const domain::child_user& c, bool erase) {
    auto shown = children.find(c.id);
    child_writes.sending(c.id, shown != children.end() ? std::optional(shown->second) : std::nullopt);
    if (erase)
      children.erase(c.id);
    else
      children[c.id] = c;
  }
  void child_written(const domain::child_user& c, bool erase, bool ok) {
    auto reset = child_writes.answered(c.id, ok, erase ? std::nullopt : std::optional(c));
    if (reset && reset->record) children[c.id] = *reset->record;
    if (reset && !reset->record) children.erase(c.id);
  }

  // A new CX Support ID, unused by accounts and child IDs alike.
  std::string unused_id() const {
    std::string id;
    do id = domain::new_account_id();
    while (accounts.contains(id) || children.count(id));
    return id;
  }

  // The child IDs of a main ID.
  std::vector<domain::child_user> children_of(const std::string& main_id) const {
    std::vector<domain::child_user> out;
    for (auto& [id, c] : children)
      if (c.main_id == main_id) out.push_back(c);
    return out;
  }

  // A child of main_id, or null (unknown, or another account's: both not found, SPEC §4).
  domain::child_user* child_of(const std::string& main_id, const std::string& id) {
    auto it = children.find(id);
    return it != children.end() && it->second.main_id == main_id ? &it->second : nullptr;
  }

  // The child's login view, or null when it is disabled or its account is gone or not standard
  // (a move to free deletes the child IDs in the same write; this holds even if storage and
  // memory part after a failed write, in_flight_writes.hpp).
  account_ptr login_view(const domain::child_user& c) const {
    if (c.disabled) return nullptr;
    auto main = accounts.find(c.main_id);
    if (!main || main->plan != "standard") return nullptr;
    return std::make_shared<domain::account>(domain::login_view(*main, c));
  }

  // The child's session and pending login end (disabled, deleted, or its account moved to free).
  void end_sessions_of(const std::string& child_id) const {
    if (cfg.sessions) cfg.sessions->end_all_for(child_id);
  }

  // The record with the ANs the registry now lists added to its stable AN order (storage
  // indexes); null when it has them all.
  account_ptr with_current_ans(const domain::account& a) const {
    std::vector<std::string> missing;
    for (auto& an : current_ans(a))
      if (std::find(a.an_order.begin(), a.an_order.end(), an) == a.an_order.end()) missing.push_back(an);
    if (missing.empty()) return nullptr;
    auto copy = std::make_shared<domain::account>(a);
    copy->an_order.insert(copy->an_order.end(), missing.begin(), missing.end());
    return copy;
  }

  // Adds the deletions retention asks for to batch; returns the updated record or null if none.
  account_ptr retention(const domain::account& a, storage::write_batch& batch, bool force) {
    auto t = today();
    auto month_now = static_cast<uint16_t>(domain::month_index(t));
    if (!force && a.retention_month >= month_now) return nullptr;
    auto basic_cut =
        static_cast<uint16_t>(domain::month_index(domain::retention_start(t, domain::basic_retention_months(a.plan))));
    auto detailed_cut =
        a.plan == "standard" ? static_cast<uint16_t>(domain::month_index(domain::retention_start(t, 3))) : all_months;
    auto basic = storage::month_range(a.number, 0, basic_cut);
    auto detailed = storage::month_range(a.number, 0, detailed_cut);
    // Per-DN figures are kept as long as basic data on the standard plan, not at all on free.
    const auto per_dn_cut = a.plan == "standard" ? basic_cut : all_months;
    auto per_dn = storage::month_range(a.number, 0, per_dn_cut);
    // A range delete stays in memory in every table file that holds it until compaction drops
    // it (~110 bytes each): 100,000 accounts each writing four a month cost 45 MiB. So the
    // monthly run deletes only where data can be: months from the registration on (older CDRs
    // are refused as too_old), past the cut of the last run, and no detailed or per-DN data on
    // free (a move to free deletes those with force).
    const auto first_data_month = static_cast<uint16_t>(domain::month_index(a.registered));
    const auto last_run_cut = [&](int months) {
      return static_cast<uint16_t>(
          domain::month_index(domain::retention_start(domain::first_of_month_index(a.retention_month), months)));
    };
    const auto worth_it = [&](uint16_t cut, int months) {
      return force || (cut > first_data_month && (a.retention_month == 0 || cut > last_run_cut(months)));
    };
    if (worth_it(basic_cut, domain::basic_retention_months(a.plan))) {
      batch.erase_range(storage::cf::traffic, basic.begin, basic.end);
      batch.erase_range(storage::cf::ids, basic.begin, basic.end);  // no record that old can come again
      batch.erase_range(storage::cf::minutes, basic.begin, basic.end);
    }
    if (force || (a.plan == "standard" && worth_it(per_dn_cut, domain::basic_retention_months(a.plan)))) {
      batch.erase_range(storage::cf::dn_traffic, per_dn.begin, per_dn.end);
      batch.erase_range(storage::cf::dn_minutes, per_dn.begin, per_dn.end);
    }
    if (force || (a.plan == "standard" && worth_it(detailed_cut, domain::detailed_retention_months)))
      batch.erase_range(storage::cf::cdr, detailed.begin, detailed.end);
    auto copy = std::make_shared<domain::account>(a);
    copy->retention_month = month_now;
    return copy;
  }
};

using self_ptr = directory_actor::stateful_pointer<directory_state>;

// A page of the operators' account list: the accounts the search names, in OPID order, each with
// its live sessions (its own and its child IDs'), its child IDs and when it last stored a CDR
// (read from storage, one multi-get for the page: it outlives restarts). A failed read fails it.
domain::expected<account_page> list_accounts(const directory_state& st, const domain::account_search& search) {
  const domain::account_matcher matcher(search.text);
  account_page page;
  std::vector<std::string> ids;
  std::string last_shown;
  std::vector<std::string_view> ans;
  for (const auto& [opid, id] : st.by_opid) {
    ans.clear();
    if (matcher.looks_at_ans())
      if (auto* e = st.registry->find(opid))
        for (const auto& an : e->ans) ans.push_back(an.an);
    if (!matcher.matches(id, opid, ans)) continue;
    ++page.total;
    if (!search.after.empty() && opid <= search.after) continue;
    if (ids.size() < search.limit) {
      ids.push_back(id);
      last_shown = opid;
    } else if (page.next.empty()) {
      page.next = last_shown;  // one more matches: the list goes on after this page
    }
  }
  std::vector<std::string> keys;
  for (const auto& id : ids) keys.push_back(storage::meta_last_ingest_key(id));
  storage::status read;
  const auto stored_at = st.cfg.env.db->multi_get(storage::cf::meta, {keys.begin(), keys.end()}, read);
  if (!read.ok()) {
    spdlog::error("directory: cannot read the accounts' last ingest: {}", read.error);
    return domain::fail(domain::error_code::storage, "storage read failed");
  }
  const auto now = st.cfg.env.clock->now();
  const auto live = [&](const std::string& who) { return st.cfg.sessions && st.cfg.sessions->live_for(who, now); };
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& id = ids[i];
    const auto a = st.accounts.find(id);
    if (!a) continue;
    account_found f{{a, st.current_ans(*a), nullptr, st.current_numbers(*a)}, 0, 0, 0};
    if (stored_at[i]) std::from_chars(stored_at[i]->data(), stored_at[i]->data() + stored_at[i]->size(), f.last_ingest);
    if (live(id)) ++f.sessions;
    for (const auto& c : st.children_of(id)) {
      ++f.children;
      if (live(c.id)) ++f.sessions;
    }
    page.accounts.push_back(std::move(f));
  }
  return page;
}

// Child IDs belong to a main ID on the standard plan: not_found or plan_required otherwise.
std::optional<caf::error> standard_main(const directory_state& st, const std::string& main_id) {
  auto a = st.accounts.find(main_id);
  if (!a) return to_error(domain::error_code::not_found, "no account " + main_id);
  if (a->plan != "standard") return to_error(domain::error_code::plan_required, "child IDs need the standard plan");
  return std::nullopt;
}

void persist(storage::write_batch& batch, const domain::account& a) {
  batch.put(storage::cf::meta, storage::meta_account_key(a.id), domain::to_storage_json(a).dump());
}

void persist(storage::write_batch& batch, const domain::child_user& c) {
  batch.put(storage::cf::meta, storage::meta_user_key(c.id), domain::child_to_storage(c));
}

// Writes batch durably, then calls then(ok).
template <class F>
void write_then(self_ptr self, storage::write_batch batch, F then) {
  auto ptr = std::make_shared<storage::write_batch>(std::move(batch));
  self->request(self->state.cfg.env.writer, caf::infinite, write_atom::value, ptr)
      .then([=](bool ok) mutable { then(ok); }, [=](caf::error&) mutable { then(false); });
}

// The live actor of a known account, spawning it from storage if it is passivated; a null handle
// for an unknown ID. Never called for an account that is stopping.
account_actor activate(self_ptr self, const std::string& id) {
  auto& st = self->state;
  auto now = steady::now();
  auto live = st.live.find(id);
  if (live != st.live.end()) {
    live->second.last_used = now;
    return live->second.handle;
  }
  auto record = st.accounts.find(id);
  if (!record) return {};
  auto handle = spawn_account(self->system(), st.cfg.env, record, st.current_numbers(*record));
  metrics::global().get_counter("cxs_account_activations_total").inc();
  self->monitor(handle);
  self->link_to(handle);
  live_account entry;
  entry.handle = handle;
  entry.last_used = now;
  st.live.emplace(id, std::move(entry));
  st.update_gauges();
  return handle;
}

// The account left the live set (passivated or down) or stays (refused to passivate): either way
// the requests that waited for it run now, against whatever is live then.
void release(self_ptr self, const std::string& id, bool gone) {
  auto& st = self->state;
  auto it = st.live.find(id);
  if (it == st.live.end()) return;
  auto waiting = std::move(it->second.waiting);
  if (gone)
    st.live.erase(it);
  else
    it->second.stopping = false;
  st.update_gauges();
  for (auto& run : waiting) run();
}

bool is_stopping(const directory_state& st, const std::string& id) {
  auto it = st.live.find(id);
  return it != st.live.end() && it->second.stopping;
}

void passivate(self_ptr self, const std::string& id, live_account& entry) {
  entry.stopping = true;
  self->request(entry.handle, std::chrono::seconds(30), passiv_atom::value)
      .then(
          [=](bool quitting) {
            if (quitting) metrics::global().get_counter("cxs_account_passivations_total").inc();
            release(self, id, quitting);
          },
          [=](caf::error&) { release(self, id, true); });
}

void lookup_when_ready(self_ptr self, const std::string& id, caf::response_promise promise) {
  if (is_stopping(self->state, id)) {
    self->state.live.at(id).waiting.push_back([=] { lookup_when_ready(self, id, promise); });
    return;
  }
  auto handle = activate(self, id);
  if (handle)
    promise.deliver(handle);
  else
    promise.deliver(to_error(domain::error_code::not_found, "no such account"));
}

void route_when_ready(self_ptr self, const std::vector<std::string>& ans, caf::response_promise promise) {
  auto& st = self->state;
  for (auto& an : ans)
    if (auto it = st.by_an.find(an); it != st.by_an.end() && is_stopping(st, it->second)) {
      st.live.at(it->second).waiting.push_back([=] { route_when_ready(self, ans, promise); });
      return;
    }
  std::vector<account_actor> out;
  out.reserve(ans.size());
  for (auto& an : ans) {
    auto it = st.by_an.find(an);
    out.push_back(it == st.by_an.end() ? account_actor{} : activate(self, it->second));
  }
  promise.deliver(out);
}

// How long the directory waits for a live account to take the news of a change.
constexpr auto news_timeout = std::chrono::seconds(30);

// Returns a function that runs `done` on its `count`th call (done runs at once for none).
std::function<void()> after_calls(std::size_t count, std::function<void()> done) {
  if (count == 0) {
    done();
    return [] {};
  }
  auto left = std::make_shared<std::size_t>(count);
  return [left, done = std::move(done)] {
    if (--*left == 0) done();
  };
}

// A live account actor takes the news of a change made behind it (its record, the registry's
// numbers, retention), and `taken` runs once it has: the change is answered only then, so the
// question asked next sees it, a kept answer included (the actor opens a new generation of its
// answers on the news, answer_cache.hpp). An actor that stopped meanwhile, or did not answer in
// time, counts as told: a new one reads the stored record.
template <class... Ts>
void tell_live(self_ptr self, const std::string& id, const live_account& l, std::function<void()> taken, Ts... xs) {
  self->request(l.handle, news_timeout, xs...)
      .then([taken](bool) { taken(); },
            [self, id, taken](caf::error& e) {
              spdlog::warn("directory: account {} did not take the news of a change: {}", id, self->system().render(e));
              taken();
            });
}

// The writer's answer to a write of `written`: a live account actor was told of the change before
// it was stored (or started from memory, which runs ahead of storage), so when memory is set back
// it hears of the record memory holds now.
void account_answered(self_ptr self, const account_ptr& written, bool ok) {
  auto& st = self->state;
  auto now = st.account_written(written, ok);
  if (!now) return;
  if (auto l = st.live.find(now->id); l != st.live.end())
    tell_live(
        self, now->id, l->second, [] {}, info_atom::value, now, st.current_numbers(*now));
}

void run_retention(self_ptr self, bool force, const std::function<void(bool)>& done) {
  auto& st = self->state;
  auto batch = st.cfg.env.db->batch();
  std::vector<account_ptr> updated;
  st.accounts.for_each([&](const domain::account& a) {
    if (auto u = st.retention(a, batch, force)) {
      persist(batch, *u);
      updated.push_back(u);
    }
  });
  st.last_retention_day = st.today();
  if (updated.empty()) {
    done(true);
    return;
  }
  for (auto& u : updated) st.take_account(u);  // a settings change meanwhile starts from them
  write_then(self, std::move(batch), [=](bool ok) {
    auto& st = self->state;
    for (auto& u : updated) account_answered(self, u, ok);
    if (!ok) {
      // Records are unmarked again, so the next run (midnight or the operator's) tries again.
      spdlog::error("retention: the deletions could not be stored");
      done(false);
      return;
    }
    std::vector<account_ptr> live;
    for (auto& u : updated)
      if (st.live.count(u->id)) live.push_back(u);
    spdlog::info("retention: {} accounts cleaned", updated.size());
    auto told = after_calls(live.size(), [done] { done(true); });
    for (auto& u : live) tell_live(self, u->id, st.live.at(u->id), told, retain_atom::value);
  });
}

// Takes a changed record at once (so the next message starts from it, in_flight_writes.hpp),
// stores it with the rest of batch, tells the live account actor, and answers the account — or
// answers a storage failure when the write fails (memory then ends as storage holds the record).
// `replaced`: the record a settings change was made on, for its answer (account_summary::replaced).
caf::result<account_summary> store_change(self_ptr self, const std::shared_ptr<domain::account>& updated,
                                          storage::write_batch batch,
                                          std::vector<domain::child_user> removed_children = {},
                                          account_ptr replaced = nullptr) {
  auto& st = self->state;
  auto id = updated->id;
  persist(batch, *updated);
  st.take_account(updated);
  for (auto& child : removed_children) st.take_child(child, true);
  // Only now take over the answer: a promise made earlier would swallow the caller's direct replies.
  auto promise = self->make_response_promise<account_summary>();
  write_then(self, std::move(batch), [=](bool ok) mutable {
    auto& st = self->state;
    account_answered(self, updated, ok);
    for (auto& child : removed_children) st.child_written(child, true, ok);
    if (!ok) {
      promise.deliver(to_error(domain::error_code::storage, "the change could not be stored"));
      return;
    }
    for (auto& child : removed_children) st.end_sessions_of(child.id);
    // The record memory holds now, not `updated`: a registry change or a later change may have
    // been taken on top of it meanwhile (and told to the live account already).
    account_ptr now = st.accounts.find(id);
    if (!now) now = updated;
    account_summary answer{now, st.current_ans(*now), nullptr, st.current_numbers(*now)};
    if (replaced) {
      answer.replaced = replaced;
      answer.stored = updated;
    }
    auto l = st.live.find(id);
    if (l == st.live.end()) {
      promise.deliver(answer);
      return;
    }
    tell_live(
        self, id, l->second, [promise, answer]() mutable { promise.deliver(answer); }, info_atom::value, now,
        answer.numbers);
  });
  return promise;
}

// Validates a plan change; on success applies it and answers through a promise.
caf::result<account_summary> plan_change(self_ptr self, const std::string& id, const domain::plan_request& request) {
  auto& st = self->state;
  auto before = st.accounts.find(id);
  if (!before) return to_error(domain::error_code::not_found, "no account " + id);
  auto parsed = domain::check_plan_change(request, *before, *st.registry);
  if (auto* errors = std::get_if<std::vector<domain::field_error>>(&parsed))
    return to_error(domain::field_failure(std::move(*errors)));
  auto& change = std::get<domain::plan_change>(parsed);
  auto updated = std::make_shared<domain::account>(*before);
  bool downgrade = updated->plan == "standard" && change.plan == "free";
  domain::apply_plan_change(*updated, change, st.today());
  auto batch = st.cfg.env.db->batch();
  if (downgrade) {
    if (auto u = st.retention(*updated, batch, true)) updated = std::const_pointer_cast<domain::account>(u);
    // The standard plan's own data goes in the same batch as the new plan (SPEC §15).
    const auto whole = storage::account_range(updated->number);
    batch.erase_range(storage::cf::groups, whole.begin, whole.end);
    batch.erase_range(storage::cf::custom, whole.begin, whole.end);
    auto removed = st.children_of(id);
    for (auto& child : removed) batch.erase(storage::cf::meta, storage::meta_user_key(child.id));
    return store_change(self, updated, std::move(batch), std::move(removed));
  }
  return store_change(self, updated, std::move(batch));
}

// Stores a child ID's record (or its deletion), taken in memory at once (in_flight_writes.hpp:
// a main ID's patch and the child's own settings may be in flight together), then done(ok).
// `c` is a copy: the caller's may be the record erased here.
template <class F>
void store_child(self_ptr self, domain::child_user c, bool erase, F done) {
  auto& st = self->state;
  auto batch = st.cfg.env.db->batch();
  if (erase)
    batch.erase(storage::cf::meta, storage::meta_user_key(c.id));
  else
    persist(batch, c);
  st.take_child(c, erase);
  write_then(self, std::move(batch), [=](bool ok) mutable {
    auto& st = self->state;
    st.child_written(c, erase, ok);
    if (ok && (erase || c.disabled)) st.end_sessions_of(c.id);
    done(ok);
  });
}

// A child ID's own settings (SPEC §15): contact fields, auth method, password.
caf::result<account_summary> update_child(self_ptr self, const domain::child_user& before,
                                          const domain::account_changes& change) {
  auto updated = before;
  if (change.email) updated.email = *change.email;
  if (change.person) updated.person = *change.person;
  if (change.auth_method) updated.auth_method = *change.auth_method;
  if (change.password_hash) updated.password_hash = *change.password_hash;
  auto promise = self->make_response_promise<account_summary>();
  store_child(self, updated, false, [=, replaced = before](bool ok) mutable {
    auto& st = self->state;
    if (!ok) {
      promise.deliver(to_error(domain::error_code::storage, "the change could not be stored"));
      return;
    }
    // Stored, but the main ID may have moved to free meanwhile (which deletes its child IDs).
    auto view = st.login_view(updated);
    auto main = st.accounts.find(updated.main_id);
    if (!view || !main) {
      promise.deliver(to_error(domain::error_code::not_found, "the child ID is gone"));
      return;
    }
    account_summary answer{view, st.current_ans(*main), std::make_shared<domain::child_user>(updated),
                           st.current_numbers(*main)};
    answer.replaced = std::make_shared<domain::account>(domain::login_view(*main, replaced));
    answer.stored = view;
    promise.deliver(std::move(answer));
  });
  return promise;
}

// Applies a validated settings change and stores it; answers the account's public record.
caf::result<account_summary> update_settings(self_ptr self, const std::string& id,
                                             const domain::account_changes& change) {
  auto& st = self->state;
  // A customer's own change is judged again against the record as memory holds it now (changes in
  // flight included): one stored since it was read may need the current password after all.
  if (auto c = st.children.find(id); c != st.children.end()) {
    // The child's own email, method and password, as it logs in (the main ID lends the rest).
    if (auto refused = domain::recheck_own_change(domain::login_view({}, c->second), change)) return to_error(*refused);
    // A child ID logs in with one-time passwords only (no download site of its own), whoever
    // asks: its own settings (refused earlier there, before the password) or an operator.
    if (change.auth_method == "certificate")
      return to_error(domain::field_failure(
          {{"auth_method", "unavailable", domain::field_message("auth_method", "unavailable", domain::lang::en)}}));
    return update_child(self, c->second, change);
  }
  auto before = st.accounts.find(id);
  if (!before) return to_error(domain::error_code::not_found, "no account " + id);
  if (auto refused = domain::recheck_own_change(*before, change)) return to_error(*refused);
  auto updated = std::make_shared<domain::account>(*before);
  domain::apply_changes(*updated, change);
  return store_change(self, updated, st.cfg.env.db->batch(), {}, before);
}

// Appends the ANs each OPID now has in the registry to its account's AN order (the stable
// storage indexes), tells the live accounts (`done` runs once they all have taken it), and
// stores the records that changed. Runs at start
// too: a --registry file changed across a restart may have given an OPID new ANs, and an account
// actor must never see an AN without its index.
void adopt_registry_ans(self_ptr self, std::function<void()> done) {
  auto& st = self->state;
  auto batch = st.cfg.env.db->batch();
  std::vector<account_ptr> grown;
  st.accounts.for_each([&](const domain::account& a) {
    if (auto u = st.with_current_ans(a)) {
      persist(batch, *u);
      grown.push_back(std::move(u));
    }
  });
  for (auto& u : grown) st.take_account(u);
  // Every live account hears of the registry's change, grown or not (its DNs may have changed).
  std::vector<account_ptr> live;
  for (auto& [id, l] : st.live)
    if (auto a = st.accounts.find(id)) live.push_back(std::move(a));
  auto told = after_calls(live.size(), std::move(done));
  for (auto& a : live) tell_live(self, a->id, st.live.at(a->id), told, info_atom::value, a, st.current_numbers(*a));
  if (grown.empty()) return;
  write_then(self, std::move(batch), [self, grown](bool ok) {
    // Memory keeps the new ANs whatever the answer (account_written derives them again): the live
    // accounts have them already, and the next start derives the same order again.
    for (auto& u : grown) account_answered(self, u, ok);
    if (!ok) spdlog::error("directory: the accounts' new ANs could not be stored; derived again at the next start");
  });
}

directory_actor::behavior_type directory(self_ptr self, directory_config cfg, registry_ptr initial) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.registry = std::move(initial);
  st.take_accounts();
  adopt_registry_ans(self, [] {});
  st.update_gauges();
  // Accounts are linked so that they stop with the directory at shutdown; their own failures
  // arrive here as exit messages and are handled by the down handler below instead.
  self->set_exit_handler([=](caf::exit_msg& msg) {
    if (msg.reason == caf::exit_reason::user_shutdown) self->quit(msg.reason);
  });
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    for (auto it = st.live.begin(); it != st.live.end(); ++it)
      if (it->second.handle.address() == dm.source) {
        if (dm.reason) {
          spdlog::warn("account {} failed: {}; it restarts on its next message", it->first,
                       self->system().render(dm.reason));
          metrics::actor_probe::restarted("account");
        }
        release(self, std::string(it->first), true);
        break;
      }
    st.update_gauges();
  });
  run_retention(self, false, [](bool) {});
  self->send(self, tick_atom::value);
  return {
      [=](registry_atom, registry_ptr& reg) -> caf::result<bool> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.registry = std::move(reg);
        st.reindex_ans();
        auto promise = self->make_response_promise<bool>();
        adopt_registry_ans(self, [promise]() mutable { promise.deliver(true); });
        return promise;
      },
      [=](create_atom, new_account& req) -> caf::result<account_summary> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto errors = domain::check_against_registry(req.request, *st.registry);
        if (errors.empty() && st.by_opid.count(req.request.opid))
          errors.push_back({"opid", "opid_taken", domain::field_message("opid", "opid_taken", req.request.language)});
        if (!errors.empty()) return to_error(domain::field_failure(std::move(errors)));
        std::string id = st.unused_id();
        auto month = static_cast<uint16_t>(domain::month_index(st.today()));
        auto a = std::make_shared<domain::account>(
            domain::new_account_record(req.request, id, st.next_number++, req.password_hash, month));
        a->an_order = st.current_ans(*a);
        // Taken at once in memory, so a second request for the OPID is refused before the write lands.
        st.take_account(a);
        st.by_opid[a->opid] = a->id;
        for (auto& an : a->an_order) st.by_an[an] = a->id;
        st.update_gauges();
        auto batch = st.cfg.env.db->batch();
        persist(batch, *a);
        auto promise = self->make_response_promise<account_summary>();
        auto created = [=](const account_ptr& stored) mutable {
          spdlog::info("account {} created for OPID {}", stored->id, stored->opid);
          auto& st = self->state;
          promise.deliver(account_summary{stored, st.current_ans(*stored), nullptr, st.current_numbers(*stored)});
        };
        write_then(self, std::move(batch), [=](bool ok) mutable {
          // A failed creation is forgotten once no write of the record is in flight; but a write
          // sent meanwhile (a registry change's new ANs, retention) carries the whole record, so
          // the account exists when any of them is stored.
          if (!ok)
            self->state.account_writes.when_settled(a->id, [=](const std::optional<account_ptr>& stored) mutable {
              if (stored && *stored)
                created(*stored);
              else
                promise.deliver(to_error(domain::error_code::storage, "the account could not be stored"));
            });
          account_answered(self, a, ok);
          if (ok) created(a);
        });
        return promise;
      },
      [=](show_atom, const std::string& id) -> caf::result<account_summary> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (auto c = st.children.find(id); c != st.children.end()) {
          auto view = st.login_view(c->second);
          if (!view) return to_error(domain::error_code::not_found, "the child ID is disabled");
          const auto main = st.accounts.find(c->second.main_id);
          return account_summary{view, st.current_ans(*main), std::make_shared<domain::child_user>(c->second),
                                 st.current_numbers(*main)};
        }
        auto a = st.accounts.find(id);
        if (!a) return to_error(domain::error_code::not_found, "no account " + id);
        return account_summary{a, st.current_ans(*a), nullptr, st.current_numbers(*a)};
      },
      [=](plan_atom, const std::string& id, const domain::plan_request& request) -> caf::result<account_summary> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return plan_change(self, id, request);
      },
      [=](lookup_atom, const std::string& id) -> caf::result<account_actor> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        if (!is_stopping(self->state, id)) {  // the common case: answer directly
          if (auto handle = activate(self, id)) return handle;
          return to_error(domain::error_code::not_found, "no such account");
        }
        auto promise = self->make_response_promise<account_actor>();
        lookup_when_ready(self, id, promise);
        return promise;
      },
      [=](route_atom, const std::vector<std::string>& ans) -> caf::result<std::vector<account_actor>> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        auto promise = self->make_response_promise<std::vector<account_actor>>();
        route_when_ready(self, ans, promise);
        return promise;
      },
      [=](retain_atom) -> caf::result<bool> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        auto promise = self->make_response_promise<bool>();
        run_retention(self, false, [=](bool ok) mutable { promise.deliver(ok); });
        return promise;
      },
      [=](opid_atom, const std::string& opid) -> opid_status {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        return {st.registry, st.by_opid.count(opid) > 0};
      },
      [=](creds_atom, const std::string& id) -> account_ptr {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (auto c = st.children.find(id); c != st.children.end()) return st.login_view(c->second);
        return st.accounts.find(id);
      },
      [=](update_atom, const std::string& id, const domain::account_changes& change) -> caf::result<account_summary> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return update_settings(self, id, change);
      },
      [=](users_atom, const std::string& main_id) -> caf::result<std::vector<domain::child_user>> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (auto refused = standard_main(st, main_id)) return *refused;
        return st.children_of(main_id);
      },
      [=](usernew_atom, const std::string& main_id, new_child& req) -> caf::result<domain::child_user> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (auto refused = standard_main(st, main_id)) return *refused;
        if (st.children_of(main_id).size() >= domain::children_max)
          return to_error(
              domain::field_failure({{"", "too_many", domain::field_message("users.", "too_many", req.language)}}));
        domain::child_user c{st.unused_id(),
                             main_id,
                             req.request.email,
                             req.request.person,
                             req.request.auth_method,
                             req.password_hash,
                             req.request.an_groups,
                             false,
                             st.today()};
        auto promise = self->make_response_promise<domain::child_user>();
        // Taken at once: a second request counts it (undone if the write fails).
        store_child(self, c, false, [=](bool ok) mutable {
          if (ok) {
            spdlog::info("account {}: child ID {} created", main_id, c.id);
            promise.deliver(c);
            return;
          }
          promise.deliver(to_error(domain::error_code::storage, "the child ID could not be stored"));
        });
        return promise;
      },
      [=](userset_atom, const std::string& main_id, const std::string& id,
          const domain::child_patch& patch) -> caf::result<child_patch_answer> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (auto refused = standard_main(st, main_id)) return *refused;
        auto* c = st.child_of(main_id, id);
        if (!c) return to_error(domain::error_code::not_found, "no such child ID");
        auto updated = *c;
        domain::apply_child_patch(updated, patch);
        auto promise = self->make_response_promise<child_patch_answer>();
        store_child(self, updated, false, [=, email_before = c->email](bool ok) mutable {
          if (ok) {
            promise.deliver(child_patch_answer{updated, email_before});
            return;
          }
          promise.deliver(to_error(domain::error_code::storage, "the change could not be stored"));
        });
        return promise;
      },
      [=](userdel_atom, const std::string& main_id, const std::string& id) -> caf::result<bool> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        if (auto refused = standard_main(st, main_id)) return *refused;
        auto* c = st.child_of(main_id, id);
        if (!c) return to_error(domain::error_code::not_found, "no such child ID");
        auto promise = self->make_response_promise<bool>();
        store_child(self, *c, true, [=](bool ok) mutable {
          if (ok) {
            spdlog::info("account {}: child ID {} deleted", main_id, id);
            promise.deliver(true);
            return;
          }
          promise.deliver(to_error(domain::error_code::storage, "the deletion could not be stored"));
        });
        return promise;
      },
      [=](find_atom, const domain::account_search& search) -> caf::result<account_page> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto page = list_accounts(st, search);
        if (!page) return to_error(page.error());
        return std::move(page.value());
      },
      [=](limit_atom, const std::string& id) -> caf::result<std::vector<std::string>> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto c = st.children.find(id);
        if (c == st.children.end() || c->second.disabled)
          return to_error(domain::error_code::not_found, "no such child ID");
        return c->second.an_groups;
      },
      [=](tick_atom) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto limit = steady::now() - std::chrono::seconds(st.cfg.passivate_after_s);
        for (auto& [id, l] : st.live)
          if (l.last_used < limit && !l.stopping) passivate(self, id, l);
        if (st.today() != st.last_retention_day) run_retention(self, false, [](bool) {});
        self->delayed_send(self, std::chrono::seconds(1), tick_atom::value);
      },
  };
}

}  // namespace

namespace {
// Gives every record under a `meta` prefix to `take` (false: it cannot be read, logged and
// skipped); false with error when storage cannot be read. `records` names them in both messages.
template <class Take>
bool load_records(const storage::store& db, std::string_view prefix, const char* records, Take take,
                  std::string& error) {
  auto s = db.scan_prefix(storage::cf::meta, prefix, [&](std::string_view, std::string_view value) {
    if (!take(value)) spdlog::error("one of the {} in storage cannot be read; skipped", records);
    return true;
  });
  if (!s.ok()) error = std::string("cxs-server: cannot read the ") + records + ": " + s.error;
  return s.ok();
}
}  // namespace

std::shared_ptr<account_table> load_accounts(const storage::store& db, std::string& error) {
  // Each record is parsed and packed in turn: the full structs of 100,000 accounts never exist
  // at once (their freed memory would stay in the heap).
  auto table = std::make_shared<account_table>();
  const auto take = [&](std::string_view value) {
    auto a = domain::from_storage_json(value);
    if (a) table->put(*a);
    return a.has_value();
  };
  return load_records(db, storage::meta_account_prefix, "account records", take, error) ? table : nullptr;
}

std::shared_ptr<std::vector<domain::child_user>> load_children(const storage::store& db, std::string& error) {
  auto children = std::make_shared<std::vector<domain::child_user>>();
  const auto take = [&](std::string_view value) {
    auto c = domain::child_from_storage(value);
    if (c) children->push_back(std::move(*c));
    return c.has_value();
  };
  return load_records(db, storage::meta_user_prefix, "child ID records", take, error) ? children : nullptr;
}

directory_actor spawn_directory(caf::actor_system& sys, const directory_config& cfg, registry_ptr initial) {
  return sys.spawn(directory, cfg, std::move(initial));
}

}  // namespace cxs::actors
