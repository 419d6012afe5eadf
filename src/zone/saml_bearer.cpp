#include "zone/saml_bearer.h"

namespace ssocli {

Result<SamlSubject> RejectingSamlBearerValidator::Validate(const SamlBearerRequest& request, int64_t) const {
  if (!request.has_assertion || request.assertion.empty()) {
    return Status::Error(ErrorKind::kSamlRejected, "SAML Assertion is missing");
  }
  return Status::Error(ErrorKind::kSamlRejected, "Error validating SAML message");
}

}  // namespace ssocli
