#pragma once
// How a rendered mail leaves the service: one .eml file in the outbox folder (the embedded
// default) or SMTP through libcurl (--mail.smtp). Blocking calls, made only from the mailer's
// own thread. Free of CAF.

#include <memory>
#include <string>

namespace cxs::actors {

struct smtp_settings {
  std::string url;                  // smtp://host:port or smtps://host:port
  std::string starttls = "always";  // always | try | never (SPEC §18: never in clear unless asked)
  std::string user, password;
  std::string ca_file;  // verifies the server's certificate; empty = the system's CA store
};

struct delivery_result {
  bool ok = false;
  bool permanent = false;  // the server refused for good (5xx): retrying cannot help
  std::string error;       // for the log: never the message or the address
};

class mail_transport {
 public:
  virtual ~mail_transport() = default;
  // envelope_from and to are bare addresses; message is the whole RFC 5322 text (CRLF).
  // name is a file-name-safe label that sorts in sending order (the outbox uses it).
  virtual delivery_result deliver(const std::string& envelope_from, const std::string& to, const std::string& message,
                                  const std::string& name) = 0;
};

std::unique_ptr<mail_transport> make_outbox_transport(std::string folder);
std::unique_ptr<mail_transport> make_smtp_transport(smtp_settings settings);

// The bare address of "Name <addr>" or "addr".
std::string bare_address(const std::string& mailbox);

}  // namespace cxs::actors
