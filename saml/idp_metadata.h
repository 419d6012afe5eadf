// What we trust about an IdP: its entity ID, where to send AuthnRequests, and its signing certificates.
// From SAML 2.0 metadata (what IdP admin consoles export) or from a bare PEM certificate.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ssocli::saml {

// More signing certificates than this is a configuration mistake (each is tried on a bad signature).
inline constexpr size_t kMaxIdpCertificates = 8;

struct IdpConfig {
  std::string entity_id;         // EntityDescriptor/@entityID; empty when built from a bare certificate
  std::string sso_redirect_url;  // SingleSignOnService Location for the HTTP-Redirect binding; may be empty
  // DER X.509 certificates whose keys may sign responses. Several during a key rollover: a signature
  // is good when any one of them verifies it.
  std::vector<std::string> signing_certificates;
};

// Parses IdP metadata: an <md:EntityDescriptor> with an <md:IDPSSODescriptor> supporting SAML 2.0, or an
// <md:EntitiesDescriptor> holding exactly one such entity. Signing certificates are the X509Certificate
// of every KeyDescriptor whose use is "signing" or unspecified; each must parse as X.509. The metadata
// file is local configuration: its own signature, if any, is not checked, and certificate validity
// dates are not enforced (IdPs routinely sign with long-expired self-signed certificates).
// Returns kSamlRejected with the reason (no entity ID, no signing certificate, ...) otherwise.
Result<IdpConfig> ParseIdpMetadata(std::string_view xml);

// One or more PEM "CERTIFICATE" blocks (the IdP's signing certificate as admin consoles download it).
// Returns their DER encodings, or kSamlRejected when there is none or one does not parse.
Result<std::vector<std::string>> ParsePemCertificates(std::string_view pem);

// An IdpConfig trusting the certificates of a PEM file, with no entity ID and no SSO URL.
Result<IdpConfig> IdpConfigFromPem(std::string_view pem);

// The metadata an IdP publishes for `idp`: an md:EntityDescriptor with its entityID, an IDPSSODescriptor
// with one signing KeyDescriptor per certificate, the emailAddress NameID format and the HTTP-Redirect
// SingleSignOnService at sso_redirect_url. What ParseIdpMetadata reads back. kUsage when the entity ID
// is empty, the SSO URL is not http(s), there is no certificate, or a value holds control characters.
Result<std::string> BuildIdpMetadata(const IdpConfig& idp);

}  // namespace ssocli::saml
