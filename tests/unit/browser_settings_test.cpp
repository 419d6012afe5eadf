#include "cli/browser_plugin.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "support/temp_dir.h"

namespace ssocli {
namespace {

// Clears the variables ResolveBrowserSettings reads, restoring them afterwards.
class BrowserSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : {"BROWSER", "SSO_IDP_METADATA", "SSO_SP_ENTITY_ID", "SSO_LOOPBACK_PORT"}) ::unsetenv(v);
  }
  void TearDown() override { SetUp(); }
};

TEST_F(BrowserSettingsTest, DefaultsFollowTheZone) {
  auto s = ResolveBrowserSettings(BrowserFlags{}, "https://acme.login.apigee.com");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->sp_entity_id, "acme.apigee-saml-login");
  EXPECT_EQ(s->saml_recipient, "https://acme.login.apigee.com/oauth/token/alias/acme.apigee-saml-login");
  EXPECT_EQ(s->port, 0);
  EXPECT_EQ(s->timeout_seconds, 300);
  EXPECT_TRUE(s->idp_metadata.empty());
  EXPECT_TRUE(s->browser_command.empty());
}

TEST_F(BrowserSettingsTest, FlagsWinOverTheEnvironment) {
  ssocli::testing::TempDir dir;
  std::string md = dir.path() + "/idp.xml";
  std::ofstream(md) << "<md/>";
  ::setenv("BROWSER", "firefox", 1);
  ::setenv("SSO_SP_ENTITY_ID", "env-sp", 1);
  ::setenv("SSO_LOOPBACK_PORT", "8250", 1);
  ::setenv("SSO_IDP_METADATA", md.c_str(), 1);
  auto s = ResolveBrowserSettings(BrowserFlags{}, "https://acme.login.apigee.com/");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->browser_command, "firefox");
  EXPECT_EQ(s->sp_entity_id, "env-sp");
  EXPECT_EQ(s->port, 8250);
  EXPECT_EQ(s->idp_metadata, md);
  EXPECT_EQ(s->saml_recipient, "https://acme.login.apigee.com/oauth/token/alias/env-sp");
  BrowserFlags f;
  f.browser = "chromium --new-window %s";
  f.sp_entity_id = "flag-sp";
  f.port = 9000;
  f.saml_recipient = "https://r.example/x";
  f.timeout_seconds = 5;
  f.no_browser = true;
  s = ResolveBrowserSettings(f, "https://acme.login.apigee.com");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->browser_command, "chromium --new-window %s");
  EXPECT_EQ(s->sp_entity_id, "flag-sp");
  EXPECT_EQ(s->port, 9000);
  EXPECT_EQ(s->saml_recipient, "https://r.example/x");
  EXPECT_EQ(s->timeout_seconds, 5);
  EXPECT_TRUE(s->no_browser);
}

TEST_F(BrowserSettingsTest, UsageErrors) {
  BrowserFlags unreadable;
  unreadable.idp_metadata = "/nonexistent/idp.xml";
  EXPECT_EQ(ResolveBrowserSettings(unreadable, "https://a.login.apigee.com").status().kind(), ErrorKind::kUsage);

  ssocli::testing::TempDir dir;
  std::string md = dir.path() + "/idp.xml";
  std::ofstream(md) << "<md/>";
  BrowserFlags saml;
  saml.idp_metadata = md;
  auto s = ResolveBrowserSettings(saml, "https://127.0.0.1:8443");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().kind(), ErrorKind::kUsage);
  EXPECT_NE(s.status().hint().find("--sp-entity-id"), std::string::npos);
  // Passcode mode needs no SP entity ID.
  EXPECT_TRUE(ResolveBrowserSettings(BrowserFlags{}, "https://127.0.0.1:8443").ok());

  ::setenv("SSO_LOOPBACK_PORT", "http", 1);
  EXPECT_EQ(ResolveBrowserSettings(BrowserFlags{}, "https://a.login.apigee.com").status().kind(), ErrorKind::kUsage);
}

}  // namespace
}  // namespace ssocli
