// The saml2-bearer grant's assertion check, behind an interface so that the endpoint does not depend
// on how assertions are validated (tests plug in fakes), and the zone's real one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "saml/bearer_assertion.h"

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

class TestIdp;

// An IdP whose assertions the grant accepts besides the zone's own test IdP (--trust-idp-metadata).
struct TrustedSamlIdp {
  std::string origin;    // the tokens' `origin` for its users
  saml::TrustedIdp idp;  // entity ID and signing certificates
};

// The grant as UAA checks it (uaa.md, saml/bearer_assertion.h): the Issuer is the zone's test IdP or
// one of `extra`, the assertion is signed by that IdP's key, Audience = the alias of the URL (the
// zone's SP entity ID on plain /oauth/token), Recipient = the URL the assertion was posted to. Errors
// carry UAA's error_description for their category; the user is the NameID, the email the "email"
// attribute when there is one.
class SamlAssertionBearerValidator final : public SamlBearerValidator {
 public:
  // `idp` (its key may be generated on first use) must outlive the validator.
  SamlAssertionBearerValidator(TestIdp* idp, std::string idp_origin, std::vector<TrustedSamlIdp> extra,
                               std::string default_sp_entity_id);
  Result<SamlSubject> Validate(const SamlBearerRequest& request, int64_t now) const override;

 private:
  TestIdp* idp_;
  std::string idp_origin_;
  std::vector<TrustedSamlIdp> extra_;
  std::string default_sp_entity_id_;
};

// UAA's error_description for a refusal of `failure`'s category.
const char* UaaSamlErrorDescription(saml::BearerFailure failure);

}  // namespace ssocli
