#pragma once
// Failures on the wire: one table from each domain::error_code to its HTTP status and the code
// clients see, and the two listeners' ways of saying it. Customers read every message in their
// language (Japanese unless they ask for English); operators read English with the detail.

#include "domain/errors.hpp"
#include "domain/messages.hpp"
#include "http/reply.hpp"

#include <string_view>

namespace cxs::http {

struct error_row {
  int status;
  std::string_view code;         // as clients see it: {"error":{"code":…}}
  std::string_view message_key;  // the text of domain/messages.cpp
};

const error_row& error_row_of(domain::error_code c);

// The customer listener's answer to a failure; field messages are written anew in l.
reply customer_failure(const domain::failure& f, domain::lang l);
// The admin listener's answer: English, the failure's detail where it has one.
reply admin_failure(const domain::failure& f);

// An error of the front door itself (the guard, a method, a rate limit, a missing page) in the
// customer's language: {"error":{"code","message"}}.
reply customer_error(int status, std::string_view code, domain::lang l);

}  // namespace cxs::http
