#include "zone/saml_bearer.h"

#include "core/clock.h"
#include "zone/test_idp.h"

namespace ssocli {

const char* UaaSamlErrorDescription(saml::BearerFailure failure) {
  switch (failure) {
    case saml::BearerFailure::kMissing:
      return "SAML Assertion is missing";
    case saml::BearerFailure::kDecoding:
      return "Error decoding incoming SAML message";
    case saml::BearerFailure::kUnknownIssuer:
      return "Error determining metadata contracts";
    case saml::BearerFailure::kSignature:
      return "Error validating SAML message signature";
    case saml::BearerFailure::kNone:
    case saml::BearerFailure::kInvalid:
      break;
  }
  return "Error validating SAML message";
}

SamlAssertionBearerValidator::SamlAssertionBearerValidator(TestIdp* idp, std::string idp_origin,
                                                           std::vector<TrustedSamlIdp> extra,
                                                           std::string default_sp_entity_id)
    : idp_(idp),
      idp_origin_(std::move(idp_origin)),
      extra_(std::move(extra)),
      default_sp_entity_id_(std::move(default_sp_entity_id)) {}

Result<SamlSubject> SamlAssertionBearerValidator::Validate(const SamlBearerRequest& request,
                                                           int64_t now) const {
  auto reject = [](saml::BearerFailure failure, const Status& why) {
    // UAA's wording for the client; the precise reason stays available as the hint.
    return Status::Error(ErrorKind::kSamlRejected, UaaSamlErrorDescription(failure), why.message());
  };
  if (!request.has_assertion || request.assertion.empty()) {
    return reject(saml::BearerFailure::kMissing, Status::Error(ErrorKind::kSamlRejected, "no assertion"));
  }
  auto key = idp_->Key();
  if (!key.ok()) return key.status();

  FixedClock clock(now);  // the endpoint's instant
  saml::BearerExpectations want;
  want.idps.push_back({idp_->entity_id(), {(*key)->cert_der()}});
  for (const TrustedSamlIdp& t : extra_) want.idps.push_back(t.idp);
  want.audience = request.sp_entity_id.empty() ? default_sp_entity_id_ : request.sp_entity_id;
  want.recipient = request.token_url;
  want.clock = &clock;
  saml::BearerFailure failure = saml::BearerFailure::kNone;
  auto assertion = saml::ValidateBearerAssertion(request.assertion, want, &failure);
  if (!assertion.ok()) {
    if (assertion.status().kind() != ErrorKind::kSamlRejected) return assertion.status();
    return reject(failure, assertion.status());
  }
  SamlSubject subject;
  subject.user_name = assertion->name_id;
  subject.origin = assertion->idp_index == 0 ? idp_origin_ : extra_[assertion->idp_index - 1].origin;
  if (auto email = assertion->attributes.find("email");
      email != assertion->attributes.end() && !email->second.empty()) {
    subject.email = email->second.front();
  }
  return subject;
}

}  // namespace ssocli
