// Replays the fuzzers' findings (tests/saml/fuzz/regressions) in every ordinary build, with or without
// sanitizers: each must be handled (rejected, never accepted) and quickly.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "saml/authn_request.h"
#include "saml/bearer_assertion.h"
#include "saml/idp_metadata.h"
#include "saml/post_binding.h"
#include "saml/response_validator.h"
#include "saml_test_util.h"

namespace ssocli::saml {
namespace {

TEST(SamlFuzzRegressions, EveryFindingIsRejectedFast) {
  const std::filesystem::path dir = std::filesystem::path(SSOCLI_SOURCE_DIR) / "tests/saml/fuzz/regressions";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  FixedClock clock(*ParseRfc3339("2024-01-01T12:01:00Z") / 1000);
  ResponseExpectations want;
  want.idp_certificates =
      *ParsePemCertificates(testing::ReadFile(testing::FixturesDir() + "/generated/idp-test.crt"));
  want.audience = "https://uaa.example.invalid/oauth/token";
  want.recipient = "http://127.0.0.1:8765/saml/acs";
  want.clock = &clock;
  BearerExpectations bearer;
  bearer.idps = {{"https://idp.example.invalid/saml/metadata", want.idp_certificates}};
  bearer.audience = want.audience;
  bearer.recipient = want.recipient;
  bearer.clock = &clock;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    SCOPED_TRACE(entry.path().filename().string());
    std::string input = testing::ReadFile(entry.path().string());
    auto start = std::chrono::steady_clock::now();
    auto xml = DecodeResponseInput(input);
    if (xml.ok()) {
      EXPECT_FALSE(ValidateResponse(*xml, want).ok());
    }
    EXPECT_FALSE(ValidateBearerAssertion(input, bearer).ok());
    (void)ParseRedirectAuthnRequest(input);
    (void)ParseIdpMetadata(input);
    (void)ParsePemCertificates(input);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  }
}

}  // namespace
}  // namespace ssocli::saml
