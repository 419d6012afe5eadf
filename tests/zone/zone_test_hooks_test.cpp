// /__test/*: the hooks other tests steer the zone with.
#include <gtest/gtest.h>

#include <chrono>

#include "zone/zone_server.h"
#include "zone_test_util.h"

namespace ssocli {
namespace {

using nlohmann::ordered_json;
using testing::JwtPart;
using testing::Keys;
using testing::Zone;

ordered_json Json(const httplib::Result& res) {
  if (!res) return {};
  return ordered_json::parse(res->body, nullptr, false);
}

TEST(ZoneTestHooksTest, AbsentWithoutTheOption) {
  ZoneConfig config;
  Zone zone(config);
  auto client = zone.Client();
  for (const char* hook : {"/__test/passcode", "/__test/token", "/__test/revoke", "/__test/fault"}) {
    auto res = client->Post(hook, "user=demo@example.com&path=/login&status=500",
                            "application/x-www-form-urlencoded");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << hook;
  }
  auto requests = client->Get("/__test/requests");
  ASSERT_TRUE(requests);
  EXPECT_EQ(requests->status, 404);
}

TEST(ZoneTestHooksTest, TokenWithChosenLifetimeAndIat) {
  Zone zone;
  const int64_t now = zone.clock().Now();
  auto res = zone.Client()->Post("/__test/token",
                                 "user=Demo@Example.com&lifetime=120&iat=" + std::to_string(now - 100),
                                 "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  ordered_json body = Json(res);
  EXPECT_EQ(Keys(body), (std::vector<std::string>{"access_token", "token_type", "refresh_token", "expires_in",
                                                  "scope", "jti"}));
  EXPECT_EQ(body["expires_in"], 19);
  ordered_json claims = JwtPart(body["access_token"], 1);
  EXPECT_EQ(claims["iat"], now - 100);
  EXPECT_EQ(claims["exp"], now + 20);
  EXPECT_EQ(claims["user_name"], "demo@example.com");
  // The refresh token is real.
  auto refreshed = zone.PostForm(
      "/oauth/token", "grant_type=refresh_token&refresh_token=" + body["refresh_token"].get<std::string>());
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(refreshed->status, 200) << refreshed->body;
}

TEST(ZoneTestHooksTest, AlreadyExpiredToken) {
  Zone zone;
  ordered_json body = ordered_json::parse(zone.Hook("token", "user=demo@example.com&lifetime=0"));
  ordered_json claims = JwtPart(body["access_token"], 1);
  EXPECT_EQ(claims["exp"], claims["iat"]);
  EXPECT_EQ(body["expires_in"], 0);
  body = ordered_json::parse(zone.Hook("token", "user=demo@example.com&lifetime=-60"));
  claims = JwtPart(body["access_token"], 1);
  EXPECT_EQ(claims["exp"].get<int64_t>(), zone.clock().Now() - 60);
  auto org =
      zone.Client()->Get("/v1/o/x", {{"Authorization", "Bearer " + body["access_token"].get<std::string>()}});
  ASSERT_TRUE(org);
  EXPECT_EQ(org->status, 401);
  EXPECT_EQ(Json(org)["code"], "keymanagement.service.access_token_expired");
}

TEST(ZoneTestHooksTest, HookArgumentsAreChecked) {
  Zone zone;
  auto client = zone.Client();
  const char* form = "application/x-www-form-urlencoded";
  for (const auto& [hook, body] : std::vector<std::pair<std::string, std::string>>{
           {"/__test/passcode", ""},
           {"/__test/token", "lifetime=5"},
           {"/__test/token", "user=u&lifetime=abc"},
           {"/__test/token", "user=u&iat=1.5"},
           {"/__test/token", "user=u&client=nobody"},
           {"/__test/revoke", ""},
           {"/__test/fault", ""},
           {"/__test/fault", "path=login"},
           {"/__test/fault", "path=/__test/token"},
           {"/__test/fault", "path=/x&count=0"},
           {"/__test/fault", "path=/x&status=99"},
           {"/__test/fault", "path=/x&status=abc"},
           {"/__test/fault", "path=/x&delay=-1"},
           {"/__test/fault", "path=/x&delay=nan"},
           {"/__test/fault", "path=/x&status=500&content_type=a%0d%0aX-Evil:%201"},
       }) {
    auto res = client->Post(hook.c_str(), body, form);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << hook << " " << body;
  }
  auto get = client->Get("/__test/token");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  auto unknown = client->Post("/__test/nope", "", form);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST(ZoneTestHooksTest, RecordsRequests) {
  Zone zone;
  auto client = zone.Client();
  client->Get("/login", {{"Accept", "application/json"}});
  zone.PostForm("/oauth/token?mfa_token=",
                "grant_type=password&username=demo%40example.com&password=demo-password");
  zone.Hook("passcode", "user=x");  // hooks are not recorded
  auto res = client->Get("/__test/requests");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json;charset=UTF-8");
  ordered_json requests = Json(res);
  ASSERT_EQ(requests.size(), 2u) << res->body;
  EXPECT_EQ(Keys(requests[0]), (std::vector<std::string>{"method", "path", "headers", "body"}));
  EXPECT_EQ(requests[0]["method"], "GET");
  EXPECT_EQ(requests[0]["path"], "/login");
  EXPECT_EQ(requests[0]["headers"]["Accept"], "application/json");
  EXPECT_TRUE(requests[0]["headers"].contains("Host"));
  EXPECT_FALSE(requests[0]["headers"].contains("REMOTE_ADDR"));
  EXPECT_TRUE(requests[0]["body"].is_null());
  EXPECT_EQ(requests[1]["method"], "POST");
  EXPECT_EQ(requests[1]["path"], "/oauth/token?mfa_token=");
  EXPECT_EQ(requests[1]["headers"]["Authorization"], "Basic ZWRnZWNsaTplZGdlY2xpc2VjcmV0");
  EXPECT_EQ(requests[1]["headers"]["Content-Type"], "application/x-www-form-urlencoded;charset=utf-8");
  EXPECT_EQ(requests[1]["body"], "grant_type=password&username=demo%40example.com&password=demo-password");

  // Bodies that are not UTF-8 still make valid JSON.
  client->Post("/x", std::string("\xff\xfe", 2), "application/octet-stream");
  ordered_json after = Json(client->Get("/__test/requests"));
  ASSERT_EQ(after.size(), 3u);
  EXPECT_TRUE(after[2]["body"].is_string());

  auto cleared = client->Delete("/__test/requests");
  ASSERT_TRUE(cleared);
  EXPECT_EQ(cleared->status, 200);
  EXPECT_EQ(Json(client->Get("/__test/requests")), ordered_json::array());
}

TEST(ZoneTestHooksTest, RevokeEndsRefreshOnlyForThatUser) {
  Zone zone;
  std::string mine = zone.PasswordToken()["refresh_token"];
  std::string theirs = ordered_json::parse(zone.Hook("token", "user=other@example.com"))["refresh_token"];
  EXPECT_EQ(zone.Hook("revoke", "user=demo@example.com"), "1\n");
  auto revoked = zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + mine);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 401);
  auto kept = zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + theirs);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200);
}

