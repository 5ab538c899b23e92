#include "actors/answer_cache.hpp"

#include "domain/time.hpp"

namespace cxs::actors {

uint64_t answer_cache::renew(const std::string& account_id) {
  std::lock_guard lock(mutex_);
  auto& a = accounts_[account_id];
  a.generation = next_generation_++;
  for (auto& [key, e] : a.by_key) bytes_ -= e.bytes;
  a.by_key.clear();  // their places in order_ are skipped when they come up
  return a.generation;
}

uint64_t answer_cache::generation(const std::string& account_id) const {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(account_id);
  return it == accounts_.end() ? 0 : it->second.generation;
}

void answer_cache::forget(const std::string& account_id, uint64_t generation) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(account_id);
  if (it == accounts_.end() || it->second.generation != generation) return;
  for (auto& [key, e] : it->second.by_key) bytes_ -= e.bytes;
  accounts_.erase(it);
}

std::shared_ptr<const domain::analysis_document> answer_cache::find(const std::string& account_id,
                                                                    const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto a = accounts_.find(account_id);
  if (a == accounts_.end() || a->second.generation == 0) return nullptr;
  auto e = a->second.by_key.find(key);
  if (e == a->second.by_key.end() || e->second.generation != a->second.generation) return nullptr;
  return e->second.doc;
}

void answer_cache::store(const std::string& account_id, uint64_t generation, const std::string& key,
                         const domain::analysis_document& doc) {
  if (max_bytes_ == 0) return;
  const std::size_t size = key.size() + doc.json.size() + (doc.csv ? doc.csv->body.size() : 0) + 128;
  if (size > max_bytes_ / 4) return;  // one huge answer (a CSV of a year by hour) would push out the rest
  std::lock_guard lock(mutex_);
  auto a = accounts_.find(account_id);
  if (a == accounts_.end() || a->second.generation != generation) return;  // changed meanwhile
  auto [it, fresh] = a->second.by_key.try_emplace(key);
  if (!fresh) bytes_ -= it->second.bytes;
  it->second = {generation, std::make_shared<const domain::analysis_document>(doc), size};
  bytes_ += size;
  order_.emplace_back(account_id, key);
  evict_locked();
}

void answer_cache::evict_locked() {
  while (bytes_ > max_bytes_ && !order_.empty()) {
    auto [account_id, key] = std::move(order_.front());
    order_.pop_front();
    auto a = accounts_.find(account_id);
    if (a == accounts_.end()) continue;
    auto e = a->second.by_key.find(key);
    if (e == a->second.by_key.end()) continue;
    bytes_ -= e->second.bytes;
    a->second.by_key.erase(e);
  }
  // Entries renewed away leave their (account, key) behind: keep the queue from growing without end.
  if (order_.size() > 4 * (1 + bytes_ / 1024)) {
    std::deque<std::pair<std::string, std::string>> kept;
    for (auto& [account_id, key] : order_) {
      auto a = accounts_.find(account_id);
      if (a != accounts_.end() && a->second.by_key.count(key)) kept.emplace_back(std::move(account_id), std::move(key));
    }
    order_ = std::move(kept);
  }
}

std::size_t answer_cache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

namespace {
// Each field with its length first: no value, whatever bytes it holds, can run into the next
// field (a crafted parameter must never make one ID's question the key of a limited child's).
void field(std::string& key, std::string_view value) {
  key += std::to_string(value.size());
  key += ':';
  key += value;
}
}  // namespace

std::string answer_key(const domain::analysis_request& q, int64_t now_unix) {
  const auto t = domain::to_jst(now_unix);
  std::string key;
  field(key, q.name);
  field(key, q.english ? "en" : "ja");
  field(key, std::to_string(t.date.year * 10000 + t.date.month * 100 + t.date.day) + "T" + std::to_string(t.hour));
  field(key, std::to_string(q.params.size()));
  for (const auto& [name, value] : q.params) {
    field(key, name);
    field(key, value);
  }
  field(key, std::to_string(q.an_group_limit.size()));
  for (const auto& id : q.an_group_limit) field(key, id);
  return key;
}

}  // namespace cxs::actors
