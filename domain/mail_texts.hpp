#pragma once
// The mail texts (SPEC §3, §4, §18): one plain-text file per mail under config/mail/, editable by a
// non-engineer. Each file starts with a "Subject: …" line, then a blank line, then the body;
// {{name}} placeholders are filled in when the mail is made. The files are built into the
// binary; --mail.templates=DIR reads them from DIR instead (same file names).

#include <map>
#include <string>
#include <string_view>

namespace cxs::domain {

// The mails the service sends. The names are the file names without ".txt".
inline constexpr std::string_view mail_signup_provisional = "signup_provisional";  // (1/3)
inline constexpr std::string_view mail_signup_accepted = "signup_accepted";        // (2/3)
inline constexpr std::string_view mail_signup_ready = "signup_ready";              // (3/3)
inline constexpr std::string_view mail_login_otp = "login_otp";
inline constexpr std::string_view mail_password_reset = "password_reset";
inline constexpr std::string_view mail_account_changed = "account_changed";  // SPEC §18 notice
inline constexpr std::string_view mail_child_ready = "child_ready";  // SPEC §15: a child ID, in the form of (3/3)
inline constexpr std::string_view mail_session_replaced = "session_replaced";  // SPEC §19: a login took over
// SPEC §16: new download credentials of a certificate account (other than in mail (3/3)).
inline constexpr std::string_view mail_certificate_download = "certificate_download";
// SPEC §16: a certificate ends in 30 or 7 days.
inline constexpr std::string_view mail_certificate_expiring = "certificate_expiring";

struct mail_text {
  std::string subject;
  std::string body;
};

using mail_vars = std::map<std::string, std::string>;

class mail_texts {
 public:
  // The built-in texts.
  mail_texts();
  // Reads DIR/<name>.txt for every mail; error names the file and the problem.
  static bool load_dir(const std::string& dir, mail_texts& out, std::string& error);

  // The mail with every {{name}} replaced by vars[name]; an unknown placeholder is left as it is.
  mail_text render(std::string_view name, const mail_vars& vars) const;

  // Parses one file's content: "Subject: …", a blank line, the body. Empty error when fine.
  static bool parse(std::string_view content, mail_text& out, std::string& error);

 private:
  std::map<std::string, mail_text, std::less<>> texts_;
};

}  // namespace cxs::domain
