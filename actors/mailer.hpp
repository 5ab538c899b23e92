#pragma once
// The mailer (SPEC §3 "Mails"): takes a mail, makes it a real RFC 5322 message from the editable
// texts, keeps it in RocksDB until it is delivered (outbox file or SMTP), and retries failed
// deliveries with exponential back-off. A mail it accepted survives a restart and is never
// dropped silently: after three days of failures, or when an SMTP server refuses it for good,
// it is kept under mail/failed/ and counted as failed.

#include "actors/atoms.hpp"
#include "actors/mail_transport.hpp"
#include "config/clock.hpp"
#include "domain/mail_texts.hpp"

namespace cxs::actors {

// One mail to send: which text, to whom, and the values of its placeholders.
struct outgoing_mail {
  std::string to;
  std::string text;  // a name of domain/mail_texts.hpp, e.g. "login_otp"
  domain::mail_vars vars;
};

using mail_atom = caf::atom_constant<caf::atom("mail")>;

using mailer_actor = caf::typed_actor<
    // true once the mail is stored durably (then it will be delivered); false if storage failed.
    caf::replies_to<mail_atom, outgoing_mail>::with<bool>, caf::reacts_to<tick_atom>>;

// The queue as storage holds it, read before the mailer starts (so a failed read stops the start
// with its error, instead of a mailer that would reuse sequence numbers of queued mail).
struct stored_mail_queue;
std::shared_ptr<const stored_mail_queue> load_mail_queue(const storage::store& db, std::string& error);

struct mailer_config {
  std::shared_ptr<const stored_mail_queue> stored;  // from load_mail_queue
  storage::store* db = nullptr;
  const config::clock* clock = nullptr;
  std::shared_ptr<mail_transport> transport;
  domain::mail_texts texts;
  std::string from;  // "CX Support <no-reply@…>"
  uint32_t retry_base_ms = 1000;
  uint32_t retry_max_s = 600;
  int64_t give_up_after_s = 3 * 86400;
};

// Runs detached (its queue writes are synced); delivery runs on a detached courier of its own.
mailer_actor spawn_mailer(caf::actor_system& sys, mailer_config cfg);

}  // namespace cxs::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::outgoing_mail)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(cxs::actors::delivery_result)
