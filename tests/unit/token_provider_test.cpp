#include "token/token_provider.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/fake_http.h"
#include "support/temp_dir.h"

namespace ssocli {
namespace {

using ssocli::testing::ScriptedHttp;
using ssocli::testing::TempDir;
using ssocli::testing::TokenBody;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1'800'000'000;
const char kPasswordZone[] = R"({"prompts":{"username":["text","Email"],"password":["password","Password"]}})";
const char kSamlZone[] =
    R"({"prompts":{"username":["text","Email"],"password":["password","Password"],"passcode":["password","x"]}})";

// Answers prompts from a script and records which were asked.
class ScriptedCredentials final : public CredentialSource {
 public:
  std::string AskUsername() override { return Next("username"); }
  std::string AskPassword(std::string_view) override { return Next("password"); }
  std::string AskMfaCode(std::string_view) override { return Next("mfa"); }
  std::string AskPasscode(std::string_view url) override {
    passcode_url = url;
    return Next("passcode");
  }
  std::string AskWhichUser(const std::vector<std::string>&) override { return Next("which"); }

  std::map<std::string, std::string> answers;
  std::vector<std::string> asked;
  std::string passcode_url;

 private:
  std::string Next(const std::string& what) {
    asked.push_back(what);
    return answers[what];
  }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TokenProviderTest : public ::testing::Test {
 protected:
  TempDir home_;
  TokenCache cache_{home_.path(), "https://zone.login.example.com"};
  ScriptedHttp http_;
  Logger log_;
  LoginClient login_{http_, LoginConfig{"https://zone.login.example.com", "X"}, log_};
  ScriptedCredentials creds_;
  FixedClock clock_{kNow};
  TokenProvider provider_{cache_, login_, creds_, clock_, log_, TokenProviderConfig{}};

  void Cache(const std::string& user, const std::string& body) {
    ASSERT_TRUE(cache_.EnsureDirs().ok());
    auto lock = cache_.Lock(user, 100);
    ASSERT_TRUE(lock.ok());
    ASSERT_TRUE(cache_.Store(user, body + "\n", *lock).ok());
  }
  std::string File(const std::string& user) { return ReadFile(cache_.TokenPath(user)); }
};

TEST_F(TokenProviderTest, ValidCachedTokenNeedsNoRequest) {
  Cache("alice@example.com", TokenBody("alice@example.com", kNow - 10, kNow + 3600));
  auto t = provider_.GetToken(SignInRequest{});
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->source, TokenOutcome::Source::kCache);
  EXPECT_EQ(t->user, "alice@example.com");
  EXPECT_TRUE(http_.sent.empty());
  EXPECT_TRUE(creds_.asked.empty());
}

TEST_F(TokenProviderTest, MixedCaseUserHitsTheCache) {
  Cache("alice@example.com", TokenBody("alice@example.com", kNow - 10, kNow + 3600));
  SignInRequest r;
  r.user = "Alice@Example.COM";
  r.password = "pw";
  auto t = provider_.GetToken(r);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->source, TokenOutcome::Source::kCache);
  EXPECT_TRUE(http_.sent.empty());
}

TEST_F(TokenProviderTest, ExpiringTokenIsRefreshedAndReplaced) {
  Cache("alice@example.com", TokenBody("alice@example.com", kNow - 3590, kNow + 10, "rt-old"));
  std::string fresh = TokenBody("alice@example.com", kNow, kNow + 3600, "rt-old");
  http_.Reply(200, fresh);
  auto t = provider_.GetToken(SignInRequest{});
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->source, TokenOutcome::Source::kRefreshed);
  ASSERT_EQ(http_.sent.size(), 1u);
  EXPECT_EQ(http_.sent[0].body, "grant_type=refresh_token&refresh_token=rt-old");
  EXPECT_EQ(File("alice@example.com"), fresh + "\n");
  EXPECT_EQ(t->times.expires_at, kNow + 3600);
}

