// The zone server over real sockets: endpoints, grants and every error row of uaa.md it implements.
#include "zone/zone_server.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <thread>

#include "core/base64.h"
#include "core/url.h"
#include "zone/token_issuer.h"
#include "zone/totp.h"
#include "zone_test_util.h"

namespace ssocli {
namespace {

using nlohmann::ordered_json;
using testing::BasicHeader;
using testing::JwtPart;
using testing::Keys;
using testing::Zone;

const std::vector<std::string> kTokenResponseKeys = {"access_token", "token_type", "refresh_token",
                                                     "expires_in",   "scope",      "jti"};

ordered_json Json(const httplib::Result& res) {
  if (!res) return {};
  return ordered_json::parse(res->body, nullptr, false);
}

void ExpectOAuthError(const httplib::Result& res, int status, const std::string& error,
                      const std::string& description) {
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, status) << res->body;
  ordered_json body = Json(res);
  EXPECT_EQ(Keys(body), (std::vector<std::string>{"error", "error_description"})) << res->body;
  EXPECT_EQ(body["error"], error) << res->body;
  EXPECT_EQ(body["error_description"], description) << res->body;
  if (status == 401) {
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Basic realm=\"UAA/client\", error=\"" + error +
                                                             "\", error_description=\"" + description + "\"");
  }
}

// Verifies a JWT the way an outside party would: with the PEM of /token_keys only.
bool VerifyWithJwks(const std::string& jwt, const ordered_json& jwks) {
  for (const auto& key : jwks["keys"]) {
    if (JwtPart(jwt, 0)["kid"] != key["kid"]) continue;
    std::string pem = key["value"];
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                  BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pub(
        PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    if (!pub) return false;
    size_t dot = jwt.rfind('.');
    auto sig = Base64UrlDecode(jwt.substr(dot + 1));
    if (!sig) return false;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pub.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                            reinterpret_cast<const unsigned char*>(jwt.data()), dot) == 1;
  }
  return false;
}

TEST(ZoneServerTest, StartsOnAFreePortAndStops) {
  Zone zone;
  EXPECT_GT(zone.server().port(), 0);
  EXPECT_EQ(zone.url(), "http://127.0.0.1:" + std::to_string(zone.server().port()));
  zone.server().Stop();
  zone.server().Stop();  // idempotent
  auto res = httplib::Client(zone.url()).Get("/login");
  EXPECT_FALSE(res);  // nothing listens any more
}

TEST(ZoneServerTest, BusyPortIsAnError) {
  Zone first;
  ZoneConfig config;
  config.port = first.server().port();
  testing::TestClock clock;
  ZoneServer second(config, UserDirectory::Defaults(), testing::SharedTestSigner(), &clock);
  Status status = second.Start();
  EXPECT_EQ(status.kind(), ErrorKind::kConnection);
  EXPECT_NE(status.message().find(std::to_string(config.port)), std::string::npos);
}

