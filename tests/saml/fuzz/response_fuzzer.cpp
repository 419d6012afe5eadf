// libFuzzer target: any bytes as `ssocli saml verify` input (XML or form value) through the whole
// validator, with the expectations of the generated fixture vectors, and as a saml2-bearer `assertion`
// through the zone's check. Must never crash, leak, hang or accept what the IdP key did not sign.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "saml/bearer_assertion.h"
#include "saml/idp_metadata.h"
#include "saml/post_binding.h"
#include "saml/response_validator.h"
#include "saml/saml_time.h"

namespace {

std::vector<std::string> LoadCertificates() {
  std::ifstream in(std::string(SSOCLI_FIXTURES) + "/saml/generated/idp-test.crt");
  std::stringstream pem;
  pem << in.rdbuf();
  auto certs = ssocli::saml::ParsePemCertificates(pem.str());
  if (!certs.ok()) __builtin_trap();  // the fuzzer cannot do its job without the key
  return certs.value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> certs = LoadCertificates();
  static const ssocli::FixedClock clock(*ssocli::saml::ParseRfc3339("2024-01-01T12:01:00Z") / 1000);

  std::string_view input(reinterpret_cast<const char*>(data), size);
  ssocli::saml::BearerExpectations bearer;
  bearer.idps = {{"https://idp.example.invalid/saml/metadata", certs}};
  bearer.audience = "https://uaa.example.invalid/oauth/token";
  bearer.recipient = "http://127.0.0.1:8765/saml/acs";
  bearer.clock = &clock;
  auto assertion = ssocli::saml::ValidateBearerAssertion(input, bearer);
  if (assertion.ok() && assertion->name_id.empty()) __builtin_trap();

  auto xml = ssocli::saml::DecodeResponseInput(input);
  if (!xml.ok()) return 0;
  ssocli::saml::ResponseExpectations want;
  want.idp_certificates = certs;
  want.idp_entity_id = "https://idp.example.invalid/saml/metadata";
  want.audience = "https://uaa.example.invalid/oauth/token";
  want.recipient = "http://127.0.0.1:8765/saml/acs";
  want.destinations = {"http://127.0.0.1:8765/saml/acs"};
  want.in_response_to = "_req-0001";
  want.clock = &clock;
  want.allow_sha1 = size % 2 == 1;  // both policies, deterministically per input
  auto result = ssocli::saml::ValidateResponse(*xml, want);
  if (result.ok()) {
    // Whatever was accepted verified with the IdP key, so it can only be a signed fixture assertion.
    if (result->assertion_xml.empty() || result->bearer_assertion.empty()) __builtin_trap();
  }
  return 0;
}
