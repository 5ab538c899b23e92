#pragma once
// The storage writer: the one actor that makes writes durable. Many accounts' batches are
// group-committed: each batch is written to the WAL unsynced as it arrives, and one WAL sync
// covers every batch that arrived before it; only then are their senders answered.

#include "actors/atoms.hpp"

namespace cxs::actors {

using writer_actor = caf::typed_actor<caf::replies_to<write_atom, batch_ptr>::with<bool>,
                                      caf::reacts_to<flush_atom>>;

// Runs detached (its own thread): fsync must never block a scheduler thread.
writer_actor spawn_writer(caf::actor_system& sys, storage::store* db);

}  // namespace cxs::actors