TEST(ZoneServerTest, LoginJsonHtmlAndVersion) {
  Zone zone;
  auto client = zone.Client();
  auto res = client->Get("/login", {{"Accept", "application/json"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json;charset=UTF-8");
  ordered_json login = Json(res);
  EXPECT_EQ(Keys(login), (std::vector<std::string>{"app", "links", "zone_name", "prompts", "timestamp"}));
  EXPECT_EQ(login["app"]["version"], "4.30.0");
  EXPECT_EQ(login["zone_name"], "zone");
  EXPECT_EQ(login["prompts"],
            ordered_json::parse(R"({"username":["text","Email"],"password":["password","Password"]})"));
  EXPECT_TRUE(login["timestamp"].is_string());

  auto html = client->Get("/login");
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 200);
  EXPECT_EQ(html->get_header_value("Content-Type").rfind("text/html", 0), 0u);

  auto version = client->Get("/version", {{"Accept", "application/json"}});
  ASSERT_TRUE(version);
  EXPECT_EQ(version->body, R"({"cliVersion":"2.3.0"})");
}

TEST(ZoneServerTest, SamlZoneAdvertisesPasscodes) {
  ZoneConfig config = Zone::DefaultConfig();
  config.saml_zone = true;
  config.zone_name = "acme";
  Zone zone(config);
  ordered_json login = Json(zone.Client()->Get("/login", {{"Accept", "application/json;charset=utf-8"}}));
  EXPECT_EQ(login["zone_name"], "acme");
  EXPECT_EQ(
      login["prompts"]["passcode"],
      ordered_json({"password", "Temporary Authentication Code ( Get one at " + zone.url() + "/passcode )"}));
}

TEST(ZoneServerTest, PasscodePageNeedsASession) {
  Zone zone;
  auto client = zone.Client();
  auto browser = client->Get("/passcode");
  ASSERT_TRUE(browser);
  EXPECT_EQ(browser->status, 302);
  // Raw bytes: httplib's client decodes the Location it hands out.
  std::string raw = testing::RawHttp(zone.server().port(),
                                     "GET /passcode HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(raw.find("\r\nLocation: " + zone.url() + "/login?redirect=%2Fpasscode\r\n"), std::string::npos)
      << raw;
  auto json = client->Get("/passcode", {{"Accept", "application/json"}});
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 401);
}

TEST(ZoneServerTest, TokenKeysIsAJwks) {
  Zone zone;
  ordered_json jwks = Json(zone.Client()->Get("/token_keys"));
  ASSERT_EQ(jwks["keys"].size(), 1u);
  EXPECT_EQ(Keys(jwks["keys"][0]), (std::vector<std::string>{"kty", "e", "use", "kid", "alg", "value", "n"}));
  EXPECT_EQ(jwks["keys"][0]["kid"], testing::SharedTestSigner()->kid());
  // n and e are the modulus and exponent of the PEM in `value`.
  std::string pem = jwks["keys"][0]["value"];
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pub(
      PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  ASSERT_TRUE(pub);
  for (const auto& [param, field] : {std::pair{"n", "n"}, std::pair{"e", "e"}}) {
    BIGNUM* bn = nullptr;
    ASSERT_EQ(EVP_PKEY_get_bn_param(pub.get(), param, &bn), 1);
    std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(bn);
    EXPECT_EQ(jwks["keys"][0][field], Base64UrlEncode(bytes)) << field;
  }
  ordered_json single = Json(zone.Client()->Get("/token_key"));
  EXPECT_EQ(single, jwks["keys"][0]);
  auto root = zone.Client()->Get("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 302);
}

TEST(ZoneServerTest, PasswordGrantAnswersExactlyAsUaa) {
  Zone zone;
  auto res =
      zone.PostForm("/oauth/token", "grant_type=password&username=Demo%40Example.com&password=demo-password");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(res->get_header_value("Pragma"), "no-cache");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json;charset=UTF-8");
  ordered_json body = Json(res);
  EXPECT_EQ(body.dump(), res->body);  // compact
  EXPECT_EQ(Keys(body), kTokenResponseKeys);
  EXPECT_EQ(body["token_type"], "bearer");
  EXPECT_EQ(body["expires_in"], 43199);
  EXPECT_EQ(body["scope"], "scim.me openid password.write");
  std::string refresh = body["refresh_token"];
  EXPECT_EQ(refresh.size(), 34u);
  EXPECT_EQ(refresh.substr(32), "-r");

  std::string jwt = body["access_token"];
  ordered_json header = JwtPart(jwt, 0);
  EXPECT_EQ(header.dump(), R"({"alg":"RS256","jku":")" + zone.url() + R"(/token_keys","kid":")" +
                               testing::SharedTestSigner()->kid() + R"(","typ":"JWT"})");
  ordered_json claims = JwtPart(jwt, 1);
  EXPECT_EQ(Keys(claims),
            (std::vector<std::string>{"jti", "sub", "scope", "client_id", "cid", "azp", "grant_type",
                                      "user_id", "origin", "user_name", "email", "auth_time", "rev_sig",
                                      "iat", "exp", "iss", "zid", "aud"}));
  const int64_t now = zone.clock().Now();
  EXPECT_EQ(claims["jti"], body["jti"]);
  EXPECT_EQ(claims["sub"], UserIdFor("demo@example.com"));
  EXPECT_EQ(claims["user_id"], claims["sub"]);
  EXPECT_EQ(claims["scope"], ordered_json({"scim.me", "openid", "password.write"}));
  EXPECT_EQ(claims["client_id"], "edgecli");
  EXPECT_EQ(claims["cid"], "edgecli");
  EXPECT_EQ(claims["azp"], "edgecli");
  EXPECT_EQ(claims["grant_type"], "password");
  EXPECT_EQ(claims["origin"], "uaa");
  EXPECT_EQ(claims["user_name"], "demo@example.com");
  EXPECT_EQ(claims["email"], "demo@example.com");
  EXPECT_EQ(claims["auth_time"], now);
  EXPECT_EQ(claims["iat"], now);
  EXPECT_EQ(claims["exp"], now + 43200);
  EXPECT_EQ(claims["iss"], zone.url() + "/oauth/token");
  EXPECT_EQ(claims["zid"], "uaa");
  EXPECT_EQ(claims["aud"], ordered_json({"scim", "openid", "password", "edgecli"}));

  EXPECT_TRUE(VerifyWithJwks(jwt, Json(zone.Client()->Get("/token_keys"))));
  EXPECT_FALSE(
      VerifyWithJwks(jwt.substr(0, jwt.size() - 4) + "AAAA", Json(zone.Client()->Get("/token_keys"))));
}

TEST(ZoneServerTest, ConfiguredLifetimesIssuerAndScopes) {
  ZoneConfig config = Zone::DefaultConfig();
  config.access_token_validity = 1800;
  config.issuer = "https://login.example.com/oauth/token";
  Zone zone(config);
  auto res = zone.PostForm("/oauth/token",
                           "grant_type=password&username=demo@example.com&password=demo-password"
                           "&scope=openid");
  ordered_json body = Json(res);
  EXPECT_EQ(body["expires_in"], 1799);
  EXPECT_EQ(body["scope"], "openid");
  ordered_json claims = JwtPart(body["access_token"], 1);
  EXPECT_EQ(claims["iss"], "https://login.example.com/oauth/token");
  EXPECT_EQ(claims["exp"].get<int64_t>() - claims["iat"].get<int64_t>(), 1800);
  auto bad_scope = zone.PostForm("/oauth/token",
                                 "grant_type=password&username=demo@example.com&password=demo-password"
                                 "&scope=cloud_controller.admin");
  ASSERT_TRUE(bad_scope);
  EXPECT_EQ(bad_scope->status, 400);
  EXPECT_EQ(Json(bad_scope)["error"], "invalid_scope");
}

TEST(ZoneServerTest, PasswordGrantErrors) {
  Zone zone;
  const std::string grant = "grant_type=password";
  ExpectOAuthError(zone.PostForm("/oauth/token", grant + "&username=demo@example.com&password=wrong"), 401,
                   "unauthorized", "Bad credentials");
  ExpectOAuthError(zone.PostForm("/oauth/token", grant + "&username=nobody@example.com&password=x"), 401,
                   "unauthorized", "Bad credentials");
  ExpectOAuthError(zone.PostForm("/oauth/token", grant + "&username=demo@example.com"), 401, "unauthorized",
                   "No password supplied");
  ExpectOAuthError(zone.PostForm("/oauth/token", grant + "&username=demo@example.com&password="), 401,
                   "unauthorized", "No password supplied");
  ExpectOAuthError(zone.PostForm("/oauth/token", "username=demo@example.com&password=demo-password"), 400,
                   "invalid_request", "Missing grant type");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=client_credentials"), 400,
                   "unsupported_grant_type", "Unsupported grant type");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=bogus"), 400, "unsupported_grant_type",
                   "Unsupported grant type");
}

