// The zone's browser side over real sockets with a cookie jar: the whole dance a browser does for a
// passcode (/passcode -> /login -> the test IdP's form -> the auto-post to the zone's ACS -> a session ->
// a code that works once), the zone's own form, and every way the ACS and the IdP refuse.
#include "zone_browser.h"

#include <gtest/gtest.h>

#include <regex>

#include "saml/authn_request.h"
#include "saml/idp_metadata.h"
#include "saml/response_validator.h"
#include "zone/zone_server.h"
#include "zone_test_util.h"

namespace ssocli {
namespace {

using nlohmann::ordered_json;
using testing::FormAction;
using testing::HiddenInputs;
using testing::JwtPart;
using testing::QueryParam;
using testing::TestBrowser;
using testing::Zone;

const httplib::Headers kJson = {{"Accept", "application/json"}};
constexpr char kSp[] = "zone.apigee-saml-login";

// The exact elements a browser test clicks (docs/zone-server.md, "Page contract").
void ExpectIdpLoginForm(const std::string& html) {
  EXPECT_NE(html.find("<form method=\"post\" action=\"/idp/login\">"), std::string::npos) << html;
  EXPECT_TRUE(std::regex_search(html, std::regex(R"(<input [^>]*name="username"[^>]*>)"))) << html;
  EXPECT_TRUE(std::regex_search(html, std::regex(R"(<input [^>]*type="password" name="password"[^>]*>)")));
  EXPECT_NE(html.find("<button type=\"submit\" id=\"sign-in\">Sign in</button>"), std::string::npos);
  std::map<std::string, std::string> hidden = HiddenInputs(html);
  EXPECT_EQ(hidden.count("SAMLRequest"), 1u);
  EXPECT_EQ(hidden.count("RelayState"), 1u);
}

void ExpectPageHeaders(const httplib::Result& res) {
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html;charset=UTF-8");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  EXPECT_NE(res->body.find("<style>"), std::string::npos);
  EXPECT_EQ(res->body.find("src="), std::string::npos);  // nothing loaded from anywhere
  EXPECT_EQ(res->body.find("<link"), std::string::npos);
}

std::string FormOf(const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const auto& [k, v] : fields)
    out += (out.empty() ? "" : "&") + PercentEncode(k) + "=" + PercentEncode(v);
  return out;
}

// The browser at the zone's ACS with a Response from the IdP: what the auto-post page does.
httplib::Result PostToAcs(TestBrowser& browser, const Zone& zone, const std::string& saml_response,
                          const std::string& relay_state = "/passcode") {
  return browser.Post(zone.url() + "/saml/SSO/alias/" + kSp,
                      FormOf({{"SAMLResponse", saml_response}, {"RelayState", relay_state}}));
}

// Starts a sign-in at the zone (GET /login?redirect=/passcode in --saml-zone mode): the AuthnRequest ID
// the zone now waits an answer to.
std::string StartSignIn(TestBrowser& browser, const Zone& zone) {
  auto login = browser.Get("/login?redirect=%2Fpasscode");
  if (!login || login->status != 302) {
    ADD_FAILURE() << "no redirect to the IdP";
    return "";
  }
  auto request =
      saml::ParseRedirectAuthnRequest(QueryParam(login->get_header_value("Location"), "SAMLRequest"));
  if (!request.ok()) {
    ADD_FAILURE() << request.status().message();
    return "";
  }
  (void)zone;
  return request->id;
}

std::string Passcode(TestBrowser& browser) {
  auto page = browser.Get("/passcode");
  if (!page || page->status != 200) {
    ADD_FAILURE() << "no passcode page: " << (page ? page->status : 0);
    return "";
  }
  std::smatch m;
  if (!std::regex_search(page->body, m, std::regex("<code id=\"passcode\">([0-9A-Za-z]{32})</code>"))) {
    ADD_FAILURE() << page->body;
    return "";
  }
  return m[1];
}

TEST(ZoneBrowserTest, TheWholeDanceToAPasscode) {
  Zone zone(Zone::IdpConfig());
  TestBrowser browser(zone.url());

  // 1. /passcode without a session: off to /login, remembering where to come back.
  auto passcode = browser.Get("/passcode");
  ASSERT_TRUE(passcode);
  ASSERT_EQ(passcode->status, 302);
  std::string login_url = passcode->get_header_value("Location");
  EXPECT_EQ(login_url.rfind(zone.url() + "/login?redirect=", 0), 0u) << login_url;
  EXPECT_EQ(QueryParam(login_url, "redirect"), "/passcode");

  // 2. /login in a SAML zone: off to the IdP with an AuthnRequest for the zone's own ACS.
  auto login = browser.Get(login_url);
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 302);
  std::string sso_url = login->get_header_value("Location");
  ASSERT_EQ(sso_url.rfind(zone.url() + "/idp/sso?SAMLRequest=", 0), 0u) << sso_url;
  EXPECT_EQ(QueryParam(sso_url, "RelayState"), "/passcode");
  auto request = saml::ParseRedirectAuthnRequest(QueryParam(sso_url, "SAMLRequest"));
  ASSERT_TRUE(request.ok()) << request.status().message();
  EXPECT_EQ(request->issuer, kSp);
  EXPECT_EQ(request->acs_url, zone.url() + "/saml/SSO/alias/" + kSp);
  EXPECT_EQ(request->destination, zone.url() + "/idp/sso");
  auto signin_cookie = browser.jar.Get("ssocli_zone_signin");
  ASSERT_TRUE(signin_cookie);
  EXPECT_NE(signin_cookie->set_cookie.find("; HttpOnly; SameSite=Lax"), std::string::npos);
  EXPECT_EQ(signin_cookie->path, std::string("/saml/SSO/alias/") + kSp);

