#include "token/token_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace ssocli {
namespace {

const char kBody[] =
    R"({"access_token":"a.b.c","token_type":"bearer","refresh_token":"rt-1","expires_in":1799,"scope":"scim.me openid","jti":"j"})";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(TokenFile, ReadsFirstSignInForm) {
  auto t = ParseTokenFile(std::string(kBody) + "\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->access_token, "a.b.c");
  EXPECT_EQ(t->refresh_token, "rt-1");
  EXPECT_EQ(t->expires_in, 1799);
  EXPECT_EQ(t->scope, "scim.me openid");
  EXPECT_EQ(t->token_type, "bearer");
  EXPECT_EQ(t->body, kBody);
}

TEST(TokenFile, ReadsTheOriginalsRefreshForms) {
  for (std::string bytes : {"Response code:000 " + std::string(kBody) + " \n",  // default
                            std::string(kBody) + " \n",                          // --insecure
                            "Response code:200 " + std::string(kBody) + "\n"}) {
    auto t = ParseTokenFile(bytes);
    ASSERT_TRUE(t) << bytes;
    EXPECT_EQ(t->access_token, "a.b.c");
    EXPECT_EQ(t->refresh_token, "rt-1");
  }
}

TEST(TokenFile, ReadsEveryCompatFixtureFile) {
  const std::string root = std::string(SSOCLI_FIXTURES) + "/compat/";
  for (const char* rel : {"fresh_password/sso-cli/aHR0cDovLzEyNy4wLjAuMToxODk5Nw==/YWxpY2VAZXhhbXBsZS5jb20tdG9rZW4uZGF0",
                          "refreshed_default/sso-cli/aHR0cDovLzEyNy4wLjAuMToxODk5Nw==/Ym9iQGV4YW1wbGUuY29tLXRva2VuLmRhdA==",
                          "refreshed_insecure/sso-cli/aHR0cDovLzEyNy4wLjAuMToxODk5Nw==/Y2Fyb2xAZXhhbXBsZS5jb20tdG9rZW4uZGF0"}) {
    std::string bytes = ReadFile(root + rel);
    ASSERT_FALSE(bytes.empty()) << rel;
    auto t = ParseTokenFile(bytes);
    ASSERT_TRUE(t) << rel;
    EXPECT_EQ(t->access_token.substr(0, 3), "eyJ");
    EXPECT_EQ(t->refresh_token.substr(0, 3), "rt-");
  }
}

TEST(TokenFile, FallsBackToTheOriginalsRegexForNonJson) {
  auto t = ParseTokenFile(R"(garbage "access_token":"tok" more "refresh_token":"r" {broken)");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->access_token, "tok");
  EXPECT_EQ(t->refresh_token, "r");
}

TEST(TokenFile, NoAccessTokenIsNoToken) {
  EXPECT_FALSE(ParseTokenFile(""));
  EXPECT_FALSE(ParseTokenFile("{}"));
  EXPECT_FALSE(ParseTokenFile(R"({"access_token":""})"));
  EXPECT_FALSE(ParseTokenFile("<html>502</html>"));
}

TEST(TokenFile, WritesCompactBodiesVerbatim) {
  auto bytes = TokenFileBytes(kBody);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, std::string(kBody) + "\n");
  // Even when our serialiser would write it differently (escaped slash, exponent).
  auto odd = TokenFileBytes(R"({"access_token":"a\/b","expires_in":1E3})");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(*odd, R"({"access_token":"a\/b","expires_in":1E3})"
                  "\n");
}

TEST(TokenFile, ReserialisesPrettyBodiesCompactlyInServerOrder) {
  auto bytes = TokenFileBytes("{\n  \"access_token\": \"a b\",\n  \"token_type\" : \"bearer\",\n  \"expires_in\": 5\n}\n");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, R"({"access_token":"a b","token_type":"bearer","expires_in":5})"
                    "\n");
}

TEST(TokenFile, RefusesNonObjects) {
  EXPECT_FALSE(TokenFileBytes("[1]").ok());
  EXPECT_FALSE(TokenFileBytes("<html>").ok());
  EXPECT_FALSE(TokenFileBytes(R"({"access_token":)").ok());
}

TEST(TokenFile, CompactMeansNoBlanksOutsideStrings) {
  EXPECT_TRUE(IsCompactJson(R"({"a":"x y\" z","b":[1,2]})"));
  EXPECT_FALSE(IsCompactJson(R"({"a": 1})"));
  EXPECT_FALSE(IsCompactJson("{\"a\":1}\n"));
  EXPECT_FALSE(IsCompactJson(R"({"a":"unterminated)"));
}

}  // namespace
}  // namespace ssocli
