#pragma once
// The certificates actor (SPEC §16): the CA's hands and the register of what it signed. It makes
// key pairs and signs (tens of milliseconds for an RSA key), so the service runs it detached, on a
// thread of its own, never on the scheduler's. The register (serial, ID, validity, revocation,
// reminders sent) is kept in `meta` under cert/<ID>/<serial>, read at start and written synced
// before an answer; a new certificate revokes the ID's earlier ones in the same write.

#include "actors/atoms.hpp"
#include "config/clock.hpp"
#include "domain/certificate.hpp"
#include "pki/authority.hpp"

namespace cxs::actors {

using cert_issue_atom = caf::atom_constant<caf::atom("certissue")>;
using cert_csr_atom = caf::atom_constant<caf::atom("certcsr")>;
using cert_list_atom = caf::atom_constant<caf::atom("certlist")>;
using cert_revoke_atom = caf::atom_constant<caf::atom("certrevoke")>;
using cert_crl_atom = caf::atom_constant<caf::atom("certcrl")>;

// A certificate made here: the PKCS#12 file and its one-time password (never kept).
struct issued_pkcs12 {
  domain::certificate_record record;
  std::string der;
  std::string password;
};

// A certificate signed from the customer's request: PEM.
struct issued_pem {
  domain::certificate_record record;
  std::string pem;
};

using certificate_list = std::vector<domain::certificate_record>;

using certificate_actor = caf::typed_actor<
    // A key pair and certificate for the ID, in a PKCS#12. Errors: storage, internal.
    caf::replies_to<cert_issue_atom, std::string>::with<issued_pkcs12>,
    // ID, PEM PKCS#10 → the certificate. Errors: invalid_fields (field `csr`: csr_invalid,
    // csr_subject, csr_key), storage.
    caf::replies_to<cert_csr_atom, std::string, std::string>::with<issued_pem>,
    // The ID's certificates, newest first.
    caf::replies_to<cert_list_atom, std::string>::with<certificate_list>,
    // ID, serial. Errors: not_found (no such certificate of the ID), storage. Revoking a revoked
    // one answers as done and keeps its first time.
    caf::replies_to<cert_revoke_atom, std::string, std::string>::with<domain::nothing>,
    // The CRL (PEM) of every revoked serial.
    caf::replies_to<cert_crl_atom>::with<std::string>>;

struct certificates_config {
  pki::authority ca;
  storage::store* db = nullptr;
  const config::clock* clock = nullptr;
};

// own_thread: detached (the service); false puts it on the scheduler (the deterministic tests).
// nullopt with error when the register cannot be read.
std::optional<certificate_actor> spawn_certificates(caf::actor_system& sys, certificates_config cfg, std::string& error,
                                                    bool own_thread = true);

}  // namespace cxs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::issued_pkcs12)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::issued_pem)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::certificate_list)
