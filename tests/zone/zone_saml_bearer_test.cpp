// The saml2-bearer grant at /oauth/token/alias/<SP entity ID> as uaa.md describes it, with assertions
// from the zone's test IdP (through its login form, as get_token --sso gets them, and from the
// /__test/saml-response hook) and from an IdP trusted by metadata; every error row of uaa.md.
#include <gtest/gtest.h>

#include <fstream>

#include "saml/authn_request.h"
#include "saml/idp_metadata.h"
#include "saml/response_builder.h"
#include "saml/response_validator.h"
#include "zone/zone_server.h"
#include "zone_browser.h"
#include "zone_test_util.h"

namespace ssocli {
namespace {

using nlohmann::ordered_json;
using testing::BearerOf;
using testing::HiddenInputs;
using testing::JwtPart;
using testing::ResponseAttribute;
using testing::TestBrowser;
using testing::Zone;

constexpr char kSp[] = "zone.apigee-saml-login";
constexpr char kCliAcs[] = "http://127.0.0.1:9/saml/acs";  // get_token's loopback listener
constexpr char kGrant[] = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer";

std::string Alias(const std::string& sp = kSp) {
  return "/oauth/token/alias/" + sp;
}

void ExpectUnauthorized(const httplib::Result& res, const std::string& description) {
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401) << res->body;
  ordered_json body = ordered_json::parse(res->body, nullptr, false);
  EXPECT_EQ(body["error"], "unauthorized") << res->body;
  EXPECT_EQ(body["error_description"], description) << res->body;
}

// A Response from the hook for get_token's ACS, with `extra` hook fields.
std::string Minted(Zone& zone, const std::string& extra = "") {
  return zone.Hook("saml-response", "acs=" + PercentEncode(kCliAcs) + "&user=Frank@Corp.Example.com" + extra);
}

httplib::Result Grant(Zone& zone, const std::string& assertion, const std::string& path = "",
                      const std::string& client = "edgecli:edgeclisecret") {
  return zone.PostForm(path.empty() ? Alias() : path, std::string(kGrant) + "&assertion=" + assertion,
                       client);
}

// What get_token --sso does against this zone: an AuthnRequest for its loopback ACS, the IdP's form,
// the auto-post page; returns the SAMLResponse and the request it answers.
std::pair<std::string, saml::AuthnRequest> BrowserSignIn(Zone& zone) {
  saml::AuthnRequestParams p;
  p.sp_entity_id = kSp;
  p.acs_url = kCliAcs;
  p.idp_sso_url = zone.url() + "/idp/sso";
  p.relay_state = "flow-state-123";
  auto request = saml::BuildAuthnRequest(p, saml::NewRequestId(), zone.clock().Now());
  if (!request.ok()) return {};
  TestBrowser browser(zone.url());
  auto form = browser.Get(request->redirect_url);
  if (!form || form->status != 200) return {};
  std::map<std::string, std::string> fields = HiddenInputs(form->body);
  std::string body;
  fields["username"] = "demo@example.com";
  fields["password"] = "demo-password";
  for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + k + "=" + PercentEncode(v);
  auto posted = browser.Post("/idp/login", body);
  if (!posted || posted->status != 200) return {};
  EXPECT_EQ(testing::FormAction(posted->body), kCliAcs);
  std::map<std::string, std::string> out = HiddenInputs(posted->body);
  EXPECT_EQ(out["RelayState"], "flow-state-123");
  return {out["SAMLResponse"], request.value()};
}

TEST(ZoneSamlBearerTest, AnAssertionFromTheBrowserFlowBuysATokenOnce) {
  Zone zone(Zone::IdpConfig());
  auto [response, request] = BrowserSignIn(zone);
  ASSERT_FALSE(response.empty());
  const std::string alias_url = zone.url() + Alias();
  EXPECT_EQ(ResponseAttribute(response, "SubjectConfirmationData", "Recipient"), alias_url);
  EXPECT_EQ(ResponseAttribute(response, "Response", "Destination"), kCliAcs);

  // get_token validates it first, with the IdP's metadata, then forwards the Assertion alone.
  auto metadata = saml::ParseIdpMetadata(zone.Client()->Get("/idp/metadata")->body);
  ASSERT_TRUE(metadata.ok());
  FixedClock clock(zone.clock().Now());
  saml::ResponseExpectations want;
  want.idp_certificates = metadata->signing_certificates;
  want.idp_entity_id = metadata->entity_id;
  want.audience = kSp;
  want.recipient = alias_url;
  want.destinations = {kCliAcs};
  want.acs_url = kCliAcs;
  want.in_response_to = request.id;
  want.clock = &clock;
  auto validated = saml::ValidateResponse(*Base64Decode(response), want);
  ASSERT_TRUE(validated.ok()) << validated.status().message();

  auto res = Grant(zone, validated->bearer_assertion);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  ordered_json claims = JwtPart(ordered_json::parse(res->body)["access_token"], 1);
  EXPECT_EQ(claims["user_name"], "demo@example.com");
  EXPECT_EQ(claims["origin"], "test-idp");
  EXPECT_EQ(claims["grant_type"], "urn:ietf:params:oauth:grant-type:saml2-bearer");
}

TEST(ZoneSamlBearerTest, EveryUaaErrorRow) {
  Zone zone(Zone::IdpConfig());
  // Accepted: the hook's default is what the IdP sends get_token (Recipient = the alias URL).
  auto ok = Grant(zone, BearerOf(Minted(zone)));
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  ordered_json claims = JwtPart(ordered_json::parse(ok->body)["access_token"], 1);
  EXPECT_EQ(claims["user_name"], "frank@corp.example.com");
  EXPECT_EQ(claims["email"], "Frank@Corp.Example.com");

  ExpectUnauthorized(zone.PostForm(Alias(), kGrant), "SAML Assertion is missing");
  ExpectUnauthorized(Grant(zone, ""), "SAML Assertion is missing");
  ExpectUnauthorized(Grant(zone, "%21%21not-base64%21%21"), "Error decoding incoming SAML message");
  ExpectUnauthorized(Grant(zone, Base64UrlEncode("<saml2:Assertion")),
                     "Error decoding incoming SAML message");
  // The whole Response is not an Assertion.
  ExpectUnauthorized(Grant(zone, Base64UrlEncode(*Base64Decode(Minted(zone)))),
                     "Error decoding incoming SAML message");
  ExpectUnauthorized(
      Grant(zone, BearerOf(Minted(zone, "&issuer=" + PercentEncode("https://unknown.idp.test")))),
      "Error determining metadata contracts");
  ExpectUnauthorized(Grant(zone, BearerOf(Minted(zone, "&key=attacker"))),
                     "Error validating SAML message signature");
  ExpectUnauthorized(Grant(zone, BearerOf(Minted(zone, "&sign=none"))),
                     "Error validating SAML message signature");
  const std::string invalid = "Error validating SAML message";
  ExpectUnauthorized(Grant(zone, BearerOf(Minted(zone, "&lifetime=-120"))), invalid);
  ExpectUnauthorized(Grant(zone, BearerOf(Minted(zone, "&recipient=" + PercentEncode(kCliAcs)))), invalid);
  ExpectUnauthorized(Grant(zone, BearerOf(Minted(zone, "&audience=other.apigee-saml-login"))), invalid);
  // Audience = the alias of the URL it is posted to.
  ExpectUnauthorized(Grant(zone, BearerOf(Minted(zone)), Alias("other.apigee-saml-login")), invalid);
  // IssueInstant older than 3000 s (+60): the hook's response is issued now; the zone's clock moves on.
  std::string old = BearerOf(Minted(zone, "&lifetime=7200"));
  zone.clock().Advance(3061);
  ExpectUnauthorized(Grant(zone, old), invalid);
  zone.clock().Advance(-3061);

  // A client without the grant.
  auto users = UserDirectory::FromJson(R"({"users":[],"clients":[
      {"client_id":"edgecli","client_secret":"s","grants":["password"]}]})");
  ASSERT_TRUE(users.ok());
  Zone strict(Zone::IdpConfig(), users.value());
  auto denied = Grant(strict, BearerOf(Minted(strict)), "", "edgecli:s");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  EXPECT_NE(denied->body.find("Unauthorized grant type"), std::string::npos);
}