  // 3. The IdP's login form.
  auto form = browser.Get(sso_url);
  ASSERT_TRUE(form);
  ASSERT_EQ(form->status, 200);
  ExpectPageHeaders(form);
  ExpectIdpLoginForm(form->body);
  std::map<std::string, std::string> fields = HiddenInputs(form->body);
  EXPECT_EQ(fields["RelayState"], "/passcode");

  // 4. Signing in answers the page that auto-posts the signed Response to the ACS.
  fields["username"] = "Demo@Example.com";
  fields["password"] = "demo-password";
  auto posted = browser.Post(FormAction(form->body), FormOf(fields));
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  ExpectPageHeaders(posted);
  EXPECT_EQ(FormAction(posted->body), request->acs_url);
  EXPECT_NE(posted->body.find("onload=\"document.forms[0].submit()\""), std::string::npos);
  EXPECT_NE(posted->body.find("<noscript>"), std::string::npos);
  std::map<std::string, std::string> response_fields = HiddenInputs(posted->body);
  EXPECT_EQ(response_fields["RelayState"], "/passcode");
  const std::string saml_response = response_fields["SAMLResponse"];

  // The Response is what the zone asked for: checked here with the IdP's published metadata.
  auto metadata = saml::ParseIdpMetadata(browser.Get("/idp/metadata")->body);
  ASSERT_TRUE(metadata.ok()) << metadata.status().message();
  FixedClock clock(zone.clock().Now());
  saml::ResponseExpectations want;
  want.idp_certificates = metadata->signing_certificates;
  want.idp_entity_id = metadata->entity_id;
  want.audience = kSp;
  want.recipient = request->acs_url;  // the zone's own sign-in: the normal Recipient
  want.destinations = {request->acs_url};
  want.in_response_to = request->id;
  want.clock = &clock;
  auto decoded = Base64Decode(saml_response);
  ASSERT_TRUE(decoded);
  auto checked = saml::ValidateResponse(*decoded, want);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(checked->name_id, "demo@example.com");
  EXPECT_EQ(checked->name_id_format, saml::kNameIdFormatEmail);
  EXPECT_EQ(checked->attributes.at("email"), std::vector<std::string>{"demo@example.com"});
  EXPECT_EQ(checked->not_on_or_after_ms, (zone.clock().Now() + 300) * 1000);