TEST(ZoneServerTest, NewerUaaSaysInvalidClientForBadCredentials) {
  ZoneConfig config = Zone::DefaultConfig();
  config.bad_credentials_error = BadCredentialsError::kInvalidClient;
  Zone zone(config);
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=password&username=demo@example.com&password=x"),
                   401, "invalid_client", "Bad credentials");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=password&username=demo@example.com"), 401,
                   "invalid_client", "No password supplied");
}

UserDirectory TestUsers() {
  auto dir = UserDirectory::FromJson(R"({
    "users": [
      {"username": "locked@example.com", "password": "pw", "locked": true},
      {"username": "totp@example.com", "password": "pw", "totp_secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"},
      {"username": "mfa@example.com", "password": "mfa-password", "mfa_code": "123456"},
      {"username": "alice@example.com", "password": "s3cr:t pw", "email": "alice@corp.example.com",
       "origin": "usergrid", "scopes": ["openid", "scim.me"]}
    ],
    "clients": [
      {"client_id": "edgecli", "client_secret": "edgeclisecret",
       "grants": ["password", "refresh_token", "urn:ietf:params:oauth:grant-type:saml2-bearer"]},
      {"client_id": "other", "client_secret": "othersecret", "grants": ["password", "refresh_token"]},
      {"client_id": "norefresh", "client_secret": "s", "grants": ["password"]}
    ]})");
  EXPECT_TRUE(dir.ok()) << dir.status().message();
  return std::move(dir).value();
}

TEST(ZoneServerTest, UsersFileUsersAndLockedAccounts) {
  Zone zone(Zone::DefaultConfig(), TestUsers());
  ordered_json body = zone.PasswordToken("Alice@Example.com", "s3cr:t pw");
  ordered_json claims = JwtPart(body["access_token"], 1);
  EXPECT_EQ(claims["user_name"], "alice@example.com");
  EXPECT_EQ(claims["email"], "alice@corp.example.com");
  EXPECT_EQ(claims["origin"], "usergrid");
  EXPECT_EQ(body["scope"], "openid scim.me");
  ExpectOAuthError(
      zone.PostForm("/oauth/token", "grant_type=password&username=locked@example.com&password=pw"), 401,
      "unauthorized", "Your account has been locked because of too many failed attempts to login.");
  ExpectOAuthError(
      zone.PostForm("/oauth/token", "grant_type=password&username=demo@example.com&password=demo-password"),
      401, "unauthorized", "Bad credentials");  // the defaults are gone
}

