// The saml2-bearer check of a standalone assertion, as the login server does it (uaa.md): accepted from
// the response builder and from the independent xmlsec1-signed test IdP (cut out by ValidateResponse);
// each of UAA's rules rejected in its category.
#include "saml/bearer_assertion.h"

#include <gtest/gtest.h>

#include "core/base64.h"
#include "saml/assertion_export.h"
#include "saml/response_builder.h"
#include "saml/response_validator.h"
#include "saml_test_util.h"
#include "support/temp_dir.h"
#include "tamper.h"
#include "test_idp.h"

namespace ssocli::saml::testing {
namespace {

class SamlBearerAssertion : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ssocli::testing::TempDir();
    idp_ = new TestKey(MakeTestKey(dir_->path(), "idp"));
    other_ = new TestKey(MakeTestKey(dir_->path(), "other-idp"));
  }
  static void TearDownTestSuite() {
    delete other_;
    delete idp_;
    delete dir_;
  }

  static SigningKey KeyOf(const TestKey& k) { return SigningKeyOf(k); }

  // An assertion for the saml2-bearer grant at kAlias, as an IdP configured per docs/saml.md sends it.
  static IdpResponseSpec Spec() {
    IdpResponseSpec s;
    s.idp_entity_id = kIdp;
    s.name_id = "alice@example.test";
    s.in_response_to = kRequestId;
    s.destination = kAcs;
    s.audiences = {kSp};
    s.recipient = kAlias;
    return s;
  }

  // The grant's form value: base64url of the Assertion alone, no padding.
  std::string Value(const IdpResponseSpec& spec, const TestKey* key = nullptr) {
    auto built = BuildResponse(spec, KeyOf(key ? *key : *idp_), clock_);
    if (!built.ok()) throw std::runtime_error(built.status().message());
    return BearerAssertionParameter(built->assertion_xml);
  }

  BearerExpectations Want() {
    BearerExpectations want;
    want.idps = {{"https://another.idp.test", other_->certs_der}, {kIdp, idp_->certs_der}};
    want.audience = kSp;
    want.recipient = kAlias;
    want.clock = &clock_;
    return want;
  }

  void ExpectRejected(const std::string& value, BearerFailure category, const std::string& reason,
                      const BearerExpectations* want = nullptr) {
    BearerFailure failure = BearerFailure::kNone;
    auto r = ValidateBearerAssertion(value, want ? *want : Want(), &failure);
    ASSERT_FALSE(r.ok()) << "accepted, expected: " << reason;
    EXPECT_EQ(r.status().kind(), ErrorKind::kSamlRejected);
    EXPECT_EQ(static_cast<int>(failure), static_cast<int>(category)) << r.status().message();
    EXPECT_NE(r.status().message().find(reason), std::string::npos)
        << "message: " << r.status().message() << "\n  expected to contain: " << reason;
  }

  static ssocli::testing::TempDir* dir_;
  static TestKey* idp_;
  static TestKey* other_;
  FixedClock clock_{DefaultNowSeconds()};
};

ssocli::testing::TempDir* SamlBearerAssertion::dir_ = nullptr;
TestKey* SamlBearerAssertion::idp_ = nullptr;
TestKey* SamlBearerAssertion::other_ = nullptr;

TEST_F(SamlBearerAssertion, AcceptsTheFormValueInEveryEncoding) {
  IdpResponseSpec spec = Spec();
  spec.attributes = {{"email", {"alice@corp.test"}}};
  auto built = BuildResponse(spec, KeyOf(*idp_), clock_);
  ASSERT_TRUE(built.ok());
  const std::string& xml = built->assertion_xml;
  std::string standard = Base64Encode(xml);
  std::string spaced = standard;
  for (char& c : spaced) c = c == '+' ? ' ' : c;
  std::string padded = Base64UrlEncode(xml);
  padded.append((4 - padded.size() % 4) % 4, '=');
  for (const std::string& value :
       {BearerAssertionParameter(xml), padded, standard, spaced, "\r\n" + xml, "\xEF\xBB\xBF" + xml}) {
    BearerFailure failure = BearerFailure::kMissing;
    auto r = ValidateBearerAssertion(value, Want(), &failure);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(static_cast<int>(failure), static_cast<int>(BearerFailure::kNone));
    EXPECT_EQ(r->name_id, "alice@example.test");
    EXPECT_EQ(r->issuer, kIdp);
    EXPECT_EQ(r->idp_index, 1u);
    EXPECT_EQ(r->assertion_id, built->assertion_id);
    EXPECT_EQ(r->attributes.at("email"), (std::vector<std::string>{"alice@corp.test"}));
  }
}

TEST_F(SamlBearerAssertion, AcceptsWhatTheBrowserFlowForwardsFromAnIndependentSigner) {
  // Signed by the xmlsec1 CLI, validated and cut out of the Response by ValidateResponse: exactly what
  // get_token --sso sends to the token alias URL.
  ResponseSpec spec;
  spec.issue_instant = "2024-01-01T12:00:30Z";
  std::string response = SignedResponse(spec, *idp_, dir_->path());
  auto validated = ValidateResponse(response, DefaultExpectations(*idp_, &clock_));
  ASSERT_TRUE(validated.ok()) << validated.status().message();
  auto r = ValidateBearerAssertion(validated->bearer_assertion, Want());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name_id, "alice@example.test");
}