  // 5. The ACS makes a session and sends the browser back.
  auto acs = browser.Post(FormAction(posted->body), FormOf(response_fields));
  ASSERT_TRUE(acs);
  ASSERT_EQ(acs->status, 302) << acs->body;
  EXPECT_EQ(acs->get_header_value("Location"), zone.url() + "/passcode");
  auto session = browser.jar.Get("JSESSIONID");
  ASSERT_TRUE(session);
  EXPECT_GE(session->value.size(), 22u);  // >= 128 bits of [0-9A-Za-z]
  EXPECT_NE(session->set_cookie.find("; Path=/; HttpOnly; SameSite=Lax"), std::string::npos);
  EXPECT_FALSE(browser.jar.Get("ssocli_zone_signin"));  // spent

  // 6. /passcode shows a code, once per visit.
  auto page = browser.Get("/passcode");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  ExpectPageHeaders(page);
  EXPECT_NE(page->body.find("works once and expires in 5 minutes"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page->body, m, std::regex("<code id=\"passcode\">([0-9A-Za-z]{32})</code>")));
  std::string code = m[1];

  // 7. The code works once at the token endpoint, for the user the IdP named.
  auto token =
      zone.PostForm("/oauth/token", "grant_type=password&passcode=" + code, "edgecli:edgeclisecret", kJson);
  ASSERT_TRUE(token);
  ASSERT_EQ(token->status, 200) << token->body;
  ordered_json claims = JwtPart(ordered_json::parse(token->body)["access_token"], 1);
  EXPECT_EQ(claims["user_name"], "demo@example.com");
  EXPECT_EQ(claims["origin"], "test-idp");
  auto again =
      zone.PostForm("/oauth/token", "grant_type=password&passcode=" + code, "edgecli:edgeclisecret", kJson);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 401);
  EXPECT_NE(again->body.find("Invalid passcode"), std::string::npos);

  // 8. A newer code supersedes the older one; JSON clients get the bare JSON string.
  std::string older = Passcode(browser);
  auto json = browser.Get("/passcode", "application/json");
  ASSERT_TRUE(json);
  ASSERT_EQ(json->status, 200);
  std::string newer = ordered_json::parse(json->body).get<std::string>();
  EXPECT_EQ(json->body, "\"" + newer + "\"");
  EXPECT_EQ(
      zone.PostForm("/oauth/token", "grant_type=password&passcode=" + older, "edgecli:edgeclisecret", kJson)
          ->status,
      401);
  EXPECT_EQ(
      zone.PostForm("/oauth/token", "grant_type=password&passcode=" + newer, "edgecli:edgeclisecret", kJson)
          ->status,
      200);

  // 9. The same Response again: nothing is waiting for it any more.
  auto replay = PostToAcs(browser, zone, saml_response);
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 400);

  // 10. Signed in, /login goes straight back; /logout.do ends the session.
  auto back = browser.Get("/login?redirect=%2Fpasscode");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, 302);
  EXPECT_EQ(back->get_header_value("Location"), zone.url() + "/passcode");
  auto out = browser.Get("/logout.do");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 302);
  auto after = browser.Get("/passcode");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 302);
}

