// Rule 7: the Assertion forwarded to the login server is the signed one, alone, with every namespace
// it had in scope, and it verifies standalone with an independent verifier (the xmlsec1 CLI) and the
// IdP certificate, while a wrong certificate does not verify it.
#include <gtest/gtest.h>

#include "core/base64.h"
#include "saml/post_binding.h"
#include "saml/response_validator.h"
#include "saml/saml_xml.h"
#include "saml_test_util.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "test_idp.h"

namespace ssocli::saml::testing {
namespace {

// Runs `xmlsec1 --verify` on `xml` trusting only `cert_path`; true when it says the signature is OK.
bool Xmlsec1Verifies(const std::string& xml, const std::string& cert_path, const std::string& dir) {
  const std::string file = dir + "/assertion.xml";
  WriteFile(file, xml);
  ssocli::testing::ProcessSpec p;
  p.argv = {"xmlsec1", "--verify",     "--pubkey-cert-pem",
            cert_path, "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            file};
  p.env = ssocli::testing::BaseEnv();
  auto r = ssocli::testing::RunProcess(p);
  return r.exit_code == 0 && r.err.find("OK") != std::string::npos;
}

TEST(SamlAssertionExport, EveryAcceptedFixtureVerifiesStandaloneWithXmlsec1) {
  ssocli::testing::TempDir dir;
  const std::string wrong_cert = FixturesDir() + "/generated/attacker.crt";
  size_t checked = 0;
  for (const Vector& v : LoadVectors()) {
    if (v.j.at("expected") != "accept") continue;
    SCOPED_TRACE(v.id);
    FixedClock clock(NowOf(v));
    auto xml = DecodeResponseInput(ReadFile(v.Path("file")));
    ASSERT_TRUE(xml.ok()) << xml.status().message();
    auto r = ValidateResponse(*xml, ExpectationsFor(v, &clock));
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(Base64UrlDecode(r->bearer_assertion).value_or(""), r->assertion_xml);
    EXPECT_EQ(r->bearer_assertion.find('='), std::string::npos);
    EXPECT_TRUE(Xmlsec1Verifies(r->assertion_xml, v.Path("idp_cert"), dir.path())) << r->assertion_xml;
    EXPECT_FALSE(Xmlsec1Verifies(r->assertion_xml, wrong_cert, dir.path()));
    ++checked;
  }
  EXPECT_GE(checked, 10u);
}

TEST(SamlAssertionExport, CarriesNamespacesDeclaredOnlyOnTheResponse) {
  ssocli::testing::TempDir dir;
  TestKey idp = MakeTestKey(dir.path(), "idp");
  // xs and xsi are declared on the Response only; xs is used only inside xsi:type="xs:string".
  ResponseSpec spec;
  spec.sign_response = true;
  std::string signed_xml = SignedResponse(spec, idp, dir.path());
  FixedClock clock(DefaultNowSeconds());
  auto r = ValidateResponse(signed_xml, DefaultExpectations(idp, &clock));
  ASSERT_TRUE(r.ok()) << r.status().message();

  auto doc = ParseUntrustedXml(r->assertion_xml, "exported assertion");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  xmlNode* root = xmlDocGetRootElement(doc->get());
  ASSERT_TRUE(IsElement(root, kNsAssertion, "Assertion"));
  xmlNs* xs = xmlSearchNs(doc->get(), root, BAD_CAST "xs");
  ASSERT_NE(xs, nullptr) << r->assertion_xml;
  EXPECT_STREQ(reinterpret_cast<const char*>(xs->href), "http://www.w3.org/2001/XMLSchema");
  EXPECT_NE(xmlSearchNs(doc->get(), root, BAD_CAST "xsi"), nullptr);
  // Nothing of the Response came along.
  EXPECT_EQ(r->assertion_xml.find("_resp-1"), std::string::npos);
  EXPECT_EQ(r->assertion_xml.find("Status"), std::string::npos);

  EXPECT_TRUE(Xmlsec1Verifies(r->assertion_xml, idp.cert_path, dir.path())) << r->assertion_xml;
  TestKey other = MakeTestKey(dir.path(), "other");
  EXPECT_FALSE(Xmlsec1Verifies(r->assertion_xml, other.cert_path, dir.path()));
}

}  // namespace
}  // namespace ssocli::saml::testing
