#include "zone/user_directory.h"

#include <gtest/gtest.h>

namespace ssocli {
namespace {

TEST(UserDirectoryTest, Defaults) {
  UserDirectory dir = UserDirectory::Defaults();
  const ZoneUser* demo = dir.FindUser("Demo@Example.COM");
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->username, "demo@example.com");
  EXPECT_EQ(demo->password, "demo-password");
  EXPECT_FALSE(demo->has_mfa());
  const ZoneUser* mfa = dir.FindUser("mfa@example.com");
  ASSERT_NE(mfa, nullptr);
  EXPECT_EQ(mfa->mfa_code, "123456");
  const OAuthClient* client = dir.FindClient("edgecli");
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->client_secret, "edgeclisecret");
  EXPECT_TRUE(client->Allows(kGrantPassword));
  EXPECT_TRUE(client->Allows(kGrantRefreshToken));
  EXPECT_TRUE(client->Allows(kGrantSaml2Bearer));
  EXPECT_EQ(dir.FindClient("EDGECLI"), nullptr);  // client ids are exact
}

TEST(UserDirectoryTest, ParsesAFullFile) {
  auto dir = UserDirectory::FromJson(R"({
    "users": [
      {"username": "Alice@Example.com", "password": "pw", "email": "a@corp", "origin": "usergrid",
       "mfa_code": "654321", "locked": false, "scopes": ["openid"]},
      {"username": "totp@example.com", "password": "pw", "totp_secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"},
      {"username": "saml-only@example.com", "locked": true}
    ],
    "clients": [{"client_id": "c", "client_secret": "s", "grants": ["password"]}]
  })");
  ASSERT_TRUE(dir.ok()) << dir.status().message();
  const ZoneUser* alice = dir->FindUser("alice@example.com");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->email, "a@corp");
  EXPECT_EQ(alice->origin, "usergrid");
  EXPECT_EQ(alice->scopes, std::vector<std::string>{"openid"});
  const ZoneUser* totp = dir->FindUser("totp@example.com");
  EXPECT_EQ(totp->totp_secret, "12345678901234567890");
  EXPECT_EQ(totp->email, "totp@example.com");
  EXPECT_EQ(totp->origin, "uaa");
  EXPECT_EQ(totp->scopes, DefaultScopes());
  const ZoneUser* saml = dir->FindUser("saml-only@example.com");
  EXPECT_FALSE(saml->password);
  EXPECT_TRUE(saml->locked);
  EXPECT_EQ(dir->FindClient("edgecli"), nullptr);
  EXPECT_FALSE(dir->FindClient("c")->Allows(kGrantRefreshToken));
}

TEST(UserDirectoryTest, UsersOnlyFileKeepsTheDefaultClient) {
  auto dir = UserDirectory::FromJson(R"({"users":[{"username":"u","password":"p"}]})");
  ASSERT_TRUE(dir.ok());
  EXPECT_NE(dir->FindClient("edgecli"), nullptr);
}

TEST(UserDirectoryTest, RejectsTyposAndBadValues) {
  const char* bad[] = {
      "not json",
      "[]",
      R"({"user": []})",
      R"({"users": [{"username": "u", "pasword": "p"}]})",
      R"({"users": [{"password": "p"}]})",
      R"({"users": [{"username": ""}]})",
      R"({"users": [{"username": "u", "mfa_code": "12345"}]})",
      R"({"users": [{"username": "u", "mfa_code": "12345a"}]})",
      R"({"users": [{"username": "u", "totp_secret": "not base32!"}]})",
      R"({"users": [{"username": "u", "locked": "yes"}]})",
      R"({"users": [{"username": "u", "scopes": "openid"}]})",
      R"({"users": [{"username": "u", "scopes": [1]}]})",
      R"({"users": [{"username": "U"}, {"username": "u"}]})",
      R"({"users": {}})",
      R"({"clients": [{"client_id": "c", "client_secret": "s"}]})",
      R"({"clients": [{"client_id": "c", "client_secret": "s", "grants": ["pasword"]}]})",
      R"({"clients": [{"client_id": "c", "client_secret": "s", "grants": [], "extra": 1}]})",
      R"({"clients": [{"client_id": "a:b", "client_secret": "s", "grants": []}]})",
  };
  for (const char* text : bad) {
    auto dir = UserDirectory::FromJson(text);
    EXPECT_FALSE(dir.ok()) << text;
    EXPECT_EQ(dir.status().kind(), ErrorKind::kUsage) << text;
  }
  auto typo = UserDirectory::FromJson(R"({"users": [{"username": "u", "pasword": "secret"}]})");
  EXPECT_EQ(typo.status().message(), "users[0]: unknown key \"pasword\"");
}

TEST(UserDirectoryTest, MissingFileIsAUsageError) {
  auto dir = UserDirectory::LoadFile("/nonexistent/users.json");
  EXPECT_EQ(dir.status().kind(), ErrorKind::kUsage);
  EXPECT_NE(dir.status().message().find("/nonexistent/users.json"), std::string::npos);
}

TEST(UserDirectoryTest, UserIdsAreStableUuids) {
  std::string id = UserIdFor("demo@example.com");
  EXPECT_EQ(id, UserIdFor("demo@example.com"));
  EXPECT_NE(id, UserIdFor("other@example.com"));
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '5');
}

}  // namespace
}  // namespace ssocli
