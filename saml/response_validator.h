// Validates a SAML 2.0 Response under the STRICT policy (docs/saml.md): parse safely, check the
// structure that stops signature wrapping, verify the signatures with the pinned IdP keys, check every
// semantic condition at an injected instant, and hand back the identity and the signed Assertion as a
// standalone document ready for the saml2-bearer grant.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace ssocli::saml {

struct ResponseExpectations {
  // The IdP's signing certificates (DER; IdpConfig::signing_certificates). At least one.
  std::vector<std::string> idp_certificates;
  // The IdP entity ID both Issuers must equal. nullopt: not checked (a bare certificate and no --issuer).
  std::optional<std::string> idp_entity_id;
  // Our SP entity ID: every AudienceRestriction must contain it. Required.
  std::string audience;
  // SubjectConfirmationData/@Recipient of the bearer confirmation. Required. For the saml2-bearer grant
  // this is the login server's token alias URL, NOT the ACS URL (see acs_url).
  std::string recipient;
  // Accepted values of Response/@Destination (any of). Empty: not compared. Destination must be present
  // whenever the Response is signed, whatever this holds.
  std::vector<std::string> destinations;
  // The outstanding AuthnRequest ID. Given: required as InResponseTo on the Response and on the bearer
  // SubjectConfirmationData. The caller consumes it: one request, one response.
  std::optional<std::string> in_response_to;
  // Where the IdP posts (our ACS). Only used to explain the common misconfiguration of a Recipient that
  // is the ACS URL instead of `recipient`. The Response's own Destination serves when this is empty.
  std::string acs_url;
  const Clock* clock = nullptr;  // required
  int64_t skew_seconds = 60;     // allowed clock difference with the IdP, 0..3600
  bool allow_sha1 = false;       // accept rsa-sha1 / sha1 (legacy IdPs), explicitly
};

struct ValidatedAssertion {
  std::string name_id;         // all text of Subject/NameID, exactly
  std::string name_id_format;  // NameID/@Format, may be empty
  std::string issuer;          // the Assertion's Issuer
  std::string assertion_id;
  std::string response_id;
  int64_t not_on_or_after_ms = 0;  // earliest of Conditions/@NotOnOrAfter and the bearer SCD's
  // Attribute Name -> values, in document order; repeated Attributes of one name are merged.
  std::map<std::string, std::vector<std::string>> attributes;
  std::string assertion_xml;     // the signed Assertion alone; verifies standalone
  std::string bearer_assertion;  // base64url(assertion_xml), no padding: the grant's `assertion`
};

// Validates `response_xml` (the decoded document; see post_binding.h for the form value). Returns the
// assertion, or kSamlRejected whose message says what is wrong in terms a user or IdP admin can act on
// ("Audience is \"X\", expected \"Y\"", "the assertion expired 5 minutes ago", ...) and whose hint,
// when set, says what to change. kUsage when `want` itself is incomplete.
Result<ValidatedAssertion> ValidateResponse(std::string_view response_xml, const ResponseExpectations& want);

}  // namespace ssocli::saml
