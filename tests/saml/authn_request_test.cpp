#include "saml/authn_request.h"

#include <gtest/gtest.h>

#include <set>

#include "core/base64.h"
#include "core/url.h"
#include "saml/saml_xml.h"

namespace ssocli::saml {
namespace {

AuthnRequestParams Params() {
  AuthnRequestParams p;
  p.sp_entity_id = "zone.apigee-saml-login";
  p.acs_url = "http://127.0.0.1:41234/saml/acs";
  p.idp_sso_url = "https://idp.test/sso/redirect";
  p.relay_state = "s+t/a=te&x";
  return p;
}

// The query parameter `name` of `url`, percent-decoded.
std::string Query(const std::string& url, const std::string& name) {
  size_t q = url.find('?');
  std::string rest = url.substr(q + 1);
  size_t pos = 0;
  while (pos <= rest.size()) {
    size_t amp = rest.find('&', pos);
    std::string pair = rest.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return PercentDecode(pair.substr(eq + 1), false);
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return "";
}

TEST(SamlAuthnRequest, RedirectBindingRoundTrip) {
  auto req = BuildAuthnRequest(Params(), "_abc123", 1704110400);
  ASSERT_TRUE(req.ok()) << req.status().message();
  EXPECT_EQ(req->id, "_abc123");
  ASSERT_EQ(req->redirect_url.rfind("https://idp.test/sso/redirect?SAMLRequest=", 0), 0u)
      << req->redirect_url;
  EXPECT_EQ(Query(req->redirect_url, "RelayState"), "s+t/a=te&x");

  // What the IdP does: URL-decode, base64-decode, inflate (raw DEFLATE), parse.
  auto deflated = Base64Decode(Query(req->redirect_url, "SAMLRequest"));
  ASSERT_TRUE(deflated.has_value());
  auto xml = RawInflate(*deflated, 65536);
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  EXPECT_EQ(*xml, req->xml);
  auto doc = ParseUntrustedXml(*xml, "AuthnRequest");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  xmlNode* root = xmlDocGetRootElement(doc->get());
  ASSERT_TRUE(IsElement(root, kNsProtocol, "AuthnRequest"));
  EXPECT_EQ(Attribute(root, "ID"), "_abc123");
  EXPECT_EQ(Attribute(root, "Version"), "2.0");
  EXPECT_EQ(Attribute(root, "IssueInstant"), "2024-01-01T12:00:00Z");
  EXPECT_EQ(Attribute(root, "Destination"), "https://idp.test/sso/redirect");
  EXPECT_EQ(Attribute(root, "AssertionConsumerServiceURL"), "http://127.0.0.1:41234/saml/acs");
  EXPECT_EQ(Attribute(root, "ProtocolBinding"), "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
  auto issuer = ChildElements(root, kNsAssertion, "Issuer");
  ASSERT_EQ(issuer.size(), 1u);
  EXPECT_EQ(ElementText(issuer[0]), "zone.apigee-saml-login");
  auto policy = ChildElements(root, kNsProtocol, "NameIDPolicy");
  ASSERT_EQ(policy.size(), 1u);
  EXPECT_EQ(Attribute(policy[0], "Format"), kNameIdFormatUnspecified);
  EXPECT_EQ(Attribute(policy[0], "AllowCreate"), "true");
}

TEST(SamlAuthnRequest, AppendsToAnSsoUrlWithAQueryAndEscapesValues) {
  AuthnRequestParams p = Params();
  p.idp_sso_url = "https://idp.test/sso?tenant=a&b=c";
  p.sp_entity_id = "sp<&\">";
  p.relay_state.clear();
  auto req = BuildAuthnRequest(p, NewRequestId(), 0);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->redirect_url.rfind("https://idp.test/sso?tenant=a&b=c&SAMLRequest=", 0), 0u);
  EXPECT_EQ(req->redirect_url.find("RelayState"), std::string::npos);
  auto doc = ParseUntrustedXml(req->xml, "AuthnRequest");
  ASSERT_TRUE(doc.ok());
  auto issuer = ChildElements(xmlDocGetRootElement(doc->get()), kNsAssertion, "Issuer");
  EXPECT_EQ(ElementText(issuer[0]), "sp<&\">");
}

TEST(SamlAuthnRequest, FreshIdsAreNcNamesAndDistinct) {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    std::string id = NewRequestId();
    EXPECT_TRUE(IsNcName(id)) << id;
    EXPECT_EQ(id.size(), 41u);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

TEST(SamlAuthnRequest, RefusesBadParameters) {
  auto bad = [](auto edit, const std::string& id = "_ok") {
    AuthnRequestParams p = Params();
    edit(p);
    auto r = BuildAuthnRequest(p, id, 0);
    return !r.ok() && r.status().kind() == ErrorKind::kUsage;
  };
  EXPECT_TRUE(bad([](AuthnRequestParams&) {}, "1abc"));
  EXPECT_TRUE(bad([](AuthnRequestParams&) {}, "a:b"));
  EXPECT_TRUE(bad([](AuthnRequestParams& p) { p.sp_entity_id.clear(); }));
  EXPECT_TRUE(bad([](AuthnRequestParams& p) { p.acs_url = "ftp://x/acs"; }));
  EXPECT_TRUE(bad([](AuthnRequestParams& p) { p.idp_sso_url = "https://idp.test/sso#frag"; }));
  EXPECT_TRUE(bad([](AuthnRequestParams& p) { p.sp_entity_id = std::string("a\x01", 2); }));
}

TEST(SamlAuthnRequest, InflateIsBounded) {
  auto bomb = RawDeflate(std::string(10 * 1024 * 1024, 'a'));
  ASSERT_TRUE(bomb.ok());
  EXPECT_LT(bomb->size(), 20000u);
  auto r = RawInflate(*bomb, 1024 * 1024);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("exceeds"), std::string::npos);
  EXPECT_FALSE(RawInflate("not deflate at all", 1024).ok());
  auto truncated = RawDeflate("hello hello hello hello");
  EXPECT_FALSE(RawInflate(truncated->substr(0, truncated->size() / 2), 1024).ok());
}

}  // namespace
}  // namespace ssocli::saml
