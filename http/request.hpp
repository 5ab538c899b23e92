#pragma once
// A parsed HTTP request as the routes see it, free of Beast types (only server.cpp includes Beast).

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cxs::http {

struct request {
  std::string method;                          // GET, POST, ...
  std::string path;                            // without the query
  std::string query;                           // raw, after '?'
  std::string remote;                          // the client's address, for rate limits
  std::string client_certificate;              // DER of the TLS client's certificate (customer listener), or empty
  std::map<std::string, std::string> headers;  // names in lower case
  std::shared_ptr<std::string> body = std::make_shared<std::string>();

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

std::vector<std::string> split_path(const std::string& path);  // "/a/b" -> {"a","b"}

}  // namespace cxs::http
