#pragma once
// What the customer side says when a request fails, in Japanese (the default) and English
// (Accept-Language: en). Field errors of forms have their texts in signup.cpp (field_message);
// this file holds the texts of the codes of SPEC §14 "Sign-up and login" and the request guard.

#include <string>
#include <string_view>

namespace cxs::domain {

enum class lang { ja, en };

// The message for an error code, e.g. "session_active", "locked", "expired". An unknown code
// gives a generic message.
std::string error_message(std::string_view code, lang l);

// "2026年11月21日 12:00" (ja) or "2026-11-21 12:00 JST" (en): a JST time for mails and pages.
std::string format_jst_readable(int64_t unix_seconds, lang l);

}  // namespace cxs::domain
