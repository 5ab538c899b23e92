#pragma once
// Internet mail messages as the mailer sends them (SPEC §3: "real RFC 5322 messages, UTF-8,
// subject encoded per RFC 2047"). Pure text building: the mailer actor queues and delivers.

#include <cstdint>
#include <string>
#include <string_view>

namespace cxs::domain {

struct mail_message {
  std::string from;        // e.g. "CX Support <no-reply@cxsupport.example>"
  std::string to;          // one address
  std::string subject;     // UTF-8
  std::string body;        // UTF-8 text, LF or CRLF line ends
  int64_t date_unix = 0;   // sent at (the Date header, in JST)
  std::string message_id;  // without the angle brackets, e.g. "3f2a…@cxsupport.example"
};

// RFC 2047 "B" encoded words for a UTF-8 header value; ASCII-only text is returned unchanged.
// Each encoded word stays within 75 characters and never splits a UTF-8 character; words are
// joined by CRLF + space (folding), so every header line stays within 78 characters.
std::string encode_header_words(std::string_view utf8);

// "Wed, 25 Nov 2026 14:45:00 +0900" (RFC 5322 §3.3, in JST).
std::string rfc5322_date_jst(int64_t unix_seconds);

// The whole message: headers (From, To, Subject, Date, Message-ID, MIME-Version, Content-Type
// text/plain; charset=UTF-8, Content-Transfer-Encoding base64), a blank line, and the body in
// base64 with lines of 76 characters; CRLF line ends throughout.
std::string render_message(const mail_message& m);

}  // namespace cxs::domain