TEST(ZoneBrowserTest, WrongPasswordAtTheIdpShowsTheFormAgain) {
  std::string users_json = R"({"users":[
      {"username":"demo@example.com","password":"demo-password"},
      {"username":"locked@example.com","password":"pw","locked":true},
      {"username":"nopass@example.com"}]})";
  auto users = UserDirectory::FromJson(users_json);
  ASSERT_TRUE(users.ok());
  Zone zone(Zone::IdpConfig(), users.value());
  TestBrowser browser(zone.url());
  auto login = browser.Get("/login");
  ASSERT_TRUE(login);
  auto form = browser.Get(login->get_header_value("Location"));
  ASSERT_TRUE(form);
  std::map<std::string, std::string> fields = HiddenInputs(form->body);
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"demo@example.com", "wrong", "Wrong email or password."},
      {"demo@example.com", "", "Wrong email or password."},
      {"nobody@example.com", "demo-password", "Wrong email or password."},
      {"nopass@example.com", "", "Wrong email or password."},
      {"locked@example.com", "pw", "This account is locked."},
  };
  for (const auto& [user, password, message] : cases) {
    std::map<std::string, std::string> f = fields;
    f["username"] = user;
    f["password"] = password;
    auto res = browser.Post("/idp/login", FormOf(f));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << user;
    EXPECT_NE(res->body.find(message), std::string::npos) << res->body;
    ExpectIdpLoginForm(res->body);
    EXPECT_EQ(res->body.find("SAMLResponse"), std::string::npos);
    EXPECT_EQ(HiddenInputs(res->body)["SAMLRequest"], fields["SAMLRequest"]);
  }
}

TEST(ZoneBrowserTest, IdpRefusesGarbageRequests) {
  Zone zone(Zone::IdpConfig());
  TestBrowser browser(zone.url());
  for (const std::string& url : {std::string("/idp/sso"), std::string("/idp/sso?SAMLRequest=garbage"),
                                 "/idp/sso?SAMLRequest=" + PercentEncode(Base64Encode("<not deflated/>"))}) {
    auto res = browser.Get(url);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << url;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html;charset=UTF-8");
  }
  auto post = browser.Post("/idp/login", "SAMLRequest=bad&username=demo@example.com&password=demo-password");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 400);
  auto get_login = browser.Get("/idp/login");
  ASSERT_TRUE(get_login);
  EXPECT_EQ(get_login->status, 405);
  // A script in a request value is text on the page, never markup.
  saml::AuthnRequestParams p;
  p.sp_entity_id = "<script>alert(1)</script>";
  p.acs_url = "http://127.0.0.1:9/saml/acs";
  p.idp_sso_url = zone.url() + "/idp/sso";
  p.relay_state = "\"><script>alert(2)</script>";
  auto req = saml::BuildAuthnRequest(p, saml::NewRequestId(), zone.clock().Now());
  ASSERT_TRUE(req.ok());
  auto page = browser.Get(req->redirect_url);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body.find("<script>"), std::string::npos);
  EXPECT_NE(page->body.find("&lt;script&gt;alert(1)"), std::string::npos);
}

