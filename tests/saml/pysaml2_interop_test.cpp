// Interop with an independent IdP implementation: responses made by pysaml2 (Debian's python3-pysaml2,
// driven by interop/pysaml2_idp.py under /usr/bin/python3) are accepted when the IdP is configured as
// docs/saml.md says, rejected with the right reason when it is misconfigured, and rejected when
// tampered with in each way the policy names.
#include <gtest/gtest.h>

#include <ctime>
#include <functional>
#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "saml/response_validator.h"
#include "saml_test_util.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "tamper.h"
#include "test_idp.h"

namespace ssocli::saml::testing {
namespace {

constexpr char kPython[] = "/usr/bin/python3";  // Debian's python3-* packages load only here

class SamlPysaml2Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ssocli::testing::TempDir();
    idp_ = new TestKey(MakeTestKey(dir_->path(), "pysaml2-idp"));
    attacker_ = new TestKey(MakeTestKey(dir_->path(), "pysaml2-attacker"));
    made_at_ = static_cast<int64_t>(std::time(nullptr));

    auto base = [](const TestKey& key) {
      return nlohmann::json{{"key", key.key_path},   {"cert", key.cert_path},
                            {"idp_entity_id", kIdp}, {"sp_entity_id", kSp},
                            {"acs_url", kAcs},       {"in_response_to", kRequestId},
                            {"recipient", kAlias},   {"name_id", "alice@example.test"}};
    };
    nlohmann::json requests;
    requests["good"] = base(*idp_);
    requests["both_signed"] = base(*idp_);
    requests["both_signed"]["sign_response"] = true;
    requests["sha512"] = base(*idp_);
    requests["sha512"]["sign_alg"] = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    requests["sha512"]["digest_alg"] = "http://www.w3.org/2001/04/xmlenc#sha512";
    requests["sha1"] = base(*idp_);
    requests["sha1"]["sign_alg"] = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    requests["sha1"]["digest_alg"] = "http://www.w3.org/2000/09/xmldsig#sha1";
    requests["default_recipient"] = base(*idp_);
    requests["default_recipient"].erase("recipient");
    requests["wrong_audience"] = base(*idp_);
    requests["wrong_audience"]["sp_entity_id"] = "other.sp";
    requests["other_request"] = base(*idp_);
    requests["other_request"]["in_response_to"] = "_req-other";
    requests["other_idp"] = base(*idp_);
    requests["other_idp"]["idp_entity_id"] = "https://other-idp.test/metadata";
    requests["other_destination"] = base(*idp_);
    requests["other_destination"]["acs_url"] = "https://other-sp.test/acs";
    requests["response_only_signed"] = base(*idp_);
    requests["response_only_signed"]["sign_response"] = true;
    requests["response_only_signed"]["no_sign_assertion"] = true;
    requests["attacker"] = base(*attacker_);

    ssocli::testing::ProcessSpec p;
    p.argv = {kPython, std::string(SSOCLI_SAML_TESTS_DIR) + "/interop/pysaml2_idp.py", "--batch"};
    p.env = ssocli::testing::BaseEnv({{"TMPDIR", dir_->path()}, {"HOME", dir_->path()}});
    p.stdin_data = requests.dump();
    p.timeout_ms = 120000;
    auto r = ssocli::testing::RunProcess(p);
    if (r.exit_code == 0) {
      responses_ = new nlohmann::json(nlohmann::json::parse(r.out));
    } else {
      error_ = new std::string(
          "pysaml2 IdP failed (is python3-pysaml2 installed? scripts/install-deps.sh): " + r.err);
    }
  }
  static void TearDownTestSuite() {
    delete responses_;
    delete error_;
    delete attacker_;
    delete idp_;
    delete dir_;
    responses_ = nullptr;
    error_ = nullptr;
  }

  void SetUp() override { ASSERT_EQ(error_, nullptr) << *error_; }

  static std::string Response(const char* name) { return responses_->at(name).get<std::string>(); }