TEST(ZoneSamlBearerTest, PlainTokenPathTakesTheZonesEntityIdAndItsOwnUrl) {
  ZoneConfig config = Zone::IdpConfig();
  config.sp_entity_id = "acme.apigee-saml-login";
  Zone zone(config);
  std::string assertion = BearerOf(Minted(zone, "&recipient=" + PercentEncode(zone.url() + "/oauth/token")));
  auto res = Grant(zone, assertion, "/oauth/token");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  // The hook's default audience is the configured entity ID, its Recipient that alias.
  std::string minted = Minted(zone);
  EXPECT_EQ(ResponseAttribute(minted, "SubjectConfirmationData", "Recipient"),
            zone.url() + "/oauth/token/alias/acme.apigee-saml-login");
  res = Grant(zone, BearerOf(minted), "/oauth/token/alias/acme.apigee-saml-login");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST(ZoneSamlBearerTest, IdpRecipientAcsReproducesTheMisconfiguration) {
  ZoneConfig config = Zone::IdpConfig();
  config.idp_recipient = IdpRecipient::kAcs;
  Zone zone(config);
  auto [response, request] = BrowserSignIn(zone);
  ASSERT_FALSE(response.empty());
  EXPECT_EQ(ResponseAttribute(response, "SubjectConfirmationData", "Recipient"), kCliAcs);
  EXPECT_EQ(ResponseAttribute(Minted(zone), "SubjectConfirmationData", "Recipient"), kCliAcs);

  // get_token names the problem...
  auto metadata = saml::ParseIdpMetadata(zone.Client()->Get("/idp/metadata")->body);
  ASSERT_TRUE(metadata.ok());
  FixedClock clock(zone.clock().Now());
  saml::ResponseExpectations want;
  want.idp_certificates = metadata->signing_certificates;
  want.idp_entity_id = metadata->entity_id;
  want.audience = kSp;
  want.recipient = zone.url() + Alias();
  want.destinations = {kCliAcs};
  want.in_response_to = request.id;
  want.clock = &clock;
  auto validated = saml::ValidateResponse(*Base64Decode(response), want);
  ASSERT_FALSE(validated.ok());
  EXPECT_NE(validated.status().message().find("Recipient is the ACS URL"), std::string::npos);
  // ...and the login server refuses it.
  ExpectUnauthorized(Grant(zone, BearerOf(response)), "Error validating SAML message");

  // The zone's own sign-in is unaffected: its ACS gets its ACS URL as Recipient either way.
  TestBrowser browser(zone.url());
  auto login = browser.Get("/login");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 302);
}

