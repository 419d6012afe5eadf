#include "zone/token_issuer.h"

#include <gtest/gtest.h>

#include "zone_test_util.h"

namespace ssocli {
namespace {

using nlohmann::ordered_json;

TEST(TokenIssuerTest, AudienceAsUaa) {
  EXPECT_EQ(
      AudienceFor({"scim.me", "openid", "password.write", "cloud_controller.read", "scim.read"}, "edgecli"),
      ordered_json({"scim", "openid", "password", "cloud_controller", "edgecli"}));
  EXPECT_EQ(AudienceFor({}, "cf"), ordered_json({"cf"}));
}

TEST(TokenIssuerTest, JavaDateString) {
  EXPECT_EQ(JavaDateString(1704283200), "Wed Jan 03 12:00:00 UTC 2024");
}

TEST(TokenIssuerTest, IssueAndRefresh) {
  TokenStore store;
  TokenSettings settings;
  settings.issuer = "http://z/oauth/token";
  settings.jku = "http://z/token_keys";
  TokenIssuer issuer(testing::SharedTestSigner(), &store, settings);
  RefreshGrant grant{
      UserDirectory::ExternalIdentity("A@X", "saml"), "edgecli", {"openid"}, "password", 1000, 0};
  ordered_json body = issuer.Issue(grant, 1000, 60, 1000);
  EXPECT_EQ(testing::Keys(body), (std::vector<std::string>{"access_token", "token_type", "refresh_token",
                                                           "expires_in", "scope", "jti"}));
  EXPECT_EQ(body["expires_in"], 59);
  std::string refresh = body["refresh_token"];
  auto again = issuer.Refresh(refresh, "edgecli", 1500);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["refresh_token"], refresh);
  EXPECT_EQ((*again)["expires_in"], 43199);
  auto wrong = issuer.Refresh(refresh, "other", 1500);
  EXPECT_EQ(wrong.status().http_status(), 400);
  EXPECT_EQ(wrong.status().oauth_error(), "invalid_grant");
  EXPECT_EQ(wrong.status().message(), "Wrong client for this refresh token: edgecli");
}

}  // namespace
}  // namespace ssocli
