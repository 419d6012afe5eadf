#include "net/login_client.h"

#include <gtest/gtest.h>

#include "support/fake_http.h"

namespace ssocli {
namespace {

using ssocli::testing::ScriptedHttp;
using ssocli::testing::TokenBody;

class LoginClientTest : public ::testing::Test {
 protected:
  ScriptedHttp http_;
  std::vector<std::string> debug_;
  Logger log_{"get_token", true, [this](std::string_view l) { debug_.emplace_back(l); }};
  LoginClient client_{http_, LoginConfig{"http://127.0.0.1:18997", "ZWRnZWNsaTplZGdlY2xpc2VjcmV0"}, log_};

  std::string AllDebug() const {
    std::string all;
    for (const auto& l : debug_) all += l + "\n";
    return all;
  }
};

// The exact wire format of fixtures/compat/fresh_password/requests.jsonl (minus the original's
// truncation of the password at the space).
TEST_F(LoginClientTest, PasswordGrantMatchesTheOriginalsWireFormat) {
  http_.Reply(200, TokenBody("alice@example.com", 0, 100));
  auto g = client_.PasswordGrant("Alice@Example.com", "s3cr:t pw", "123456");
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(http_.sent.size(), 1u);
  const HttpRequest& r = http_.sent[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://127.0.0.1:18997/oauth/token?mfa_token=123456");
  EXPECT_EQ(r.headers, (std::vector<std::string>{
                           "Content-Type: application/x-www-form-urlencoded;charset=utf-8",
                           "Accept: application/json;charset=utf-8",
                           "Authorization: Basic ZWRnZWNsaTplZGdlY2xpc2VjcmV0"}));
  EXPECT_EQ(r.body, "grant_type=password&username=alice%40example.com&password=s3cr%3At%20pw");
}

TEST_F(LoginClientTest, BodiesAreFormEncoded) {
  struct Capture final : public HttpClient {
    std::string body, url;
    Result<HttpResponse> Send(const HttpRequest& r) override {
      body = r.body;
      url = r.url;
      HttpResponse resp;
      resp.status = 200;
      resp.body = TokenBody("alice@example.com", 0, 100);
      return resp;
    }
  } cap;
  LoginClient c(cap, LoginConfig{"http://h/", "X"}, log_);
  ASSERT_TRUE(c.PasswordGrant("Alice@Example.com", "s3cr:t pw", "").ok());
  EXPECT_EQ(cap.body, "grant_type=password&username=alice%40example.com&password=s3cr%3At%20pw");
  EXPECT_EQ(cap.url, "http://h/oauth/token?mfa_token=");
  ASSERT_TRUE(c.PasscodeGrant("ABCdef123").ok());
  EXPECT_EQ(cap.body, "grant_type=password&passcode=ABCdef123&response_type=token");
  EXPECT_EQ(cap.url, "http://h/oauth/token?mfa_token=");
  ASSERT_TRUE(c.RefreshGrant("rt-bob@example.com").ok());
  EXPECT_EQ(cap.body, "grant_type=refresh_token&refresh_token=rt-bob%40example.com");
  EXPECT_EQ(cap.url, "http://h/oauth/token");
}

TEST_F(LoginClientTest, DebugLinesRedactSecrets) {
  http_.Reply(200, TokenBody("alice@example.com", 0, 100, "REFRESHSECRET"));
  ASSERT_TRUE(client_.PasswordGrant("alice@example.com", "PASSWORDSECRET", "654321").ok());
  http_.Reply(200, TokenBody("alice@example.com", 0, 100));
  ASSERT_TRUE(client_.RefreshGrant("REFRESHSECRET").ok());
  http_.Reply(200, TokenBody("alice@example.com", 0, 100));
  ASSERT_TRUE(client_.PasscodeGrant("PASSCODESECRET").ok());
  std::string all = AllDebug();
  EXPECT_NE(all.find("POST http://127.0.0.1:18997/oauth/token"), std::string::npos) << all;
  for (const char* secret : {"PASSWORDSECRET", "654321", "REFRESHSECRET", "PASSCODESECRET", "eyJ"}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret << " leaked into:\n" << all;
  }
}

TEST_F(LoginClientTest, ServerErrorJsonBecomesNoTokenWithDescription) {
  http_.Reply(401, R"({"error":"unauthorized","error_description":"Bad credentials"})");
  auto g = client_.PasswordGrant("a", "b", "");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().kind(), ErrorKind::kNoToken);
  EXPECT_EQ(g.status().http_status(), 401);
  EXPECT_EQ(g.status().oauth_error(), "unauthorized");
  EXPECT_NE(g.status().message().find("Bad credentials"), std::string::npos);
  EXPECT_FALSE(g.status().hint().empty());
  EXPECT_TRUE(LoginClient::IsRejection(g.status()));
}

TEST_F(LoginClientTest, HtmlPagesAreNeverEchoed) {
  http_.Reply(502, "<html><body><h1>502 Bad Gateway</h1><script>evil()</script></body></html>", "text/html");
  auto g = client_.RefreshGrant("r");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().kind(), ErrorKind::kNoToken);
  EXPECT_NE(g.status().message().find("HTML page"), std::string::npos);
  EXPECT_EQ(g.status().message().find("<"), std::string::npos);
  EXPECT_FALSE(LoginClient::IsRejection(g.status())) << "an outage must not look like a refused refresh";
}

TEST_F(LoginClientTest, MalformedTruncatedAndTokenlessRepliesAreNoToken) {
  for (const char* body : {R"({"access_token":"x)", "", R"({"token_type":"bearer"})", "[]"}) {
    http_.Reply(200, body);
    auto g = client_.RefreshGrant("r");
    ASSERT_FALSE(g.ok()) << body;
    EXPECT_EQ(g.status().kind(), ErrorKind::kNoToken) << body;
    EXPECT_FALSE(LoginClient::IsRejection(g.status()));
  }
}

TEST_F(LoginClientTest, TokenInAnErrorReplyIsNotSuccess) {
  // The original accepted any body containing "access_token", whatever the status.
  http_.Reply(500, R"({"access_token":"x","error":"server_error"})");
  EXPECT_FALSE(client_.RefreshGrant("r").ok());
}

TEST_F(LoginClientTest, RateLimitIsNoTokenWithAdvice) {
  HttpResponse r;
  r.status = 429;
  r.body = "Too Many Requests";
  r.retry_after = "120";
  http_.replies.push_back(r);
  auto g = client_.PasswordGrant("a", "b", "");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().kind(), ErrorKind::kNoToken);
  EXPECT_NE(g.status().message().find("429"), std::string::npos);
  EXPECT_NE(g.status().hint().find("120 s"), std::string::npos);
}

