#include "saml/idp_metadata.h"

#include <gtest/gtest.h>

#include "core/base64.h"
#include "saml/response_validator.h"
#include "saml_test_util.h"

namespace ssocli::saml {
namespace {

using testing::FixturesDir;
using testing::ReadFile;

std::string CertBody(const std::string& pem_path) {
  auto der = ParsePemCertificates(ReadFile(pem_path));
  return der.ok() ? Base64Encode(der->front()) : "";
}

// Metadata as IdP consoles export it: one entity, a signing and an encryption key, two bindings.
std::string Metadata(const std::vector<std::string>& signing, const std::string& extra_descriptor = "") {
  std::string keys;
  for (const auto& c : signing) {
    keys += "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n" + c +
            "\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
  }
  return "<?xml version=\"1.0\"?>\n<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
         "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"https://idp.test/metadata\">"
         "<md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">" +
         keys +
         "<md:KeyDescriptor use=\"encryption\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>bm90IGEgY2VydA=="
         "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
         "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" "
         "Location=\"https://idp.test/sso/post\"/>"
         "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" "
         "Location=\"https://idp.test/sso/redirect?x=1\"/>"
         "</md:IDPSSODescriptor>" +
         extra_descriptor + "</md:EntityDescriptor>";
}

TEST(SamlIdpMetadata, ReadsEntityIdRedirectUrlAndSigningCertificates) {
  const std::string idp = CertBody(FixturesDir() + "/generated/idp-test.crt");
  const std::string next = CertBody(FixturesDir() + "/generated/attacker.crt");
  auto config = ParseIdpMetadata(Metadata({idp, next}));
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->entity_id, "https://idp.test/metadata");
  EXPECT_EQ(config->sso_redirect_url, "https://idp.test/sso/redirect?x=1");
  ASSERT_EQ(config->signing_certificates.size(), 2u);  // key rollover: both trusted, encryption key ignored
  EXPECT_EQ(Base64Encode(config->signing_certificates[0]), idp);
}

TEST(SamlIdpMetadata, KeyDescriptorWithoutUseSigns) {
  std::string md = Metadata({});
  std::string body = CertBody(FixturesDir() + "/generated/idp-test.crt");
  size_t at = md.find("<md:KeyDescriptor use=\"encryption\">");
  md.insert(at, "<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>" + body +
                    "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>");
  auto config = ParseIdpMetadata(md);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->signing_certificates.size(), 1u);
}

TEST(SamlIdpMetadata, EntitiesDescriptorWithOneIdp) {
  std::string one = Metadata({CertBody(FixturesDir() + "/generated/idp-test.crt")});
  one = one.substr(one.find("<md:EntityDescriptor"));
  std::string wrapped =
      "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">" + one +
      "<md:EntityDescriptor entityID=\"sp\"><md:SPSSODescriptor protocolSupportEnumeration="
      "\"urn:oasis:names:tc:SAML:2.0:protocol\"/></md:EntityDescriptor></md:EntitiesDescriptor>";
  auto config = ParseIdpMetadata(wrapped);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->entity_id, "https://idp.test/metadata");

  std::string two = "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">" + one + one +
                    "</md:EntitiesDescriptor>";
  auto ambiguous = ParseIdpMetadata(two);
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_NE(ambiguous.status().message().find("2 IdPs"), std::string::npos);
}

TEST(SamlIdpMetadata, RefusesWhatCannotBeTrusted) {
  struct Case {
    std::string xml;
    const char* reason;
  } cases[] = {
      {Metadata({}), "no signing certificate"},
      {Metadata({"bm90IGEgY2VydA=="}), "does not parse"},
      {Metadata({"***"}), "does not parse"},
      {"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x/>", "DOCTYPE"},
      {"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>", "not SAML 2.0 metadata"},
      {"-----BEGIN CERTIFICATE-----", "not XML"},
      {"", "empty"},
  };
  for (const Case& c : cases) {
    auto config = ParseIdpMetadata(c.xml);
    ASSERT_FALSE(config.ok()) << c.xml;
    EXPECT_EQ(config.status().kind(), ErrorKind::kSamlRejected);
    EXPECT_NE(config.status().message().find(c.reason), std::string::npos) << config.status().message();
  }
  std::string no_id = Metadata({CertBody(FixturesDir() + "/generated/idp-test.crt")});
  no_id.replace(no_id.find(" entityID=\"https://idp.test/metadata\""), 37, "");
  EXPECT_FALSE(ParseIdpMetadata(no_id).ok());
}

TEST(SamlIdpMetadata, PemCertificates) {
  std::string one = ReadFile(FixturesDir() + "/generated/idp-test.crt");
  std::string two = ReadFile(FixturesDir() + "/generated/attacker.crt");
  auto certs = ParsePemCertificates(one + "\n" + two + one);  // duplicates collapse
  ASSERT_TRUE(certs.ok()) << certs.status().message();
  EXPECT_EQ(certs->size(), 2u);
  auto config = IdpConfigFromPem(one);
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->entity_id.empty());
  EXPECT_FALSE(ParsePemCertificates("").ok());
  EXPECT_FALSE(ParsePemCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").ok());
  EXPECT_FALSE(ParsePemCertificates(Metadata({})).ok());
}

TEST(SamlIdpMetadata, TrustedCertificatesVerifyTheFixtures) {
  // The metadata path gives the same verdict as the bare certificate for the baseline vector.
  auto config = ParseIdpMetadata(Metadata({CertBody(FixturesDir() + "/generated/attacker.crt"),
                                           CertBody(FixturesDir() + "/generated/idp-test.crt")}));
  ASSERT_TRUE(config.ok());
  FixedClock clock(*ParseRfc3339("2024-01-01T12:01:00Z") / 1000);
  ResponseExpectations want;
  want.idp_certificates = config->signing_certificates;
  want.idp_entity_id = "https://idp.example.invalid/saml/metadata";
  want.audience = "https://uaa.example.invalid/oauth/token";
  want.recipient = "http://127.0.0.1:8765/saml/acs";
  want.clock = &clock;
  auto r = ValidateResponse(ReadFile(FixturesDir() + "/generated/G01_valid_signed_assertion.xml"), want);
  EXPECT_TRUE(r.ok()) << r.status().message();
}

}  // namespace
}  // namespace ssocli::saml
