#pragma once
// The storage writer: the one actor that makes writes durable. Writes are group-committed: a
// batch is written to the WAL unsynced (by the writer for write_atom, or by the sender itself
// before it sends sync_atom, so memtable inserts run in parallel on the scheduler threads), and
// one WAL sync covers every batch written before it; only then are the senders answered.

#include "actors/atoms.hpp"

namespace cxs::actors {

using writer_actor = caf::typed_actor<caf::replies_to<write_atom, batch_ptr>::with<bool>,
                                      caf::replies_to<sync_atom>::with<bool>, caf::reacts_to<flush_atom>>;

// Runs detached (its own thread): fsync must never block a scheduler thread. own_thread = false
// is for tests on CAF's deterministic scheduler, which runs no detached actor.
writer_actor spawn_writer(caf::actor_system& sys, storage::store* db, bool own_thread = true);

}  // namespace cxs::actors
