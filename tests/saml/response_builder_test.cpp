// The IdP side: Responses built and signed by saml/response_builder with keys the openssl CLI makes are
// accepted by ValidateResponse AND verify with the xmlsec1 CLI (an independent verifier); any change
// after signing breaks both; each deliberate flaw is signed for real and rejected for its reason.
#include "saml/response_builder.h"

#include <gtest/gtest.h>

#include "saml/response_validator.h"
#include "saml/saml_time.h"
#include "saml_test_util.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "tamper.h"
#include "test_idp.h"

namespace ssocli::saml::testing {
namespace {

// `xmlsec1 --verify` of the first signature in `xml`, trusting only `cert_path`.
bool Xmlsec1Verifies(const std::string& xml, const std::string& cert_path, const std::string& dir) {
  const std::string file = dir + "/built.xml";
  WriteFile(file, xml);
  ssocli::testing::ProcessSpec p;
  p.argv = {"xmlsec1",
            "--verify",
            "--pubkey-cert-pem",
            cert_path,
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            file};
  p.env = ssocli::testing::BaseEnv();
  auto r = ssocli::testing::RunProcess(p);
  return r.exit_code == 0 && r.err.find("OK") != std::string::npos;
}

class SamlResponseBuilder : public ::testing::Test {
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

  static SigningKey KeyOf(const TestKey& k) { return SigningKeyOf(k); }

  // A response to the request of DefaultExpectations(), valid at kNow.
  static IdpResponseSpec Spec() {
    IdpResponseSpec s;
    s.idp_entity_id = kIdp;
    s.name_id = "alice@example.test";
    s.in_response_to = kRequestId;
    s.destination = kAcs;
    s.audiences = {kSp};
    s.recipient = kAlias;
    s.attributes = {{"email", {"alice@example.test"}}, {"groups", {"users", "admins"}}};
    return s;
  }

  BuiltResponse Build(const IdpResponseSpec& spec, const TestKey& key) {
    auto built = BuildResponse(spec, KeyOf(key), clock_);
    if (!built.ok()) throw std::runtime_error(built.status().message());
    return std::move(built).value();
  }
  BuiltResponse Build(const IdpResponseSpec& spec) { return Build(spec, *idp_); }

  Result<ValidatedAssertion> Validate(const std::string& xml, const TestKey* trusted = nullptr) {
    return ValidateResponse(xml, DefaultExpectations(trusted ? *trusted : *idp_, &clock_));
  }

  void ExpectRejected(const Result<ValidatedAssertion>& r, const std::string& reason) {
    ASSERT_FALSE(r.ok()) << "accepted, expected: " << reason;
    EXPECT_EQ(r.status().kind(), ErrorKind::kSamlRejected);
    EXPECT_NE(r.status().message().find(reason), std::string::npos)
        << "message: " << r.status().message() << "\n  expected to contain: " << reason;
  }

