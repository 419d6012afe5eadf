// get_token signing in against a real zone server over TLS: the wire format of the original, the
// prompts, MFA, passcodes, SAML-zone detection, output formats.
#include <regex>

#include "integration/get_token_fixture.h"

namespace ssocli::testing {
namespace {

TEST_F(GetTokenTest, PasswordSignInSendsTheOriginalsRequestAndCachesTheBody) {
  auto r = GetToken({"-u", "Alice@Example.com:s3cr:t pw", "-m", ""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_THAT(r.out, ::testing::EndsWith("\n"));
  std::string token = r.out.substr(0, r.out.size() - 1);
  EXPECT_EQ(token.find('\n'), std::string::npos) << "stdout must be the token and one newline";

  auto requests = zone_->RequestsTo("/oauth/token");
  ASSERT_EQ(requests.size(), 1u);
  const auto& q = requests[0];
  EXPECT_EQ(q["method"], "POST");
  EXPECT_EQ(q["path"], "/oauth/token?mfa_token=");
  EXPECT_EQ(q["headers"]["Content-Type"], "application/x-www-form-urlencoded;charset=utf-8");
  EXPECT_EQ(q["headers"]["Accept"], "application/json;charset=utf-8");
  EXPECT_EQ(q["headers"]["Authorization"], "Basic ZWRnZWNsaTplZGdlY2xpc2VjcmV0");
  // The whole password (the original cut it at the space), the username lowercased.
  EXPECT_EQ(q["body"], "grant_type=password&username=alice%40example.com&password=s3cr%3At%20pw");

  // Cache: the server's body + "\n", 0600 in 0700 dirs, named like the original names it.
  EXPECT_EQ(ModeOf(CacheRoot()), 0700u);
  EXPECT_EQ(ModeOf(ZoneDir()), 0700u);
  EXPECT_EQ(ModeOf(TokenFile("alice@example.com")), 0600u);
  std::string cached = ReadFile(TokenFile("alice@example.com"));
  EXPECT_EQ(AccessTokenOf(cached), token);
  EXPECT_THAT(cached, ::testing::StartsWith("{\"access_token\":\""));
  EXPECT_THAT(cached, ::testing::EndsWith("}\n"));

  // The next call is served from the cache: no request at all.
  zone_->ClearRequests();
  auto again = GetToken({"-u", "ALICE@example.com"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, r.out);
  EXPECT_TRUE(zone_->Requests().empty());
}

TEST_F(GetTokenTest, PromptsAskForEverythingOnStderr) {
  auto r = GetToken({}, "bob@example.com\nbob-pw\n\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err,
            "Enter username:\n"
            "Enter the password for user 'bob@example.com':\n"
            "Enter the six-digit code (no spaces) if 'bob@example.com' is MFA-enabled or press ENTER:\n");
  EXPECT_THAT(r.out, HasSubstr("eyJ"));
  EXPECT_TRUE(fs::exists(TokenFile("bob@example.com")));
  // With -u the username prompt is skipped, with -m the MFA prompt.
  fs::remove_all(CacheRoot());
  r = GetToken({"-u", "bob@example.com", "-m", ""}, "bob-pw\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "Enter the password for user 'bob@example.com':\n");
}

TEST_F(GetTokenTest, PasswordsAreReadRaw) {
  // Blanks, a colon and a backslash survive (the original stripped or cut them).
  auto r = GetToken({"-u", "alice@example.com", "-m", ""}, "s3cr:t pw\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(zone_->RequestsTo("/oauth/token")[0]["body"],
            "grant_type=password&username=alice%40example.com&password=s3cr%3At%20pw");
}

TEST_F(GetTokenTest, MfaCodeGoesInTheQueryString) {
  auto r = GetToken({"-u", "mfa@example.com:mfa-pw", "-m", "123456"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(zone_->RequestsTo("/oauth/token")[0]["path"], "/oauth/token?mfa_token=123456");

  fs::remove_all(CacheRoot());
  r = GetToken({"-u", "mfa@example.com:mfa-pw"}, "123456\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Enter the six-digit code (no spaces) if 'mfa@example.com' is MFA-enabled"));
}

TEST_F(GetTokenTest, WrongOrMissingMfaCodeIsRefusedByTheServer) {
  auto r = GetToken({"-u", "mfa@example.com:mfa-pw", "-m", "000000"});
  EXPECT_EQ(r.exit_code, 22) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Bad credentials"));
  r = GetToken({"-u", "mfa@example.com:mfa-pw", "-m", ""});
  EXPECT_EQ(r.exit_code, 22) << r.err;
  EXPECT_THAT(r.err, HasSubstr("multi-factor authentication code is required"));
  EXPECT_FALSE(fs::exists(TokenFile("mfa@example.com")));
}

TEST_F(GetTokenTest, MfaCodeWithNonDigitsIsExit13BeforeAnyRequest) {
  auto r = GetToken({"-u", "mfa@example.com:mfa-pw", "-m", "12345a"});
  EXPECT_EQ(r.exit_code, 13);
  EXPECT_THAT(r.err, HasSubstr("only digits"));
  EXPECT_TRUE(zone_->RequestsTo("/oauth/token").empty());
}

TEST_F(GetTokenTest, BadPasswordIsExit22WithTheServersReasonAndAHint) {
  auto r = GetToken({"-u", "alice@example.com:wrong", "-m", ""});
  EXPECT_EQ(r.exit_code, 22);
  EXPECT_THAT(r.err, HasSubstr("Bad credentials"));
  EXPECT_THAT(r.err, HasSubstr("check the username, the password"));
  EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
  EXPECT_EQ(r.out, "");
  r = GetToken({"-u", "locked@example.com:pw", "-m", ""});
  EXPECT_EQ(r.exit_code, 22);
  EXPECT_THAT(r.err, HasSubstr("locked"));
}

TEST_F(GetTokenTest, PasscodeSignIn) {
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  auto r = GetToken({"-p", code});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto q = zone_->RequestsTo("/oauth/token");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]["path"], "/oauth/token?mfa_token=");
  EXPECT_EQ(q[0]["body"], "grant_type=password&passcode=" + code + "&response_type=token");
  EXPECT_EQ(q[0]["headers"]["Accept"], "application/json;charset=utf-8");
  // Cached under the user the server named.
  EXPECT_EQ(AccessTokenOf(ReadFile(TokenFile("frank@corp.example.com"))) + "\n", r.out);

  // A passcode works once.
  r = GetToken({"-p", code});
  EXPECT_EQ(r.exit_code, 22);
  EXPECT_THAT(r.err, HasSubstr("Invalid passcode"));
  EXPECT_THAT(r.err, HasSubstr(zone_->url() + "/passcode"));
}

TEST_F(GetTokenTest, BarePasscodeFlagPromptsWithTheOriginalsText) {
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  auto r = GetToken({"-p"}, code + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "Starting passcode flow:\n-----------------------\nGet passcode from " + zone_->url() +
                       "/passcode [ Note: Passcode can be used only one time and expires ]\n"
                       "Input passcode (no spaces) and then press ENTER:\n");
  // A bare -p with a valid cached token reuses it; -p CODE always signs in anew.
  zone_->ClearRequests();
  auto again = GetToken({"-p"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, r.out);
  EXPECT_TRUE(zone_->Requests().empty());
  std::string code2 = zone_->MintPasscode("frank@corp.example.com");
  auto fresh = GetToken({"-p", code2});
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_NE(fresh.out, r.out);
  EXPECT_EQ(zone_->RequestsTo("/oauth/token").size(), 1u);
}

TEST_F(GetTokenTest, PasscodeCharactersAreChecked) {
  auto r = GetToken({"-p", "abc$def"});
  EXPECT_EQ(r.exit_code, 13);
  r = GetToken({"-p"}, "abc def\n");
  EXPECT_EQ(r.exit_code, 13);
  EXPECT_TRUE(zone_->RequestsTo("/oauth/token").empty());
  r = GetToken({"-p"}, "\n");
  EXPECT_EQ(r.exit_code, 12);
}

TEST_F(GetTokenTest, PasscodeOfAnotherUserIsExit14AndNotCached) {
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  auto r = GetToken({"-u", "bob@example.com", "-p", code});
  EXPECT_EQ(r.exit_code, 14) << r.err;
  EXPECT_THAT(r.err, HasSubstr("frank@corp.example.com"));
  EXPECT_FALSE(fs::exists(TokenFile("frank@corp.example.com")));
  EXPECT_FALSE(fs::exists(TokenFile("bob@example.com")));
}

class IdpZoneTest : public GetTokenTest {
 protected:
  std::vector<std::string> ZoneArgs() override { return {"--saml-zone"}; }
};

TEST_F(IdpZoneTest, DetectsTheZoneAndUsesThePasscodeFlow) {
  std::string code = zone_->MintPasscode("frank@corp.example.com");
  auto r = GetToken({}, code + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Starting passcode flow:"));
  auto login = zone_->RequestsTo("/login");
  ASSERT_EQ(login.size(), 1u);
  EXPECT_EQ(login[0]["headers"]["Accept"], "application/json");
  EXPECT_TRUE(zone_->RequestsTo("/version").empty()) << "/version is not fetched";
  // Nothing the original would misread: no server.* files, only dot-files besides the token.
  for (const auto& e : fs::directory_iterator(ZoneDir())) {
    std::string name = e.path().filename().string();
    EXPECT_TRUE(name[0] == '.' || name == TokenFileName("frank@corp.example.com")) << name;
  }

  // The answer is remembered: the next new sign-in does not ask /login again.
  zone_->ClearRequests();
  std::string code2 = zone_->MintPasscode("alice@example.com");
  r = GetToken({"-u", "alice@example.com"}, code2 + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(zone_->RequestsTo("/login").empty());
}

TEST_F(IdpZoneTest, ForceBasicAuthUsesThePassword) {
  auto r = GetToken({"-u", "bob@example.com:bob-pw", "-m", "", "--force-basic-auth"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(zone_->RequestsTo("/oauth/token")[0]["body"].get<std::string>(),
              HasSubstr("grant_type=password&username=bob%40example.com"));
  EXPECT_TRUE(zone_->RequestsTo("/login").empty());
}

TEST_F(IdpZoneTest, AFailedDetectionIsNotRemembered) {
  zone_->Fault({{"path", "/login"}, {"status", "502"}, {"content_type", "text/html"},
                {"body", "<html><h1>502 Bad Gateway</h1></html>"}});
  // /login failed: password sign-in is assumed, this time.
  auto r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Next sign-in asks again and now finds the SAML zone.
  std::string code = zone_->MintPasscode("alice@example.com");
  r = GetToken({"-u", "alice@example.com"}, code + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Starting passcode flow:"));
  EXPECT_EQ(zone_->RequestsTo("/login").size(), 2u);
}

TEST_F(GetTokenTest, JsonOutput) {
  auto r = GetToken({"-u", "bob@example.com:bob-pw", "-m", "", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_THAT(keys, ::testing::UnorderedElementsAre("access_token", "token_type", "expires_at", "expires_in",
                                                    "user_name", "scope"));
  EXPECT_EQ(j["access_token"], AccessTokenOf(ReadFile(TokenFile("bob@example.com"))));
  EXPECT_EQ(j["token_type"], "bearer");
  EXPECT_EQ(j["user_name"], "bob@example.com");
  EXPECT_TRUE(j["scope"].is_string());
  long now = static_cast<long>(::time(nullptr));
  EXPECT_NEAR(j["expires_in"].get<long>(), 43200, 5);
  EXPECT_NEAR(j["expires_at"].get<long>(), now + 43200, 5);
  EXPECT_EQ(r.out.find("refresh"), std::string::npos) << "never the refresh token";
}

TEST_F(GetTokenTest, ClientCredentialsFromTheEnvironment) {
  auto r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt,
                    {{"CLIENT_ID", "ci-bot"}, {"CLIENT_SECRET", "s3cret"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(zone_->RequestsTo("/oauth/token")[0]["headers"]["Authorization"],
            "Basic " + Base64Encode("ci-bot:s3cret"));
  fs::remove_all(CacheRoot());
  zone_->ClearRequests();
  r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt,
               {{"CLIENT_AUTH", Base64Encode("ci-bot:wrong")}});
  EXPECT_EQ(r.exit_code, 22);
  EXPECT_EQ(zone_->RequestsTo("/oauth/token")[0]["headers"]["Authorization"],
            "Basic " + Base64Encode("ci-bot:wrong"));
}

TEST_F(GetTokenTest, NonInteractiveNeverPrompts) {
  auto r = GetToken({"--non-interactive"}, "bob@example.com\nbob-pw\n\n");
  EXPECT_EQ(r.exit_code, 12);
  EXPECT_THAT(r.err, Not(HasSubstr("Enter")));
  EXPECT_THAT(r.err, HasSubstr("-u USER"));
  r = GetToken({"--non-interactive", "-u", "bob@example.com:bob-pw"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("Enter")));
}

TEST_F(GetTokenTest, TrailingSlashUrlIsItsOwnCacheButNoDoubleSlashOnTheWire) {
  auto r = GetToken({"-u", "bob@example.com:bob-pw", "-m", ""}, std::nullopt, {{"SSO_LOGIN_URL", zone_->url() + "/"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(zone_->RequestsTo("/oauth/token").size(), 1u);
  EXPECT_TRUE(fs::exists(CacheRoot() + "/" + Base64Encode(zone_->url() + "/") + "/" +
                         TokenFileName("bob@example.com")));
  EXPECT_FALSE(fs::exists(ZoneDir()));
}

}  // namespace
}  // namespace ssocli::testing
