// The IdP side of the library, without outside tools: AuthnRequests as an IdP receives them with the
// HTTP-Redirect binding (BuildAuthnRequest -> ParseRedirectAuthnRequest) and IdP metadata as an IdP
// publishes it (BuildIdpMetadata -> ParseIdpMetadata).
#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/url.h"
#include "saml/authn_request.h"
#include "saml/idp_metadata.h"
#include "saml/signature_signer.h"

namespace ssocli::saml {
namespace {

// The SAMLRequest query parameter of a redirect URL, URL-decoded as an IdP's web framework hands it over.
std::string SamlRequestOf(const std::string& url) {
  size_t at = url.find("SAMLRequest=");
  size_t end = url.find('&', at);
  return PercentDecode(url.substr(at + 12, end == std::string::npos ? std::string::npos : end - at - 12),
                       true);
}

std::string Deflated(const std::string& xml) {
  auto d = RawDeflate(xml);
  return d.ok() ? Base64Encode(*d) : std::string();
}

AuthnRequestParams Params() {
  AuthnRequestParams p;
  p.sp_entity_id = "acme.apigee-saml-login";
  p.acs_url = "http://127.0.0.1:41234/saml/acs";
  p.idp_sso_url = "https://idp.test/idp/sso";
  p.relay_state = "state-1";
  p.force_authn = true;
  return p;
}

TEST(SamlIdpSide, AuthnRequestRoundTrip) {
  auto built = BuildAuthnRequest(Params(), "_req-7", 1704110400);
  ASSERT_TRUE(built.ok()) << built.status().message();
  auto got = ParseRedirectAuthnRequest(SamlRequestOf(built->redirect_url));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->id, "_req-7");
  EXPECT_EQ(got->issuer, "acme.apigee-saml-login");
  EXPECT_EQ(got->acs_url, "http://127.0.0.1:41234/saml/acs");
  EXPECT_EQ(got->destination, "https://idp.test/idp/sso");
  EXPECT_EQ(got->issue_instant_ms, int64_t{1704110400} * 1000);
  EXPECT_TRUE(got->force_authn);
  EXPECT_EQ(got->xml, built->xml);
}

TEST(SamlIdpSide, AuthnRequestToleratesAPlusDecodedAsSpaceAndLineBreaks) {
  // Find a request whose base64 holds a '+', as a lax encoder would leave it in a query string.
  for (int i = 0; i < 200; ++i) {
    auto built = BuildAuthnRequest(Params(), "_req-" + std::to_string(i), 1704110400);
    ASSERT_TRUE(built.ok());
    std::string value = SamlRequestOf(built->redirect_url);
    if (value.find('+') == std::string::npos) continue;
    std::string lax = value;
    for (char& c : lax) c = c == '+' ? ' ' : c;
    lax.insert(10, "\r\n");
    auto got = ParseRedirectAuthnRequest(lax);
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(got->id, "_req-" + std::to_string(i));
    return;
  }
  GTEST_SKIP() << "no request with a '+' in its base64";
}

TEST(SamlIdpSide, AuthnRequestGarbageIsRejectedWithTheReason) {
  const std::string good_xml =
      "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
      "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r\" Version=\"2.0\" "
      "IssueInstant=\"2024-01-01T12:00:00Z\" AssertionConsumerServiceURL=\"https://sp.test/acs\">"
      "<saml:Issuer>sp.test</saml:Issuer></samlp:AuthnRequest>";
  ASSERT_TRUE(ParseRedirectAuthnRequest(Deflated(good_xml)).ok());

  auto replace = [&](const std::string& from, const std::string& to) {
    std::string x = good_xml;
    x.replace(x.find(from), from.size(), to);
    return Deflated(x);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {"!!!not base64!!!", "not base64"},
      {Base64Encode("not deflated at all"), "DEFLATE"},
      {Base64Encode(good_xml), "DEFLATE"},
      {Deflated(std::string(kMaxAuthnRequestBytes + 1, ' ')), "exceeds"},
      {Deflated("<!DOCTYPE x [<!ENTITY a \"b\">]>" + good_xml), "DOCTYPE"},
      {Deflated("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>"),
       "not a samlp:AuthnRequest"},
      {replace("ID=\"_r\"", "ID=\"1r\""), "xs:ID"},
      {replace("Version=\"2.0\"", "Version=\"1.1\""), "Version"},
      {replace("2024-01-01T12:00:00Z", "2024-01-01T12:00:00+02:00"), "IssueInstant"},
      {replace("<saml:Issuer>sp.test</saml:Issuer>", ""), "Issuer"},
      {replace("<saml:Issuer>sp.test</saml:Issuer>", "<saml:Issuer></saml:Issuer>"), "Issuer"},
      {replace(" AssertionConsumerServiceURL=\"https://sp.test/acs\"", ""), "AssertionConsumerServiceURL"},
      {replace("https://sp.test/acs", "javascript:alert(1)"), "AssertionConsumerServiceURL"},
      {replace(" Version", " ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact\" Version"),
       "ProtocolBinding"},
  };
  for (const auto& [value, reason] : cases) {
    auto got = ParseRedirectAuthnRequest(value);
    ASSERT_FALSE(got.ok()) << "accepted; expected: " << reason;
    EXPECT_EQ(got.status().kind(), ErrorKind::kSamlRejected);
    EXPECT_NE(got.status().message().find(reason), std::string::npos)
        << got.status().message() << "\n  expected: " << reason;
  }
}

TEST(SamlIdpSide, MetadataRoundTrip) {
  auto key = SigningKey::Generate("idp.test", 1704110400);
  ASSERT_TRUE(key.ok()) << key.status().message();
  auto other = SigningKey::Generate("next.idp.test", 1704110400);
  ASSERT_TRUE(other.ok());
  IdpConfig idp;
  idp.entity_id = "https://idp.test/idp?a=1&b=<2>";
  idp.sso_redirect_url = "https://idp.test/idp/sso?tenant=x&y=1";
  idp.signing_certificates = {key->cert_der(), other->cert_der()};
  auto xml = BuildIdpMetadata(idp);
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  auto parsed = ParseIdpMetadata(*xml);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message() << "\n" << *xml;
  EXPECT_EQ(parsed->entity_id, idp.entity_id);
  EXPECT_EQ(parsed->sso_redirect_url, idp.sso_redirect_url);
  EXPECT_EQ(parsed->signing_certificates, idp.signing_certificates);

  IdpConfig bad = idp;
  bad.signing_certificates.clear();
  EXPECT_EQ(BuildIdpMetadata(bad).status().kind(), ErrorKind::kUsage);
  bad = idp;
  bad.sso_redirect_url = "ftp://idp.test/";
  EXPECT_EQ(BuildIdpMetadata(bad).status().kind(), ErrorKind::kUsage);
  bad = idp;
  bad.entity_id = "a\nb";
  EXPECT_EQ(BuildIdpMetadata(bad).status().kind(), ErrorKind::kUsage);
}

TEST(SamlIdpSide, SigningKeyFromPemChecksThePair) {
  auto a = SigningKey::Generate("a", 1704110400);
  auto b = SigningKey::Generate("b", 1704110400);
  ASSERT_TRUE(a.ok() && b.ok());
  auto same = SigningKey::FromPem(a->key_pem(), a->cert_pem());
  ASSERT_TRUE(same.ok()) << same.status().message();
  EXPECT_EQ(same->cert_der(), a->cert_der());
  EXPECT_FALSE(same->is_ec());
  auto mixed = SigningKey::FromPem(a->key_pem(), b->cert_pem());
  EXPECT_EQ(mixed.status().kind(), ErrorKind::kUsage);
  EXPECT_NE(mixed.status().message().find("does not belong"), std::string::npos);
  EXPECT_EQ(SigningKey::FromPem("garbage", a->cert_pem()).status().kind(), ErrorKind::kUsage);
  EXPECT_EQ(SigningKey::FromPem(a->key_pem(), "garbage").status().kind(), ErrorKind::kUsage);
}

}  // namespace
}  // namespace ssocli::saml
