#include "actors/registry_actor.hpp"

#include "config/secrets.hpp"
#include "metrics/metrics.hpp"
#include "storage/keys.hpp"

#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace cxs::actors {

namespace {

constexpr std::string_view file_hash_key = "registry_file_sha256";

struct registry_state {
  storage::store* db = nullptr;
  std::atomic<std::size_t>* opids = nullptr;
  directory_actor directory;
  registry_ptr current;
  metrics::actor_probe probe{"registry"};
  static inline const char* name = "registry";
};

using self_ptr = registry_actor::stateful_pointer<registry_state>;

caf::error conflicts_error(std::vector<domain::registry_error> errors) {
  auto f = domain::fail(domain::error_code::invalid_registry);
  f.registry_errors = std::move(errors);
  return to_error(std::move(f));
}

caf::result<std::size_t> apply(self_ptr self, const std::vector<domain::opid_entry>& entries, bool replace) {
  auto& st = self->state;
  auto timed = st.probe.on_message(self->mailbox().size());
  if (!replace)
    if (auto conflicts = domain::an_conflicts(entries, st.current.get()); !conflicts.empty())
      return conflicts_error(std::move(conflicts));
  auto next =
      std::make_shared<const domain::registry>(replace ? domain::registry(entries) : st.current->upsert(entries));
  if (auto conflicts = next->conflicts(); !conflicts.empty()) return conflicts_error(std::move(conflicts));
  auto s = st.db->put(storage::cf::meta, storage::meta_registry_key, next->to_json().dump(), true);
  if (!s.ok()) {
    spdlog::error("registry: the new registry could not be stored: {}", s.error);
    return to_error(domain::error_code::storage, "the registry could not be stored");
  }
  st.current = next;
  st.opids->store(next->size());
  auto promise = self->make_response_promise<std::size_t>();
  auto n = next->size();
  self->request(st.directory, caf::infinite, registry_atom::value, registry_ptr(next))
      .then([=](bool) mutable { promise.deliver(n); },
            [=](caf::error&) mutable {
              promise.deliver(to_error(domain::error_code::unavailable, "directory did not answer"));
            });
  spdlog::info("registry {}: {} OPIDs", replace ? "replaced" : "upserted", n);
  return promise;
}

registry_actor::behavior_type registry_behavior(self_ptr self, storage::store* db, directory_actor directory,
                                                registry_ptr initial, std::atomic<std::size_t>* opids) {
  self->state.db = db;
  self->state.opids = opids;
  opids->store(initial->size());
  self->state.directory = std::move(directory);
  self->state.current = std::move(initial);
  return {
      [=](replace_atom, const std::vector<domain::opid_entry>& entries) { return apply(self, entries, true); },
      [=](upsert_atom, const std::vector<domain::opid_entry>& entries) { return apply(self, entries, false); },
      [=](show_atom) {
        auto timed = self->state.probe.on_message(self->mailbox().size());
        return self->state.current;
      },
  };
}

std::string sha256_hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return config::to_hex({reinterpret_cast<const char*>(digest), sizeof digest});
}

std::string format_errors(const std::vector<domain::registry_error>& errors) {
  std::string out;
  for (auto& e : errors) {
    if (!out.empty()) out += "; ";
    out += (e.field.empty() ? std::string() : e.field + ": ") + e.message;
    if (out.size() > 400) break;
  }
  return out;
}

}  // namespace

registry_actor spawn_registry(caf::actor_system& sys, storage::store* db, directory_actor directory,
                              registry_ptr initial, std::atomic<std::size_t>* opids) {
  return sys.spawn<caf::detached>(registry_behavior, db, std::move(directory), std::move(initial), opids);
}

registry_ptr load_registry_at_start(storage::store& db, const std::string& file, std::string& error) {
  auto stored = std::make_shared<domain::registry>();
  storage::status read;
  auto stored_text = db.get(storage::cf::meta, storage::meta_registry_key, read);
  if (!read.ok()) {
    error = "cxs-server: cannot read the stored registry: " + read.error;
    return nullptr;
  }
  if (auto text = stored_text) {
    auto parsed = domain::parse_registry_json(*text, /*trusted=*/true);
    if (auto* entries = std::get_if<std::vector<domain::opid_entry>>(&parsed))
      stored = std::make_shared<domain::registry>(*entries);
    else
      spdlog::error("the stored registry cannot be read: {}", format_errors(std::get<1>(parsed)));
  }
  if (file.empty()) return stored;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = "cxs-server: --registry: cannot read " + file;
    return nullptr;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  auto text = buf.str();
  auto hash = sha256_hex(text);
  auto loaded_hash = db.get(storage::cf::meta, file_hash_key, read);
  if (!read.ok()) {
    error = "cxs-server: cannot read the stored registry: " + read.error;
    return nullptr;
  }
  if (loaded_hash == hash) return stored;  // unchanged: keep API edits
  auto parsed = domain::parse_registry(text);
  if (auto* errors = std::get_if<std::vector<domain::registry_error>>(&parsed)) {
    error = "cxs-server: --registry " + file + ": " + format_errors(*errors);
    return nullptr;
  }
  auto loaded = std::make_shared<domain::registry>(std::get<0>(parsed));
  auto batch = db.batch();
  batch.put(storage::cf::meta, storage::meta_registry_key, loaded->to_json().dump());
  batch.put(storage::cf::meta, file_hash_key, hash);
  if (auto s = db.write(batch, true); !s.ok()) {
    error = "cxs-server: cannot store the registry: " + s.error;
    return nullptr;
  }
  spdlog::info("registry loaded from {}: {} OPIDs", file, loaded->size());
  return loaded;
}

}  // namespace cxs::actors
