// libFuzzer target: any bytes as an --idp-metadata or --idp-cert file, as the SAMLRequest an IdP
// receives, and the time parsers.
#include <cstddef>
#include <cstdint>
#include <string>

#include "saml/authn_request.h"
#include "saml/idp_metadata.h"
#include "saml/saml_time.h"
#include "saml/saml_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto metadata = ssocli::saml::ParseIdpMetadata(input);
  if (metadata.ok() && (metadata->entity_id.empty() || metadata->signing_certificates.empty()))
    __builtin_trap();
  auto pem = ssocli::saml::ParsePemCertificates(input);
  if (pem.ok() && pem->empty()) __builtin_trap();
  if (size < 64) {
    auto t = ssocli::saml::ParseSamlInstant(input);
    // What parses formats back to an instant that parses to the same value.
    if (t && ssocli::saml::ParseSamlInstant(ssocli::saml::FormatRfc3339Utc(*t)) != t) __builtin_trap();
    (void)ssocli::saml::ParseRfc3339(input);
    (void)ssocli::saml::IsNcName(input);
  }
  (void)ssocli::saml::RawInflate(input, 1 << 20);
  auto request = ssocli::saml::ParseRedirectAuthnRequest(input);
  if (request.ok() && (request->id.empty() || request->issuer.empty() || request->acs_url.empty()))
    __builtin_trap();
  return 0;
}