TEST(ZoneServerTest, MfaFixedCodeInQueryOrForm) {
  Zone zone(Zone::DefaultConfig(), TestUsers());
  const std::string form = "grant_type=password&username=mfa@example.com&password=mfa-password";
  const std::string missing = "A multi-factor authentication code is required to complete the request";
  ExpectOAuthError(zone.PostForm("/oauth/token", form), 400, "invalid_request", missing);
  ExpectOAuthError(zone.PostForm("/oauth/token?mfa_token=", form), 400, "invalid_request", missing);
  ExpectOAuthError(zone.PostForm("/oauth/token?mfa_token=000000", form), 401, "unauthorized",
                   "Bad credentials");
  ExpectOAuthError(zone.PostForm("/oauth/token?mfa_token=123456",
                                 "grant_type=password&username=mfa@example.com&password=x"),
                   401, "unauthorized", "Bad credentials");
  auto query = zone.PostForm("/oauth/token?mfa_token=123456", form);
  ASSERT_TRUE(query);
  EXPECT_EQ(query->status, 200) << query->body;
  auto in_form = zone.PostForm("/oauth/token", form + "&mfa_token=123456");
  ASSERT_TRUE(in_form);
  EXPECT_EQ(in_form->status, 200) << in_form->body;
  // The query's value comes first and wins.
  ExpectOAuthError(zone.PostForm("/oauth/token?mfa_token=111111", form + "&mfa_token=123456"), 401,
                   "unauthorized", "Bad credentials");
  // Users without MFA ignore the parameter, as the original script always sends it.
  auto plain = zone.PostForm("/oauth/token?mfa_token=",
                             "grant_type=password&username=alice@example.com&password=s3cr%3At+pw");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200) << plain->body;
}

TEST(ZoneServerTest, MfaTotp) {
  Zone zone(Zone::DefaultConfig(), TestUsers());
  const std::string key = "12345678901234567890";
  const std::string form = "grant_type=password&username=totp@example.com&password=pw&mfa_token=";
  int64_t now = zone.clock().Now();
  auto ok = zone.PostForm("/oauth/token", form + TotpCode(key, now));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  auto drifted = zone.PostForm("/oauth/token", form + TotpCode(key, now - 30));
  ASSERT_TRUE(drifted);
  EXPECT_EQ(drifted->status, 200);
  ExpectOAuthError(zone.PostForm("/oauth/token", form + TotpCode(key, now - 300)), 401, "unauthorized",
                   "Bad credentials");
}

TEST(ZoneServerTest, ClientAuthentication) {
  Zone zone(Zone::DefaultConfig(), TestUsers());
  const std::string grant = "grant_type=password&username=alice@example.com&password=s3cr%3At+pw";
  ExpectOAuthError(zone.PostForm("/oauth/token", grant, ""), 401, "invalid_client", "Bad credentials");
  ExpectOAuthError(zone.PostForm("/oauth/token", grant, "edgecli:wrong"), 401, "invalid_client",
                   "Bad credentials");
  ExpectOAuthError(zone.PostForm("/oauth/token", grant, "nobody:x"), 401, "invalid_client",
                   "Bad credentials");
  for (const char* header :
       {"Basic", "Basic !!!", "Basic bm9jb2xvbg==", "Bearer abc", "Digest x", "", "Basic ="}) {
    ExpectOAuthError(zone.PostForm("/oauth/token", grant, "", {{"Authorization", header}}), 401,
                     "invalid_client", "Bad credentials");
  }
  // Form fields, only without an Authorization header.
  auto form = zone.PostForm("/oauth/token", grant + "&client_id=edgecli&client_secret=edgeclisecret", "");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 200) << form->body;
  ExpectOAuthError(
      zone.PostForm("/oauth/token", grant + "&client_id=edgecli&client_secret=edgeclisecret", "edgecli:bad"),
      401, "invalid_client", "Bad credentials");
  ExpectOAuthError(zone.PostForm("/oauth/token", grant + "&client_id=edgecli&client_secret=nope", ""), 401,
                   "invalid_client", "Bad credentials");
  // Another client works and its tokens name it.
  ordered_json other = Json(zone.PostForm("/oauth/token", grant, "other:othersecret"));
  EXPECT_EQ(JwtPart(other["access_token"], 1)["cid"], "other");
  // A grant the client may not use.
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=x", "norefresh:s"),
                   401, "invalid_client", "Unauthorized grant type");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer",
                                 "other:othersecret"),
                   401, "invalid_client", "Unauthorized grant type");
}