TEST(ZoneSamlBearerTest, IdpsTrustedByMetadata) {
  testing::SharedIdpKeyFiles();  // makes the temp dir
  auto other = saml::SigningKey::Generate("partner IdP", 1700000000);
  ASSERT_TRUE(other.ok());
  saml::IdpConfig partner;
  partner.entity_id = "https://partner.idp.test/metadata";
  partner.sso_redirect_url = "https://partner.idp.test/sso";
  partner.signing_certificates = {other->cert_der()};
  auto xml = saml::BuildIdpMetadata(partner);
  ASSERT_TRUE(xml.ok());
  const std::string path = ::testing::TempDir() + "/partner-idp-metadata.xml";
  std::ofstream(path) << *xml;

  ZoneConfig config = Zone::IdpConfig();
  config.trust_idp_metadata_files = {path};
  Zone zone(config);
  FixedClock clock(zone.clock().Now());
  saml::IdpResponseSpec spec;
  spec.idp_entity_id = partner.entity_id;
  spec.name_id = "pat@partner.test";
  spec.audiences = {kSp};
  spec.recipient = zone.url() + Alias();
  auto built = saml::BuildResponse(spec, *other, clock);
  ASSERT_TRUE(built.ok()) << built.status().message();
  auto res = Grant(zone, saml::BearerAssertionParameter(built->assertion_xml));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  ordered_json claims = JwtPart(ordered_json::parse(res->body)["access_token"], 1);
  EXPECT_EQ(claims["user_name"], "pat@partner.test");
  EXPECT_EQ(claims["origin"], "trusted-idp-1");

  // The partner's key does not speak for the zone's own IdP, nor the other way round.
  spec.idp_entity_id = zone.url() + "/idp";
  built = saml::BuildResponse(spec, *other, clock);
  ASSERT_TRUE(built.ok());
  ExpectUnauthorized(Grant(zone, saml::BearerAssertionParameter(built->assertion_xml)),
                     "Error validating SAML message signature");
  ExpectUnauthorized(Grant(zone, BearerOf(Minted(zone, "&issuer=" + PercentEncode(partner.entity_id)))),
                     "Error validating SAML message signature");

  // Unusable metadata files are usage errors at start.
  for (const std::string& bad :
       {std::string("/nonexistent/metadata.xml"), testing::SharedIdpKeyFiles().cert_path}) {
    ZoneConfig c = Zone::IdpConfig();
    c.trust_idp_metadata_files = {bad};
    testing::TestClock test_clock;
    ZoneServer server(c, UserDirectory::Defaults(), testing::SharedTestSigner(), &test_clock);
    Status started = server.Start();
    EXPECT_EQ(started.kind(), ErrorKind::kUsage) << bad;
    EXPECT_NE(started.message().find("--trust-idp-metadata " + bad), std::string::npos) << started.message();
  }
}