TEST_F(TokenProviderTest, RefreshReplyWithoutRefreshTokenKeepsTheOldOne) {
  Cache("alice@example.com", TokenBody("alice@example.com", kNow - 3600, kNow - 1, "rt-keep"));
  http_.Reply(200, R"({"access_token":")" + ssocli::testing::FakeJwt(R"({"user_name":"alice@example.com","exp":)" +
                                                                      std::to_string(kNow + 600) + "}") +
                       R"(","token_type":"bearer","expires_in":599})");
  auto t = provider_.GetToken(SignInRequest{});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->token.refresh_token, "rt-keep");
  EXPECT_THAT(File("alice@example.com"), HasSubstr(R"("refresh_token":"rt-keep")"));
}

TEST_F(TokenProviderTest, RefusedRefreshFallsBackToSignInAndKeepsTheFileUntilThen) {
  std::string old = TokenBody("alice@example.com", kNow - 3600, kNow - 1, "rt-revoked");
  Cache("alice@example.com", old);
  http_.Reply(401, R"({"error":"invalid_token","error_description":"The token expired, was revoked, or the token ID is incorrect."})");
  http_.Reply(200, kPasswordZone);
  std::string fresh = TokenBody("alice@example.com", kNow, kNow + 3600, "rt-new");
  http_.Reply(200, fresh);
  creds_.answers = {{"password", "pw"}, {"mfa", ""}};
  auto t = provider_.GetToken(SignInRequest{});
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->source, TokenOutcome::Source::kSignedIn);
  EXPECT_EQ(creds_.asked, (std::vector<std::string>{"password", "mfa"}));
  ASSERT_EQ(http_.sent.size(), 3u);
  EXPECT_EQ(http_.sent[1].url, "https://zone.login.example.com/login");
  EXPECT_EQ(http_.sent[2].body, "grant_type=password&username=alice%40example.com&password=pw");
  EXPECT_EQ(File("alice@example.com"), fresh + "\n");
}

TEST_F(TokenProviderTest, NoPasswordAfterRefusedRefreshIsMissingInputAndCacheUntouched) {
  std::string old = TokenBody("gina@example.com", kNow - 3600, kNow - 1);
  Cache("gina@example.com", old);
  http_.Reply(401, R"({"error":"invalid_token","error_description":"expired"})");
  http_.Reply(200, kPasswordZone);
  auto t = provider_.GetToken(SignInRequest{});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kMissingInput);
  EXPECT_EQ(File("gina@example.com"), old + "\n");
}

TEST_F(TokenProviderTest, RefreshOutageIsAnErrorNotAPrompt) {
  std::string old = TokenBody("alice@example.com", kNow - 3600, kNow - 1);
  Cache("alice@example.com", old);
  http_.Reply(502, "<html>Bad Gateway</html>", "text/html");
  auto t = provider_.GetToken(SignInRequest{});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kNoToken);
  EXPECT_TRUE(creds_.asked.empty());
  EXPECT_EQ(File("alice@example.com"), old + "\n");

  http_.Fail(ErrorKind::kConnection, "reset");
  t = provider_.GetToken(SignInRequest{});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kConnection);
  EXPECT_EQ(File("alice@example.com"), old + "\n");
}

TEST_F(TokenProviderTest, PasscodeGivenAlwaysSignsInAnew) {
  Cache("frank@corp.example.com", TokenBody("frank@corp.example.com", kNow, kNow + 3600));
  http_.Reply(200, TokenBody("frank@corp.example.com", kNow, kNow + 7200));
  SignInRequest r;
  r.passcode_flow = true;
  r.passcode = "ABC-def_123";
  auto t = provider_.GetToken(r);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->source, TokenOutcome::Source::kSignedIn);
  ASSERT_EQ(http_.sent.size(), 1u) << "-p must not consult /login";
  EXPECT_EQ(http_.sent[0].body, "grant_type=password&passcode=ABC-def_123&response_type=token");
}

TEST_F(TokenProviderTest, BarePasscodeFlagReusesAValidToken) {
  Cache("frank@corp.example.com", TokenBody("frank@corp.example.com", kNow, kNow + 3600));
  SignInRequest r;
  r.passcode_flow = true;
  auto t = provider_.GetToken(r);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->source, TokenOutcome::Source::kCache);
  EXPECT_TRUE(http_.sent.empty());
}

