// The browser flow in SAML mode, in-process over real HTTP: the test plays the browser and the IdP,
// with responses signed by the xmlsec1 CLI (tests/saml/test_idp.h) and a fake exchange.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <regex>
#include <thread>

#include "core/base64.h"
#include "core/url.h"
#include "saml/authn_request.h"
#include "saml/test_idp.h"
#include "sso/loopback_listener.h"
#include "sso/sso_flow.h"
#include "sso_test_util.h"
#include "support/temp_dir.h"

namespace ssocli::sso {
namespace {

namespace idp = ssocli::saml::testing;
using testing::ConnectTo;
using testing::Contains;
using testing::FlowHarness;
using Ms = std::chrono::milliseconds;

constexpr char kSsoUrl[] = "https://idp.test/sso/redirect?tenant=1";

std::string Metadata(const idp::TestKey& key) {
  return std::string(
             "<?xml version=\"1.0\"?>\n<md:EntityDescriptor "
             "xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
             "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"") +
         idp::kIdp +
         "\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
         "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>" +
         Base64Encode(key.certs_der.at(0)) +
         "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
         "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" "
         "Location=\"" +
         kSsoUrl + "\"/></md:IDPSSODescriptor></md:EntityDescriptor>\n";
}

// What the IdP learns from the redirect.
struct Redirect {
  std::string location;
  std::string request_xml;
  std::string request_id;
  std::string relay_state;
};

class SamlSsoFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ssocli::testing::TempDir();
    key_ = new idp::TestKey(idp::MakeTestKey(dir_->path(), "idp"));
    attacker_ = new idp::TestKey(idp::MakeTestKey(dir_->path(), "attacker"));
    metadata_path_ = dir_->path() + "/idp-metadata.xml";
    std::ofstream(metadata_path_) << Metadata(*key_);
  }
  static void TearDownTestSuite() {
    delete attacker_;
    delete key_;
    delete dir_;
  }

  static void ConfigureSaml(FlowHarness& h) {
    h.config.idp_metadata_path = metadata_path_;
    h.config.sp_entity_id = idp::kSp;
    h.config.saml_recipient = idp::kAlias;
  }

  static std::string AcsUrl(const FlowHarness& h) {
    return "http://127.0.0.1:" + std::to_string(h.port) + "/saml/acs";
  }

  // GET the start URL as the browser does and decode the AuthnRequest as the IdP does.
  static Redirect FollowStart(FlowHarness& h) {
    Redirect r;
    // Raw: httplib's client percent-decodes header values, which would garble the Location.
    std::string raw = testing::RawHttp(h.port, "GET /?state=" + h.state + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                                                   std::to_string(h.port) + "\r\n\r\n");
    EXPECT_EQ(testing::StatusOf(raw), 302);
    EXPECT_TRUE(Contains(raw, "\r\nCache-Control: no-store\r\n"));
    size_t at = raw.find("\r\nLocation: ");
    EXPECT_NE(at, std::string::npos) << raw;
    if (at == std::string::npos) return r;
    at += 12;
    r.location = raw.substr(at, raw.find("\r\n", at) - at);
    FormFields query = ParseFormBody(r.location.substr(r.location.find('?') + 1));
    for (const auto& [k, v] : query) {
      if (k == "SAMLRequest") {
        auto deflated = Base64Decode(v);
        EXPECT_TRUE(deflated.has_value()) << r.location;
        auto xml = saml::RawInflate(deflated.value_or(""), 1 << 20);
        EXPECT_TRUE(xml.ok());
        if (xml.ok()) r.request_xml = xml.value();
      }
      if (k == "RelayState") r.relay_state = v;
    }
    std::smatch m;
    if (std::regex_search(r.request_xml, m, std::regex("<samlp:AuthnRequest[^>]* ID=\"([^\"]+)\""))) {
      r.request_id = m[1];
    }
    EXPECT_FALSE(r.request_id.empty()) << r.request_xml;
    return r;
  }

  static idp::ResponseSpec SpecFor(const FlowHarness& h, const Redirect& r) {
    idp::ResponseSpec spec;
    spec.destination = AcsUrl(h);
    spec.in_response_to = r.request_id;
    spec.scd_in_response_to = r.request_id;
    return spec;
  }

