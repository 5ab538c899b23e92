// HTTP Basic credentials (RFC 7617) as the download site reads them (SPEC §16).
#include "http/certsrv_routes.hpp"

#include "domain/base64.hpp"

#include <gtest/gtest.h>

namespace cxs::http {
namespace {

std::string basic(const std::string& user_pass) { return "Basic " + domain::base64_encode(user_pass); }

TEST(BasicAuth, UserAndPasswordAreSplitAtTheFirstColon) {
  auto c = parse_basic_auth(basic("abcdefghijk2:Pw2:with:colons"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "abcdefghijk2");
  EXPECT_EQ(c->password, "Pw2:with:colons");
  auto lower = parse_basic_auth("basic  " + domain::base64_encode("u:p") + " ");
  ASSERT_TRUE(lower) << "the scheme is case-insensitive";
  EXPECT_EQ(lower->user, "u");
  auto empty = parse_basic_auth(basic(":"));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->user, "");
  EXPECT_EQ(empty->password, "");
}

TEST(BasicAuth, AnythingElseIsNoCredentials) {
  for (std::string bad :
       {std::string(""), std::string("Basic"), std::string("Basic "), std::string("Bearer abc"),
        "Basic " + domain::base64_encode("no colon"), std::string("Basic !!!!"), std::string("Digest username=\"u\"")})
    EXPECT_FALSE(parse_basic_auth(bad)) << bad;
}

}  // namespace
}  // namespace cxs::http