TEST_F(TokenProviderTest, SamlZoneAsksForAPasscodeAndRemembersTheZone) {
  http_.Reply(200, kSamlZone);
  http_.Reply(200, TokenBody("frank@corp.example.com", kNow, kNow + 3600));
  creds_.answers = {{"passcode", "abc123"}};
  auto t = provider_.GetToken(SignInRequest{});
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(creds_.asked, std::vector<std::string>{"passcode"});
  EXPECT_EQ(creds_.passcode_url, "https://zone.login.example.com/passcode");
  EXPECT_EQ(t->user, "frank@corp.example.com");

  // A second new sign-in (another user, say) does not fetch /login again.
  http_.sent.clear();
  http_.Reply(200, TokenBody("gina@corp.example.com", kNow, kNow + 3600));
  SignInRequest r;
  r.user = "gina@corp.example.com";
  auto t2 = provider_.GetToken(r);
  ASSERT_TRUE(t2.ok()) << t2.status().message();
  ASSERT_EQ(http_.sent.size(), 1u);
  EXPECT_THAT(http_.sent[0].url, HasSubstr("/oauth/token"));

  // ...until the remembered answer is a day old.
  clock_.Set(kNow + 24 * 3600 + 1);
  http_.sent.clear();
  http_.Reply(200, kPasswordZone);
  http_.Reply(200, TokenBody("henk@corp.example.com", kNow, kNow + 3600 * 48));
  creds_.answers = {{"password", "pw"}, {"mfa", ""}};
  r.user = "henk@corp.example.com";
  ASSERT_TRUE(provider_.GetToken(r).ok());
  EXPECT_EQ(http_.sent[0].url, "https://zone.login.example.com/login");
}

TEST_F(TokenProviderTest, ForceBasicAuthSkipsZoneDetection) {
  http_.Reply(200, TokenBody("machine@example.com", kNow, kNow + 3600));
  SignInRequest r;
  r.user = "machine@example.com";
  r.password = "pw";
  r.mfa_code = "";
  r.force_basic_auth = true;
  ASSERT_TRUE(provider_.GetToken(r).ok());
  ASSERT_EQ(http_.sent.size(), 1u);
  EXPECT_THAT(http_.sent[0].body, HasSubstr("grant_type=password&username=machine"));
}

TEST_F(TokenProviderTest, FailedZoneDetectionIsNotRemembered) {
  http_.Reply(502, "<html>", "text/html");
  http_.Reply(200, TokenBody("a@x.com", kNow, kNow + 3600));
  SignInRequest r;
  r.user = "a@x.com";
  r.password = "pw";
  r.mfa_code = "";
  ASSERT_TRUE(provider_.GetToken(r).ok());
  EXPECT_FALSE(cache_.ReadMeta("zone-info.json"));
  // Connection failures during detection are connection failures.
  http_.Fail(ErrorKind::kConnection, "refused");
  r.user = "b@x.com";
  auto t = provider_.GetToken(r);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kConnection);
}

TEST_F(TokenProviderTest, TokenOfAnotherUserIsRefusedAndNotCached) {
  http_.Reply(200, TokenBody("mallory@example.com", kNow, kNow + 3600));
  SignInRequest r;
  r.user = "bob@example.com";
  r.passcode_flow = true;
  r.passcode = "code";
  auto t = provider_.GetToken(r);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kWrongUser);
  EXPECT_THAT(t.status().message(), HasSubstr("mallory@example.com"));
  auto users = cache_.Users();
  ASSERT_TRUE(users.ok());
  EXPECT_TRUE(users->empty());
}

TEST_F(TokenProviderTest, SeveralCachedUsersMeansAsking) {
  Cache("dave@example.com", TokenBody("dave@example.com", kNow, kNow + 3600, "rd"));
  Cache("erin@example.com", TokenBody("erin@example.com", kNow, kNow + 3600, "re"));
  creds_.answers = {{"which", "Erin@Example.com"}};
  auto t = provider_.GetToken(SignInRequest{});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->user, "erin@example.com");
  EXPECT_EQ(t->token.refresh_token, "re");

  SignInRequest quiet;
  quiet.non_interactive = true;
  t = provider_.GetToken(quiet);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kMissingInput);
  EXPECT_THAT(t.status().message(), HasSubstr("dave@example.com, erin@example.com"));

  creds_.answers = {{"which", ""}};
  EXPECT_EQ(provider_.GetToken(SignInRequest{}).status().kind(), ErrorKind::kMissingInput);
}