  static std::string Sign(const idp::ResponseSpec& spec, const idp::TestKey* key = nullptr) {
    return idp::SignedResponse(spec, key ? *key : *key_, dir_->path());
  }

  static httplib::Result PostAcs(FlowHarness& h, const FormFields& form) {
    return h.Client().Post("/saml/acs", FormEncode(form), "application/x-www-form-urlencoded");
  }
  static httplib::Result PostResponse(FlowHarness& h, const std::string& xml,
                                      const std::string& relay_state) {
    return PostAcs(h, {{"SAMLResponse", Base64Encode(xml)}, {"RelayState", relay_state}});
  }

  static void ExpectRefused(int port) {
    int fd = ConnectTo("127.0.0.1", port);
    EXPECT_EQ(fd, -1);
    if (fd >= 0) ::close(fd);
  }

  static ssocli::testing::TempDir* dir_;
  static idp::TestKey* key_;
  static idp::TestKey* attacker_;
  static std::string metadata_path_;
};

ssocli::testing::TempDir* SamlSsoFlow::dir_ = nullptr;
idp::TestKey* SamlSsoFlow::key_ = nullptr;
idp::TestKey* SamlSsoFlow::attacker_ = nullptr;
std::string SamlSsoFlow::metadata_path_;

TEST_F(SamlSsoFlow, RedirectsWithAnAuthnRequestThenExchangesTheValidatedAssertion) {
  FlowHarness h;
  ConfigureSaml(h);
  ASSERT_TRUE(h.Start());
  Redirect r = FollowStart(h);
  EXPECT_EQ(r.location.rfind(std::string(kSsoUrl) + "&SAMLRequest=", 0), 0u) << r.location;
  EXPECT_EQ(r.relay_state, h.state);
  EXPECT_TRUE(Contains(r.request_xml, "AssertionConsumerServiceURL=\"" + AcsUrl(h) + "\"")) << r.request_xml;
  EXPECT_TRUE(Contains(r.request_xml, std::string(">") + idp::kSp + "</saml:Issuer>")) << r.request_xml;
  EXPECT_TRUE(Contains(r.request_xml, "Destination=\"https://idp.test/sso/redirect?tenant=1\""))
      << r.request_xml;
  // The same request on a reload: one flow, one request.
  Redirect again = FollowStart(h);
  EXPECT_EQ(again.request_id, r.request_id);

  auto res = PostResponse(h, Sign(SpecFor(h, r)), h.state);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(Contains(res->body, "Signed in"));
  Status s = h.Finish();
  ASSERT_TRUE(s.ok()) << s.message();
  auto calls = h.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].kind, CredentialKind::kSamlAssertion);
  EXPECT_EQ(calls[0].credential.find('='), std::string::npos);  // base64url, no padding
  auto assertion = Base64UrlDecode(calls[0].credential);
  ASSERT_TRUE(assertion.has_value());
  EXPECT_TRUE(Contains(*assertion, "alice@example.test"));
  EXPECT_TRUE(Contains(*assertion, ":Assertion"));
  EXPECT_FALSE(Contains(*assertion, ":Response"));
  ExpectRefused(h.port);
}

TEST_F(SamlSsoFlow, WrongRelayStateOrBadBodyGetA4xxAndTheFlowWaits) {
  FlowHarness h;
  ConfigureSaml(h);
  ASSERT_TRUE(h.Start());
  Redirect r = FollowStart(h);
  const std::string xml = Sign(SpecFor(h, r));
  const std::string b64 = Base64Encode(xml);
  std::string other = h.state;
  other[1] = other[1] == 'x' ? 'y' : 'x';

  struct Case {
    const char* name;
    FormFields form;
  };
  for (const Case& c : std::vector<Case>{
           {"wrong RelayState", {{"SAMLResponse", b64}, {"RelayState", other}}},
           {"no RelayState (IdP-initiated)", {{"SAMLResponse", b64}}},
           {"two RelayStates", {{"SAMLResponse", b64}, {"RelayState", h.state}, {"RelayState", h.state}}},
           {"no SAMLResponse", {{"RelayState", h.state}}},
           {"empty SAMLResponse", {{"SAMLResponse", ""}, {"RelayState", h.state}}},
           {"not base64", {{"SAMLResponse", "%%%not base64%%%"}, {"RelayState", h.state}}},
       }) {
    auto res = PostAcs(h, c.form);
    ASSERT_TRUE(res) << c.name;
    EXPECT_EQ(res->status, 400) << c.name;
    EXPECT_TRUE(Contains(res->body, "<!DOCTYPE html>")) << c.name;
    EXPECT_FALSE(h.Finished()) << c.name;
  }
  auto json = h.Client().Post("/saml/acs", "{}", "application/json");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 415);
  auto get = h.Client().Get("/saml/acs");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  auto passcode =
      h.Client().Post("/passcode", "state=" + h.state + "&passcode=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(passcode);
  EXPECT_EQ(passcode->status, 404);  // no passcode route in SAML mode
  EXPECT_TRUE(h.calls().empty());

  auto res = PostResponse(h, xml, h.state);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(h.Finish().ok());
  EXPECT_EQ(h.calls().size(), 1u);
}

