// The login server's side of the saml2-bearer grant (RFC 7522 as UAA implements it): one standalone
// signed <saml2:Assertion>, as the `assertion` form parameter carries it, checked the way UAA checks it
// (shared/spec/uaa.md) and with the same STRICT reading of the assertion as ValidateResponse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace ssocli::saml {

// An IdP the login server trusts: its entity ID (the Issuer it signs as) and its signing certificates.
struct TrustedIdp {
  std::string entity_id;
  std::vector<std::string> certificates;  // DER; at least one
};

struct BearerExpectations {
  std::vector<TrustedIdp> idps;  // at least one; the assertion's Issuer picks the one whose keys count
  std::string audience;          // the SP entity ID: required in every AudienceRestriction
  std::string recipient;         // the token alias URL the assertion was posted to
  const Clock* clock = nullptr;  // required
  int64_t skew_seconds = 60;
  int64_t max_age_seconds = 3000;  // UAA: IssueInstant no older than this, plus the skew
  bool allow_sha1 = false;
};

// Why an assertion was refused, in the categories of UAA's error descriptions.
enum class BearerFailure {
  kNone,
  kMissing,        // "SAML Assertion is missing"
  kDecoding,       // "Error decoding incoming SAML message": not base64, not XML, not an Assertion
  kUnknownIssuer,  // "Error determining metadata contracts": no Issuer, or not a trusted IdP
  kSignature,      // "Error validating SAML message signature": unsigned, or not by the IdP's key
  kInvalid,        // "Error validating SAML message": anything else (time, audience, recipient, ...)
};

struct BearerAssertion {
  std::string name_id;
  std::string name_id_format;
  std::string issuer;
  size_t idp_index = 0;  // which of BearerExpectations::idps signed it
  std::string assertion_id;
  int64_t not_on_or_after_ms = 0;
  std::map<std::string, std::vector<std::string>> attributes;
};

// The largest `assertion` value accepted (base64url of a 1 MiB document).
inline constexpr size_t kMaxBearerAssertionChars = 1400 * 1024;

// Validates `assertion`: the grant's form value (base64url without padding; padding and the standard
// alphabet are tolerated) or, when it starts with '<', the XML itself. Checks: a saml:Assertion root,
// STRICT structure (no wrapping, one enveloped signature right after the Issuer, Reference = "#" + ID),
// an Issuer that is a trusted IdP and a signature by one of its certificates, Version 2.0, IssueInstant
// not in the future and at most max_age_seconds (+ skew) old, a bearer SubjectConfirmation with the
// expected Recipient, a NotOnOrAfter not passed and no NotBefore, an AuthnStatement, Conditions whose
// every AudienceRestriction holds the audience, a non-empty NameID.
// Returns the subject, or kSamlRejected with the reason; `failure` (optional) gets its category.
// kUsage when `want` is incomplete.
Result<BearerAssertion> ValidateBearerAssertion(std::string_view assertion, const BearerExpectations& want,
                                                BearerFailure* failure = nullptr);

}  // namespace ssocli::saml