TEST_F(TokenProviderTest, NonInteractiveNeverAsks) {
  SignInRequest r;
  r.non_interactive = true;
  http_.Reply(200, kPasswordZone);
  auto t = provider_.GetToken(r);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kMissingInput);
  EXPECT_TRUE(creds_.asked.empty());
  // With user and password but no -m: no MFA code, no prompt.
  r.user = "a@x.com";
  r.password = "pw";
  http_.Reply(200, TokenBody("a@x.com", kNow, kNow + 3600));
  ASSERT_TRUE(provider_.GetToken(r).ok());
  EXPECT_TRUE(creds_.asked.empty());
  EXPECT_THAT(http_.sent.back().url, HasSubstr("?mfa_token="));
}

TEST_F(TokenProviderTest, BadCharactersAreRejectedBeforeAnyRequest) {
  SignInRequest r;
  r.user = "a@x.com";
  r.password = "pw";
  r.mfa_code = "12 34";
  r.force_basic_auth = true;
  EXPECT_EQ(provider_.GetToken(r).status().kind(), ErrorKind::kInvalidChars);
  SignInRequest p;
  p.passcode_flow = true;
  p.passcode = "abc def";
  EXPECT_EQ(provider_.GetToken(p).status().kind(), ErrorKind::kInvalidChars);
  p.passcode = "abc/def";
  EXPECT_EQ(provider_.GetToken(p).status().kind(), ErrorKind::kInvalidChars);
  EXPECT_TRUE(http_.sent.empty());
}

TEST_F(TokenProviderTest, EmptyAnswersAreMissingInput) {
  SignInRequest r;
  r.force_basic_auth = true;
  creds_.answers = {{"username", ""}};
  EXPECT_EQ(provider_.GetToken(r).status().kind(), ErrorKind::kMissingInput);
  creds_.answers = {{"username", "a@x.com"}, {"password", ""}};
  EXPECT_EQ(provider_.GetToken(r).status().kind(), ErrorKind::kMissingInput);
  SignInRequest p;
  p.passcode_flow = true;
  creds_.answers = {{"passcode", ""}};
  EXPECT_EQ(provider_.GetToken(p).status().kind(), ErrorKind::kMissingInput);
  EXPECT_TRUE(http_.sent.empty());
}

TEST_F(TokenProviderTest, CodeValidators) {
  EXPECT_TRUE(IsValidMfaCode(""));
  EXPECT_TRUE(IsValidMfaCode("123456"));
  EXPECT_FALSE(IsValidMfaCode("12345a"));
  EXPECT_TRUE(IsValidPasscode("aZ09-_"));
  EXPECT_FALSE(IsValidPasscode("a b"));
  EXPECT_FALSE(IsValidPasscode("a+b"));
}

}  // namespace
}  // namespace ssocli

namespace ssocli {
namespace {

// Plays the browser: hands a scripted credential to the exchange, records the outcome.
class ScriptedBrowser final : public BrowserSignIn {
 public:
  Status Run(const Exchange& exchange) override {
    ++runs;
    if (!flow_error.ok()) return flow_error;
    exchange_result = exchange(kind, credential);
    return exchange_result;
  }
  Credential kind = Credential::kSamlAssertion;
  std::string credential = "PHNhbWw-assertion";
  Status flow_error;
  Status exchange_result;
  int runs = 0;
};

class BrowserSignInTest : public TokenProviderTest {
 protected:
  ScriptedBrowser browser_;
  TokenProvider sso_provider_{cache_, login_, creds_, clock_, log_, TokenProviderConfig{}, &browser_};

