// Interop with the xmlsec1 CLI as the signer, and every rule of the STRICT policy (saml.md): a good
// response made and signed by tools independent of ssocli is accepted; the same response changed in
// each way the policy names (after signing, or signed that way by the IdP's own key) is rejected with
// a reason that says what is wrong.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "saml/response_validator.h"
#include "saml/saml_time.h"
#include "saml_test_util.h"
#include "support/temp_dir.h"
#include "test_idp.h"

namespace ssocli::saml::testing {
namespace {

class SamlPolicyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ssocli::testing::TempDir();
    idp_ = new TestKey(MakeTestKey(dir_->path(), "idp"));
    attacker_ = new TestKey(MakeTestKey(dir_->path(), "attacker"));
    ec_ = new TestKey(MakeTestKey(dir_->path(), "idp-ec", /*ec=*/true));
  }
  static void TearDownTestSuite() {
    delete ec_;
    delete attacker_;
    delete idp_;
    delete dir_;
  }

  std::string Sign(const ResponseSpec& spec, const TestKey& key) {
    return SignedResponse(spec, key, dir_->path());
  }
  std::string Sign(const ResponseSpec& spec) { return Sign(spec, *idp_); }

  Result<ValidatedAssertion> Validate(const std::string& xml,
                                      const std::function<void(ResponseExpectations&)>& adjust = nullptr) {
    ResponseExpectations want = DefaultExpectations(*idp_, &clock_);
    if (adjust) adjust(want);
    return ValidateResponse(xml, want);
  }

  // Asserts a rejection (kSamlRejected) whose message contains `reason`.
  void ExpectRejected(const Result<ValidatedAssertion>& r, const std::string& reason) {
    ASSERT_FALSE(r.ok()) << "accepted, expected: " << reason;
    EXPECT_EQ(r.status().kind(), ErrorKind::kSamlRejected) << r.status().message();
    EXPECT_NE(r.status().message().find(reason), std::string::npos)
        << "message: " << r.status().message() << "\n  expected to contain: " << reason;
  }

  static ssocli::testing::TempDir* dir_;
  static TestKey* idp_;
  static TestKey* attacker_;
  static TestKey* ec_;
  FixedClock clock_{DefaultNowSeconds()};
};

ssocli::testing::TempDir* SamlPolicyTest::dir_ = nullptr;
TestKey* SamlPolicyTest::idp_ = nullptr;
TestKey* SamlPolicyTest::attacker_ = nullptr;
TestKey* SamlPolicyTest::ec_ = nullptr;

// ---- accepted ----

TEST_F(SamlPolicyTest, AcceptsAResponseSignedByXmlsec1) {
  auto r = Validate(Sign(ResponseSpec()));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name_id, "alice@example.test");
  EXPECT_EQ(r->issuer, kIdp);
  EXPECT_EQ(r->assertion_id, "_assert-1");
  EXPECT_EQ(r->response_id, "_resp-1");
  // The earliest of the bearer confirmation (12:05) and the Conditions (12:06).
  EXPECT_EQ(FormatRfc3339Utc(r->not_on_or_after_ms), "2024-01-01T12:05:00Z");
  ASSERT_EQ(r->attributes.count("groups"), 1u);
  EXPECT_EQ(r->attributes.at("groups"), (std::vector<std::string>{"users", "admins"}));
  EXPECT_EQ(r->assertion_xml.rfind("<saml:Assertion", 0), 0u);
}

