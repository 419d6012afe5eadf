// The saml2-bearer grant's assertion check, behind an interface so that real SAML validation
// (issuer trust, signature, timing, audience, recipient) plugs in without touching the endpoint.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace ssocli {

struct SamlBearerRequest {
  std::string sp_entity_id;  // the <alias> of /oauth/token/alias/<alias>; empty on /oauth/token
  std::string token_url;     // the URL the assertion was posted to (its expected Recipient)
  bool has_assertion = false;
  std::string assertion;  // base64url of one <saml2:Assertion>, as sent
};

// Who the assertion names.
struct SamlSubject {
  std::string user_name;  // the NameID
  std::string origin;     // the IdP's origin key
  std::string email;      // empty: the user name
};

class SamlBearerValidator {
 public:
  virtual ~SamlBearerValidator() = default;
  // The subject of a valid assertion; otherwise a non-OK status whose message is UAA's
  // error_description ("SAML Assertion is missing", "Error validating SAML message", ...), answered
  // as 401 `unauthorized`.
  virtual Result<SamlSubject> Validate(const SamlBearerRequest& request, int64_t now) const = 0;
};

// Until the zone has a trusted IdP: every assertion is rejected, with UAA's wording.
class RejectingSamlBearerValidator final : public SamlBearerValidator {
 public:
  Result<SamlSubject> Validate(const SamlBearerRequest& request, int64_t now) const override;
};

}  // namespace ssocli