  // At the instant the responses were made, plus `later_seconds`.
  Result<ValidatedAssertion> Validate(const std::string& xml, int64_t later_seconds = 60,
                                      const std::function<void(ResponseExpectations&)>& adjust = nullptr) {
    clock_.Set(made_at_ + later_seconds);
    ResponseExpectations want = DefaultExpectations(*idp_, &clock_);
    if (adjust) adjust(want);
    return ValidateResponse(xml, want);
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
  static nlohmann::json* responses_;
  static std::string* error_;
  static int64_t made_at_;
  FixedClock clock_{0};
};

ssocli::testing::TempDir* SamlPysaml2Test::dir_ = nullptr;
TestKey* SamlPysaml2Test::idp_ = nullptr;
TestKey* SamlPysaml2Test::attacker_ = nullptr;
nlohmann::json* SamlPysaml2Test::responses_ = nullptr;
std::string* SamlPysaml2Test::error_ = nullptr;
int64_t SamlPysaml2Test::made_at_ = 0;

// One interpreter start per test process is the cost here (about 2 s): two tests cover everything.
TEST_F(SamlPysaml2Test, AcceptsAWellConfiguredIdp) {
  for (const char* name : {"good", "both_signed", "sha512"}) {
    SCOPED_TRACE(name);
    auto r = Validate(Response(name));
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->name_id, "alice@example.test");
    EXPECT_EQ(r->issuer, kIdp);
    EXPECT_EQ(r->attributes.size(), 2u);
    EXPECT_EQ(Base64UrlDecode(r->bearer_assertion).value_or(""), r->assertion_xml);
  }
  // SHA-1 only when allowed explicitly.
  ExpectRejected(Validate(Response("sha1")), "SHA-1");
  EXPECT_TRUE(Validate(Response("sha1"), 60, [](ResponseExpectations& w) { w.allow_sha1 = true; }).ok());
  // A comment injected into the signed NameID keeps the signature valid and never truncates the name.
  auto r = Validate(CommentInNameId(Response("good")));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name_id, "alice@example.test");
}

TEST_F(SamlPysaml2Test, MisconfiguredOrTamperedIsRejectedWithTheReason) {
  // pysaml2's default Recipient is the ACS URL: the reason says so, and the hint names the fix.
  auto trap = Validate(Response("default_recipient"));
  ExpectRejected(trap, "Recipient is the ACS URL \"http://127.0.0.1:8765/saml/acs\"");
  EXPECT_NE(trap.status().hint().find(kAlias), std::string::npos) << trap.status().hint();

  ExpectRejected(Validate(Response("wrong_audience")), "Audience is \"other.sp\", expected \"sp.test\"");
  ExpectRejected(Validate(Response("other_request")), "answers the request \"_req-other\"");
  ExpectRejected(Validate(Response("other_idp")), "Issuer is \"https://other-idp.test/metadata\"");
  ExpectRejected(Validate(Response("other_destination")), "Destination is \"https://other-sp.test/acs\"");
  ExpectRejected(Validate(Response("response_only_signed")), "Assertion is not signed");
  ExpectRejected(Validate(Response("attacker")), "does not verify with the IdP certificate");
  ExpectRejected(Validate(Response("good"), 10 * 60), "expired");
  ExpectRejected(Validate(Response("good"), -10 * 60), "in the future");

  const std::string good = Response("good");
  const std::string both = Response("both_signed");
  struct Case {
    const char* name;
    std::string xml;
    const char* reason;
  };
  const Case cases[] = {
      {"NameIdChanged", ReplaceText(good, "NameID", "admin@example.test"), "modified after it was signed"},
      {"AudienceChanged", ReplaceText(good, "Audience", "other.sp"), "modified after it was signed"},
      {"SignatureValueFlipped", FlipSignatureBit(good), "does not verify"},
      {"SignatureRemoved", StripAssertionSignature(good), "not signed"},
      {"SignatureRemovedResponseStillSigned", StripAssertionSignature(both), ""},
      {"Doctype", AddDoctype(good), "DOCTYPE"},
      {"SecondAssertion", AppendEvilAssertion(good), "2 Assertions"},
      {"WrappedAssertion", WrapSignedAssertion(good), "nested inside"},
      {"DuplicateId", DuplicateAssertionId(good), "nested inside"},
      {"EncryptedAssertion", AddEncryptedAssertion(good), "EncryptedAssertion"},
      {"Truncated", good.substr(0, good.size() - 40), "not well-formed"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectRejected(Validate(c.xml), c.reason);
  }
}

}  // namespace
}  // namespace ssocli::saml::testing
