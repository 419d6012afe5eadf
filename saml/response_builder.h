// The IdP side of a sign-in: a SAML 2.0 Response with one signed Assertion, as an IdP posts it to an
// SP's ACS URL with the HTTP-POST binding. For test IdPs (`ssocli zone serve`, tests). Every field the
// STRICT validator and the login server look at can be set, including wrong on purpose (an expired
// assertion, a misaddressed Recipient, a forbidden NotBefore), so tests get each case signed for real.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "saml/authn_request.h"
#include "saml/signature_signer.h"

namespace ssocli::saml {

enum class SignedParts {
  kAssertion,             // what IdPs usually do, and what the saml2-bearer grant needs
  kAssertionAndResponse,  // the Assertion first, then the Response over it
  kNone,                  // unsigned: for tests of the rejection
};

struct IdpResponseSpec {
  std::string idp_entity_id;  // Issuer of the Response and of the Assertion (required)
  std::string name_id;        // Subject/NameID (required)
  std::string name_id_format = kNameIdFormatEmail;
  // The AuthnRequest ID: InResponseTo on the Response and on the SubjectConfirmationData. Empty: none
  // (an unsolicited response).
  std::string in_response_to;
  std::string destination;             // Response/@Destination, the ACS URL; empty: none
  std::vector<std::string> audiences;  // one AudienceRestriction holding these; empty: none
  // SubjectConfirmationData/@Recipient. For an assertion meant for the saml2-bearer grant this is the
  // login server's token alias URL, not the ACS URL (docs/saml.md, "The Recipient trap"). Empty: none.
  std::string recipient;
  // Conditions and SubjectConfirmationData NotOnOrAfter = now + this; negative: already expired.
  int64_t lifetime_seconds = 300;
  // IssueInstant, Conditions/@NotBefore and AuthnInstant, in seconds; default the clock's now.
  std::optional<int64_t> issue_instant;
  bool authn_statement = true;
  // A NotBefore on the bearer SubjectConfirmationData, which SAML forbids: only for tests.
  bool bearer_not_before = false;
  // AttributeStatement: name -> values (xs:string). Empty: none.
  std::map<std::string, std::vector<std::string>> attributes;
  SignedParts sign = SignedParts::kAssertion;
  // Empty: fresh random IDs (NewRequestId()). Otherwise NCNames.
  std::string response_id;
  std::string assertion_id;
};

struct BuiltResponse {
  std::string xml;  // the signed Response document, UTF-8
  std::string response_id;
  std::string assertion_id;
  // The Assertion alone with every namespace it uses declared on it (ExportAssertion): what a
  // saml2-bearer grant carries, base64url-encoded.
  std::string assertion_xml;
};

// Builds and signs the Response at `clock`'s now. kUsage when a required field is empty, an ID is not
// an NCName or a value holds characters XML cannot carry; kInternal when signing fails.
Result<BuiltResponse> BuildResponse(const IdpResponseSpec& spec, const SigningKey& key, const Clock& clock);

}  // namespace ssocli::saml
