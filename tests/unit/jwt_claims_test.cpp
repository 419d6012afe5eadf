#include "token/jwt_claims.h"

#include <gtest/gtest.h>

#include "core/base64.h"

namespace ssocli {
namespace {

std::string Jwt(const std::string& payload) {
  return Base64UrlEncode(R"({"alg":"RS256"})") + "." + Base64UrlEncode(payload) + ".c2ln";
}

TEST(JwtClaims, ReadsExpIatUserAndScope) {
  auto c = DecodeJwtClaims(
      Jwt(R"({"scope":["scim.me","openid"],"user_name":"alice@example.com","iat":100,"exp":1900})"));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->exp, 1900);
  EXPECT_EQ(c->iat, 100);
  EXPECT_EQ(c->user_name, "alice@example.com");
  EXPECT_EQ(c->scope, (std::vector<std::string>{"scim.me", "openid"}));
}

TEST(JwtClaims, ReadsTheCompatFixtureToken) {
  // From fixtures/compat/fresh_password: user_name alice@example.com, exp 2111238931.
  auto c = DecodeJwtClaims(
      "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsiLCJ0eXAiOiJKV1QifQ.eyJqdGkiOiJqIiwic3ViIjoicyIsInNjb3BlIjpbInNjaW0u"
      "bWUiLCJvcGVuaWQiXSwiY2xpZW50X2lkIjoiZWRnZWNsaSIsImNpZCI6ImVkZ2VjbGkiLCJncmFudF90eXBlIjoicGFzc3dvcm"
      "QiLCJ1c2VyX25hbWUiOiJhbGljZUBleGFtcGxlLmNvbSIsIm9yaWdpbiI6InVhYSIsImVtYWlsIjoiYWxpY2VAZXhhbXBsZS5j"
      "b20iLCJpYXQiOjE3OTU4Nzg5MzEsImV4cCI6MjExMTIzODkzMSwiemlkIjoidWFhIn0.c2ln");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->user_name, "alice@example.com");
  EXPECT_EQ(c->exp, 2111238931);
  EXPECT_EQ(c->iat, 1795878931);
}

TEST(JwtClaims, MissingClaimsAreEmpty) {
  auto c = DecodeJwtClaims(Jwt("{}"));
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->exp);
  EXPECT_FALSE(c->iat);
  EXPECT_TRUE(c->user_name.empty());
}

TEST(JwtClaims, RejectsNonJwts) {
  EXPECT_FALSE(DecodeJwtClaims("opaque-token").ok());
  EXPECT_FALSE(DecodeJwtClaims("a.b").ok());
  EXPECT_FALSE(DecodeJwtClaims("a.!!!.c").ok());
  EXPECT_FALSE(DecodeJwtClaims("a." + Base64UrlEncode("[1,2]") + ".c").ok());
  EXPECT_FALSE(DecodeJwtClaims("a." + Base64UrlEncode("{not json") + ".c").ok());
}

}  // namespace
}  // namespace ssocli