TEST(ZoneSamlBearerTest, TheSamlResponseHook) {
  Zone zone(Zone::IdpConfig());
  auto client = zone.Client();
  auto res = client->Post("/__test/saml-response",
                          "acs=" + PercentEncode(kCliAcs) +
                              "&user=u@example.com&in_response_to=_req-1&relay_state=st-9&sign=both",
                          "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain;charset=UTF-8");
  EXPECT_EQ(res->get_header_value("X-RelayState"), "st-9");
  auto xml = Base64Decode(res->body);
  ASSERT_TRUE(xml);
  // Both signed, valid for get_token's expectations.
  auto metadata = saml::ParseIdpMetadata(client->Get("/idp/metadata")->body);
  ASSERT_TRUE(metadata.ok());
  FixedClock clock(zone.clock().Now());
  saml::ResponseExpectations want;
  want.idp_certificates = metadata->signing_certificates;
  want.idp_entity_id = metadata->entity_id;
  want.audience = kSp;
  want.recipient = zone.url() + Alias();
  want.destinations = {kCliAcs};
  want.in_response_to = "_req-1";
  want.clock = &clock;
  auto validated = saml::ValidateResponse(*xml, want);
  ASSERT_TRUE(validated.ok()) << validated.status().message();
  EXPECT_EQ(ResponseAttribute(res->body, "Response", "InResponseTo"), "_req-1");
  EXPECT_LT(xml->find("Signature"), xml->find("Assertion "));

  EXPECT_EQ(ResponseAttribute(Minted(zone, "&destination="), "Response", "Destination"), "");
  EXPECT_EQ(
      ResponseAttribute(Minted(zone, "&destination=http%3A%2F%2Fx.test%2Facs"), "Response", "Destination"),
      "http://x.test/acs");

  const std::string acs = "acs=" + PercentEncode(kCliAcs);
  for (const std::string& bad : std::vector<std::string>{
           "user=u", acs, "acs=ftp%3A%2F%2Fx&user=u", acs + "&user=u&sign=all", acs + "&user=u&key=mine",
           acs + "&user=u&lifetime=soon", acs + "&user=u&audience=", acs + "&user=u&issuer="}) {
    auto r = client->Post("/__test/saml-response", bad, "application/x-www-form-urlencoded");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << bad << ": " << r->body;
  }
  auto get = client->Get("/__test/saml-response");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
}

}  // namespace
}  // namespace ssocli