// Each response is well-formed, arrives with the right state, and must be refused without an exchange.
struct Rejection {
  const char* name;
  std::function<std::string(const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec&)> make;
  const char* reason;  // in the message
};

class SamlSsoFlowRejects : public SamlSsoFlow {
 public:
  void Check(const Rejection& c) {
    FlowHarness h;
    ConfigureSaml(h);
    ASSERT_TRUE(h.Start());
    Redirect r = FollowStart(h);
    idp::ResponseSpec spec = SpecFor(h, r);
    const std::string xml = c.make(this, h, spec);
    auto res = PostResponse(h, xml, h.state);
    ASSERT_TRUE(res) << c.name;
    EXPECT_EQ(res->status, 403) << c.name;
    EXPECT_TRUE(Contains(res->body, "The SAML response was rejected")) << c.name;
    EXPECT_TRUE(Contains(res->body, "Nothing was sent to the login server")) << c.name;
    Status s = h.Finish();
    EXPECT_EQ(s.kind(), ErrorKind::kSamlRejected) << c.name << ": " << s.message();
    EXPECT_TRUE(Contains(s.message(), c.reason)) << c.name << ": " << s.message();
    EXPECT_TRUE(h.calls().empty()) << c.name;
    ExpectRefused(h.port);
  }
  static std::string SignWith(const idp::ResponseSpec& spec, const idp::TestKey* key) {
    return Sign(spec, key);
  }
  static const idp::TestKey* attacker() { return attacker_; }
  static std::string Acs(const FlowHarness& h) { return AcsUrl(h); }
};

TEST_F(SamlSsoFlowRejects, ForgedExpiredReplayedMisaddressed) {
  const std::vector<Rejection> cases = {
      {"signed by another key",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec& s) { return SignWith(s, attacker()); },
       "signature"},
      {"changed after signing",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec& s) {
         return idp::ReplaceOnce(SignWith(s, nullptr), "alice@example.test", "mallory@example.test");
       },
       "modified"},
      {"unsigned assertion",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec& s) {
         s.sign_assertion = false;
         return idp::ResponseTemplate(s);
       },
       "not signed"},
      {"expired",
       [](const SamlSsoFlow*, FlowHarness& h, idp::ResponseSpec& s) {
         h.clock().Set(h.clock().Now() + 3600);
         return SignWith(s, nullptr);
       },
       "expired"},
      {"answers another request",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec& s) {
         s.in_response_to = s.scd_in_response_to = "_another-request";
         return SignWith(s, nullptr);
       },
       "_another-request"},
      {"unsolicited (no InResponseTo)",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec& s) {
         s.in_response_to = s.scd_in_response_to = "";
         return SignWith(s, nullptr);
       },
       "InResponseTo"},
      {"for another ACS",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec& s) {
         s.destination = "http://127.0.0.1:1/saml/acs";
         return SignWith(s, nullptr);
       },
       "Destination"},
      {"for another SP",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec& s) {
         s.audience_restrictions = {{"other-sp"}};
         return SignWith(s, nullptr);
       },
       "Audience"},
      {"Recipient is the ACS URL",
       [](const SamlSsoFlow*, FlowHarness& h, idp::ResponseSpec& s) {
         s.recipient = Acs(h);
         return SignWith(s, nullptr);
       },
       "ACS URL"},
      {"from another IdP",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec& s) {
         s.response_issuer = s.assertion_issuer = "https://evil.test/idp";
         return SignWith(s, nullptr);
       },
       "Issuer"},
      {"sign-in failed at the IdP",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec& s) {
         s.status = "urn:oasis:names:tc:SAML:2.0:status:Requester";
         return SignWith(s, nullptr);
       },
       "Requester"},
      {"not XML",
       [](const SamlSsoFlow*, FlowHarness&, idp::ResponseSpec&) { return std::string("hello, not xml"); },
       ""},
  };
  for (const Rejection& c : cases) {
    SCOPED_TRACE(c.name);
    Check(c);
  }
}