TEST(ZoneTestHooksTest, FaultCannedRepliesThenNormal) {
  Zone zone;
  zone.Hook(
      "fault",
      "path=/oauth/token&count=2&status=502&content_type=text/html&body=%3Chtml%3EBad+Gateway%3C/html%3E");
  const std::string grant = "grant_type=password&username=demo@example.com&password=demo-password";
  for (int i = 0; i < 2; ++i) {
    auto res = zone.PostForm("/oauth/token", grant);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 502);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html");
    EXPECT_EQ(res->body, "<html>Bad Gateway</html>");
  }
  auto normal = zone.PostForm("/oauth/token", grant);
  ASSERT_TRUE(normal);
  EXPECT_EQ(normal->status, 200);
  // Faulted requests are still recorded.
  EXPECT_EQ(Json(zone.Client()->Get("/__test/requests")).size(), 3u);
}

TEST(ZoneTestHooksTest, FaultTruncatedJsonAnd429) {
  Zone zone;
  zone.Hook("fault", "path=/oauth/token&status=200&content_type=application/json&body=%7B%22access_tok");
  auto truncated = zone.PostForm("/oauth/token", "grant_type=password");
  ASSERT_TRUE(truncated);
  EXPECT_EQ(truncated->status, 200);
  EXPECT_EQ(truncated->body, "{\"access_tok");
  zone.Hook("fault", "path=/oauth/&status=429&retry_after=120");
  auto limited = zone.PostForm("/oauth/token", "grant_type=password");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "120");
  // Other paths are untouched by a path-specific fault.
  zone.Hook("fault", "path=/oauth/token&status=500&count=5");
  auto login = zone.Client()->Get("/login");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200);
  auto cleared = zone.Client()->Delete("/__test/fault");
  ASSERT_TRUE(cleared);
  auto normal =
      zone.PostForm("/oauth/token", "grant_type=password&username=demo@example.com&password=demo-password");
  ASSERT_TRUE(normal);
  EXPECT_EQ(normal->status, 200);
}

TEST(ZoneTestHooksTest, FaultDelayThenNormalProcessing) {
  Zone zone;
  zone.Hook("fault", "path=/login&delay=0.4");
  auto start = std::chrono::steady_clock::now();
  auto res = zone.Client()->Get("/login", {{"Accept", "application/json"}});
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_GE(elapsed, 0.39);
  start = std::chrono::steady_clock::now();
  zone.Client()->Get("/login");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0.39);
}

TEST(ZoneTestHooksTest, StopDoesNotWaitOutAnInjectedDelay) {
  auto zone = std::make_unique<Zone>();
  zone->Hook("fault", "path=/login&delay=300");
  std::string url = zone->url();
  std::thread slow([url] {
    httplib::Client client(url);
    client.set_read_timeout(60, 0);
    client.Get("/login");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  zone->server().Stop();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
  slow.join();
}

}  // namespace
}  // namespace ssocli
