#pragma once
// The simulated accounts' mailbox: the server's outbox folder (--mail.outbox), where the courier
// drops one RFC 5322 message per file. cxs-load reads the mails addressed to its own mail domain
// (and deletes those files, so the folder does not grow under a long run), leaves every other
// mail alone, and hands the one-time passwords and sign-up links to the operations waiting
// for them.

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace cxs::load {

struct mail {
  std::string to;    // the bare address, lower case
  std::string body;  // decoded UTF-8 text
};

// Headers and body of one message as the server renders it (text/plain, base64 or 7bit/8bit).
// nullopt when it has no To header or a body that does not decode.
std::optional<mail> parse_mail(std::string_view raw);

// "ワンタイムパスワード: 123456" → "123456".
std::optional<std::string> find_otp(std::string_view body);
// ".../signup/confirm/<43 base64url characters>" → the token.
std::optional<std::string> find_signup_token(std::string_view body);

enum class wanted { otp, signup_token };

class outbox_reader {
 public:
  outbox_reader(std::string folder, std::string mail_domain);

  // Reads the new files of the folder: mails to the domain are queued by address and their
  // files removed; others are remembered so they are read once.
  void poll();

  // The first queued mail to `address` carrying what is wanted, removed from the queue; older
  // mails to the address that do not carry it stay (another operation may want them).
  std::optional<std::string> take(const std::string& address, wanted what);

  std::size_t mails_read() const { return mails_read_; }

 private:
  std::string folder_;
  std::string suffix_;  // "@" + mail_domain
  std::unordered_set<std::string> ignored_files_;
  std::unordered_map<std::string, std::deque<std::string>> queued_;  // address → bodies
  std::size_t mails_read_ = 0;
};

}  // namespace cxs::load