TEST_F(LoginClientTest, ConnectionErrorsPassThrough) {
  http_.Fail(ErrorKind::kConnection, "refused");
  auto g = client_.RefreshGrant("r");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().kind(), ErrorKind::kConnection);
}

TEST_F(LoginClientTest, ZoneInfoDetectsThePasscodePrompt) {
  http_.Reply(200, R"({"zone_name":"z","prompts":{"username":["text","Email"],"passcode":["password","x"]}})");
  auto z = client_.FetchZoneInfo();
  ASSERT_TRUE(z.ok());
  EXPECT_TRUE(z->passcode);
  EXPECT_EQ(http_.sent[0].url, "http://127.0.0.1:18997/login");
  EXPECT_EQ(http_.sent[0].headers, std::vector<std::string>{"Accept: application/json"});
  http_.Reply(200, R"({"prompts":{"username":["text","Email"],"password":["password","Password"]}})");
  z = client_.FetchZoneInfo();
  ASSERT_TRUE(z.ok());
  EXPECT_FALSE(z->passcode);
  http_.Reply(502, "<html>");
  EXPECT_FALSE(client_.FetchZoneInfo().ok());
}

TEST_F(LoginClientTest, EndpointDoesNotDoubleSlashes) {
  LoginClient c(http_, LoginConfig{"https://zone.login.apigee.com/", "X"}, log_);
  EXPECT_EQ(c.Endpoint("/oauth/token"), "https://zone.login.apigee.com/oauth/token");
}

TEST(SanitizeForTerminal, DropsControlCharactersAndCaps) {
  EXPECT_EQ(SanitizeForTerminal("a\x1b[31mred\x07\nb"), "a[31mred b");
  EXPECT_EQ(SanitizeForTerminal(std::string(500, 'x'), 10), std::string(10, 'x') + "...");
}

}  // namespace
}  // namespace ssocli