TEST(ZoneServerTest, PasscodeGrant) {
  Zone zone;
  std::string code = zone.Hook("passcode", "user=Frank@Corp.Example.com");
  ASSERT_EQ(code.size(), 32u);
  for (char c : code) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << code;
  const httplib::Headers json = {{"Accept", "application/json;charset=utf-8"}};
  auto res = zone.PostForm("/oauth/token", "grant_type=password&passcode=" + code + "&response_type=token",
                           "edgecli:edgeclisecret", json);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  ordered_json claims = JwtPart(Json(res)["access_token"], 1);
  EXPECT_EQ(claims["user_name"], "frank@corp.example.com");
  EXPECT_EQ(claims["grant_type"], "password");
  EXPECT_EQ(claims["origin"], "saml");
  // Single use.
  ExpectOAuthError(
      zone.PostForm("/oauth/token", "grant_type=password&passcode=" + code, "edgecli:edgeclisecret", json),
      401, "unauthorized", "Invalid passcode");
  // Only the newest code of a user works.
  std::string older = zone.Hook("passcode", "user=frank@corp.example.com");
  std::string newer = zone.Hook("passcode", "user=frank@corp.example.com");
  ExpectOAuthError(
      zone.PostForm("/oauth/token", "grant_type=password&passcode=" + older, "edgecli:edgeclisecret", json),
      401, "unauthorized", "Invalid passcode");
  // Five minutes.
  zone.clock().Advance(301);
  ExpectOAuthError(
      zone.PostForm("/oauth/token", "grant_type=password&passcode=" + newer, "edgecli:edgeclisecret", json),
      401, "unauthorized", "Invalid passcode");
  std::string fresh = zone.Hook("passcode", "user=demo@example.com");
  zone.clock().Advance(299);
  auto in_time =
      zone.PostForm("/oauth/token", "grant_type=password&passcode=" + fresh, "edgecli:edgeclisecret", json);
  ASSERT_TRUE(in_time);
  EXPECT_EQ(in_time->status, 200) << in_time->body;
  EXPECT_EQ(JwtPart(Json(in_time)["access_token"], 1)["origin"], "uaa");  // a local user keeps its identity
  // Without any Accept header the passcode is looked at too (httplib's client always sends one).
  std::string body = "grant_type=password&passcode=" + zone.Hook("passcode", "user=demo@example.com");
  std::string raw = testing::RawHttp(zone.server().port(),
                                     "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                     "Authorization: " +
                                         BasicHeader("edgecli:edgeclisecret") +
                                         "\r\n"
                                         "Content-Type: application/x-www-form-urlencoded\r\n"
                                         "Content-Length: " +
                                         std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(raw.rfind("HTTP/1.1 200 ", 0), 0u) << raw;

  ExpectOAuthError(
      zone.PostForm("/oauth/token", "grant_type=password&passcode=", "edgecli:edgeclisecret", json), 401,
      "unauthorized", "Passcode information is missing.");
  ExpectOAuthError(
      zone.PostForm("/oauth/token", "grant_type=password&passcode=nope", "edgecli:edgeclisecret", json), 401,
      "unauthorized", "Invalid passcode");
  // With Accept: */* UAA's passcode filter does not look: a password grant without password.
  std::string code2 = zone.Hook("passcode", "user=frank@corp.example.com");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=password&passcode=" + code2,
                                 "edgecli:edgeclisecret", {{"Accept", "*/*"}}),
                   401, "unauthorized", "No password supplied");
}

TEST(ZoneServerTest, PasscodeOfLockedUser) {
  Zone zone(Zone::DefaultConfig(), TestUsers());
  std::string code = zone.Hook("passcode", "user=locked@example.com");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=password&passcode=" + code,
                                 "edgecli:edgeclisecret", {{"Accept", "application/json"}}),
                   401, "unauthorized",
                   "Your account has been locked because of too many failed attempts to login.");
}

TEST(ZoneServerTest, RefreshWithoutRotationKeepsTheToken) {
  Zone zone(Zone::DefaultConfig(), TestUsers());
  ordered_json first = zone.PasswordToken("alice@example.com", "s3cr:t pw");
  std::string refresh = first["refresh_token"];
  zone.clock().Advance(100);
  auto res = zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  ordered_json second = Json(res);
  EXPECT_EQ(Keys(second), kTokenResponseKeys);
  EXPECT_EQ(second["refresh_token"], refresh);
  EXPECT_NE(second["access_token"], first["access_token"]);
  EXPECT_EQ(second["expires_in"], 43199);
  ordered_json claims = JwtPart(second["access_token"], 1);
  EXPECT_EQ(claims["iat"], zone.clock().Now());
  EXPECT_EQ(claims["auth_time"], zone.clock().Now() - 100);
  EXPECT_EQ(claims["user_name"], "alice@example.com");
  EXPECT_EQ(claims["grant_type"], "password");
  // The original expiry holds: 30 days after the sign-in, not after the refresh.
  zone.clock().Advance(2592000 - 100 - 1);
  auto last = zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->status, 200);
  zone.clock().Advance(1);
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh), 401,
                   "invalid_token", "The token expired, was revoked, or the token ID is incorrect.");
}