TEST_F(SamlBearerAssertion, TheTrustedIdpsKeysOnly) {
  // Signed by another trusted IdP's key but naming this one as Issuer: the Issuer picks the keys.
  ExpectRejected(Value(Spec(), other_), BearerFailure::kSignature,
                 "does not verify with the IdP certificate");
  IdpResponseSpec spec = Spec();
  spec.idp_entity_id = "https://another.idp.test";
  auto r = ValidateBearerAssertion(Value(spec, other_), Want());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->idp_index, 0u);

  spec.idp_entity_id = "https://unknown.idp.test";
  ExpectRejected(Value(spec), BearerFailure::kUnknownIssuer, "not a trusted IdP");
  spec = Spec();
  spec.sign = SignedParts::kNone;
  ExpectRejected(Value(spec), BearerFailure::kSignature, "not signed");
  // Changed after signing.
  auto built = BuildResponse(Spec(), KeyOf(*idp_), clock_);
  ASSERT_TRUE(built.ok());
  ExpectRejected(ReplaceText(built->assertion_xml, "NameID", "admin@example.test"), BearerFailure::kSignature,
                 "modified after it was signed");
}

TEST_F(SamlBearerAssertion, EveryGrantRuleRejects) {
  IdpResponseSpec spec = Spec();
  spec.audiences = {"other.apigee-saml-login"};
  ExpectRejected(Value(spec), BearerFailure::kInvalid, "Audience is \"other.apigee-saml-login\"");

  spec = Spec();
  spec.recipient = kAcs;
  ExpectRejected(Value(spec), BearerFailure::kInvalid,
                 "Recipient is \"" + std::string(kAcs) + "\", expected \"" + std::string(kAlias) + "\"");

  spec = Spec();
  spec.lifetime_seconds = -61;
  ExpectRejected(Value(spec), BearerFailure::kInvalid, "expired");

  spec = Spec();
  spec.bearer_not_before = true;
  ExpectRejected(Value(spec), BearerFailure::kInvalid, "has a NotBefore");

  spec = Spec();
  spec.authn_statement = false;
  ExpectRejected(Value(spec), BearerFailure::kInvalid, "no AuthnStatement");

  // Still within its own validity window, but older than UAA's 3000 s (+60 s skew).
  spec = Spec();
  spec.issue_instant = DefaultNowSeconds() - 3061;
  ExpectRejected(Value(spec), BearerFailure::kInvalid, "at most 3000 s old");
  spec.issue_instant = DefaultNowSeconds() - 3059;
  EXPECT_TRUE(ValidateBearerAssertion(Value(spec), Want()).ok());

  spec = Spec();
  spec.issue_instant = DefaultNowSeconds() + 120;
  ExpectRejected(Value(spec), BearerFailure::kInvalid, "in the future");
}

TEST_F(SamlBearerAssertion, DecodingAndStructure) {
  ExpectRejected("", BearerFailure::kMissing, "no assertion");
  ExpectRejected("  \r\n", BearerFailure::kMissing, "no assertion");
  ExpectRejected("!!not base64!!", BearerFailure::kDecoding, "not base64url");
  ExpectRejected(Base64UrlEncode("not xml"), BearerFailure::kDecoding, "not XML");
  ExpectRejected(std::string(kMaxBearerAssertionChars + 1, 'A'), BearerFailure::kDecoding, "larger than");

  auto built = BuildResponse(Spec(), KeyOf(*idp_), clock_);
  ASSERT_TRUE(built.ok());
  // The whole Response is not what the grant takes.
  ExpectRejected(Base64UrlEncode(built->xml), BearerFailure::kDecoding, "not a SAML 2.0 saml:Assertion");
  ExpectRejected(AddDoctype(built->assertion_xml), BearerFailure::kDecoding, "DOCTYPE");
  // Wrapping: the signed assertion hidden inside an unsigned one that names someone else.
  std::string wrapped = WrapSignedAssertion("<r>" + built->assertion_xml + "</r>");
  wrapped = wrapped.substr(3, wrapped.size() - 7);
  ExpectRejected(wrapped, BearerFailure::kInvalid, "nested inside");
  // A second signature, or one in the wrong place.
  std::string sig = built->assertion_xml.substr(
      AssertionSignature(built->assertion_xml).start,
      AssertionSignature(built->assertion_xml).end - AssertionSignature(built->assertion_xml).start);
  std::string moved = StripAssertionSignature(built->assertion_xml);
  size_t subject_end = moved.find("</saml:Subject>") + std::string("</saml:Subject>").size();
  ExpectRejected(moved.insert(subject_end, sig), BearerFailure::kInvalid, "not right after its Issuer");
}

TEST_F(SamlBearerAssertion, IncompleteExpectationsAreUsageErrors) {
  std::string value = Value(Spec());
  BearerExpectations want = Want();
  want.clock = nullptr;
  EXPECT_EQ(ValidateBearerAssertion(value, want).status().kind(), ErrorKind::kUsage);
  want = Want();
  want.idps.clear();
  EXPECT_EQ(ValidateBearerAssertion(value, want).status().kind(), ErrorKind::kUsage);
  want = Want();
  want.recipient.clear();
  EXPECT_EQ(ValidateBearerAssertion(value, want).status().kind(), ErrorKind::kUsage);
}

}  // namespace
}  // namespace ssocli::saml::testing