TEST_F(SamlPolicyTest, AcceptsBothSigned) {
  ResponseSpec spec;
  spec.sign_response = true;
  auto r = Validate(Sign(spec));
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST_F(SamlPolicyTest, AcceptsRsaSha512) {
  ResponseSpec spec;
  spec.signature_method = kRsaSha512;
  spec.digest_method = kSha512;
  auto r = Validate(Sign(spec));
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST_F(SamlPolicyTest, AcceptsEcdsaSha256WithAnEcCertificate) {
  ResponseSpec spec;
  spec.signature_method = kEcdsaSha256;
  spec.sign_response = true;
  auto r = Validate(Sign(spec, *ec_), [&](ResponseExpectations& w) { w.idp_certificates = ec_->certs_der; });
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST_F(SamlPolicyTest, Sha1OnlyWhenExplicitlyAllowed) {
  ResponseSpec spec;
  spec.signature_method = kRsaSha1;
  spec.digest_method = kSha1;
  std::string xml = Sign(spec);
  ExpectRejected(Validate(xml), "SHA-1");
  auto r = Validate(xml, [](ResponseExpectations& w) { w.allow_sha1 = true; });
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST_F(SamlPolicyTest, KeyRolloverAnyConfiguredCertificateVerifies) {
  std::string xml = Sign(ResponseSpec());
  auto r = Validate(xml, [&](ResponseExpectations& w) {
    w.idp_certificates = {attacker_->certs_der[0], idp_->certs_der[0]};
  });
  EXPECT_TRUE(r.ok()) << r.status().message();
  ExpectRejected(Validate(xml, [&](ResponseExpectations& w) { w.idp_certificates = attacker_->certs_der; }),
                 "does not verify with the IdP certificate");
}

TEST_F(SamlPolicyTest, CommentInsideSignedNameIdNeverTruncatesIt) {
  ResponseSpec spec;
  spec.name_id = "admin@example.test.evil.test";
  std::string signed_xml = Sign(spec);
  for (const char* injected :
       {"admin@example.test<!---->.evil.test", "admin@example.test<![CDATA[.evil]]>.test"}) {
    auto r = Validate(ReplaceOnce(signed_xml, "admin@example.test.evil.test", injected));
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->name_id, "admin@example.test.evil.test") << injected;
  }
}

TEST_F(SamlPolicyTest, AnyAudienceWithinOneRestriction) {
  ResponseSpec spec;
  spec.audience_restrictions = {{"other.sp", kSp}};
  EXPECT_TRUE(Validate(Sign(spec)).ok());
}

TEST_F(SamlPolicyTest, ClockSkewIsInjectedAndBounded) {
  ResponseSpec spec;
  spec.not_before = "2024-01-01T12:01:30Z";  // 30 s ahead of kNow
  std::string xml = Sign(spec);
  EXPECT_TRUE(Validate(xml).ok());
  ExpectRejected(Validate(xml, [](ResponseExpectations& w) { w.skew_seconds = 0; }), "not valid yet");
  EXPECT_TRUE(Validate(xml, [](ResponseExpectations& w) { w.skew_seconds = 30; }).ok());
}

TEST_F(SamlPolicyTest, NotOnOrAfterIsExclusive) {
  ResponseSpec spec;
  spec.not_on_or_after = "2024-01-01T12:03:00Z";
  spec.scd_not_on_or_after = "2024-01-01T12:03:00Z";
  std::string xml = Sign(spec);
  FixedClock just_before(*ParseRfc3339("2024-01-01T12:02:59Z") / 1000);
  FixedClock at(*ParseRfc3339("2024-01-01T12:03:00Z") / 1000);
  EXPECT_TRUE(Validate(xml, [&](ResponseExpectations& w) {
                w.clock = &just_before;
                w.skew_seconds = 0;
              }).ok());
  ExpectRejected(Validate(xml,
                          [&](ResponseExpectations& w) {
                            w.clock = &at;
                            w.skew_seconds = 0;
                          }),
                 "expired");
}

TEST_F(SamlPolicyTest, ExpectationsNotGivenAreNotChecked) {
  ResponseSpec spec;
  spec.in_response_to = "";
  spec.scd_in_response_to = "";
  spec.destination = "";
  spec.response_issuer = "";
  std::string xml = Sign(spec);
  ExpectRejected(Validate(xml), "no InResponseTo");
  auto r = Validate(xml, [](ResponseExpectations& w) {
    w.in_response_to.reset();
    w.destinations.clear();
    w.idp_entity_id.reset();
  });
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST_F(SamlPolicyTest, DestinationAnyOfTheAcceptedValues) {
  auto r = Validate(Sign(ResponseSpec()), [](ResponseExpectations& w) { w.destinations = {kAlias, kAcs}; });
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST_F(SamlPolicyTest, IncompleteExpectationsAreAUsageError) {
  std::string xml = Sign(ResponseSpec());
  auto r = Validate(xml, [](ResponseExpectations& w) { w.audience.clear(); });
  EXPECT_EQ(r.status().kind(), ErrorKind::kUsage);
  r = Validate(xml, [](ResponseExpectations& w) { w.skew_seconds = 7200; });
  EXPECT_EQ(r.status().kind(), ErrorKind::kUsage);
  r = Validate(xml, [](ResponseExpectations& w) { w.clock = nullptr; });
  EXPECT_EQ(r.status().kind(), ErrorKind::kUsage);
}

// ---- rejected: each way the policy names ----

struct Violation {
  const char* name;
  std::function<void(ResponseSpec&)> spec;       // how the IdP (its own key) signed it
  std::function<std::string(std::string)> edit;  // what happened to it after signing
  const char* reason;                            // must appear in the message
};

std::string Identity(std::string s) {
  return s;
}
void Keep(ResponseSpec&) {}

const std::vector<Violation>& Violations() {
  static const std::vector<Violation> v = {
      // rule 2: the parser
      {"Doctype", Keep,
       [](std::string x) { return ReplaceOnce(x, "?>\n", "?>\n<!DOCTYPE samlp:Response []>\n"); }, "DOCTYPE"},
      {"EntityReference", Keep, [](std::string x) { return ReplaceOnce(x, "alice@example.test", "&alice;"); },
       "entit"},
      {"NotWellFormed", Keep, [](std::string x) { return x.substr(0, x.size() / 2); }, "not well-formed"},
      {"TooLarge", Keep, [](std::string x) { return x + "<!--" + std::string(1024 * 1024, 'x') + "-->"; },
       "larger than"},
      // rule 3: structure
      {"SecondUnsignedAssertion", Keep,
       [](std::string x) {
         return ReplaceOnce(
             x, "</samlp:Response>",
             "<saml:Assertion ID=\"_evil\" Version=\"2.0\" IssueInstant=\"2024-01-01T12:00:00Z\">"
             "<saml:Issuer>https://idp.test/saml/metadata</saml:Issuer></saml:Assertion>"
             "</samlp:Response>");
       },
       "2 Assertions"},
      {"WrappedInExtensionsSameId", Keep,
       [](std::string x) {
         return ReplaceOnce(
             x, "<samlp:Status>",
             "<samlp:Extensions><saml:Assertion ID=\"_assert-1\"/></samlp:Extensions><samlp:Status>");
       },
       "nested inside <samlp:Extensions>"},
      {"SignedAssertionHiddenInEvilOne", Keep,
       [](std::string x) {
         size_t start = x.find("<saml:Assertion");
         size_t end = x.find("</saml:Assertion>") + std::string("</saml:Assertion>").size();
         std::string signed_one = x.substr(start, end - start);
         return x.replace(
             start, end - start,
             "<saml:Assertion ID=\"_evil\" Version=\"2.0\" IssueInstant=\"2024-01-01T12:00:00Z\">"
             "<saml:Issuer>https://idp.test/saml/metadata</saml:Issuer><saml:Advice>" +
                 signed_one + "</saml:Advice></saml:Assertion>");
       },
       "nested inside"},
      {"EncryptedAssertion", Keep,
       [](std::string x) {
         return ReplaceOnce(x, "</samlp:Response>", "<saml:EncryptedAssertion/></samlp:Response>");
       },
       "EncryptedAssertion"},
      {"SignatureNotAfterIssuer", Keep,
       [](std::string x) {
         size_t start = x.find("<ds:Signature");
         size_t end = x.find("</ds:Signature>") + std::string("</ds:Signature>").size();
         std::string sig = x.substr(start, end - start);
         x.erase(start, end - start);
         return ReplaceOnce(x, "</saml:Subject>", "</saml:Subject>" + sig);
       },
       "not right after its Issuer"},
      {"SignatureInsideStatus", Keep,
       [](std::string x) {
         size_t start = x.find("<ds:Signature");
         size_t end = x.find("</ds:Signature>") + std::string("</ds:Signature>").size();
         std::string sig = x.substr(start, end - start);
         return ReplaceOnce(x, "</samlp:Status>", sig + "</samlp:Status>");
       },
       "ds:Signature inside <samlp:Status>"},
      {"TwoSignaturesOnTheAssertion", Keep,
       [](std::string x) {
         size_t start = x.find("<ds:Signature");
         size_t end = x.find("</ds:Signature>") + std::string("</ds:Signature>").size();
         std::string sig = x.substr(start, end - start);
         return x.insert(end, ReplaceOnce(sig, "<ds:Signature ", "<ds:Signature Id=\"second\" "));
       },
       "more than one signature"},
      {"RootIsNotAResponse", Keep,
       [](std::string x) {
         return ReplaceOnce(ReplaceOnce(x, "?>\n", "?>\n<wrap>"), "</samlp:Response>",
                            "</samlp:Response></wrap>");
       },
       "not a SAML 2.0 samlp:Response"},
      {"ResponseSharesTheAssertionId", Keep,
       [](std::string x) { return ReplaceOnce(x, "ID=\"_resp-1\"", "ID=\"_assert-1\""); }, "more than once"},
      // rule 4: signatures
      {"NameIdChangedAfterSigning", Keep,
       [](std::string x) { return ReplaceOnce(x, "alice@example.test", "admin@example.test"); },
       "modified after it was signed"},
      {"AudienceChangedAfterSigning", Keep,
       [](std::string x) { return ReplaceOnce(x, "<saml:Audience>sp.test<", "<saml:Audience>other.sp<"); },
       "modified after it was signed"},
      {"SignatureValueBitFlip", Keep,
       [](std::string x) {
         size_t at = x.find("<ds:SignatureValue>") + std::string("<ds:SignatureValue>").size() + 10;
         x[at] = x[at] == 'A' ? 'B' : 'A';
         return x;
       },
       "does not verify with the IdP certificate"},
      {"SignatureRemoved", Keep,
       [](std::string x) {
         size_t start = x.find("<ds:Signature");
         size_t end = x.find("</ds:Signature>") + std::string("</ds:Signature>").size();
         return x.erase(start, end - start);
       },
       "not signed"},
      {"UnsignedAssertion", [](ResponseSpec& s) { s.sign_assertion = false; }, Identity, "not signed"},
      {"OnlyTheResponseSigned",
       [](ResponseSpec& s) {
         s.sign_assertion = false;
         s.sign_response = true;
       },
       Identity, "Assertion is not signed"},
      {"EmptyReferenceUri", [](ResponseSpec& s) { s.assertion_reference_uri = ""; }, Identity,
       "references \"\""},
      {"ReferenceToTheResponse", [](ResponseSpec& s) { s.assertion_reference_uri = "#_resp-1"; }, Identity,
       "not the Assertion itself"},
      {"HmacSignatureMethod", Keep,
       [](std::string x) {
         return ReplaceOnce(x, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256");
       },
       "HMAC"},
      {"XPathTransform", Keep,
       [](std::string x) {
         return ReplaceOnce(
             x, "<ds:Transforms>",
             "<ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\">"
             "<ds:XPath>not(ancestor-or-self::saml:NameID)</ds:XPath></ds:Transform>");
       },
       "transform"},
      {"InclusiveCanonicalization", Keep,
       [](std::string x) {
         return ReplaceOnce(
             x, "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
             "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>");
       },
       "canonicalization"},
      {"ObjectInSignature", Keep,
       [](std::string x) { return ReplaceOnce(x, "</ds:KeyInfo>", "</ds:KeyInfo><ds:Object/>"); },
       "ds:Object"},
      // rule 5: what the signed assertion says
      {"WrongAudience", [](ResponseSpec& s) { s.audience_restrictions = {{"other.sp"}}; }, Identity,
       "Audience is \"other.sp\", expected \"sp.test\""},
      {"OneRestrictionNotOurs",
       [](ResponseSpec& s) {
         s.audience_restrictions = {{kSp}, {"other.sp"}};
       },
       Identity, "Audience is \"other.sp\""},
      {"NoAudienceRestriction", [](ResponseSpec& s) { s.audience_restrictions = {}; }, Identity,
       "no AudienceRestriction"},
      {"NoConditions", [](ResponseSpec& s) { s.conditions = false; }, Identity, "no Conditions"},
      {"ConditionsExpired", [](ResponseSpec& s) { s.not_on_or_after = "2024-01-01T11:56:00Z"; }, Identity,
       "assertion expired 5 minutes ago"},
      {"ConditionsNotYetValid", [](ResponseSpec& s) { s.not_before = "2024-01-01T12:10:00Z"; }, Identity,
       "not valid yet"},
      {"BearerExpired", [](ResponseSpec& s) { s.scd_not_on_or_after = "2024-01-01T11:50:00Z"; }, Identity,
       "expired 11 minutes ago"},
      {"BearerWithNotBefore", [](ResponseSpec& s) { s.scd_not_before = "2024-01-01T11:59:00Z"; }, Identity,
       "NotBefore"},
      {"BearerWithoutNotOnOrAfter", [](ResponseSpec& s) { s.scd_not_on_or_after = ""; }, Identity,
       "no NotOnOrAfter"},
      {"RecipientIsTheAcsUrl", [](ResponseSpec& s) { s.recipient = kAcs; }, Identity,
       "Recipient is the ACS URL \"http://127.0.0.1:8765/saml/acs\", but the login server's saml2-bearer "
       "grant "
       "needs \"https://login.test/oauth/token/alias/sp.test\""},
      {"WrongRecipient", [](ResponseSpec& s) { s.recipient = "https://elsewhere.test/"; }, Identity,
       "Recipient is \"https://elsewhere.test/\", expected"},
      {"RecipientTrailingSlash", [](ResponseSpec& s) { s.recipient = std::string(kAlias) + "/"; }, Identity,
       "Recipient is"},
      {"WrongDestination", [](ResponseSpec& s) { s.destination = "https://other.test/acs"; }, Identity,
       "Destination is \"https://other.test/acs\""},
      {"SignedResponseWithoutDestination",
       [](ResponseSpec& s) {
         s.destination = "";
         s.sign_response = true;
       },
       Identity, "no Destination"},
      {"WrongInResponseTo", [](ResponseSpec& s) { s.in_response_to = "_req-other"; }, Identity,
       "answers the request \"_req-other\""},
      {"Unsolicited", [](ResponseSpec& s) { s.in_response_to = ""; }, Identity, "no InResponseTo"},
      {"BearerAnswersAnotherRequest", [](ResponseSpec& s) { s.scd_in_response_to = "_req-other"; }, Identity,
       "SubjectConfirmationData answers the request"},
      {"AssertionFromAnotherIdp", [](ResponseSpec& s) { s.assertion_issuer = "https://evil.test/"; },
       Identity, "Assertion Issuer is \"https://evil.test/\""},
      {"ResponseFromAnotherIdp", [](ResponseSpec& s) { s.response_issuer = "https://evil.test/"; }, Identity,
       "Response Issuer is \"https://evil.test/\""},
      {"StatusNotSuccess", [](ResponseSpec& s) { s.status = "urn:oasis:names:tc:SAML:2.0:status:Requester"; },
       Identity, "status \"Requester\""},
      {"ResponseVersion", [](ResponseSpec& s) { s.version = "1.1"; }, Identity, "Version \"1.1\""},
      {"AssertionVersion", [](ResponseSpec& s) { s.assertion_version = "2.1"; }, Identity, "Version \"2.1\""},
      {"NoAuthnStatement", [](ResponseSpec& s) { s.authn_statement = false; }, Identity, "no AuthnStatement"},
      {"EmptyNameId", [](ResponseSpec& s) { s.name_id = ""; }, Identity, "NameID is empty"},
      {"HolderOfKeyOnly", [](ResponseSpec& s) { s.method = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"; },
       Identity, "no bearer SubjectConfirmation"},
      {"IssuedInTheFuture", [](ResponseSpec& s) { s.issue_instant = "2024-01-01T12:10:00Z"; }, Identity,
       "in the future"},
      {"TimeWithOffset", [](ResponseSpec& s) { s.scd_not_on_or_after = "2024-01-01T13:05:00+01:00"; },
       Identity, "not an xs:dateTime in UTC"},
      {"TimeWithoutZone", [](ResponseSpec& s) { s.not_on_or_after = "2024-01-01T12:06:00"; }, Identity,
       "not an xs:dateTime in UTC"},
      {"ImpossibleDate", [](ResponseSpec& s) { s.not_before = "2024-02-30T11:59:00Z"; }, Identity,
       "not an xs:dateTime in UTC"},
  };
  return v;
}

TEST_F(SamlPolicyTest, EveryViolationIsRejectedWithItsReason) {
  for (const Violation& v : Violations()) {
    SCOPED_TRACE(v.name);
    ResponseSpec spec;
    v.spec(spec);
    std::string xml = v.edit(Sign(spec));
    ExpectRejected(Validate(xml), v.reason);
  }
}

TEST_F(SamlPolicyTest, SignedByAnotherKeyWithItsCertificateInKeyInfo) {
  std::string xml = Sign(ResponseSpec(), *attacker_);
  ExpectRejected(Validate(xml), "does not verify with the IdP certificate");
  // Not even when the Response is signed too, nor with the IdP's certificate pasted into KeyInfo.
  ResponseSpec both;
  both.sign_response = true;
  xml = Sign(both, *attacker_);
  ExpectRejected(Validate(xml), "does not verify with the IdP certificate");
}

TEST_F(SamlPolicyTest, KeyTypeMustFitTheAlgorithm) {
  ResponseSpec spec;
  spec.signature_method = kEcdsaSha256;
  ExpectRejected(Validate(Sign(spec, *ec_)), "does not fit the key");
}

TEST_F(SamlPolicyTest, RecipientTrapNamesTheFix) {
  ResponseSpec spec;
  spec.recipient = kAcs;
  auto r = Validate(Sign(spec));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().hint().find(std::string("send Recipient \"") + kAlias + "\""), std::string::npos)
      << r.status().hint();
}

}  // namespace
}  // namespace ssocli::saml::testing
