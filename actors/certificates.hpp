#pragma once
// The certificates actor (SPEC §16): the CA's hands, the register of what it signed, and the
// download credentials of the download site. It makes
// key pairs and signs (tens of milliseconds for an RSA key), so the service runs it detached, on a
// thread of its own, never on the scheduler's. The register (serial, ID, validity, revocation,
// reminders sent) is kept in `meta` under cert/<ID>/<serial>, read at start and written synced
// before an answer; a new certificate revokes the ID's earlier ones in the same write. Download
// credentials are kept under certdl/<ID> (one pair per ID), the password as a digest only.

#include "actors/atoms.hpp"
#include "actors/directory.hpp"
#include "actors/mailer.hpp"
#include "config/clock.hpp"
#include "config/public_url.hpp"
#include "domain/certificate.hpp"
#include "pki/authority.hpp"

namespace cxs::actors {

using cert_issue_atom = caf::atom_constant<caf::atom("certissue")>;
using cert_csr_atom = caf::atom_constant<caf::atom("certcsr")>;
using cert_list_atom = caf::atom_constant<caf::atom("certlist")>;
using cert_revoke_atom = caf::atom_constant<caf::atom("certrevoke")>;
using cert_crl_atom = caf::atom_constant<caf::atom("certcrl")>;
using cert_grant_atom = caf::atom_constant<caf::atom("certgrant")>;
using cert_enter_atom = caf::atom_constant<caf::atom("certenter")>;
using cert_send_atom = caf::atom_constant<caf::atom("certsend")>;
using cert_judge_atom = caf::atom_constant<caf::atom("certjudge")>;
using cert_method_atom = caf::atom_constant<caf::atom("certmethod")>;
using cert_remind_atom = caf::atom_constant<caf::atom("certremind")>;

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
    caf::replies_to<cert_crl_atom>::with<std::string>,
    // New download credentials for the ID (SPEC §16), replacing its earlier ones; the password's
    // digest is stored synced before the answer. Errors: storage.
    caf::replies_to<cert_grant_atom, std::string>::with<download_grant>,
    // ID, email, person: new download credentials mailed to the account (an operator made a
    // certificate account, or its owner switched to certificate login). True once the mail is
    // queued. Errors: storage, mail.
    caf::replies_to<cert_send_atom, std::string, std::string, std::string>::with<bool>,
    // Download account, password → the ID they fetch certificates for. Five wrong passwords in a
    // row lock the download account 30 minutes, stored before the answer so that a restart keeps
    // it, as the login lockout. Errors: download_credentials (unknown or wrong), download_locked.
    caf::replies_to<cert_enter_atom, std::string, std::string>::with<std::string>,
    // Login ID, the DER certificate the TLS client presented (empty: none) → what it is worth for
    // that ID now (SPEC §16): absent; mismatch when another ID's, not signed by our root, not for
    // client authentication or not in the register; revoked; expired; valid.
    caf::replies_to<cert_judge_atom, std::string, std::string>::with<domain::certificate_verdict>,
    // ID, the auth method it was just switched to (SPEC §16): certificate mails new download
    // credentials to the account's address (as cert_send); otp revokes the ID's certificates and
    // voids its download credentials. Judged against the method the directory has by then, so the
    // switch stored last wins whatever order two follow-ups arrive in (domain::follow_up_of_switch).
    // True when done (the mail queued). Errors: storage, mail.
    caf::replies_to<cert_method_atom, std::string, std::string>::with<bool>,
    // The reminders due now (SPEC §16: 30 and 7 days before a certificate ends, each once, marked
    // in the register before its mail is queued, so a restart never sends one twice): how many
    // were sent. The actor asks itself hourly; operators can ask after a long stop. Either way it
    // first drops the certificates 90 days past their end (domain::past_keeping) from the
    // register and so from the CRL.
    caf::replies_to<cert_remind_atom>::with<std::size_t>, caf::reacts_to<tick_atom>>;

struct certificates_config {
  pki::authority ca;
  storage::store* db = nullptr;
  const config::clock* clock = nullptr;
  mailer_actor mailer;                      // mails download credentials and reminders
  const config::public_url* url = nullptr;  // the download site's address in those mails
  directory_actor directory;                // a reminder's addressee, an account's method now
  bool remind_hourly = true;                // false: only when asked (the deterministic tests)
};

// own_thread: detached (the service); false puts it on the scheduler (the deterministic tests).
// nullopt with error when the register cannot be read.
std::optional<certificate_actor> spawn_certificates(caf::actor_system& sys, certificates_config cfg, std::string& error,
                                                    bool own_thread = true);

}  // namespace cxs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::issued_pkcs12)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::issued_pem)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::certificate_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::download_grant)
