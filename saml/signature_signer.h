// Signing SAML elements as an IdP does: one enveloped XML signature per element (enveloped-signature
// and exclusive c14n transforms, SHA-256 digest, RSA-SHA256 or ECDSA-SHA256), the certificate in KeyInfo.
// The other half of signature_verifier.h, for test IdPs (`ssocli zone serve`, tests); nothing is ever
// accepted because of it.
#pragma once

#include <libxml/tree.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ssocli::saml {

// An IdP's signing key and its certificate.
class SigningKey {
 public:
  // An unencrypted PEM private key (RSA or EC P-256/384/521; PKCS#1, SEC1 or PKCS#8) and the PEM
  // certificate of its public key. kUsage when either does not parse or they do not belong together.
  static Result<SigningKey> FromPem(std::string_view key_pem, std::string_view cert_pem);

  // A fresh RSA-2048 key and a self-signed certificate for CN=`common_name`, valid from `now_seconds`
  // minus a day for ten years. kInternal only when OpenSSL fails.
  static Result<SigningKey> Generate(const std::string& common_name, int64_t now_seconds);

  const std::string& key_pem() const { return key_pem_; }
  const std::string& cert_pem() const { return cert_pem_; }
  const std::string& cert_der() const { return cert_der_; }  // what IdpConfig::signing_certificates holds
  bool is_ec() const { return ec_; }

 private:
  SigningKey() = default;

  std::string key_pem_;
  std::string cert_pem_;
  std::string cert_der_;
  bool ec_ = false;
};

// REQUIRES: `element` carries an ID attribute (an NCName) unique in its document, and `issuer` is its
// saml:Issuer child (the signature goes right after it, where the SAML schema puts it).
// Inserts a ds:Signature there and signs `element` with `key`. Returns kInternal when xmlsec fails.
Status SignEnvelopedElement(xmlNode* element, xmlNode* issuer, const SigningKey& key);

}  // namespace ssocli::saml
