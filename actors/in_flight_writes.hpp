#pragma once
// The directory takes a change to a record in memory at once and then stores it through the
// writer, so the next request starts from the newest change: taken only when the write answers,
// two changes in flight would each start from the record before both, and the later write would
// undo the earlier. What memory shows then runs ahead of storage; this keeps, for each record
// with writes in flight, the record of the last write that answered success. When the last write
// in flight has answered and one of them failed, memory is set to that record (or to the one from
// before them all). The writer answers writes in the order it was given them, so that is storage's
// record as far as the answers tell; a write answered false is taken as not stored, though a failed
// sync may leave it in the database (writer.cpp fails its whole group), and a failed change can
// reach storage inside a later change's record, which started from it (each write is the whole
// record).

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cxs::actors {

template <class Record>
class in_flight_writes {
 public:
  // What memory must show once the writes are done: `record`, or nothing when it is empty.
  struct reset {
    std::optional<Record> record;
  };

  // A write of `id` is about to go; `shown` is what memory shows before it takes the change
  // (nothing for a new record). With no write of `id` in flight, that is what storage holds.
  void sending(const std::string& id, std::optional<Record> shown) {
    auto [it, first] = writes_.try_emplace(id);
    if (first) it->second.stored = std::move(shown);
    ++it->second.in_flight;
  }

  // The writer's answer to one write of `id`, which wrote `written` (nothing: it deleted the
  // record). A reset when memory must be set to what storage holds, else nothing.
  std::optional<reset> answered(const std::string& id, bool ok, std::optional<Record> written) {
    auto it = writes_.find(id);
    if (it == writes_.end()) return std::nullopt;  // not sent through sending(): a caller's slip
    auto& w = it->second;
    if (ok)
      w.stored = std::move(written);
    else
      w.failed = true;
    if (--w.in_flight > 0) return std::nullopt;
    std::optional<reset> out;
    if (w.failed) out = reset{w.stored};
    auto waiting = std::move(w.waiting);
    auto stored = std::move(w.stored);
    writes_.erase(it);
    for (auto& then : waiting) then(stored);
    return out;
  }

  // Calls `then` with what storage holds of `id` (nothing: no record) once its last write in flight
  // has answered: a change whose own write failed may yet be stored inside a later write's record.
  // Called before the failed write's answer is given to answered(); with no write of `id` in flight
  // (a caller's slip, as in answered()) it is called at once with nothing.
  void when_settled(const std::string& id, std::function<void(const std::optional<Record>&)> then) {
    if (auto it = writes_.find(id); it != writes_.end())
      it->second.waiting.push_back(std::move(then));
    else
      then(std::nullopt);
  }

  std::size_t records_in_flight() const { return writes_.size(); }

 private:
  struct entry {
    int in_flight = 0;
    bool failed = false;
    std::optional<Record> stored;
    std::vector<std::function<void(const std::optional<Record>&)>> waiting;
  };
  std::unordered_map<std::string, entry> writes_;
};

}  // namespace cxs::actors