TEST(ZoneBrowserTest, TheAcsRefusesForgedExpiredAndMisaddressedResponses) {
  Zone zone(Zone::IdpConfig());
  const std::string acs = zone.url() + "/saml/SSO/alias/" + kSp;
  struct Case {
    std::string extra;   // hook fields on top of acs, user, in_response_to
    std::string reason;  // on the error page
  };
  const std::vector<Case> cases = {
      {"&key=attacker", "does not verify with the IdP certificate"},
      {"&lifetime=-120", "expired"},
      {"&sign=none", "not signed"},
      {"&audience=other.apigee-saml-login", "Audience is"},
      {"&recipient=" + PercentEncode(zone.url() + "/oauth/token/alias/" + kSp), "Recipient is"},
      {"&destination=" + PercentEncode("http://127.0.0.1:9/saml/acs"), "Destination is"},
      {"&issuer=" + PercentEncode("https://other.idp.test"), "expected the IdP"},
      {"&in_response_to=_someone-elses", "not ours"},
  };
  for (const Case& c : cases) {
    TestBrowser browser(zone.url());
    std::string id = StartSignIn(browser, zone);
    std::string form = "acs=" + PercentEncode(acs) + "&user=demo@example.com&in_response_to=" + id + c.extra;
    // in_response_to may be given twice: the first value wins, as for every form here.
    if (c.extra.find("in_response_to") != std::string::npos) {
      form = "acs=" + PercentEncode(acs) + "&user=demo@example.com" + c.extra;
    }
    std::string response = zone.Hook("saml-response", form);
    auto res = PostToAcs(browser, zone, response);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << c.extra;
    EXPECT_NE(res->body.find(c.reason), std::string::npos) << c.extra << "\n" << res->body;
    EXPECT_FALSE(browser.jar.Get("JSESSIONID"));
    EXPECT_EQ(browser.Get("/passcode")->status, 302);
  }

  // A good one (the same hook, nothing overridden) does sign in.
  TestBrowser browser(zone.url());
  std::string id = StartSignIn(browser, zone);
  std::string good = zone.Hook(
      "saml-response", "acs=" + PercentEncode(acs) + "&user=Frank@Corp.Example.com&in_response_to=" + id);
  auto res = PostToAcs(browser, zone, good);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 302) << res->body;
  EXPECT_FALSE(Passcode(browser).empty());

  // Without a sign-in started in this browser, or with a RelayState that leaves the zone.
  TestBrowser stranger(zone.url());
  auto unsolicited = PostToAcs(stranger, zone, good);
  ASSERT_TRUE(unsolicited);
  EXPECT_EQ(unsolicited->status, 400);
  EXPECT_NE(unsolicited->body.find("No sign-in was started in this browser"), std::string::npos);
  TestBrowser redirected(zone.url());
  id = StartSignIn(redirected, zone);
  good =
      zone.Hook("saml-response", "acs=" + PercentEncode(acs) + "&user=demo@example.com&in_response_to=" + id);
  res = PostToAcs(redirected, zone, good, "https://evil.test/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(res->get_header_value("Location"), zone.url() + "/passcode");  // the path the sign-in began with
  auto garbage = PostToAcs(redirected, zone, "%%%");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
}

TEST(ZoneBrowserTest, TheZonesOwnFormWithoutSaml) {
  Zone zone(Zone::IdpConfig(/*saml_zone=*/false));
  TestBrowser browser(zone.url());
  auto passcode = browser.Get("/passcode");
  ASSERT_TRUE(passcode);
  auto form = browser.Get(passcode->get_header_value("Location"));
  ASSERT_TRUE(form);
  ASSERT_EQ(form->status, 200);
  ExpectPageHeaders(form);
  EXPECT_NE(form->body.find("<form method=\"post\" action=\"/login.do\">"), std::string::npos) << form->body;
  EXPECT_TRUE(std::regex_search(form->body, std::regex(R"(<input [^>]*name="username"[^>]*>)")));
  EXPECT_TRUE(
      std::regex_search(form->body, std::regex(R"(<input [^>]*type="password" name="password"[^>]*>)")));
  EXPECT_NE(form->body.find("<button type=\"submit\" id=\"sign-in\">"), std::string::npos);
  EXPECT_EQ(HiddenInputs(form->body)["redirect"], "/passcode");

  auto wrong = browser.Post("/login.do", "username=demo@example.com&password=nope&redirect=%2Fpasscode");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_NE(wrong->body.find("Wrong email or password."), std::string::npos);
  auto mfa = browser.Post("/login.do", "username=mfa@example.com&password=mfa-password");
  ASSERT_TRUE(mfa);
  EXPECT_EQ(mfa->status, 401);
  EXPECT_NE(mfa->body.find("needs its MFA code"), std::string::npos);
  auto evil = browser.Post("/login.do",
                           "username=mfa@example.com&password=mfa-password&mfa_code=123456"
                           "&redirect=%2F%2Fevil.test%2F");
  ASSERT_TRUE(evil);
  EXPECT_EQ(evil->status, 302);
  EXPECT_EQ(evil->get_header_value("Location"), zone.url() + "/login");
  browser.jar.Clear();

  auto ok =
      browser.Post("/login.do", "username=demo@example.com&password=demo-password&redirect=%2Fpasscode");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 302);
  EXPECT_EQ(ok->get_header_value("Location"), zone.url() + "/passcode");
  std::string code = Passcode(browser);
  auto token =
      zone.PostForm("/oauth/token", "grant_type=password&passcode=" + code, "edgecli:edgeclisecret", kJson);
  ASSERT_TRUE(token);
  ASSERT_EQ(token->status, 200);
  EXPECT_EQ(JwtPart(ordered_json::parse(token->body)["access_token"], 1)["origin"], "uaa");
  auto signed_in = browser.Get("/login");
  ASSERT_TRUE(signed_in);
  EXPECT_EQ(signed_in->status, 200);
  EXPECT_NE(signed_in->body.find("signed in as <strong>demo@example.com</strong>"), std::string::npos);
}

