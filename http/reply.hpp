#pragma once
// An answer as the routes build it: status, content type, body and headers. Free of Beast, so
// only server.cpp turns it into bytes on the wire.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace cxs::http {

struct reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string filename;                                      // set: served as an attachment (CSV downloads)
  std::string allow;                                         // set on 405: the methods the route takes
  std::vector<std::pair<std::string, std::string>> headers;  // more headers (Set-Cookie, Retry-After)
};

inline reply json_reply(int status, const nlohmann::json& j) {
  reply r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

inline reply error_reply(int status, const std::string& code, const std::string& message) {
  return json_reply(status, {{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace cxs::http
