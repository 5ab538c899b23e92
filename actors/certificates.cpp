#include "actors/certificates.hpp"

#include "metrics/metrics.hpp"
#include "storage/keys.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace cxs::actors {

namespace {

std::string key_of(const domain::certificate_record& r) {
  return std::string(storage::meta_certificate_prefix) + r.id + "/" + r.serial;
}

struct certificates_state {
  certificates_config cfg;
  std::map<std::string, std::vector<domain::certificate_record>> by_id;
  metrics::actor_probe probe{"certificates"};
  static inline const char* name = "certificates";

  int64_t now() const { return cfg.clock->now(); }

  // Keeps a new certificate of the ID and revokes its earlier ones, in one synced write.
  std::optional<domain::failure> keep(domain::certificate_record record) {
    auto of_id = by_id[record.id];  // a copy: changed only once stored
    of_id.push_back(record);
    auto revoked = domain::revoke_others(of_id, record.serial, now());
    auto batch = cfg.db->batch();
    for (auto* r : revoked) batch.put(storage::cf::meta, key_of(*r), domain::encode_certificate(*r));
    batch.put(storage::cf::meta, key_of(record), domain::encode_certificate(record));
    if (auto s = cfg.db->write(batch, true); !s.ok()) {
      spdlog::error("certificates: a new certificate of {} could not be stored: {}", record.id, s.error);
      return domain::fail(domain::error_code::storage, "the certificate could not be stored");
    }
    by_id[record.id] = std::move(of_id);
    spdlog::info("certificates: {} issued to {} ({} earlier revoked)", record.serial, record.id, revoked.size());
    return std::nullopt;
  }
};

using self_ptr = certificate_actor::stateful_pointer<certificates_state>;

domain::certificate_record record_of(const pki::issued_certificate& c) {
  return {c.id, c.serial_hex, c.not_before, c.not_after, std::nullopt, false, false};
}

caf::error internal(const pki::refusal& r) {
  spdlog::error("certificates: {}", r.detail);
  return to_error(domain::error_code::internal, r.detail);
}

certificate_actor::behavior_type certificates(self_ptr self, certificates_config cfg,
                                              std::map<std::string, std::vector<domain::certificate_record>> by_id) {
  self->state.cfg = std::move(cfg);
  self->state.by_id = std::move(by_id);
  return {
      [=](cert_issue_atom, const std::string& id) -> caf::result<issued_pkcs12> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto made = st.cfg.ca.issue_pkcs12(id, st.now());
        if (auto* r = std::get_if<pki::refusal>(&made)) return internal(*r);
        auto& bundle = std::get<pki::pkcs12_bundle>(made);
        auto record = record_of(bundle.certificate);
        if (auto f = st.keep(record)) return to_error(std::move(*f));
        return issued_pkcs12{std::move(record), std::move(bundle.der), std::move(bundle.password)};
      },
      [=](cert_csr_atom, const std::string& id, const std::string& pem) -> caf::result<issued_pem> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto made = st.cfg.ca.sign_csr(pem, id, st.now());
        if (auto* r = std::get_if<pki::refusal>(&made)) {
          if (r->code == "internal") return internal(*r);
          return to_error(domain::field_failure({{"csr", r->code, {}}}));
        }
        auto& issued = std::get<pki::issued_certificate>(made);
        auto record = record_of(issued);
        if (auto f = st.keep(record)) return to_error(std::move(*f));
        return issued_pem{std::move(record), std::move(issued.pem)};
      },
      [=](cert_list_atom, const std::string& id) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        certificate_list out;
        if (auto it = st.by_id.find(id); it != st.by_id.end()) out = it->second;
        std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.not_before > b.not_before; });
        return out;
      },
      [=](cert_revoke_atom, const std::string& id, const std::string& serial) -> caf::result<domain::nothing> {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        auto it = st.by_id.find(id);
        auto* found = it == st.by_id.end() ? nullptr : [&]() -> domain::certificate_record* {
          for (auto& r : it->second)
            if (r.serial == serial) return &r;
          return nullptr;
        }();
        if (!found) return to_error(domain::error_code::not_found, "no such certificate of this ID");
        if (found->revoked) return domain::nothing{};
        auto changed = *found;
        changed.revoked = st.now();
        auto batch = st.cfg.db->batch();
        batch.put(storage::cf::meta, key_of(changed), domain::encode_certificate(changed));
        if (auto s = st.cfg.db->write(batch, true); !s.ok())
          return to_error(domain::error_code::storage, "the revocation could not be stored");
        *found = std::move(changed);
        spdlog::info("certificates: {} of {} revoked", serial, id);
        return domain::nothing{};
      },
      [=](cert_crl_atom) {
        auto& st = self->state;
        auto timed = st.probe.on_message(self->mailbox().size());
        std::vector<pki::revoked_serial> revoked;
        for (auto& [id, list] : st.by_id)
          for (auto& r : list)
            if (r.revoked) revoked.push_back({r.serial, *r.revoked});
        return st.cfg.ca.crl_pem(revoked, st.now());
      },
  };
}

}  // namespace

std::optional<certificate_actor> spawn_certificates(caf::actor_system& sys, certificates_config cfg, std::string& error,
                                                    bool own_thread) {
  std::map<std::string, std::vector<domain::certificate_record>> by_id;
  std::size_t skipped = 0;
  auto s = cfg.db->scan_prefix(storage::cf::meta, storage::meta_certificate_prefix,
                               [&](std::string_view, std::string_view value) {
                                 if (auto r = domain::decode_certificate(value))
                                   by_id[r->id].push_back(std::move(*r));
                                 else
                                   ++skipped;
                                 return true;
                               });
  if (!s.ok()) {
    error = "cxs-server: cannot read the certificates: " + s.error;
    return std::nullopt;
  }
  if (skipped) spdlog::warn("certificates: {} damaged records skipped", skipped);
  return own_thread ? sys.spawn<caf::detached>(certificates, std::move(cfg), std::move(by_id))
                    : sys.spawn(certificates, std::move(cfg), std::move(by_id));
}

}  // namespace cxs::actors
