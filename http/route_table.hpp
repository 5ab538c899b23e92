#pragma once
// A listener's routes as one table: each row names its path pattern ("/admin/accounts/{id}"),
// the methods it takes and its handler, so dispatch, the metrics `route` label (the pattern) and
// the Allow header of a 405 come from the same row and cannot drift apart.

#include <string>
#include <string_view>
#include <vector>

namespace cxs::http {

// "/a/{x}/b" → {"a","{x}","b"}; a segment in braces matches any one non-empty segment.
std::vector<std::string> pattern_segments(std::string_view pattern);

// True when path (split) fits the pattern; the values of its {…} segments go to params in order.
bool pattern_matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                     std::vector<std::string>* params);

// "*" in methods takes any method; HEAD is taken only where a row lists it.
bool method_allowed(const std::vector<std::string>& methods, std::string_view method);
std::string allow_header(const std::vector<std::string>& methods);  // "GET, HEAD, PUT"

// A Content-Type header of the media type `want` (lower case), whatever its case, with or without
// parameters ("; charset=utf-8"): what a row that takes a typed body asks (415 otherwise, SPEC §18).
bool is_media_type(std::string header, std::string_view want);

// The value of one cookie from a Cookie header ("a=1; __Host-cxs_session=…"); empty when absent.
std::string cookie_value(const std::string& header, std::string_view name);

// The first row of rows (each with `segments`) whose pattern fits path, or null.
template <class Row>
const Row* find_route(const std::vector<Row>& rows, const std::vector<std::string>& path,
                      std::vector<std::string>* params) {
  for (auto& row : rows) {
    params->clear();
    if (pattern_matches(row.segments, path, params)) return &row;
  }
  return nullptr;
}

}  // namespace cxs::http
