// Base64 both ways (RFC 4648 test vectors), and what decoding refuses.
#include "domain/base64.hpp"

#include <gtest/gtest.h>

namespace cxs::domain {
namespace {

TEST(Base64, Rfc4648VectorsBothWays) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), std::optional<std::string>(plain)) << encoded;
  }
  std::string binary("\0\xff\x10:x", 5);
  EXPECT_EQ(base64_decode(base64_encode(binary)), binary);
}

TEST(Base64, MalformedInputIsRefused) {
  for (const char* bad : {"Zg=", "Zg", "Z===", "Zm9v!A==", "Zm 9v", "====", "Zg==Zg=="})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}

}  // namespace
}  // namespace cxs::domain