TEST(ZoneServerTest, RefreshWithRotation) {
  ZoneConfig config = Zone::DefaultConfig();
  config.refresh_rotation = true;
  config.refresh_token_validity = 1000;
  Zone zone(config);
  std::string refresh = zone.PasswordToken()["refresh_token"];
  zone.clock().Advance(900);
  ordered_json second =
      Json(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh));
  std::string rotated = second["refresh_token"];
  EXPECT_NE(rotated, refresh);
  EXPECT_EQ(rotated.substr(32), "-r");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh), 401,
                   "invalid_token", "The token expired, was revoked, or the token ID is incorrect.");
  zone.clock().Advance(900);  // the new token got a new lifetime
  auto third = zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + rotated);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 200) << third->body;
}

TEST(ZoneServerTest, RefreshErrors) {
  Zone zone(Zone::DefaultConfig(), TestUsers());
  std::string refresh = zone.PasswordToken("alice@example.com", "s3cr:t pw")["refresh_token"];
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token"), 400, "invalid_request",
                   "refresh_token parameter not provided");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token="), 400,
                   "invalid_request", "refresh_token parameter not provided");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=0123456789abcdef-r"),
                   401, "invalid_token", "The token expired, was revoked, or the token ID is incorrect.");
  ExpectOAuthError(
      zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh, "other:othersecret"),
      400, "invalid_grant", "Wrong client for this refresh token: edgecli");
  zone.Hook("revoke", "user=ALICE@example.com");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh), 401,
                   "invalid_token", "The token expired, was revoked, or the token ID is incorrect.");
}

TEST(ZoneServerTest, JwtRefreshTokens) {
  ZoneConfig config = Zone::DefaultConfig();
  config.jwt_refresh_tokens = true;
  config.refresh_token_validity = 1000;
  Zone zone(config);
  std::string refresh = zone.PasswordToken()["refresh_token"];
  ordered_json claims = JwtPart(refresh, 1);
  EXPECT_EQ(claims["user_name"], "demo@example.com");
  EXPECT_EQ(claims["cid"], "edgecli");
  EXPECT_EQ(claims["exp"], zone.clock().Now() + 1000);
  EXPECT_TRUE(testing::SharedTestSigner()->Verify(refresh).ok());
  auto ok = zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(Json(ok)["refresh_token"], refresh);
  // Opaque or forged values are unknown.
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" +
                                                     claims["jti"].get<std::string>()),
                   401, "invalid_token", "The token expired, was revoked, or the token ID is incorrect.");
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh + "x"),
                   401, "invalid_token", "The token expired, was revoked, or the token ID is incorrect.");
  zone.clock().Advance(1000);
  ExpectOAuthError(zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh), 401,
                   "invalid_token",
                   "Invalid refresh token expired at " + JavaDateString(claims["exp"].get<int64_t>()));
}

TEST(ZoneServerTest, SamlBearerMissingOrUndecodable) {
  Zone zone;
  const std::string path = "/oauth/token/alias/zone.apigee-saml-login";
  const std::string grant = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer";
  ExpectOAuthError(zone.PostForm(path, grant), 401, "unauthorized", "SAML Assertion is missing");
  ExpectOAuthError(zone.PostForm(path, grant + "&assertion="), 401, "unauthorized",
                   "SAML Assertion is missing");
  ExpectOAuthError(zone.PostForm(path, grant + "&assertion=PHNhbWw-"), 401, "unauthorized",
                   "Error decoding incoming SAML message");
}

class FakeSamlValidator final : public SamlBearerValidator {
 public:
  explicit FakeSamlValidator(std::string* seen) : seen_(seen) {}
  Result<SamlSubject> Validate(const SamlBearerRequest& request, int64_t) const override {
    *seen_ = request.sp_entity_id + " " + request.token_url;
    if (request.assertion != "good")
      return Status::Error(ErrorKind::kSamlRejected, "Error validating SAML message signature");
    return SamlSubject{"Frank@Corp.Example.com", "acme-idp", ""};
  }

 private:
  std::string* seen_;
};

TEST(ZoneServerTest, SamlBearerValidatorPlugsIn) {
  std::string seen;
  Zone zone(Zone::DefaultConfig(), UserDirectory::Defaults(), std::make_unique<FakeSamlValidator>(&seen));
  const std::string path = "/oauth/token/alias/acme.apigee-saml-login";
  const std::string grant = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&assertion=";
  ExpectOAuthError(zone.PostForm(path, grant + "bad"), 401, "unauthorized",
                   "Error validating SAML message signature");
  EXPECT_EQ(seen, "acme.apigee-saml-login " + zone.url() + path);
  auto res = zone.PostForm(path, grant + "good");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  ordered_json claims = JwtPart(Json(res)["access_token"], 1);
  EXPECT_EQ(claims["user_name"], "frank@corp.example.com");
  EXPECT_EQ(claims["origin"], "acme-idp");
  EXPECT_EQ(claims["grant_type"], "urn:ietf:params:oauth:grant-type:saml2-bearer");
}