TEST_F(SamlSsoFlow, AResponseReplayedIntoAnotherFlowIsRejected) {
  std::string first_response;
  int port = 0;
  {
    FlowHarness a;
    ConfigureSaml(a);
    ASSERT_TRUE(a.Start());
    Redirect r = FollowStart(a);
    first_response = Sign(SpecFor(a, r));
    auto res = PostResponse(a, first_response, a.state);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(a.Finish().ok());
    port = a.port;
  }
  // An attacker who captured it (or a browser's back button) posts it to the next flow, with that
  // flow's state: it answers the previous AuthnRequest.
  FlowHarness b;
  ConfigureSaml(b);
  b.config.port = port;  // the same ACS URL: the replay must fail on InResponseTo, not on Destination
  ASSERT_TRUE(b.Start());
  FollowStart(b);
  auto res = PostResponse(b, first_response, b.state);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  Status s = b.Finish();
  EXPECT_EQ(s.kind(), ErrorKind::kSamlRejected);
  EXPECT_TRUE(Contains(s.message(), "replayed") || Contains(s.message(), "InResponseTo")) << s.message();
  EXPECT_TRUE(b.calls().empty());
}

TEST_F(SamlSsoFlow, ASecondResponseAfterTheFirstIsRefused) {
  FlowHarness h;
  ConfigureSaml(h);
  h.HoldExchange();
  ASSERT_TRUE(h.Start());
  Redirect r = FollowStart(h);
  const std::string xml = Sign(SpecFor(h, r));
  std::thread first([&] {
    auto res = PostResponse(h, xml, h.state);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  });
  ASSERT_TRUE(h.WaitForExchangeEntered(Ms(10000)));
  auto second = PostResponse(h, xml, h.state);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409);
  h.ReleaseExchange();
  first.join();
  EXPECT_TRUE(h.Finish().ok());
  EXPECT_EQ(h.calls().size(), 1u);
}

TEST_F(SamlSsoFlow, ExchangeFailureAfterAValidResponse) {
  FlowHarness h;
  ConfigureSaml(h);
  h.exchange_result =
      Status::Error(ErrorKind::kConnection, "cannot connect to login.test", "check the network");
  ASSERT_TRUE(h.Start());
  Redirect r = FollowStart(h);
  auto res = PostResponse(h, Sign(SpecFor(h, r)), h.state);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 502);
  EXPECT_TRUE(Contains(res->body, "cannot connect to login.test"));
  EXPECT_TRUE(Contains(res->body, "check the network"));
  EXPECT_EQ(h.Finish().kind(), ErrorKind::kConnection);
  EXPECT_EQ(h.calls().size(), 1u);
}

TEST_F(SamlSsoFlow, UnusableMetadataIsAUsageError) {
  ssocli::testing::TempDir dir;
  const std::string no_redirect = dir.path() + "/no-redirect.xml";
  std::string text = Metadata(*key_);
  text = idp::ReplaceOnce(text, "HTTP-Redirect", "HTTP-POST");
  std::ofstream(no_redirect) << text;
  const std::string garbage = dir.path() + "/garbage.xml";
  std::ofstream(garbage) << "<not metadata/>";
  for (const std::string& path : {no_redirect, garbage}) {
    FlowHarness h;
    ConfigureSaml(h);
    h.config.idp_metadata_path = path;
    EXPECT_FALSE(h.Start());
    Status s = h.Finish();
    EXPECT_EQ(s.kind(), ErrorKind::kUsage) << path;
    EXPECT_TRUE(Contains(s.message(), path)) << s.message();
  }
}

}  // namespace
}  // namespace ssocli::sso
