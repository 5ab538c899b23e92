#pragma once
// Answers of analyses kept for the same question asked again (issue 16: a dashboard asks the same
// few questions on every refresh, from every browser of the account). A hit is answered on the
// I/O thread that read the request, without a message to any actor; the account actor alone
// decides what is current: it opens a new generation when it starts and on every message that
// can change an answer (ingest, registry and plan updates, groups, custom data, retention), and
// an answer stored under an older generation is never served. The key holds every field of the
// request and the JST date and hour, so "today" and the hour move on by themselves. Bounded in
// bytes; the oldest answers go first.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/analysis_query.hpp"

namespace cxs::actors {

class answer_cache {
 public:
  explicit answer_cache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The account actor: every answer stored before for the account is stale from now on.
  // Returns the new generation.
  uint64_t renew(const std::string& account_id);
  // The account's current generation (0: none open, nothing is served).
  uint64_t generation(const std::string& account_id) const;
  // The account actor that opened `generation` stopped (passivated or failed): its answers go,
  // unless a newer actor of the account opened a generation since.
  void forget(const std::string& account_id, uint64_t generation);

  // An answer stored under the account's current generation, or nothing.
  std::shared_ptr<const domain::analysis_document> find(const std::string& account_id, const std::string& key) const;
  // Keeps `doc` as the answer to `key` if `generation` is still the account's current one.
  void store(const std::string& account_id, uint64_t generation, const std::string& key,
             const domain::analysis_document& doc);

  std::size_t bytes() const;
  bool enabled() const { return max_bytes_ > 0; }

 private:
  struct entry {
    uint64_t generation;
    std::shared_ptr<const domain::analysis_document> doc;
    std::size_t bytes;
  };
  struct account_answers {
    uint64_t generation = 0;
    std::unordered_map<std::string, entry> by_key;
  };
  void evict_locked();

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  uint64_t next_generation_ = 1;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, account_answers> accounts_;
  std::deque<std::pair<std::string, std::string>> order_;  // (account, key) in the order stored
};

// Every field of the request, and the JST date and hour of `now_unix`: equal keys, equal answers
// (for the same generation).
std::string answer_key(const domain::analysis_request& q, int64_t now_unix);

}  // namespace cxs::actors
