#include "actors/writer.hpp"

#include "metrics/metrics.hpp"

#include <spdlog/spdlog.h>

namespace cxs::actors {

namespace {
struct writer_state {
  storage::store* db = nullptr;
  std::vector<caf::response_promise> waiting;  // written, not yet synced
  bool failed = false;                         // a failed write poisons the group: all answer false
  bool flush_queued = false;
  metrics::actor_probe probe{"writer"};
  metrics::counter* syncs = &metrics::global().get_counter("cxs_storage_syncs_total");
  metrics::counter* batches = &metrics::global().get_counter("cxs_storage_batches_total");
  static inline const char* name = "writer";
};

using self_ptr = writer_actor::stateful_pointer<writer_state>;

caf::response_promise wait_for_sync(self_ptr self) {
  auto& st = self->state;
  st.waiting.push_back(self->make_response_promise());
  // The flush message queues behind every request already in the mailbox: that is the group.
  if (!st.flush_queued) {
    st.flush_queued = true;
    self->send(self, flush_atom::value);
  }
  return st.waiting.back();
}

writer_actor::behavior_type writer(writer_actor::stateful_pointer<writer_state> self, storage::store* db) {
  self->state.db = db;
  return {
      [=](write_atom, batch_ptr& batch) -> caf::result<bool> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto s = st.db->write(*batch, false);
        if (!s.ok()) {
          spdlog::error("storage write failed: {}", s.error);
          st.failed = true;
        }
        st.batches->inc();
        return wait_for_sync(self);
      },
      [=](sync_atom) -> caf::result<bool> {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        self->state.batches->inc();
        return wait_for_sync(self);
      },
      [=](flush_atom) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        st.flush_queued = false;
        bool ok = !st.failed;
        if (ok) {
          auto s = st.db->sync_wal();
          if (s.ok()) {
            st.syncs->inc();  // only the syncs that made something durable
          } else {
            spdlog::error("WAL sync failed: {}", s.error);
            ok = false;
          }
        }
        st.failed = false;
        for (auto& p : st.waiting) p.deliver(ok);
        st.waiting.clear();
      },
  };
}
}  // namespace

writer_actor spawn_writer(caf::actor_system& sys, storage::store* db, bool own_thread) {
  return own_thread ? sys.spawn<caf::detached>(writer, db) : sys.spawn(writer, db);
}

}  // namespace cxs::actors