TEST(ZoneServerTest, RateLimit) {
  ZoneConfig config = Zone::DefaultConfig();
  config.rate_limit_per_hour = 2;
  Zone zone(config);
  std::string refresh = zone.PasswordToken()["refresh_token"];
  zone.clock().Advance(600);
  zone.PasswordToken();
  auto limited =
      zone.PostForm("/oauth/token", "grant_type=password&username=demo@example.com&password=demo-password");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "3000");
  std::string code = zone.Hook("passcode", "user=demo@example.com");
  auto passcode = zone.PostForm("/oauth/token", "grant_type=password&passcode=" + code,
                                "edgecli:edgeclisecret", {{"Accept", "application/json"}});
  ASSERT_TRUE(passcode);
  EXPECT_EQ(passcode->status, 429);
  // Refreshing is not a new sign-in, other users have their own budget.
  auto refreshed = zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh);
  ASSERT_TRUE(refreshed);
  EXPECT_EQ(refreshed->status, 200);
  auto other = zone.PostForm("/oauth/token?mfa_token=123456",
                             "grant_type=password&username=mfa@example.com&password=mfa-password");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  zone.clock().Advance(3000);
  auto later =
      zone.PostForm("/oauth/token", "grant_type=password&username=demo@example.com&password=demo-password");
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200);
}