  static ssocli::testing::TempDir* dir_;
  static TestKey* idp_;
  static TestKey* attacker_;
  static TestKey* ec_;
  FixedClock clock_{DefaultNowSeconds()};
};

ssocli::testing::TempDir* SamlResponseBuilder::dir_ = nullptr;
TestKey* SamlResponseBuilder::idp_ = nullptr;
TestKey* SamlResponseBuilder::attacker_ = nullptr;
TestKey* SamlResponseBuilder::ec_ = nullptr;

TEST_F(SamlResponseBuilder, AcceptedByTheValidatorAndByXmlsec1) {
  BuiltResponse built = Build(Spec());
  auto r = Validate(built.xml);
  ASSERT_TRUE(r.ok()) << r.status().message() << "\n" << built.xml;
  EXPECT_EQ(r->name_id, "alice@example.test");
  EXPECT_EQ(r->name_id_format, kNameIdFormatEmail);
  EXPECT_EQ(r->issuer, kIdp);
  EXPECT_EQ(r->assertion_id, built.assertion_id);
  EXPECT_EQ(r->response_id, built.response_id);
  EXPECT_EQ(r->attributes.at("groups"), (std::vector<std::string>{"users", "admins"}));
  EXPECT_EQ(r->attributes.at("email"), (std::vector<std::string>{"alice@example.test"}));
  EXPECT_EQ(FormatRfc3339Utc(r->not_on_or_after_ms), "2024-01-01T12:06:00Z");  // kNow + 300 s
  EXPECT_EQ(r->assertion_xml, built.assertion_xml);

  EXPECT_TRUE(Xmlsec1Verifies(built.xml, idp_->cert_path, dir_->path()));
  EXPECT_TRUE(Xmlsec1Verifies(built.assertion_xml, idp_->cert_path, dir_->path()));
  EXPECT_FALSE(Xmlsec1Verifies(built.xml, attacker_->cert_path, dir_->path()));
}

TEST_F(SamlResponseBuilder, BothSignedAndEcdsa) {
  IdpResponseSpec spec = Spec();
  spec.sign = SignedParts::kAssertionAndResponse;
  BuiltResponse both = Build(spec);
  ASSERT_TRUE(Validate(both.xml).ok()) << Validate(both.xml).status().message();
  // xmlsec1 verifies the first signature in document order: the Response's, over the signed Assertion.
  EXPECT_LT(both.xml.find("Signature"), both.xml.find("<saml:Assertion"));
  EXPECT_TRUE(Xmlsec1Verifies(both.xml, idp_->cert_path, dir_->path()));
  EXPECT_TRUE(Xmlsec1Verifies(both.assertion_xml, idp_->cert_path, dir_->path()));

  BuiltResponse ec = Build(Spec(), *ec_);
  EXPECT_NE(ec.xml.find("ecdsa-sha256"), std::string::npos);
  auto r = Validate(ec.xml, ec_);
  EXPECT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(Xmlsec1Verifies(ec.xml, ec_->cert_path, dir_->path()));
}

TEST_F(SamlResponseBuilder, AGeneratedKeyWorksToo) {
  auto key = SigningKey::Generate("test-idp", DefaultNowSeconds());
  ASSERT_TRUE(key.ok()) << key.status().message();
  auto built = BuildResponse(Spec(), *key, clock_);
  ASSERT_TRUE(built.ok()) << built.status().message();
  ResponseExpectations want = DefaultExpectations(*idp_, &clock_);
  want.idp_certificates = {key->cert_der()};
  auto r = ValidateResponse(built->xml, want);
  EXPECT_TRUE(r.ok()) << r.status().message();
  const std::string cert = dir_->path() + "/generated.crt.pem";
  WriteFile(cert, key->cert_pem());
  EXPECT_TRUE(Xmlsec1Verifies(built->xml, cert, dir_->path()));
}

TEST_F(SamlResponseBuilder, TamperingBreaksBothVerifiers) {
  BuiltResponse built = Build(Spec());
  const std::vector<std::string> tampered = {
      ReplaceText(built.xml, "NameID", "admin@example.test"),
      ReplaceText(built.xml, "Audience", "other.sp"),
      ReplaceOnce(built.xml, kAlias, "https://evil.test/oauth/token/alias/sp.test"),
      FlipSignatureBit(built.xml),
  };
  for (const std::string& xml : tampered) {
    auto r = Validate(xml);
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(Xmlsec1Verifies(xml, idp_->cert_path, dir_->path()));
  }
  ExpectRejected(Validate(ReplaceText(built.xml, "NameID", "admin@example.test")),
                 "modified after it was signed");
  ExpectRejected(Validate(Build(Spec(), *attacker_).xml), "does not verify with the IdP certificate");
}

TEST_F(SamlResponseBuilder, DeliberateFlawsAreSignedAndRejected) {
  IdpResponseSpec spec = Spec();
  spec.sign = SignedParts::kNone;
  ExpectRejected(Validate(Build(spec).xml), "the Assertion is not signed");

  spec = Spec();
  spec.lifetime_seconds = -120;
  ExpectRejected(Validate(Build(spec).xml), "expired 2 minutes ago");

  spec = Spec();
  spec.recipient = kAcs;
  ExpectRejected(Validate(Build(spec).xml), "Recipient is the ACS URL");

  spec = Spec();
  spec.audiences = {"other.sp"};
  ExpectRejected(Validate(Build(spec).xml), "Audience is \"other.sp\"");

  spec = Spec();
  spec.bearer_not_before = true;
  ExpectRejected(Validate(Build(spec).xml), "has a NotBefore");

  spec = Spec();
  spec.authn_statement = false;
  ExpectRejected(Validate(Build(spec).xml), "no AuthnStatement");

  spec = Spec();
  spec.in_response_to = "_another";
  ExpectRejected(Validate(Build(spec).xml), "not ours");

  spec = Spec();
  spec.issue_instant = DefaultNowSeconds() + 3600;
  ExpectRejected(Validate(Build(spec).xml), "in the future");
}

TEST_F(SamlResponseBuilder, SpecErrorsAreUsageErrors) {
  SigningKey key = KeyOf(*idp_);
  const std::vector<std::function<void(IdpResponseSpec&)>> edits = {
      [](IdpResponseSpec& s) { s.idp_entity_id.clear(); },
      [](IdpResponseSpec& s) { s.name_id.clear(); },
      [](IdpResponseSpec& s) {
        s.name_id =
            "a\x01"
            "b";
      },
      [](IdpResponseSpec& s) { s.assertion_id = "1-not-an-ncname"; },
      [](IdpResponseSpec& s) { s.response_id = s.assertion_id = "_same"; },
      [](IdpResponseSpec& s) { s.recipient = "\xff\xfe"; },  // not UTF-8
  };
  for (const auto& edit : edits) {
    IdpResponseSpec spec = Spec();
    edit(spec);
    auto built = BuildResponse(spec, key, clock_);
    EXPECT_EQ(built.status().kind(), ErrorKind::kUsage) << built.status().message();
  }
  // Markup in values is escaped, not interpreted.
  IdpResponseSpec spec = Spec();
  spec.name_id = "a<b>&\"c\"@example.test";
  auto built = BuildResponse(spec, key, clock_);
  ASSERT_TRUE(built.ok()) << built.status().message();
  auto r = Validate(built->xml);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name_id, spec.name_id);
}

}  // namespace
}  // namespace ssocli::saml::testing