TEST(ZoneBrowserTest, SessionsExpireAndForgedCookiesAreStrangers) {
  Zone zone(Zone::IdpConfig(/*saml_zone=*/false));
  TestBrowser browser(zone.url());
  ASSERT_EQ(browser.Post("/login.do", "username=demo@example.com&password=demo-password")->status, 302);
  EXPECT_EQ(browser.Get("/passcode")->status, 200);
  zone.clock().Advance(1700);
  EXPECT_EQ(browser.Get("/passcode")->status, 200);  // idle time starts again
  zone.clock().Advance(1801);
  EXPECT_EQ(browser.Get("/passcode")->status, 302);

  httplib::Client client(zone.url());
  auto forged =
      client.Get("/passcode", {{"Cookie", "JSESSIONID=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 302);
}

TEST(ZoneBrowserTest, HttpsCookiesAreSecure) {
  ZoneConfig config = Zone::IdpConfig(/*saml_zone=*/false);
  config.tls_cert_file = testing::TestPkiDir() + "/server.pem";
  config.tls_key_file = testing::TestPkiDir() + "/server.key";
  Zone zone(config);
  auto res = zone.Client()->Post("/login.do", "username=demo@example.com&password=demo-password",
                                 "application/x-www-form-urlencoded");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 302);
  EXPECT_NE(res->get_header_value("Set-Cookie").find("; HttpOnly; SameSite=Lax; Secure"), std::string::npos);
}

TEST(ZoneBrowserTest, MetadataOfTheConfiguredKeyAndEntityId) {
  ZoneConfig config = Zone::IdpConfig();
  config.idp_entity_id = "https://idp.zone.test/saml";
  Zone zone(config);
  auto res = zone.Client()->Get("/idp/metadata");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/samlmetadata+xml;charset=UTF-8");
  auto metadata = saml::ParseIdpMetadata(res->body);
  ASSERT_TRUE(metadata.ok()) << metadata.status().message();
  EXPECT_EQ(metadata->entity_id, "https://idp.zone.test/saml");
  EXPECT_EQ(metadata->sso_redirect_url, zone.url() + "/idp/sso");
  auto configured = saml::ParsePemCertificates(testing::SharedIdpKeyFiles().cert_pem);
  ASSERT_TRUE(configured.ok());
  EXPECT_EQ(metadata->signing_certificates, configured.value());

  // Without --idp-key the IdP makes its own key, and keeps it.
  Zone generated;
  auto first = saml::ParseIdpMetadata(generated.Client()->Get("/idp/metadata")->body);
  auto second = saml::ParseIdpMetadata(generated.Client()->Get("/idp/metadata")->body);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->entity_id, generated.url() + "/idp");
  EXPECT_EQ(first->signing_certificates, second->signing_certificates);
  EXPECT_NE(first->signing_certificates, configured.value());
}

}  // namespace
}  // namespace ssocli