TEST(ZoneServerTest, ManagementApi) {
  Zone zone;
  std::string token = zone.PasswordToken()["access_token"];
  auto client = zone.Client();
  for (const char* path : {"/v1/o/myorg", "/v1/organizations/myorg"}) {
    auto res = client->Get(path, {{"Authorization", "Bearer " + token}});
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    ordered_json org = Json(res);
    EXPECT_EQ(Keys(org), (std::vector<std::string>{"name", "displayName", "createdAt", "createdBy",
                                                   "environments", "properties", "type"}));
    EXPECT_EQ(org["name"], "myorg");
    EXPECT_EQ(org["displayName"], "myorg");
    EXPECT_EQ(org["createdBy"], "demo@example.com");
    EXPECT_EQ(org["environments"], ordered_json({"prod", "test"}));
    EXPECT_EQ(org["type"], "trial");
  }
  const std::string invalid =
      R"({"code":"keymanagement.service.invalid_access_token","message":"Invalid access token","contexts":[]})";
  const std::vector<std::string> bad_headers = {
      "",
      "Bearer",
      "Basic ZWRnZWNsaTplZGdlY2xpc2VjcmV0",
      "Bearer x.y.z",
      "Bearer a.b",
      "Bearer " + token + "x",
      "Bearer ....",
      "Bearer !!!.???.***",
      "Bearer " + Base64UrlEncode(R"({"alg":"none"})") + "." + token.substr(token.find('.') + 1)};
  for (const std::string& header : bad_headers) {
    httplib::Headers headers;
    if (!header.empty()) headers.emplace("Authorization", header);
    auto res = client->Get("/v1/o/myorg", headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << header;
    EXPECT_EQ(res->body, invalid) << header;
  }
  // Signed by another key.
  auto stranger = JwtSigner::Generate();
  ASSERT_TRUE(stranger.ok());
  std::string foreign = stranger->Sign(JwtPart(token, 1), zone.url() + "/token_keys");
  EXPECT_EQ(client->Get("/v1/o/myorg", {{"Authorization", "Bearer " + foreign}})->body, invalid);
  // Expired.
  zone.clock().Advance(43200);
  auto expired = client->Get("/v1/o/myorg", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->status, 401);
  EXPECT_EQ(
      expired->body,
      R"({"code":"keymanagement.service.access_token_expired","message":"Access Token expired","contexts":[]})");
}

TEST(ZoneServerTest, ManagementApiChecksTheIssuer) {
  ZoneConfig config = Zone::DefaultConfig();
  config.issuer = "https://elsewhere/oauth/token";
  Zone other(config);
  std::string token = other.PasswordToken()["access_token"];
  Zone zone;  // same signing key, different issuer
  auto res = zone.Client()->Get("/v1/o/org", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST(ZoneServerTest, RobustAgainstBadInput) {
  Zone zone;
  auto client = zone.Client();
  auto get_token = client->Get("/oauth/token");
  ASSERT_TRUE(get_token);
  EXPECT_EQ(get_token->status, 405);
  auto unknown = client->Get("/nope");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  auto huge = zone.PostForm("/oauth/token", "grant_type=password&password=" + std::string(100 * 1024, 'a'));
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  auto malformed = zone.PostForm("/oauth/token", "%%%&&&===&grant_type=%zz&username=%ff%fe&password=%");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  auto binary =
      zone.PostForm("/oauth/token", std::string("grant_type=password&username=\xff\xfe\x00x&password=p", 44));
  ASSERT_TRUE(binary);
  EXPECT_EQ(binary->status, 401);
  auto json_body = client->Post("/oauth/token", R"({"grant_type":"password"})", "application/json");
  ASSERT_TRUE(json_body);
  EXPECT_EQ(json_body->status, 401);
  auto put = client->Put("/oauth/token", "x", "text/plain");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  auto long_org = client->Get(("/v1/o/" + std::string(4000, 'o')).c_str());
  ASSERT_TRUE(long_org);
  EXPECT_EQ(long_org->status, 401);
  for (const std::string& garbage :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/1.1\r\nHost\r\n\r\n"),
        std::string("POST /oauth/token HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
        std::string("POST /oauth/token HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"),
        std::string("\x00\x01\x02\r\n\r\n", 7)}) {
    std::string raw = testing::RawHttp(zone.server().port(), garbage, /*half_close=*/true);
    // Answered (4xx, or a lenient parse) or dropped, never a crash or a 5xx.
    EXPECT_TRUE(raw.empty() || (raw.rfind("HTTP/1.1 ", 0) == 0 && raw.rfind("HTTP/1.1 5", 0) != 0)) << raw;
  }
  auto echoed = zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=%ff", "other:x");
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->status, 401);
}

TEST(ZoneServerTest, ServesConcurrentClients) {
  Zone zone;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto res = zone.PostForm("/oauth/token",
                                 "grant_type=password&username=demo@example.com&password=demo-password");
        if (res && res->status == 200) {
          std::string refresh = Json(res)["refresh_token"];
          auto again = zone.PostForm("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh);
          if (again && again->status == 200) ++ok;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);
}

TEST(ZoneServerTest, ServesHttpsWithTheTestPki) {
  std::string pki = testing::TestPkiDir();
  ZoneConfig config = Zone::DefaultConfig();
  config.tls_cert_file = pki + "/server.pem";
  config.tls_key_file = pki + "/server.key";
  Zone zone(config);
  EXPECT_EQ(zone.url().rfind("https://127.0.0.1:", 0), 0u);
  auto login = zone.Client()->Get("/login", {{"Accept", "application/json"}});
  ASSERT_TRUE(login) << httplib::to_string(login.error());
  EXPECT_EQ(login->status, 200);
  ordered_json token = zone.PasswordToken();
  EXPECT_EQ(JwtPart(token["access_token"], 0)["jku"], zone.url() + "/token_keys");
  // A client that does not trust the test CA fails the handshake.
  httplib::Client untrusting(zone.url());
  untrusting.enable_server_certificate_verification(true);
  untrusting.set_ca_cert_path("/nonexistent-ca.pem");
  EXPECT_FALSE(untrusting.Get("/login"));
}

TEST(ZoneServerTest, BadTlsFilesAreUsageErrors) {
  std::string pki = testing::TestPkiDir();
  testing::TestClock clock;
  struct Case {
    std::string cert, key;
  } cases[] = {
      {"/nonexistent.pem", pki + "/server.key"},  {pki + "/server.pem", "/nonexistent.key"},
      {pki + "/server.key", pki + "/server.key"},  // not a certificate
      {pki + "/server.pem", pki + "/server.pem"},  // not a key
      {pki + "/server.pem", pki + "/ca.key"},      // another certificate's key
  };
  for (const auto& c : cases) {
    ZoneConfig config;
    config.tls_cert_file = c.cert;
    config.tls_key_file = c.key;
    ZoneServer server(config, UserDirectory::Defaults(), testing::SharedTestSigner(), &clock);
    Status status = server.Start();
    EXPECT_EQ(status.kind(), ErrorKind::kUsage) << c.cert << " " << c.key;
    EXPECT_EQ(status.message().find('\n'), std::string::npos);
  }
}

TEST(ZoneServerTest, LogLinesCarryNoSecrets) {
  testing::TestClock clock;
  ZoneConfig config;
  ZoneServer server(config, UserDirectory::Defaults(), testing::SharedTestSigner(), &clock);
  std::mutex mu;
  std::string log;
  server.set_log_sink([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    log += std::string(line) + "\n";
  });
  ASSERT_TRUE(server.Start().ok());
  httplib::Client client(server.base_url());
  auto res =
      client.Post("/oauth/token?mfa_token=987654", {{"Authorization", BasicHeader("edgecli:edgeclisecret")}},
                  "grant_type=password&username=demo@example.com&password=demo-password",
                  "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  ASSERT_TRUE(client.Post("/oauth/token", {{"Authorization", BasicHeader("edgecli:edgeclisecret")}},
                          "grant_type=password&passcode=zzz", "application/x-www-form-urlencoded"));
  std::string token = Json(res).value("access_token", "");
  server.Stop();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_NE(log.find("POST /oauth/token 200"), std::string::npos) << log;
  for (const std::string& secret :
       {std::string("demo-password"), std::string("987654"), std::string("zzz"),
        std::string("ZWRnZWNsaTplZGdlY2xpc2VjcmV0"), std::string("edgeclisecret"), token}) {
    if (!secret.empty()) {
      EXPECT_EQ(log.find(secret), std::string::npos) << secret;
    }
  }
}

}  // namespace
}  // namespace ssocli
