#pragma once
// Base64 (RFC 4648, the standard alphabet with padding): mail bodies and subjects, the PKCS#12
// file in a JSON answer, the credentials of HTTP Basic auth.

#include <optional>
#include <string>
#include <string_view>

namespace cxs::domain {

std::string base64_encode(std::string_view bytes);
// nullopt unless s is well-formed base64: its length a multiple of 4, only the alphabet, at most
// two '=' at the end.
std::optional<std::string> base64_decode(std::string_view s);

}  // namespace cxs::domain