  SignInRequest Sso() {
    SignInRequest r;
    r.browser = true;
    r.sp_entity_id = "zone.apigee-saml-login";
    return r;
  }
};

TEST_F(BrowserSignInTest, ValidOrRefreshableTokenOpensNothing) {
  Cache("frank@corp.example.com", TokenBody("frank@corp.example.com", kNow, kNow + 3600));
  ASSERT_TRUE(sso_provider_.GetToken(Sso()).ok());
  Cache("frank@corp.example.com", TokenBody("frank@corp.example.com", kNow - 3600, kNow - 1, "rt"));
  http_.Reply(200, TokenBody("frank@corp.example.com", kNow, kNow + 3600));
  auto t = sso_provider_.GetToken(Sso());
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->source, TokenOutcome::Source::kRefreshed);
  EXPECT_EQ(browser_.runs, 0);
}

TEST_F(BrowserSignInTest, SamlAssertionGoesToTheTokenAliasUrl) {
  http_.Reply(200, TokenBody("frank@corp.example.com", kNow, kNow + 3600));
  auto t = sso_provider_.GetToken(Sso());
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(browser_.runs, 1);
  EXPECT_EQ(t->user, "frank@corp.example.com");
  ASSERT_EQ(http_.sent.size(), 1u) << "no /login detection for --sso";
  EXPECT_EQ(http_.sent[0].url, "https://zone.login.example.com/oauth/token/alias/zone.apigee-saml-login");
  EXPECT_EQ(http_.sent[0].body,
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&assertion=PHNhbWw-assertion");
  EXPECT_EQ(File("frank@corp.example.com"), TokenBody("frank@corp.example.com", kNow, kNow + 3600) + "\n");
  EXPECT_TRUE(creds_.asked.empty());
}

TEST_F(BrowserSignInTest, PasscodeFromTheBrowserUsesThePasscodeGrant) {
  browser_.kind = BrowserSignIn::Credential::kPasscode;
  browser_.credential = "abc123";
  http_.Reply(200, TokenBody("frank@corp.example.com", kNow, kNow + 3600));
  ASSERT_TRUE(sso_provider_.GetToken(Sso()).ok());
  EXPECT_EQ(http_.sent[0].body, "grant_type=password&passcode=abc123&response_type=token");
}

TEST_F(BrowserSignInTest, ServerRefusalReachesTheBrowserAndTheCaller) {
  http_.Reply(401, R"({"error":"unauthorized","error_description":"Error validating SAML message"})");
  auto t = sso_provider_.GetToken(Sso());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kNoToken);
  EXPECT_EQ(browser_.exchange_result.kind(), ErrorKind::kNoToken) << "the page must show the refusal";
  EXPECT_THAT(t.status().message(), HasSubstr("Error validating SAML message"));
}

TEST_F(BrowserSignInTest, TokenOfAnotherUserThanAskedIsRefused) {
  http_.Reply(200, TokenBody("mallory@example.com", kNow, kNow + 3600));
  SignInRequest r = Sso();
  r.user = "frank@corp.example.com";
  auto t = sso_provider_.GetToken(r);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kWrongUser);
  auto users = cache_.Users();
  ASSERT_TRUE(users.ok());
  EXPECT_TRUE(users->empty());
}

TEST_F(BrowserSignInTest, FlowErrorsPassThroughAndNothingIsSent) {
  browser_.flow_error = Status::Error(ErrorKind::kSamlRejected, "Audience is \"x\", expected \"y\"");
  auto t = sso_provider_.GetToken(Sso());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kSamlRejected);
  EXPECT_TRUE(http_.sent.empty());
}

TEST_F(BrowserSignInTest, NonInteractiveNeverOpensTheBrowser) {
  SignInRequest r = Sso();
  r.non_interactive = true;
  auto t = sso_provider_.GetToken(r);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().kind(), ErrorKind::kMissingInput);
  EXPECT_EQ(browser_.runs, 0);
}

TEST_F(BrowserSignInTest, PasscodeOnTheCommandLineWinsOverTheBrowser) {
  SignInRequest r = Sso();
  r.passcode_flow = true;
  r.passcode = "code1";
  http_.Reply(200, TokenBody("frank@corp.example.com", kNow, kNow + 3600));
  ASSERT_TRUE(sso_provider_.GetToken(r).ok());
  EXPECT_EQ(browser_.runs, 0);
}

}  // namespace
}  // namespace ssocli
