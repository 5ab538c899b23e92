#pragma once
// The browser pages (issue 6): the built web front end (Vite's output) served from memory by the
// customer listener. Hashed assets under /assets/ are cached for a year ("immutable"), everything
// else is revalidated; the client gets the brotli or gzip copy the build made when it accepts
// one; client-side routes (paths without a file extension) answer index.html. Requests never
// touch the file system, so no path can escape the folder.

#include "http/reply.hpp"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace cxs::http {

class static_site {
 public:
  // Reads every file under root. A missing root gives an empty site (pages not built) and no error;
  // an unreadable file is an error.
  static std::shared_ptr<const static_site> load(const std::string& root, std::string& error);

  bool empty() const { return files_.empty(); }
  std::size_t size() const { return files_.size(); }

  // The answer to GET/HEAD path, or nullopt when there is nothing to serve (then 404).
  std::optional<reply> answer(const std::string& path, const std::string& accept_encoding) const;

 private:
  struct file {
    std::string type;
    std::string body, gzip, brotli;  // the compressed copies are empty when the build made none
    bool immutable = false;
  };
  std::unordered_map<std::string, file> files_;  // by URL path, e.g. "/assets/index-3f2a.js"
};

// "br", "gzip" or "" — the best encoding of ours the Accept-Encoding header allows (q > 0).
std::string pick_encoding(const std::string& accept_encoding, bool have_br, bool have_gzip);

}  // namespace cxs::http
